#include "sip/uri.h"

#include <gtest/gtest.h>

namespace unicc::sip {
namespace {

Uri parse_uri_ok(std::string_view text) {
  auto uri = Uri::parse(text);
  EXPECT_TRUE(uri.ok()) << text << ": " << (uri.ok() ? "" : uri.error().reason);
  return uri.ok() ? *uri : Uri{};
}

bool same(std::string_view a, std::string_view b) { return equivalent(parse_uri_ok(a), parse_uri_ok(b)); }

TEST(UriTest, ParsesAllSipComponents) {
  Uri uri = parse_uri_ok("sips:alice:secret@Example.COM:5061;transport=tcp;lr?Subject=hi&Priority=urgent");
  EXPECT_EQ(uri.scheme, UriScheme::kSips);
  EXPECT_EQ(uri.user, "alice");
  EXPECT_EQ(uri.password, "secret");
  EXPECT_EQ(uri.host(), "Example.COM");
  EXPECT_EQ(uri.host_port.kind, HostKind::kName);
  EXPECT_EQ(uri.port(), 5061);
  EXPECT_EQ(uri.transport(), "tcp");
  EXPECT_TRUE(uri.loose_route());
  EXPECT_EQ(uri.headers.get("subject"), "hi");
  EXPECT_EQ(uri.headers.get("Priority"), "urgent");
}

TEST(UriTest, HostOnlyUriHasNoUserAndNoPort) {
  Uri uri = parse_uri_ok("sip:proxy.example.net");
  EXPECT_TRUE(uri.user.empty());
  EXPECT_EQ(uri.host(), "proxy.example.net");
  EXPECT_EQ(uri.port(), 0);
  EXPECT_FALSE(uri.loose_route());
}

TEST(UriTest, DecodesEscapedUserOnDemand) {
  Uri uri = parse_uri_ok("sip:%61lice%20smith@example.com");
  EXPECT_EQ(uri.user, "%61lice%20smith");
  EXPECT_EQ(uri.user_decoded(), "alice smith");
}

TEST(UriTest, TelephoneSubscriberUserWithSemicolonParams) {
  Uri uri = parse_uri_ok("sip:+1-212-555-1212:1234@gateway.example.com;user=phone");
  EXPECT_EQ(uri.user, "+1-212-555-1212");
  EXPECT_EQ(uri.password, "1234");
  EXPECT_EQ(uri.user_param(), "phone");
}

TEST(UriTest, Ipv4AndIpv6Hosts) {
  Uri v4 = parse_uri_ok("sip:bob@192.0.2.4:5070");
  EXPECT_EQ(v4.host_port.kind, HostKind::kIPv4);
  EXPECT_EQ(v4.host(), "192.0.2.4");
  EXPECT_EQ(v4.port(), 5070);

  Uri v6 = parse_uri_ok("sip:bob@[2001:db8::10]:5060;maddr=[2001:db8::1]");
  EXPECT_EQ(v6.host_port.kind, HostKind::kIPv6);
  EXPECT_EQ(v6.host(), "2001:db8::10");
  EXPECT_EQ(v6.port(), 5060);
  EXPECT_EQ(v6.maddr(), "[2001:db8::1]");
  EXPECT_EQ(v6.to_string(), "sip:bob@[2001:db8::10]:5060;maddr=[2001:db8::1]");
}

TEST(UriTest, TelUri) {
  Uri uri = parse_uri_ok("tel:+358-555-1234567;phone-context=example.com");
  EXPECT_EQ(uri.scheme, UriScheme::kTel);
  EXPECT_EQ(uri.user, "+358-555-1234567");
  EXPECT_EQ(uri.params.get("phone-context"), "example.com");
  EXPECT_EQ(uri.to_string(), "tel:+358-555-1234567;phone-context=example.com");
}

TEST(UriTest, OtherSchemesKeepRawTextOnly) {
  Uri uri = parse_uri_ok("urn:service:sos");
  EXPECT_EQ(uri.scheme, UriScheme::kOther);
  EXPECT_EQ(uri.to_string(), "urn:service:sos");
}

TEST(UriTest, RejectsMalformedUris) {
  for (std::string_view bad :
       {"", "sip:", "sip:alice@", "alice@example.com", "sip:alice@exa mple.com", "sip:host:0",
        "sip:host:65536", "sip:host:12x", "sip:[::1", "sip:[zz::1]", "sip:999.1.1.1",
        "sip:1.2.3", "sip:host;", "sip:host;a=b;;c", "sip:host?", "sip:al\"ice@host",
        "sip:host;p=%4", "1sip:host", "urn:"}) {
    EXPECT_FALSE(Uri::parse(bad).ok()) << bad;
  }
}

TEST(UriTest, SerializationRoundTrips) {
  for (std::string_view text :
       {"sip:alice@example.com", "sips:alice:pw@example.com:5061;transport=tls?h=v",
        "sip:%61lice@[::1]:5062;lr;ob", "sip:10.0.0.1"}) {
    EXPECT_EQ(parse_uri_ok(text).to_string(), text);
  }
}

TEST(UriTest, EquivalenceFollowsRfc3261Rules) {
  EXPECT_TRUE(same("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(same("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(same("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(same("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                   "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_FALSE(same("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(same("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(same("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(same("sip:alice@example.com", "sips:alice@example.com"));
  EXPECT_FALSE(same("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
}

}  // namespace
}  // namespace unicc::sip
