#include "sip/header_values.h"

#include <algorithm>

#include "sip/scan.h"

namespace unicc::sip {
namespace {

constexpr std::size_t kMaxDisplayNameBytes = 128;

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

}  // namespace

std::string quoted_display_name(std::string_view text) {
  if (text.empty()) return {};
  // Cut at a character boundary, so the limit never leaves half a UTF-8 character.
  std::size_t cut = std::min(text.size(), kMaxDisplayNameBytes);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  std::string out = "\"";
  for (char c : text.substr(0, cut)) {
    if (is_control(c)) continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string escaped_user(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (scan::has_class(c, scan::kUnreserved | scan::kUserUnreserved)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

std::string display_name_text(std::string_view as_written) {
  std::string out;
  for (std::size_t i = 0; i < as_written.size(); ++i) {
    if (as_written[i] == '\\' && i + 1 < as_written.size()) ++i;
    if (!is_control(as_written[i])) out += as_written[i];
  }
  return out;
}

}  // namespace unicc::sip
