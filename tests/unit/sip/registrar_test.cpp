#include "sip/registrar.h"

#include <gtest/gtest.h>

namespace unicc::sip {
namespace {

class RegistrarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    accounts.replace({{"1001", "Ann", digest_ha1(DigestAlgorithm::kMd5, "1001", "unicc", "demo1001"),
                       digest_ha1(DigestAlgorithm::kSha256, "1001", "unicc", "demo1001")}});
  }

  // Sends a REGISTER; with `password`, first collects the 401 challenge and answers it.
  Message send(const std::string& user, const std::string& extra_headers, const std::string& password = "",
               std::uint32_t cseq = 1, const std::string& call_id = "reg-1") {
    std::string authorization;
    if (!password.empty()) {
      Message challenge = send(user, extra_headers, "", cseq, call_id);
      EXPECT_EQ(challenge.status_code(), 401);
      auto header = AuthHeader::parse(challenge.header_values("WWW-Authenticate").at(0));
      authorization = "Authorization: " +
                      *DigestAuthenticator::answer(*header, "REGISTER", "sip:127.0.0.1", user, password, "cn") +
                      "\r\n";
    }
    std::string text = "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK" +
                       std::to_string(++branch) + "\r\nFrom: <sip:" + user + "@127.0.0.1>;tag=f\r\nTo: <sip:" +
                       user + "@127.0.0.1>\r\nCall-ID: " + call_id + "\r\nCSeq: " + std::to_string(cseq) +
                       " REGISTER\r\nMax-Forwards: 70\r\n" + extra_headers + authorization +
                       "Content-Length: 0\r\n\r\n";
    auto request = Message::parse(text);
    EXPECT_TRUE(request.ok()) << request.error().reason;
    std::string reply;
    registrar.handle(*request, source, [&](std::string r) { reply = std::move(r); });
    auto response = Message::parse(reply);
    EXPECT_TRUE(response.ok()) << reply;
    return *response;
  }

  core::FakeClock clock{1'795'000'000'000};
  AccountDirectory accounts;
  LocationService locations;
  DigestAuthenticator digest{"unicc", clock};
  Registrar registrar{accounts, locations, digest, clock, RegistrarSettings{60, 3600, 3600}};
  Endpoint source{Transport::kUdp, "203.0.113.5", 40000, 0};
  int branch = 0;
};

TEST_F(RegistrarTest, ChallengeThenRegisterBindsTheSourceAddress) {
  Message ok = send("1001", "Contact: <sip:1001@10.0.0.5:5062>\r\nExpires: 600\r\n", "demo1001", 2);
  ASSERT_EQ(ok.status_code(), 200);
  ASSERT_EQ(ok.contacts().size(), 1u);
  EXPECT_EQ(ok.contacts()[0].expires(), 600u);
  auto bindings = locations.lookup("1001", clock.now_ms());
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].contact, "sip:1001@10.0.0.5:5062");
  EXPECT_EQ(bindings[0].source.address, "203.0.113.5");  // behind NAT: reach it where it sent from
  EXPECT_EQ(bindings[0].source.port, 40000);
}

TEST_F(RegistrarTest, WrongPasswordAndUnknownUserGetTheSame403) {
  EXPECT_EQ(send("1001", "Contact: <sip:1001@10.0.0.5>\r\n", "nope").status_code(), 403);
  accounts.replace({});
  EXPECT_EQ(send("1001", "Contact: <sip:1001@10.0.0.5>\r\n", "demo1001").status_code(), 403);
  EXPECT_TRUE(locations.lookup("1001", clock.now_ms()).empty());
}

TEST_F(RegistrarTest, ExpiryIsClampedAndTooBriefIsRefused) {
  Message brief = send("1001", "Contact: <sip:1001@10.0.0.5>;expires=10\r\n", "demo1001", 2);
  EXPECT_EQ(brief.status_code(), 423);
  EXPECT_EQ(brief.header("Min-Expires"), "60");
  Message clamped = send("1001", "Contact: <sip:1001@10.0.0.5>;expires=99999\r\n", "demo1001", 3);
  ASSERT_EQ(clamped.status_code(), 200);
  EXPECT_EQ(clamped.contacts()[0].expires(), 3600u);
  clock.advance(std::chrono::seconds(3601));
  EXPECT_TRUE(locations.lookup("1001", clock.now_ms()).empty());
}

TEST_F(RegistrarTest, SeveralContactsAndWildcardRemoval) {
  send("1001", "Contact: <sip:1001@10.0.0.5>\r\n", "demo1001", 2, "a");
  send("1001", "Contact: <sip:1001@10.0.0.6>\r\n", "demo1001", 2, "b");
  EXPECT_EQ(locations.lookup("1001", clock.now_ms()).size(), 2u);
  Message removed = send("1001", "Contact: *\r\nExpires: 0\r\n", "demo1001", 3, "a");
  EXPECT_EQ(removed.status_code(), 200);
  EXPECT_TRUE(locations.lookup("1001", clock.now_ms()).empty());
}

TEST_F(RegistrarTest, OneCannotRegisterSomeoneElsesExtension) {
  accounts.replace({{"1001", "", digest_ha1(DigestAlgorithm::kMd5, "1001", "unicc", "demo1001"), ""},
                    {"1002", "", digest_ha1(DigestAlgorithm::kMd5, "1002", "unicc", "demo1002"), ""}});
  // Credentials of 1001 on a REGISTER for 1002.
  Message challenge = send("1002", "Contact: <sip:x@10.0.0.5>\r\n");
  auto header = AuthHeader::parse(challenge.header_values("WWW-Authenticate").at(0));
  std::string auth = *DigestAuthenticator::answer(*header, "REGISTER", "sip:127.0.0.1", "1001", "demo1001", "c");
  Message refused = send("1002", "Contact: <sip:x@10.0.0.5>\r\nAuthorization: " + auth + "\r\n");
  EXPECT_EQ(refused.status_code(), 403);
}

TEST_F(RegistrarTest, ReplayedOlderCSeqIsRefused) {
  send("1001", "Contact: <sip:1001@10.0.0.5>\r\n", "demo1001", 5, "same");
  EXPECT_EQ(send("1001", "Contact: <sip:1001@10.0.0.5>\r\n", "demo1001", 4, "same").status_code(), 500);
}

}  // namespace
}  // namespace unicc::sip
