#pragma once
// core text helpers for the lists protocols write into one header or setting
// ("a, b,c"): SIP, HTTP and configuration values use the same rules — items
// separated by one character, SP and HTAB around them insignificant. And the one
// rule for a number as a phone dials it, and for a name things are known by.
#include <string_view>

namespace unicc::core {

// `s` without SP and HTAB at either end.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls on_item(trimmed item) for every `separator`-separated item of `list`, empty
// ones included (the caller decides whether they are an error). No quoting: for
// SIP values with quoted strings see sip::split_top_level.
template <typename OnItem>
void for_each_item(std::string_view list, char separator, OnItem&& on_item) {
  if (list.empty()) return;
  for (;;) {
    auto end = list.find(separator);
    on_item(trim(list.substr(0, end)));
    if (end == std::string_view::npos) return;
    list.remove_prefix(end + 1);
  }
}

// Whether `s` is a number as a phone dials it: one or more of 0-9, +, * and #
// (extensions, DIDs, outside numbers with a trunk's prefix).
inline bool is_dial_string(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789+*#") == std::string_view::npos;
}

// Whether `s` is a name as flows, forms and their parts are known by: 1-64 ASCII
// letters, digits, '_' or '-' (safe in URLs, file names and CSV).
inline bool is_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!(letter || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

}  // namespace unicc::core
