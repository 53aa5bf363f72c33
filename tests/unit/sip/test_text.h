#pragma once
// Test helper: writes SIP messages as one line per string, so tests read like traces.
#include <initializer_list>
#include <string>
#include <string_view>

namespace unicc::sip::testing {

// Joins `lines` with CRLF, then ends the header section with an empty line and
// appends `body` as is.
inline std::string sip_text(std::initializer_list<std::string_view> lines,
                            std::string_view body = {}) {
  std::string text;
  for (std::string_view line : lines) {
    text += line;
    text += "\r\n";
  }
  text += "\r\n";
  text += body;
  return text;
}

}  // namespace unicc::sip::testing
