#include "sip/message.h"

#include <gtest/gtest.h>

#include "test_text.h"

namespace unicc::sip {
namespace {

using testing::parse_ok;
using testing::sip_text;

std::string invite_text(std::string_view extra_header = "Max-Forwards: 70") {
  return sip_text({"INVITE sip:bob@biloxi.example.com SIP/2.0",
                   "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
                   extra_header,
                   "To: Bob <sip:bob@biloxi.example.com>",
                   "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
                   "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
                   "CSeq: 314159 INVITE",
                   "Contact: <sip:alice@pc33.atlanta.example.com>"});
}

std::string_view parse_error(std::string text, Framing framing = Framing::kDatagram) {
  auto message = Message::parse(std::move(text), framing);
  EXPECT_FALSE(message.ok());
  return message.ok() ? "" : message.error().reason;
}

TEST(MessageTest, ParsesRequestLineAndCoreHeaders) {
  Message m = parse_ok(invite_text());
  EXPECT_TRUE(m.is_request());
  EXPECT_EQ(m.method(), "INVITE");
  EXPECT_EQ(m.method_id(), Method::kInvite);
  EXPECT_EQ(m.request_uri().user, "bob");
  EXPECT_EQ(m.request_uri().host(), "biloxi.example.com");
  ASSERT_EQ(m.vias().size(), 1u);
  EXPECT_EQ(m.vias()[0].transport, "UDP");
  EXPECT_EQ(m.vias()[0].sent_by.host, "pc33.atlanta.example.com");
  EXPECT_EQ(m.vias()[0].branch, "z9hG4bK776asdhds");
  EXPECT_EQ(m.from().display_name, "Alice");
  EXPECT_EQ(m.from().tag(), "1928301774");
  EXPECT_EQ(m.from().uri.user, "alice");
  EXPECT_EQ(m.to().display_name, "Bob");
  EXPECT_EQ(m.to().tag(), "");
  EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m.cseq().number, 314159u);
  EXPECT_EQ(m.cseq().method, "INVITE");
  EXPECT_EQ(m.max_forwards(), 70u);
  ASSERT_EQ(m.contacts().size(), 1u);
  EXPECT_EQ(m.contacts()[0].uri.host(), "pc33.atlanta.example.com");
  EXPECT_EQ(m.content_length(), std::nullopt);
  EXPECT_EQ(m.body(), "");
}

TEST(MessageTest, ParsesStatusLine) {
  Message m = parse_ok(sip_text({"SIP/2.0 180 Ringing",
                                 "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds8;received=192.0.2.1",
                                 "To: <sip:bob@example.com>;tag=a6c85cf", "From: <sip:alice@example.com>;tag=1928",
                                 "Call-ID: a84b4c76e66710", "CSeq: 1 INVITE", "Content-Length: 0"}));
  EXPECT_FALSE(m.is_request());
  EXPECT_EQ(m.status_code(), 180);
  EXPECT_EQ(m.reason(), "Ringing");
  EXPECT_EQ(m.method_id(), Method::kOther);
  EXPECT_EQ(m.to().tag(), "a6c85cf");
  EXPECT_EQ(m.content_length(), 0u);
}

TEST(MessageTest, ReasonPhraseMayHaveSpacesOrBeEmpty) {
  auto with_status = [](std::string_view line) {
    return sip_text({line, "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "To: <sip:b@h>", "From: <sip:a@h>;tag=1",
                     "Call-ID: x", "CSeq: 1 BYE"});
  };
  EXPECT_EQ(parse_ok(with_status("SIP/2.0 481 Call/Transaction Does Not Exist")).reason(),
            "Call/Transaction Does Not Exist");
  EXPECT_EQ(parse_ok(with_status("SIP/2.0 200 ")).reason(), "");
  EXPECT_EQ(parse_error(with_status("SIP/2.0 99 Too Low")), "Malformed status line");
  EXPECT_EQ(parse_error(with_status("SIP/2.0 700 Too High")), "Malformed status line");
  EXPECT_EQ(parse_error(with_status("SIP/2.0 2000 OK")), "Malformed status line");
  EXPECT_EQ(parse_error(with_status("SIP/3.0 200 OK")), "Unsupported SIP version");
}

TEST(MessageTest, CompactHeaderFormsAreRecognized) {
  Message m = parse_ok(sip_text({"OPTIONS sip:carol@chicago.example.com SIP/2.0",
                                 "v: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bKopt",
                                 "t: <sip:carol@chicago.example.com>", "f: \"Alice\" <sip:alice@example.com>;tag=77",
                                 "i: compact-call-id", "CSeq: 9 OPTIONS", "m: <sip:alice@client.example.com>",
                                 "k: timer, 100rel", "s: hello", "c: application/sdp", "l: 3"},
                                "abc"));
  EXPECT_EQ(m.vias()[0].transport, "TCP");
  EXPECT_EQ(m.vias()[0].sent_by.port, 5060);
  EXPECT_EQ(m.to().uri.user, "carol");
  EXPECT_EQ(m.from().display_name, "Alice");
  EXPECT_EQ(m.call_id(), "compact-call-id");
  EXPECT_EQ(m.contacts().size(), 1u);
  EXPECT_EQ(m.header("Supported"), "timer, 100rel");
  EXPECT_EQ(m.header("subject"), "hello");
  EXPECT_EQ(m.header("S"), "hello");
  EXPECT_EQ(m.content_type(), "application/sdp");
  EXPECT_EQ(m.body(), "abc");
  EXPECT_EQ(m.headers()[0].name, "Via");  // canonical long name
}

TEST(MessageTest, HeaderNamesAreCaseInsensitive) {
  Message m = parse_ok(sip_text({"BYE sip:bob@example.com SIP/2.0", "VIA: SIP/2.0/UDP h;BRANCH=z9hG4bKx",
                                 "to: <sip:bob@example.com>;TAG=5", "FrOm: <sip:a@example.com>;tag=4",
                                 "CALL-ID: abc", "cseq: 2 BYE", "mAx-FoRwArDs: 10", "X-Custom-Header: yes"}));
  EXPECT_EQ(m.vias()[0].branch, "z9hG4bKx");
  EXPECT_EQ(m.to().tag(), "5");
  EXPECT_EQ(m.call_id(), "abc");
  EXPECT_EQ(m.max_forwards(), 10u);
  EXPECT_EQ(m.header("x-custom-header"), "yes");
  EXPECT_EQ(m.header("Call-Id"), "abc");
  EXPECT_EQ(m.header("i"), "abc");
  EXPECT_EQ(m.header("Missing"), std::nullopt);
}

TEST(MessageTest, FoldedHeaderLinesAreUnfolded) {
  Message m = parse_ok(sip_text({"INVITE sip:bob@example.com SIP/2.0",
                                 "Via: SIP/2.0/UDP first.example.com;branch=z9hG4bK1,",
                                 "  SIP/2.0/UDP second.example.com;branch=z9hG4bK2",
                                 "Subject: I know you're there,", "\tpick up the phone", "To: <sip:bob@example.com>",
                                 "From: <sip:a@example.com>", "\t;tag=9", "Call-ID: fold", "CSeq:", " 8 INVITE"}));
  ASSERT_EQ(m.vias().size(), 2u);
  EXPECT_EQ(m.vias()[1].sent_by.host, "second.example.com");
  EXPECT_EQ(m.header("Subject"), "I know you're there,  \tpick up the phone");
  EXPECT_EQ(m.from().tag(), "9");
  EXPECT_EQ(m.cseq().number, 8u);
}

TEST(MessageTest, LinearWhitespaceInsideViaAndAroundColon) {
  Message m = parse_ok(sip_text({"INVITE sip:bob@example.com SIP/2.0",
                                 "Via  :  SIP / 2.0 / UDP  host.example.com : 5070 ; branch = z9hG4bKsp ; rport",
                                 "To: <sip:bob@example.com>", "From: <sip:a@example.com>;tag=1", "Call-ID: ws",
                                 "CSeq: 1    INVITE"}));
  const Via& via = m.vias()[0];
  EXPECT_EQ(via.transport, "UDP");
  EXPECT_EQ(via.sent_by.host, "host.example.com");
  EXPECT_EQ(via.sent_by.port, 5070);
  EXPECT_EQ(via.branch, "z9hG4bKsp");
  EXPECT_TRUE(via.rport);
}

TEST(MessageTest, MultipleViasWithRportAndReceivedInOrder) {
  Message m = parse_ok(sip_text({"SIP/2.0 200 OK",
                                 "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1;received=10.0.0.1;rport=5062, "
                                 "SIP/2.0/TCP [2001:db8::9]:5061;branch=z9hG4bKp2;rport",
                                 "v: SIP/2.0/UDP 192.0.2.7;branch=z9hG4bKp3;ttl=16;maddr=224.2.0.1",
                                 "To: <sip:b@example.com>;tag=2", "From: <sip:a@example.com>;tag=1", "Call-ID: vias",
                                 "CSeq: 1 INVITE"}));
  ASSERT_EQ(m.vias().size(), 3u);
  EXPECT_EQ(m.vias()[0].received, "10.0.0.1");
  EXPECT_TRUE(m.vias()[0].rport);
  EXPECT_EQ(m.vias()[0].rport_value, 5062);
  EXPECT_EQ(m.vias()[1].sent_by.kind, HostKind::kIPv6);
  EXPECT_EQ(m.vias()[1].sent_by.host, "2001:db8::9");
  EXPECT_EQ(m.vias()[1].sent_by.port, 5061);
  EXPECT_TRUE(m.vias()[1].rport);
  EXPECT_EQ(m.vias()[1].rport_value, 0);
  EXPECT_FALSE(m.vias()[2].rport);
  EXPECT_EQ(m.vias()[2].params.get("ttl"), "16");
  EXPECT_EQ(m.vias()[2].params.get("maddr"), "224.2.0.1");
}

TEST(MessageTest, QuotedDisplayNamesWithCommasDoNotSplitLists) {
  Message m = parse_ok(sip_text({"REGISTER sip:registrar.example.com SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKr",
                                 "To: \"Smith, John\" <sip:john@example.com>", "From: \"Smith, John\" <sip:john@example.com>;tag=3",
                                 "Call-ID: reg", "CSeq: 1 REGISTER",
                                 "Contact: \"Desk, \\\"main\\\" phone\" <sip:john@10.0.0.5;transport=tcp>;expires=600;q=0.7, "
                                 "<sip:a,b@10.0.0.6?Subject=x%2Cy>;q=1, sip:john@10.0.0.7;expires=30",
                                 "Expires: 3600"}));
  EXPECT_EQ(m.to().display_name, "Smith, John");
  ASSERT_EQ(m.contacts().size(), 3u);
  EXPECT_EQ(m.contacts()[0].display_name, "Desk, \\\"main\\\" phone");
  EXPECT_EQ(m.contacts()[0].uri.transport(), "tcp");
  EXPECT_EQ(m.contacts()[0].expires(), 600u);
  EXPECT_EQ(m.contacts()[0].q_thousandths(), 700);
  EXPECT_EQ(m.contacts()[1].uri.user, "a,b");
  EXPECT_EQ(m.contacts()[1].uri.headers.get("Subject"), "x%2Cy");
  EXPECT_EQ(m.contacts()[1].q_thousandths(), 1000);
  EXPECT_EQ(m.contacts()[2].uri.host(), "10.0.0.7");
  EXPECT_EQ(m.contacts()[2].expires(), 30u);  // addr-spec: ";expires" belongs to the header
  EXPECT_TRUE(m.contacts()[2].uri.params.empty());
  EXPECT_EQ(m.expires(), 3600u);
}

TEST(MessageTest, UnquotedDisplayNameTokens) {
  Message m = parse_ok(invite_text());
  EXPECT_EQ(m.from().display_name, "Alice");
  auto bad = Message::parse(sip_text({"BYE sip:b@h SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1",
                                      "To: Bob Smith <sip:b@h>", "From: Al;ice <sip:a@h>;tag=1", "Call-ID: x",
                                      "CSeq: 1 BYE"}));
  EXPECT_FALSE(bad.ok());
}

TEST(MessageTest, ContactWildcard) {
  Message m = parse_ok(sip_text({"REGISTER sip:example.com SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKw",
                                 "To: <sip:a@example.com>", "From: <sip:a@example.com>;tag=1", "Call-ID: w",
                                 "CSeq: 2 REGISTER", "Contact: *", "Expires: 0"}));
  EXPECT_TRUE(m.contact_wildcard());
  EXPECT_TRUE(m.contacts().empty());
  EXPECT_EQ(m.expires(), 0u);
  EXPECT_EQ(parse_error(sip_text({"REGISTER sip:example.com SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKw",
                                  "To: <sip:a@example.com>", "From: <sip:a@example.com>;tag=1", "Call-ID: w",
                                  "CSeq: 2 REGISTER", "Contact: *", "Contact: <sip:a@h>"})),
            "Malformed Contact header");
}

TEST(MessageTest, RouteAndRecordRouteLists) {
  Message m = parse_ok(sip_text({"BYE sip:bob@192.0.2.4 SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKb",
                                 "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>", "Route: <sip:p3.example.com;lr>",
                                 "Record-Route: <sip:rr.example.com;lr;ftag=x>", "To: <sip:b@h>;tag=2",
                                 "From: <sip:a@h>;tag=1", "Call-ID: r", "CSeq: 3 BYE"}));
  ASSERT_EQ(m.routes().size(), 3u);
  EXPECT_EQ(m.routes()[0].uri.host(), "p1.example.com");
  EXPECT_EQ(m.routes()[2].uri.host(), "p3.example.com");
  EXPECT_TRUE(m.routes()[1].uri.loose_route());
  ASSERT_EQ(m.record_routes().size(), 1u);
  EXPECT_EQ(m.record_routes()[0].uri.params.get("ftag"), "x");
  EXPECT_EQ(m.header_values("Route").size(), 2u);
}

TEST(MessageTest, CSeqMethodMustMatchRequestMethod) {
  std::string text = invite_text();
  text.replace(text.find("314159 INVITE"), 13, "314159 BYE");
  EXPECT_EQ(parse_error(text), "CSeq method does not match request method");
  text = invite_text();
  text.replace(text.find("314159 INVITE"), 13, "314159 invite");
  EXPECT_EQ(parse_error(text), "CSeq method does not match request method");
}

TEST(MessageTest, MalformedCSeq) {
  for (std::string_view cseq : {"CSeq: INVITE", "CSeq: 1", "CSeq: -1 INVITE", "CSeq: 2147483648 INVITE",
                                "CSeq: 1 INVITE extra", "CSeq: 1x INVITE"}) {
    EXPECT_EQ(parse_error(invite_text(cseq)), "Malformed CSeq header") << cseq;
  }
  std::string highest = invite_text();
  highest.replace(highest.find("314159"), 6, "2147483647");
  EXPECT_EQ(parse_ok(highest).cseq().number, 2147483647u);
}

TEST(MessageTest, MissingRequiredHeadersAreNamed) {
  struct Case {
    std::string_view dropped;
    std::string_view reason;
  };
  for (const Case& c : {Case{"Via:", "Missing Via header"}, Case{"To:", "Missing To header"},
                        Case{"From:", "Missing From header"}, Case{"Call-ID:", "Missing Call-ID header"},
                        Case{"CSeq:", "Missing CSeq header"}}) {
    std::string text = invite_text();
    std::size_t start = text.find(c.dropped);
    text.erase(start, text.find("\r\n", start) + 2 - start);
    EXPECT_EQ(parse_error(text), c.reason);
  }
}

TEST(MessageTest, MaxForwardsIsOptionalButValidated) {
  std::string text = invite_text("X-Filler: 1");
  EXPECT_EQ(parse_ok(text).max_forwards(), std::nullopt);
  EXPECT_EQ(parse_error(invite_text("Max-Forwards: 256")), "Malformed Max-Forwards header");
  EXPECT_EQ(parse_error(invite_text("Max-Forwards: ten")), "Malformed Max-Forwards header");
}

TEST(MessageTest, DuplicateSingletonHeadersAreRejected) {
  EXPECT_EQ(parse_error(invite_text("To: <sip:other@example.com>")), "Malformed To header");
  EXPECT_EQ(parse_error(invite_text("Call-ID: second")), "Malformed Call-ID header");
  EXPECT_EQ(parse_error(invite_text("CSeq: 314159 INVITE")), "Malformed CSeq header");
}

TEST(MessageTest, ContentLengthRules) {
  EXPECT_EQ(parse_error(invite_text("Content-Length: -1")), "Malformed Content-Length header");
  EXPECT_EQ(parse_error(invite_text("Content-Length: 99999999999999999999")), "Malformed Content-Length header");
  EXPECT_EQ(parse_error(invite_text("Content-Length: 70000")), "Malformed Content-Length header");
  EXPECT_EQ(parse_error(invite_text("Content-Length: 10")), "Body shorter than Content-Length");
  std::string with_body = invite_text("Content-Length: 4") + "v=0\r\nEXTRA";
  EXPECT_EQ(parse_ok(with_body).body(), "v=0\r");  // bytes beyond Content-Length are dropped on UDP
  EXPECT_EQ(parse_ok(invite_text() + "no length").body(), "no length");
  EXPECT_EQ(parse_error(invite_text() + "x", Framing::kStream), "Missing Content-Length header");
  EXPECT_EQ(parse_ok(invite_text("l: 1") + "x", Framing::kStream).body(), "x");
}

TEST(MessageTest, UnsupportedVersionIsDistinguishedFromGarbage) {
  std::string text = invite_text();
  text.replace(text.find("SIP/2.0"), 7, "SIP/7.0");
  EXPECT_EQ(parse_error(text), "Unsupported SIP version");
  text.replace(text.find("SIP/7.0"), 7, "HTTP/1.1");
  EXPECT_EQ(parse_error(text), "Malformed start line");
}

TEST(MessageTest, RequestLineMustBeExact) {
  for (std::string_view line : {"INVITE  sip:bob@example.com SIP/2.0", "INVITE sip:bob@example.com  SIP/2.0",
                                "INVITE sip:bob@example.com", "INV@TE sip:bob@example.com SIP/2.0",
                                "INVITE bob@example.com SIP/2.0", "INVITE sip:bob@example.com SIP/2.0 "}) {
    std::string text = invite_text();
    text.replace(0, text.find("\r\n"), line);
    EXPECT_FALSE(Message::parse(text).ok()) << line;
  }
}

TEST(MessageTest, UnknownMethodAndSchemeAreParsed) {
  std::string text = sip_text({"NEWMETHOD urn:service:sos SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKn",
                               "To: <urn:service:sos>", "From: <sip:a@h>;tag=1", "Call-ID: n", "CSeq: 1 NEWMETHOD"});
  Message m = parse_ok(text);
  EXPECT_EQ(m.method_id(), Method::kOther);
  EXPECT_EQ(m.request_uri().scheme, UriScheme::kOther);
}

TEST(MessageTest, LeadingCrlfsAreIgnored) {
  EXPECT_EQ(parse_ok("\r\n\r\n" + invite_text()).method(), "INVITE");
}

TEST(MessageTest, RejectsGarbageAndControlCharacters) {
  for (std::string garbage : {std::string(), std::string("\r\n\r\n"), std::string("hello"),
                              std::string("INVITE sip:a@b SIP/2.0\r\n"), std::string("\0\0\0\r\n\r\n", 7),
                              std::string(200, '\xff') + "\r\n\r\n", std::string("SIP/2.0\r\n\r\n"),
                              std::string(":\r\n\r\n")}) {
    EXPECT_FALSE(Message::parse(garbage).ok());
  }
  EXPECT_EQ(parse_error(invite_text("Subject: bad\rcr")), "Invalid character in message");
  EXPECT_EQ(parse_error(invite_text("Subject: bad\nlf")), "Invalid character in message");
  EXPECT_EQ(parse_error(invite_text("Bad Name: x")), "Malformed header name");
  EXPECT_EQ(parse_error(invite_text("NoColon")), "Malformed header line");
}

TEST(MessageTest, EnforcesLimits) {
  std::string big = invite_text("X-Big: " + std::string(70 * 1024, 'a'));
  EXPECT_EQ(parse_error(big), "Message too large");
  EXPECT_EQ(parse_error(invite_text("X-Long: " + std::string(9000, 'a'))), "Header too long");
  std::string many;
  for (int i = 0; i < 130; ++i) many += "X-H: 1\r\n";
  many.resize(many.size() - 2);
  EXPECT_EQ(parse_error(invite_text(many)), "Too many headers");
  std::string vias = "Via: ";
  for (int i = 0; i < 70; ++i) vias += "SIP/2.0/UDP h;branch=z9hG4bK" + std::to_string(i) + ",";
  vias.pop_back();
  EXPECT_EQ(parse_error(invite_text(vias)), "Malformed Via header");
}

TEST(MessageTest, MalformedViaValues) {
  for (std::string_view via : {"Via: SIP/2.0/UDP", "Via: SIP/2.0 host", "Via: SIP/3.0/UDP h", "Via: SIP/2.0/UDP h;rport=x",
                               "Via: SIP/2.0/UDP h:99999", "Via: SIP/2.0/UDP h;;branch=1", "Via: SIP/2.0/UDP h,,"}) {
    EXPECT_EQ(parse_error(invite_text(via)), "Malformed Via header") << via;
  }
}

TEST(MessageTest, CopiesAndMovesKeepViewsValid) {
  std::optional<Message> kept;
  {
    Message original = parse_ok(invite_text());
    Message copy = original;
    kept.emplace(std::move(original));
    EXPECT_EQ(copy.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  }
  EXPECT_EQ(kept->call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(kept->vias()[0].branch, "z9hG4bK776asdhds");
  EXPECT_EQ(kept->request_uri().host(), "biloxi.example.com");
}

}  // namespace
}  // namespace unicc::sip
