#include "sip/sdp_crypto.h"

#include <openssl/evp.h>

#include <charconv>

namespace unicc::sip {
namespace {

constexpr std::uint32_t kMaxTag = 999'999'999;  // RFC 4568: 1*9DIGIT
// Keys of the suites anyone uses are 30 to 46 bytes; this bounds the decode buffer.
constexpr std::size_t kMaxKeyBase64 = 128;

bool is_base64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Standard base64 with optional '=' padding; nullopt on any other character.
std::optional<std::string> decode_base64(std::string_view text) {
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  const std::string_view body = text.substr(0, text.size() - padding);
  if (text.empty() || text.size() > kMaxKeyBase64 || text.size() % 4 != 0) return std::nullopt;
  for (char c : body) {
    if (!is_base64(c)) return std::nullopt;
  }
  unsigned char out[kMaxKeyBase64];
  const int size = EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (size < 0 || static_cast<std::size_t>(size) < padding) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size) - padding);
}

// Splits off the text up to the first `separator` (all of it when there is none).
std::string_view take(std::string_view& text, char separator) {
  const auto at = text.find(separator);
  const std::string_view head = text.substr(0, at);
  text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
  return head;
}

bool is_suite_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::optional<SdpCrypto> parse_crypto(std::string_view value) {
  if (value.size() > kMaxCryptoValue) return std::nullopt;
  SdpCrypto crypto;
  const std::string_view tag = take(value, ' ');
  const auto [end, error] = std::from_chars(tag.data(), tag.data() + tag.size(), crypto.tag);
  if (tag.empty() || tag.size() > 9 || error != std::errc() || end != tag.data() + tag.size() || crypto.tag == 0 ||
      crypto.tag > kMaxTag) {
    return std::nullopt;
  }
  crypto.suite = take(value, ' ');
  if (!is_suite_name(crypto.suite)) return std::nullopt;
  std::string_view key_params = take(value, ' ');
  crypto.has_session_params = !value.empty();
  // key-params = key-param *(";" key-param); the first one is used.
  std::string_view key_param = take(key_params, ';');
  crypto.has_mki = !key_params.empty();
  constexpr std::string_view kInline = "inline:";
  if (key_param.substr(0, kInline.size()) != kInline) return std::nullopt;
  key_param.remove_prefix(kInline.size());
  auto key = decode_base64(take(key_param, '|'));
  if (!key) return std::nullopt;
  crypto.key_salt = std::move(*key);
  // What is left is "lifetime", "MKI:length" or "lifetime|MKI:length"; the lifetime
  // is not enforced (calls rekey long before 2^31 packets), an MKI is reported.
  while (!key_param.empty()) {
    const std::string_view part = take(key_param, '|');
    if (part.find(':') != std::string_view::npos) crypto.has_mki = true;
  }
  return crypto;
}

std::string format_crypto(std::uint32_t tag, std::string_view suite, std::string_view key_salt) {
  std::string encoded(4 * ((key_salt.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                   reinterpret_cast<const unsigned char*>(key_salt.data()),
                                   static_cast<int>(key_salt.size()));
  encoded.resize(static_cast<std::size_t>(size));
  return std::to_string(tag) + " " + std::string(suite) + " inline:" + encoded;
}

}  // namespace unicc::sip
