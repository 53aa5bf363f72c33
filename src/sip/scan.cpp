#include "sip/scan.h"

#include <array>

namespace unicc::sip::scan {
namespace {

constexpr std::array<std::uint16_t, 256> make_table() {
  std::array<std::uint16_t, 256> table{};
  auto add = [&table](std::string_view chars, std::uint16_t classes) {
    for (char c : chars) table[static_cast<unsigned char>(c)] |= classes;
  };
  constexpr std::uint16_t kAlnumClasses =
      kToken | kUnreserved | kWord | kHostName | kSchemeChar | kGenericValue;
  for (int c = '0'; c <= '9'; ++c) table[c] |= kDigit | kHex | kAlnumClasses;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= kAlpha | kAlnumClasses;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= kAlpha | kAlnumClasses;
  add("abcdefABCDEF", kHex);
  add("-.!%*_+`'~", kToken);
  add("-_.!~*'()", kUnreserved);
  add("&=+$,;?/", kUserUnreserved);
  add("&=+$,", kPasswordExtra);
  add("[]/:&+$", kParamUnreserved);
  add("[]/?:+$", kHnvUnreserved);
  add("-.!%*_+`'~()<>:\\\"/[]?{}", kWord);
  add("-.", kHostName);
  add("-.!%*_+`'~[]:", kGenericValue);
  add("+-.", kSchemeChar);
  return table;
}

constexpr std::array<std::uint16_t, 256> kTable = make_table();

}  // namespace

bool has_class(char c, std::uint16_t classes) {
  return (kTable[static_cast<unsigned char>(c)] & classes) != 0;
}

bool all_of_class(std::string_view s, std::uint16_t classes, bool allow_escapes) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (has_class(s[i], classes)) continue;
    if (!allow_escapes || s[i] != '%' || i + 2 >= s.size() ||
        hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) {
      return false;
    }
    i += 2;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

std::optional<std::uint32_t> parse_uint(std::string_view s, std::uint32_t max) {
  if (s.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > max) return std::nullopt;
  }
  return static_cast<std::uint32_t>(value);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = to_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::size_t find_top_level(std::string_view s, char separator, std::size_t from, bool& balanced) {
  bool in_quotes = false;
  bool in_angle = false;
  for (std::size_t i = from; i < s.size(); ++i) {
    char c = s[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (in_angle) {
      in_angle = c != '>';
    } else if (c == separator) {
      return i;
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == '<') {
      in_angle = true;
    }
  }
  balanced = !in_quotes && !in_angle;
  return s.size();
}

std::size_t quoted_string_length(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return 0;
}

void append_unquoted(std::string_view quoted, std::string& out) {
  std::string_view inner = quoted.substr(1, quoted.size() - 2);
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size()) ++i;
    out.push_back(inner[i]);
  }
}

void append_unescaped(std::string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
}

}  // namespace unicc::sip::scan
