#include "sip/header_values.h"

#include <gtest/gtest.h>

#include "sip/message.h"

namespace unicc::sip {
namespace {

// The attack: a caller ID that, copied into a header, starts headers of its own.
TEST(HeaderValuesTest, ADisplayNameCannotEndItsHeader) {
  EXPECT_EQ(quoted_display_name("Alice\r\nX-Evil: 1"), "\"AliceX-Evil: 1\"");
  EXPECT_EQ(quoted_display_name(std::string("A\0B", 3)), "\"AB\"");
  EXPECT_EQ(quoted_display_name("Say \"hi\" \\o/"), "\"Say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(quoted_display_name(""), "");
  EXPECT_EQ(quoted_display_name("张三"), "\"张三\"");
}

TEST(HeaderValuesTest, ALongDisplayNameIsCutAtACharacterBoundary) {
  std::string name;
  for (int i = 0; i < 100; ++i) name += "张";  // 3 bytes each
  const std::string quoted = quoted_display_name(name);
  EXPECT_LE(quoted.size(), 130u);
  EXPECT_EQ((quoted.size() - 2) % 3, 0u);
}

TEST(HeaderValuesTest, AUserPartIsEscaped) {
  EXPECT_EQ(escaped_user("+8613800000000"), "+8613800000000");
  EXPECT_EQ(escaped_user("1001\r\nX: y@evil"), "1001%0D%0AX%3A%20y%40evil");
  EXPECT_EQ(escaped_user("a<b>\"c"), "a%3Cb%3E%22c");
}

TEST(HeaderValuesTest, AHeaderBuiltFromHostileTextParsesBackToTheSameText) {
  const std::string name = "Bob \"the \\ builder\"\r\n";
  const std::string user = "1001\r\nVia: x";
  const std::string text = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nFrom: " +
                           quoted_display_name(name) + " <sip:" + escaped_user(user) +
                           "@127.0.0.1>;tag=1\r\nTo: <sip:2@127.0.0.1>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
                           "Content-Length: 0\r\n\r\n";
  auto parsed = Message::parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().reason;
  EXPECT_EQ(parsed->headers().size(), 6u);
  EXPECT_EQ(display_name_text(parsed->from().display_name), "Bob \"the \\ builder\"");
  EXPECT_EQ(parsed->from().uri.user_decoded(), user);
}

}  // namespace
}  // namespace unicc::sip
