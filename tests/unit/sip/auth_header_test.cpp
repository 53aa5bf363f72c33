#include "sip/auth_header.h"

#include <gtest/gtest.h>

#include "sip/message.h"
#include "test_text.h"

namespace unicc::sip {
namespace {

TEST(AuthHeaderTest, ParsesDigestCredentials) {
  auto header = AuthHeader::parse(
      "Digest username=\"bob\", realm=\"biloxi.example.com\", nonce=\"dcd98b7102dd2f0e\", "
      "uri=\"sip:bob@biloxi.example.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
      "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9\", algorithm=MD5");
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->scheme, "Digest");
  EXPECT_EQ(header->params.size(), 10u);
  EXPECT_EQ(header->param("USERNAME"), "bob");
  EXPECT_EQ(header->param("uri"), "sip:bob@biloxi.example.com");
  EXPECT_EQ(header->param("qop"), "auth");
  EXPECT_EQ(header->param("nc"), "00000001");
  EXPECT_EQ(header->param("algorithm"), "MD5");
  EXPECT_EQ(header->param("stale"), std::nullopt);
}

TEST(AuthHeaderTest, UnescapesQuotedStringsAndKeepsCommasInside) {
  auto header = AuthHeader::parse("Digest realm=\"a \\\"quoted\\\" realm, with comma\" ,  qop=\"auth,auth-int\"");
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->param("realm"), "a \"quoted\" realm, with comma");
  EXPECT_EQ(header->param("qop"), "auth,auth-int");
}

TEST(AuthHeaderTest, ReadsChallengeAndCredentialsFromMessages) {
  auto challenge = Message::parse(testing::sip_text(
      {"SIP/2.0 401 Unauthorized", "Via: SIP/2.0/UDP h;branch=z9hG4bKa", "To: <sip:a@h>;tag=t",
       "From: <sip:a@h>;tag=f", "Call-ID: auth", "CSeq: 1 REGISTER",
       "WWW-Authenticate: Digest realm=\"h\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"",
       "WWW-Authenticate: Digest realm=\"h\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\""}));
  ASSERT_TRUE(challenge.ok());
  std::vector<std::string_view> values = challenge->header_values("www-authenticate");
  ASSERT_EQ(values.size(), 2u);
  auto sha = AuthHeader::parse(values[1]);
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(sha->param("nonce"), "n2");
  EXPECT_EQ(sha->param("algorithm"), "SHA-256");
}

TEST(AuthHeaderTest, RejectsMalformedValues) {
  for (std::string_view bad : {"", "Digest realm", "Digest realm=\"open", "Digest =x", "Digest a=b,,c=d",
                               "Digest a=b c", "Di\"gest a=b"}) {
    EXPECT_FALSE(AuthHeader::parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace unicc::sip
