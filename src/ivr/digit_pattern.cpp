#include "ivr/digit_pattern.h"

namespace unicc::ivr {
namespace {

// Characters of a bracket set such as "1-4" or "135"; "" when malformed.
std::string bracket_set(std::string_view inside) {
  std::string set;
  for (std::size_t i = 0; i < inside.size(); ++i) {
    char c = inside[i];
    if (!is_keypad_key(c)) return "";
    if (i + 2 < inside.size() && inside[i + 1] == '-') {
      char last = inside[i + 2];
      if (c > '9' || last < c || last > '9') return "";
      for (char d = c; d <= last; ++d) set += d;
      i += 2;
    } else {
      set += c;
    }
  }
  return set;
}

}  // namespace

std::optional<DigitPattern> DigitPattern::parse(std::string_view text, std::string& why) {
  DigitPattern pattern;
  pattern.text_ = std::string(text);
  if (text.empty()) {
    why = "empty pattern";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == 'X' || c == 'x') {
      pattern.positions_.push_back("0123456789");
    } else if (c == 'Z' || c == 'z') {
      pattern.positions_.push_back("123456789");
    } else if (c == 'N' || c == 'n') {
      pattern.positions_.push_back("23456789");
    } else if (is_keypad_key(c)) {
      pattern.positions_.push_back(std::string(1, c));
    } else if (c == '[') {
      auto close = text.find(']', i);
      std::string set = close == std::string_view::npos ? "" : bracket_set(text.substr(i + 1, close - i - 1));
      if (set.empty()) {
        why = "malformed [...] set at character " + std::to_string(i + 1);
        return std::nullopt;
      }
      pattern.positions_.push_back(set);
      i = close;
    } else if (c == '.' && i + 1 == text.size()) {
      pattern.open_end_ = true;
    } else {
      why = std::string("unexpected '") + c + "' at character " + std::to_string(i + 1) +
            " (use X, Z, N, [..], 0-9, *, # and a final .)";
      return std::nullopt;
    }
  }
  return pattern;
}

bool DigitPattern::matches(std::string_view input) const {
  if (input.size() < positions_.size()) return false;
  if (input.size() > positions_.size() && !open_end_) return false;
  if (open_end_ && input.size() == positions_.size()) return false;
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    if (positions_[i].find(input[i]) == std::string::npos) return false;
  }
  return true;
}

}  // namespace unicc::ivr
