#include "sip/digest.h"

#include <gtest/gtest.h>

#include "sip/test_text.h"

namespace unicc::sip {
namespace {

using testing::sip_text;
constexpr std::string_view kPhone = "192.0.2.50";

Message register_with(const std::string& authorization, const std::string& request_uri = "sip:127.0.0.1") {
  std::vector<std::string> lines = {"REGISTER " + request_uri + " SIP/2.0",
                                    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKd1",
                                    "From: <sip:1001@127.0.0.1>;tag=a",
                                    "To: <sip:1001@127.0.0.1>",
                                    "Call-ID: digest-1",
                                    "CSeq: 2 REGISTER",
                                    "Max-Forwards: 70"};
  if (!authorization.empty()) lines.push_back("Authorization: " + authorization);
  std::string text;
  for (const auto& line : lines) text += line + "\r\n";
  text += "Content-Length: 0\r\n\r\n";
  auto parsed = Message::parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().reason;
  return *parsed;
}

class DigestTest : public ::testing::Test {
 protected:
  // Answers our own challenge as a phone would.
  std::string answer(const std::string& challenge, const std::string& password, const std::string& user = "1001") {
    auto parsed = AuthHeader::parse(challenge);
    return *DigestAuthenticator::answer(*parsed, "REGISTER", "sip:127.0.0.1", user, password, "c0ffee");
  }

  core::FakeClock clock{1'795'000'000'000};
  DigestAuthenticator digest{"unicc", clock, {DigestAlgorithm::kMd5, DigestAlgorithm::kSha256},
                             std::chrono::seconds(300)};
  DigestAuthenticator::Ha1Lookup lookup = [](std::string_view user, DigestAlgorithm algorithm) {
    if (user != "1001") return std::optional<std::string>();
    return std::optional<std::string>(digest_ha1(algorithm, "1001", "unicc", "demo1001"));
  };
};

TEST_F(DigestTest, KnownHa1Values) {
  // H("user:realm:pass") computed independently.
  EXPECT_EQ(digest_ha1(DigestAlgorithm::kMd5, "user", "realm", "pass"), "8493fbc53ba582fb4c044c456bdc40eb");
  EXPECT_EQ(digest_ha1(DigestAlgorithm::kSha256, "user", "realm", "pass").size(), 64u);
}

TEST_F(DigestTest, ChallengesOfferTheConfiguredAlgorithmsInOrder) {
  auto challenges = digest.challenges();
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_NE(challenges[0].find("algorithm=MD5"), std::string::npos);
  EXPECT_NE(challenges[1].find("algorithm=SHA-256"), std::string::npos);
  EXPECT_NE(challenges[0].find("realm=\"unicc\""), std::string::npos);
  EXPECT_NE(challenges[0].find("qop=\"auth\""), std::string::npos);
  DigestAuthenticator md5_only("unicc", clock);
  ASSERT_EQ(md5_only.challenges().size(), 1u);
  EXPECT_NE(md5_only.challenges()[0].find("algorithm=MD5"), std::string::npos);
  DigestAuthenticator modern("unicc", clock, *parse_digest_algorithms("sha-256,md5"));
  EXPECT_NE(modern.challenges()[0].find("algorithm=SHA-256"), std::string::npos);
}

TEST(DigestAlgorithms, ParseTheConfiguredList) {
  EXPECT_EQ(parse_digest_algorithms("md5")->size(), 1u);
  EXPECT_EQ(parse_digest_algorithms("sha-256,md5")->front(), DigestAlgorithm::kSha256);
  EXPECT_FALSE(parse_digest_algorithms(""));
  EXPECT_FALSE(parse_digest_algorithms("md5,md5"));
  EXPECT_FALSE(parse_digest_algorithms("sha1"));
}

TEST_F(DigestTest, RightPasswordPassesWithEitherAlgorithm) {
  for (std::size_t algorithm = 0; algorithm < 2; ++algorithm) {
    const std::string challenge = digest.challenges()[algorithm];  // a fresh nonce for each
    auto outcome = digest.verify(register_with(answer(challenge, "demo1001")), kPhone, lookup);
    EXPECT_EQ(outcome.verdict, DigestAuthenticator::Verdict::kOk) << challenge;
    EXPECT_EQ(outcome.username, "1001");
  }
}

TEST_F(DigestTest, WrongPasswordUnknownUserAndMissingCredentials) {
  auto challenge = digest.challenges()[0];
  EXPECT_EQ(digest.verify(register_with(answer(challenge, "wrong")), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kWrong);
  EXPECT_EQ(digest.verify(register_with(answer(challenge, "demo1001", "9999")), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kUnknownUser);
  EXPECT_EQ(digest.verify(register_with(""), kPhone, lookup).verdict, DigestAuthenticator::Verdict::kMissing);
  // Credentials for another realm are not ours to judge.
  std::string other = answer(challenge, "demo1001");
  other.replace(other.find("realm=\"unicc\""), 13, "realm=\"other\"");
  EXPECT_EQ(digest.verify(register_with(other), kPhone, lookup).verdict, DigestAuthenticator::Verdict::kMissing);
}

TEST_F(DigestTest, OldOrForgedNoncesAreStale) {
  auto challenge = digest.challenges()[0];
  auto request = register_with(answer(challenge, "demo1001"));
  clock.advance(std::chrono::seconds(301));
  EXPECT_EQ(digest.verify(request, kPhone, lookup).verdict, DigestAuthenticator::Verdict::kStale);
  // A nonce from another server instance (e.g. before a restart) is stale, not wrong.
  DigestAuthenticator other("unicc", clock);
  auto foreign = register_with(answer(other.challenges()[0], "demo1001"));
  EXPECT_EQ(digest.verify(foreign, kPhone, lookup).verdict, DigestAuthenticator::Verdict::kStale);
}

// The attack: credentials sniffed from one request, sent again.
TEST_F(DigestTest, ReplayedCredentialsEarnOnlyAFreshChallenge) {
  const std::string credentials = answer(digest.challenges()[0], "demo1001");
  EXPECT_EQ(digest.verify(register_with(credentials), kPhone, lookup).verdict, DigestAuthenticator::Verdict::kOk);
  EXPECT_EQ(digest.verify(register_with(credentials), kPhone, lookup).verdict, DigestAuthenticator::Verdict::kStale);
  EXPECT_EQ(digest.verify(register_with(credentials), "198.51.100.9", lookup).verdict,
            DigestAuthenticator::Verdict::kStale);
}

// A phone may reuse a nonce as long as its nonce count goes up (RFC 7616 §3.4).
TEST_F(DigestTest, ANonceIsReusableOnlyWithAGrowingNonceCount) {
  const std::string first = answer(digest.challenges()[0], "demo1001");
  ASSERT_NE(first.find("nc=00000001"), std::string::npos);
  auto with_count = [&](const std::string& nc) {
    auto parsed = AuthHeader::parse(first);
    std::string nonce(*parsed->param("nonce"));
    std::string ha1 = digest_ha1(DigestAlgorithm::kMd5, "1001", "unicc", "demo1001");
    std::string ha2 = digest_ha1(DigestAlgorithm::kMd5, "REGISTER", "sip", "127.0.0.1");  // H(REGISTER:sip:127.0.0.1)
    std::string response = digest_ha1(DigestAlgorithm::kMd5, ha1, nonce, nc + ":c0ffee:auth:" + ha2);
    return "Digest username=\"1001\", realm=\"unicc\", nonce=\"" + nonce +
           "\", uri=\"sip:127.0.0.1\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=" + nc +
           ", cnonce=\"c0ffee\"";
  };
  EXPECT_EQ(digest.verify(register_with(with_count("00000001")), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kOk);
  EXPECT_EQ(digest.verify(register_with(with_count("00000002")), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kOk);
  EXPECT_EQ(digest.verify(register_with(with_count("00000002")), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kStale);
  EXPECT_EQ(digest.verify(register_with(with_count("00000001")), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kStale);
}

TEST_F(DigestTest, CredentialsMadeForAnotherRequestUriAreRefused) {
  const std::string credentials = answer(digest.challenges()[0], "demo1001");  // uri="sip:127.0.0.1"
  EXPECT_EQ(digest.verify(register_with(credentials, "sip:10.0.0.1"), kPhone, lookup).verdict,
            DigestAuthenticator::Verdict::kWrong);
  EXPECT_EQ(digest.verify(register_with(credentials), kPhone, lookup).verdict, DigestAuthenticator::Verdict::kOk);
}

TEST_F(DigestTest, ChallengesOfTheSameMillisecondHaveDifferentNonces) {
  auto nonce_of = [](const std::string& challenge) {
    return std::string(*AuthHeader::parse(challenge)->param("nonce"));
  };
  EXPECT_NE(nonce_of(digest.challenges()[0]), nonce_of(digest.challenges()[0]));
}

TEST_F(DigestTest, FailuresBanTheSourceAndABannedUserIsRefusedUnchecked) {
  BanList bans(clock, BanSettings{3, 5, std::chrono::seconds(60), std::chrono::seconds(30)});
  DigestAuthenticator guarded("unicc", clock, {DigestAlgorithm::kMd5}, std::chrono::seconds(300), &bans);
  auto attempt = [&](const std::string& password, std::string_view source) {
    return guarded.verify(register_with(answer(guarded.challenges()[0], password)), source, lookup).verdict;
  };
  EXPECT_EQ(attempt("demo1001", kPhone), DigestAuthenticator::Verdict::kOk);  // the real phone, before
  for (int i = 0; i < 2; ++i) EXPECT_EQ(attempt("guess", "203.0.113.7"), DigestAuthenticator::Verdict::kWrong);
  EXPECT_FALSE(bans.banned("203.0.113.7"));
  EXPECT_EQ(attempt("guess", "203.0.113.7"), DigestAuthenticator::Verdict::kWrong);
  EXPECT_TRUE(bans.banned("203.0.113.7"));
  // A distributed attack on the user: banned from everywhere but the phone's address.
  EXPECT_EQ(attempt("guess", "203.0.113.8"), DigestAuthenticator::Verdict::kWrong);
  EXPECT_EQ(attempt("guess", "203.0.113.9"), DigestAuthenticator::Verdict::kWrong);
  EXPECT_EQ(attempt("demo1001", "203.0.113.10"), DigestAuthenticator::Verdict::kBanned);
  EXPECT_EQ(attempt("demo1001", kPhone), DigestAuthenticator::Verdict::kOk);
  clock.advance(std::chrono::seconds(31));
  EXPECT_FALSE(bans.banned("203.0.113.7"));
  EXPECT_EQ(attempt("demo1001", "203.0.113.10"), DigestAuthenticator::Verdict::kOk);
}

TEST_F(DigestTest, AnswerWithoutQopUsesTheRfc2069Form) {
  auto challenge = AuthHeader::parse("Digest realm=\"unicc\", nonce=\"abc\"");
  auto value = DigestAuthenticator::answer(*challenge, "INVITE", "sip:1@x", "u", "p", "cn");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->find("qop"), std::string::npos);
  EXPECT_NE(value->find("algorithm=MD5"), std::string::npos);
  EXPECT_FALSE(DigestAuthenticator::answer(*AuthHeader::parse("Basic realm=\"x\""), "INVITE", "sip:1@x", "u", "p",
                                           "cn"));
}

}  // namespace
}  // namespace unicc::sip
