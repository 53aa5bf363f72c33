#include "sip/builder.h"

#include <gtest/gtest.h>

#include "test_text.h"

namespace unicc::sip {
namespace {

using testing::sip_text;

// What the builder makes must also frame on a stream (TCP), which needs Content-Length.
Message parse_built(std::string text) { return testing::parse_ok(std::move(text), Framing::kStream); }

Message request_with_two_vias() {
  return parse_built(sip_text({"INVITE sip:bob@example.com SIP/2.0",
                               "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp;received=192.0.2.9",
                               "v: SIP/2.0/UDP client.example.com:5062;branch=z9hG4bKc;rport=5062",
                               "Max-Forwards: 69", "To: \"Bob\" <sip:bob@example.com>",
                               "From: <sip:alice@example.com>;tag=88", "Call-ID: build-1", "CSeq: 7 INVITE",
                               "Contact: <sip:alice@client.example.com:5062>", "Content-Type: application/sdp",
                               "Content-Length: 5"},
                              "hello"));
}

TEST(BuilderTest, BuildsRequestThatParsesBack) {
  std::string text = MessageBuilder::request("OPTIONS", "sip:carol@chicago.example.com")
                         .add("Via", "SIP/2.0/TCP me.example.com;branch=z9hG4bKo1")
                         .add("Max-Forwards", "70")
                         .add("To", "<sip:carol@chicago.example.com>")
                         .add("From", "<sip:me@example.com>;tag=1")
                         .add("Call-ID", "opt-1")
                         .add("CSeq", "1 OPTIONS")
                         .add("Content-Type", "text/plain")
                         .finish("ping");
  EXPECT_EQ(text.substr(0, text.find("\r\n")), "OPTIONS sip:carol@chicago.example.com SIP/2.0");
  Message m = parse_built(text);
  EXPECT_EQ(m.method_id(), Method::kOptions);
  EXPECT_EQ(m.content_length(), 4u);
  EXPECT_EQ(m.body(), "ping");
  EXPECT_EQ(m.headers().back().name, "Content-Length");
}

TEST(BuilderTest, ResponseUsesDefaultReasonPhrase) {
  std::string text = MessageBuilder::response(486).finish();
  EXPECT_EQ(text, "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(299), "Unknown");
}

TEST(BuilderTest, ResponseToCopiesDialogHeadersAndAddsToTag) {
  Message request = request_with_two_vias();
  std::string text = response_to(request, 180, {}, "as83kd").add("Contact", "<sip:bob@10.0.0.2>").finish();
  Message response = parse_built(text);
  EXPECT_EQ(response.status_code(), 180);
  EXPECT_EQ(response.reason(), "Ringing");
  ASSERT_EQ(response.vias().size(), 2u);
  EXPECT_EQ(response.vias()[0].branch, "z9hG4bKp");
  EXPECT_EQ(response.vias()[0].received, "192.0.2.9");
  EXPECT_EQ(response.vias()[1].branch, "z9hG4bKc");
  EXPECT_EQ(response.vias()[1].rport_value, 5062);
  EXPECT_EQ(response.from().tag(), "88");
  EXPECT_EQ(response.to().tag(), "as83kd");
  EXPECT_EQ(response.to().display_name, "Bob");
  EXPECT_EQ(response.call_id(), "build-1");
  EXPECT_EQ(response.cseq().number, 7u);
  EXPECT_EQ(response.cseq().method, "INVITE");
  EXPECT_EQ(response.header("Max-Forwards"), std::nullopt);
  EXPECT_EQ(response.contacts()[0].uri.host(), "10.0.0.2");
  EXPECT_EQ(response.body(), "");
}

TEST(BuilderTest, ResponseToKeepsAnExistingToTag) {
  Message request = parse_built(sip_text({"BYE sip:alice@example.com SIP/2.0",
                                          "Via: SIP/2.0/UDP h;branch=z9hG4bKbye",
                                          "To: <sip:alice@example.com>;tag=existing",
                                          "From: <sip:bob@example.com>;tag=b", "Call-ID: bye-1", "CSeq: 2 BYE",
                                          "Content-Length: 0"}));
  Message response = parse_built(response_to(request, 200, "OK", "ignored").finish());
  EXPECT_EQ(response.to().tag(), "existing");
  EXPECT_EQ(response.cseq().method, "BYE");
}

TEST(BuilderTest, SerializeRoundTripsAParsedMessage) {
  Message original = request_with_two_vias();
  std::string text = serialize(original);
  Message again = parse_built(text);
  EXPECT_EQ(serialize(again), text);
  EXPECT_EQ(again.vias().size(), 2u);
  EXPECT_EQ(again.headers()[1].name, "Via");  // compact "v" is written in long form
  EXPECT_EQ(again.body(), "hello");
  EXPECT_EQ(again.content_length(), 5u);
  EXPECT_EQ(again.headers().size(), original.headers().size());
}

TEST(BuilderTest, SerializeWritesUnfoldedLinesAndRecomputesContentLength) {
  Message folded = parse_built(sip_text({"MESSAGE sip:bob@example.com SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKm",
                                         "To: <sip:bob@example.com>", "From: <sip:a@example.com>;", " tag=1",
                                         "Call-ID: m", "CSeq: 1 MESSAGE", "l: 2"},
                                        "hi"));
  std::string text = serialize(folded);
  EXPECT_NE(text.find("From: <sip:a@example.com>;   tag=1\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Length: 2\r\n\r\nhi"), std::string::npos);
  EXPECT_EQ(text.find("l: 2"), std::string::npos);
}

}  // namespace
}  // namespace unicc::sip
