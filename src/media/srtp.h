#pragma once
// media::SrtpSession — SRTP and SRTCP (RFC 3711) for one leg of a relay, keyed by
// SDES (RFC 4568), on libsrtp2.
//
// A leg has two keys: the one its peer sends with (from the peer's a=crypto line)
// and the one we send with (ours, fresh from the CSPRNG for every leg, put in our
// a=crypto line). unprotect_*() authenticates and decrypts what the peer sent, in
// place; protect_*() encrypts and authenticates what we send, in place, growing the
// packet by at most kSrtpMaxTrailer bytes that the buffer must have room for. A packet
// that fails (bad tag, replay, garbage) is reported false and must be dropped. Any
// source SSRC is accepted on receive and sent on send, so one session serves however
// the stream's senders change. Not thread-safe: a relay uses it on its RTP thread only.
// Key bytes are secret: nothing here logs them, and the session wipes its copies.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace unicc::media {

enum class SrtpSuite : std::uint8_t { kAesCm128HmacSha1_80, kAesCm128HmacSha1_32 };

// Master key (16 bytes) then master salt (14 bytes), as in the a=crypto inline key.
inline constexpr std::size_t kSrtpKeySaltSize = 30;
// Room protect_rtp()/protect_rtcp() may need after the packet: tag, MKI, SRTCP index.
inline constexpr std::size_t kSrtpMaxTrailer = 148;

struct SrtpKey {
  SrtpSuite suite = SrtpSuite::kAesCm128HmacSha1_80;
  std::array<std::uint8_t, kSrtpKeySaltSize> key_salt{};

  bool operator==(const SrtpKey&) const = default;
};

// The RFC 4568 name of a suite, and back (nullopt for suites we do not implement).
std::string_view srtp_suite_name(SrtpSuite suite);
std::optional<SrtpSuite> srtp_suite_named(std::string_view name);

// A new key for `suite` from the OS CSPRNG.
SrtpKey random_srtp_key(SrtpSuite suite);

struct SrtpKeys {
  SrtpKey receive;  // the peer's: what it sends is protected with it
  SrtpKey send;     // ours: what we send to the peer

  bool operator==(const SrtpKeys&) const = default;
};

class SrtpSession {
 public:
  // nullptr when libsrtp refuses the keys (logged without them).
  static std::unique_ptr<SrtpSession> create(const SrtpKeys& keys);
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  const SrtpKeys& keys() const { return keys_; }

  // `size` is the packet's length in `buffer`; on success it is the new length.
  bool unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t& size);
  bool unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& size);
  // `buffer` must hold size + kSrtpMaxTrailer bytes (false otherwise).
  bool protect_rtp(std::span<std::uint8_t> buffer, std::size_t& size);
  bool protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& size);

 private:
  struct Contexts;
  SrtpSession(const SrtpKeys& keys, std::unique_ptr<Contexts> contexts);

  SrtpKeys keys_;
  std::unique_ptr<Contexts> contexts_;
};

}  // namespace unicc::media
