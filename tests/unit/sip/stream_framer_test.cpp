#include "sip/stream_framer.h"

#include <gtest/gtest.h>

#include "sip/message.h"
#include "test_text.h"

namespace unicc::sip {
namespace {

using testing::sip_text;

std::string message_text(std::string_view call_id, std::string_view body) {
  std::string length = "Content-Length: " + std::to_string(body.size());
  std::string call_id_line = "Call-ID: " + std::string(call_id);
  return sip_text({"MESSAGE sip:bob@example.com SIP/2.0", "Via: SIP/2.0/TCP h;branch=z9hG4bKf",
                   "To: <sip:bob@example.com>", "From: <sip:a@example.com>;tag=1", call_id_line,
                   "CSeq: 1 MESSAGE", length},
                  body);
}

std::optional<std::string> next_ok(StreamFramer& framer) {
  auto next = framer.next();
  EXPECT_TRUE(next.ok()) << (next.ok() ? "" : next.error().reason);
  return next.ok() ? *next : std::nullopt;
}

TEST(StreamFramerTest, CutsTwoMessagesFromOneRead) {
  StreamFramer framer;
  std::string first = message_text("one", "body\r\n\r\nwith empty line");
  std::string second = message_text("two", "");
  framer.append(first + second);
  EXPECT_EQ(next_ok(framer), first);
  EXPECT_EQ(next_ok(framer), second);
  EXPECT_EQ(next_ok(framer), std::nullopt);
  EXPECT_EQ(framer.buffered(), 0u);
  auto parsed = Message::parse(first, Framing::kStream);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->body(), "body\r\n\r\nwith empty line");
}

TEST(StreamFramerTest, ReassemblesAMessageSplitAcrossReads) {
  std::string text = message_text("split", "0123456789");
  for (std::size_t chunk : {1u, 3u, 7u, 64u}) {
    StreamFramer framer;
    std::vector<std::string> messages;
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      framer.append(std::string_view(text).substr(at, chunk));
      while (std::optional<std::string> message = next_ok(framer)) messages.push_back(*message);
    }
    ASSERT_EQ(messages.size(), 1u) << chunk;
    EXPECT_EQ(messages[0], text);
  }
}

TEST(StreamFramerTest, SkipsKeepalivesAndCountsPings) {
  StreamFramer framer;
  std::string text = message_text("ka", "");
  framer.append("\r\n\r\n\r\n");
  EXPECT_EQ(next_ok(framer), std::nullopt);
  EXPECT_EQ(framer.take_pings(), 1u);
  framer.append("\r\n");  // completes a second ping split across reads
  EXPECT_EQ(next_ok(framer), std::nullopt);
  EXPECT_EQ(framer.take_pings(), 1u);
  framer.append("\r\n" + text);
  EXPECT_EQ(next_ok(framer), text);
  EXPECT_EQ(framer.take_pings(), 0u);
}

// The transport times a message from its first byte; a keep-alive's CR or CRLF
// waiting for the rest is not one, but any other held byte is.
TEST(StreamFramerTest, TellsAPartialMessageFromAPartialKeepalive) {
  StreamFramer framer;
  EXPECT_FALSE(framer.in_message());
  for (std::string_view piece : {"\r", "\n", "\r"}) {
    framer.append(piece);
    EXPECT_EQ(next_ok(framer), std::nullopt);
    EXPECT_FALSE(framer.in_message()) << "after a keep-alive prefix";
  }
  framer.append("\n");
  EXPECT_EQ(next_ok(framer), std::nullopt);
  EXPECT_EQ(framer.take_pings(), 1u);
  framer.append("\r\r");
  EXPECT_EQ(next_ok(framer), std::nullopt);
  EXPECT_TRUE(framer.in_message()) << "CR CR is no keep-alive";
  StreamFramer message;
  std::string text = message_text("one", "abc");
  message.append(text.substr(0, 1));
  EXPECT_EQ(next_ok(message), std::nullopt);
  EXPECT_TRUE(message.in_message());
  message.append(text.substr(1, text.size() - 2));
  EXPECT_EQ(next_ok(message), std::nullopt);
  EXPECT_TRUE(message.in_message()) << "waiting for the body";
  message.append(text.substr(text.size() - 1) + "\r\n");
  EXPECT_EQ(next_ok(message), text);
  EXPECT_EQ(next_ok(message), std::nullopt);
  EXPECT_FALSE(message.in_message());
}

TEST(StreamFramerTest, MissingContentLengthBreaksTheStream) {
  StreamFramer framer;
  framer.append(sip_text({"OPTIONS sip:a@b SIP/2.0", "Via: SIP/2.0/TCP h;branch=z9hG4bK1"}));
  auto next = framer.next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().reason, "Missing Content-Length header");
  framer.append(message_text("after", ""));
  EXPECT_FALSE(framer.next().ok());  // sticky: the connection must be closed
}

TEST(StreamFramerTest, RejectsMalformedAndOversizeLengths) {
  for (std::string_view length : {"Content-Length: -5", "Content-Length: 1e3", "l: 99999999"}) {
    StreamFramer framer;
    framer.append(sip_text({"OPTIONS sip:a@b SIP/2.0", length}));
    auto next = framer.next();
    ASSERT_FALSE(next.ok()) << length;
    EXPECT_EQ(next.error().reason, "Malformed Content-Length header");
  }
  StreamFramer small(100);
  small.append(sip_text({"OPTIONS sip:a@b SIP/2.0", "Content-Length: 90"}));
  EXPECT_EQ(small.next().error().reason, "Message too large");
}

TEST(StreamFramerTest, HeadersWithoutEndAreCappedBySize) {
  StreamFramer framer(1000);
  framer.append("OPTIONS sip:a@b SIP/2.0\r\n");
  EXPECT_EQ(next_ok(framer), std::nullopt);
  framer.append(std::string(1200, 'x'));
  auto next = framer.next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().reason, "Message too large");
}

TEST(StreamFramerTest, ConflictingDuplicateContentLengthIsRejected) {
  StreamFramer framer;
  framer.append(sip_text({"OPTIONS sip:a@b SIP/2.0", "Content-Length: 0", "content-length: 4"}, "abcd"));
  EXPECT_FALSE(framer.next().ok());
}

}  // namespace
}  // namespace unicc::sip
