#pragma once
// Test helpers: SIP messages written as one line per string, so tests read like
// traces, and parsed where the test expects them to be valid.
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sip/message.h"

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

// The message `text` holds; a parse error fails the test and ends it, since every
// later check would read a message that is not there.
inline Message parse_ok(std::string text, Framing framing = Framing::kDatagram) {
  auto message = Message::parse(std::move(text), framing);
  EXPECT_TRUE(message.ok()) << (message.ok() ? "" : message.error().reason);
  if (!message.ok()) std::abort();
  return std::move(message).value();
}

}  // namespace unicc::sip::testing
