#include "sip/auth_header.h"

#include <gtest/gtest.h>

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

TEST(AuthHeaderTest, RejectsMalformedValues) {
  for (std::string_view bad : {"", "Digest realm", "Digest realm=\"open", "Digest =x", "Digest a=b,,c=d",
                               "Digest a=b c", "Di\"gest a=b"}) {
    EXPECT_FALSE(AuthHeader::parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace unicc::sip
