#pragma once
// ivr::DigitPattern — the pattern a collected number or a caller number must match,
// in the dial-plan notation telephony administrators know (Asterisk's):
//   X any digit 0-9, Z 1-9, N 2-9, [1-4] or [135] one digit from the set,
//   0-9 * # themselves, and a final "." for one or more further characters.
// The whole input must match. Matching is linear in the input, never backtracks,
// so a pattern from a flow document cannot stall a call (unlike std::regex).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace unicc::ivr {

// '0'-'9', '*' and '#': the keys of a phone's keypad, as DTMF sends them.
constexpr bool is_keypad_key(char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; }

class DigitPattern {
 public:
  // nullopt when `text` is not a valid pattern; `why` then says what is wrong.
  static std::optional<DigitPattern> parse(std::string_view text, std::string& why);

  bool matches(std::string_view input) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<std::string> positions_;  // allowed characters at each position
  bool open_end_ = false;               // a final "." : one or more further characters
};

}  // namespace unicc::ivr
