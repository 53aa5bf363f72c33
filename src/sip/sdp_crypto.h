#pragma once
// sip::SdpCrypto — the SDES key attribute of SDP, a=crypto (RFC 4568 §9.1).
//
//   a=crypto:<tag> <crypto-suite> inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>] [<session-params>]
//
// parse_crypto() takes the attribute's value (what follows "a=crypto:") from a
// hostile peer: it is bounded (kMaxCryptoValue), never throws, and fails on anything
// it cannot read exactly. Only the first key parameter is decoded; several keys, an
// MKI or session parameters are reported so the caller can decline that line. The
// decoded key bytes are secret: they must not be logged.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace unicc::sip {

// Longer values are refused unread (a line with one 30-byte key is under 100 bytes).
inline constexpr std::size_t kMaxCryptoValue = 1024;

struct SdpCrypto {
  std::uint32_t tag = 0;       // 1..999999999
  std::string_view suite;      // e.g. "AES_CM_128_HMAC_SHA1_80", a view into the value
  std::string key_salt;        // the first inline key, base64-decoded
  bool has_mki = false;        // an MKI was given (or several keys, which need one)
  bool has_session_params = false;
};

// nullopt when the value is not a well-formed crypto attribute.
std::optional<SdpCrypto> parse_crypto(std::string_view value);

// The attribute value for `tag`, `suite` and the raw `key_salt` (no lifetime, no MKI).
std::string format_crypto(std::uint32_t tag, std::string_view suite, std::string_view key_salt);

}  // namespace unicc::sip
