#include "sip/registration_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "sip/auth_header.h"
#include "sip/builder.h"
#include "sip/digest.h"
#include "sip/transaction_fakes.h"

namespace unicc::sip {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeTimerService;
using testing::RecordingSender;
using Header = std::pair<std::string, std::string>;

constexpr std::int64_t kEpochMs = 1'795'000'000'000;

// The wall clock of the fake timers, so state timestamps and timers agree. With
// `ticking`, every read is a millisecond later than the one before, as on a loaded
// machine.
class TimerClock final : public core::Clock {
 public:
  explicit TimerClock(const FakeTimerService& timers) : timers_(timers) {}
  std::int64_t now_ms() const override { return kEpochMs + timers_.now().count() + (ticking ? reads_++ : 0); }
  bool ticking = false;
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point(timers_.now());
  }

 private:
  const FakeTimerService& timers_;
  mutable std::int64_t reads_ = 0;
};

// The client only sends requests; nothing reaches a server transaction here.
class NoServerRequests final : public TransactionUser {
 public:
  void on_request(ServerTransactionId, const Message&, const Endpoint&) override { ADD_FAILURE(); }
  void on_ack(const Message&, const Endpoint&) override { ADD_FAILURE(); }
  void on_cancel(ServerTransactionId, const Message&) override { ADD_FAILURE(); }
  void on_stray_response(const Message&, const Endpoint&) override {}
  void on_server_transaction_failed(ServerTransactionId) override { ADD_FAILURE(); }
};

Message parse(std::string text) {
  auto message = Message::parse(std::move(text));
  EXPECT_TRUE(message.ok()) << (message.ok() ? "" : message.error().reason);
  if (!message.ok()) std::abort();
  return std::move(message).value();
}

struct SentRegister {
  milliseconds at;
  Message message;
};

class RegistrationClientTest : public ::testing::Test {
 protected:
  RegistrationClientTest() {
    settings.name = "carrier";
    settings.registrar = registrar;
    settings.user = "4930123";
    settings.auth_user = "acct77";
    settings.password = "s3cret";
    settings.contact_user = "4930123";
    settings.local_address = "198.51.100.7";
    settings.local_port = 5070;
    settings.expires = seconds(3600);
  }

  RegistrationClient& start() {
    client = std::make_unique<RegistrationClient>(transactions, timers, clock, settings,
                                                  [this](const RegistrationState& state) { reports.push_back(state); });
    client->start();
    return *client;
  }

  // The first transmission of every REGISTER (retransmissions repeat a CSeq).
  std::vector<SentRegister> registers() const {
    std::vector<SentRegister> out;
    for (const auto& sent : sender.sent()) {
      Message message = parse(sent.bytes);
      if (!out.empty() && out.back().message.cseq().number == message.cseq().number) continue;
      out.push_back({sent.at, message});
    }
    return out;
  }

  Message last() const { return registers().back().message; }

  // The carrier answers the latest REGISTER.
  void reply(int code, const std::vector<Header>& headers = {}) {
    MessageBuilder response = response_to(last(), code, {}, "carrier-tag");
    for (const auto& [name, value] : headers) response.add(name, value);
    transactions.receive(parse(response.finish()), registrar);
  }

  void challenge(int code = 401, bool stale = false) {
    std::vector<Header> headers;
    for (const auto& value : carrier.challenges(stale)) {
      headers.emplace_back(code == 407 ? "Proxy-Authenticate" : "WWW-Authenticate", value);
    }
    reply(code, headers);
  }

  void grant(int seconds_granted) {
    reply(200, {{"Contact", "<sip:4930123@198.51.100.7:5070>;expires=" + std::to_string(seconds_granted)}});
  }

  // As the carrier's registrar checks it (sip::Registrar does the same).
  DigestAuthenticator::Verdict verify(const Message& request, std::string_view header = "Authorization") {
    auto lookup = [](std::string_view user, DigestAlgorithm algorithm) -> std::optional<std::string> {
      if (user != "acct77") return std::nullopt;
      return digest_ha1(algorithm, "acct77", "carrier.example", "s3cret");
    };
    return carrier.verify(request, "192.0.2.1", lookup, header).verdict;
  }

  Endpoint registrar{Transport::kUdp, "192.0.2.10", 5080, 0};
  FakeTimerService timers;
  TimerClock clock{timers};
  RecordingSender sender{&timers};
  NoServerRequests user;
  TransactionLayer transactions{sender, timers, user};
  DigestAuthenticator carrier{"carrier.example", clock};
  RegistrationSettings settings;
  std::vector<RegistrationState> reports;
  std::unique_ptr<RegistrationClient> client;
};

TEST_F(RegistrationClientTest, FirstRegisterNamesTheAccountAndOurContact) {
  start();
  ASSERT_EQ(sender.sent().size(), 1u);
  EXPECT_EQ(sender.last().to, registrar);
  Message request = last();
  EXPECT_EQ(request.method(), "REGISTER");
  EXPECT_EQ(request.request_uri().raw, "sip:192.0.2.10:5080");
  EXPECT_EQ(request.from().uri.raw, "sip:4930123@192.0.2.10");
  EXPECT_FALSE(request.from().tag().empty());
  EXPECT_EQ(request.to().uri.raw, "sip:4930123@192.0.2.10");
  EXPECT_TRUE(request.to().tag().empty());
  ASSERT_EQ(request.contacts().size(), 1u);
  EXPECT_EQ(request.contacts()[0].uri.raw, "sip:4930123@198.51.100.7:5070");
  EXPECT_EQ(request.expires(), 3600u);
  EXPECT_EQ(request.cseq().number, 1u);
  const Via& via = request.vias().front();
  EXPECT_EQ(via.transport, "UDP");
  EXPECT_EQ(via.sent_by.host, "198.51.100.7");
  EXPECT_EQ(via.sent_by.port, 5070);
  EXPECT_TRUE(via.rport);
  EXPECT_TRUE(via.branch.starts_with("z9hG4bK"));
  EXPECT_FALSE(request.header("Authorization"));
  EXPECT_EQ(client->state().status, RegistrationStatus::kRegistering);
}

TEST_F(RegistrationClientTest, TcpTrunkAdvertisesTcpInViaAndContact) {
  settings.registrar.transport = Transport::kTcp;
  start();
  Message request = last();
  EXPECT_EQ(request.vias().front().transport, "TCP");
  EXPECT_EQ(request.contacts()[0].uri.transport(), "tcp");
}

TEST_F(RegistrationClientTest, ChallengeIsAnsweredWithDigestTheRegistrarAccepts) {
  start();
  Message first = last();
  challenge();
  ASSERT_EQ(registers().size(), 2u);
  Message answered = last();
  EXPECT_EQ(verify(answered), DigestAuthenticator::Verdict::kOk);
  auto credentials = AuthHeader::parse(*answered.header("Authorization"));
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->param("uri"), "sip:192.0.2.10:5080");
  EXPECT_EQ(credentials->param("qop"), "auth");
  EXPECT_EQ(answered.call_id(), first.call_id());
  EXPECT_EQ(answered.from().tag(), first.from().tag());
  EXPECT_EQ(answered.cseq().number, 2u);
  EXPECT_NE(answered.vias().front().branch, first.vias().front().branch);

  grant(600);
  const RegistrationState& state = client->state();
  EXPECT_EQ(state.status, RegistrationStatus::kRegistered);
  EXPECT_EQ(state.last_code, 200);
  EXPECT_EQ(state.expires_at_ms, kEpochMs + 600'000);
  EXPECT_EQ(reports.back().status, RegistrationStatus::kRegistered);
}

TEST_F(RegistrationClientTest, TheExpiryIsTheGrantAfterTheResponseToTheMillisecond) {
  clock.ticking = true;
  start();
  challenge(401);
  grant(600);
  const RegistrationState& state = client->state();
  EXPECT_EQ(state.expires_at_ms - state.last_response_ms, 600'000);
}

TEST_F(RegistrationClientTest, ProxyChallengeIsAnsweredWithProxyAuthorization) {
  start();
  challenge(407);
  Message answered = last();
  EXPECT_FALSE(answered.header("Authorization"));
  EXPECT_EQ(verify(answered, "Proxy-Authorization"), DigestAuthenticator::Verdict::kOk);
}

TEST_F(RegistrationClientTest, RefusedCredentialsFailInsteadOfLooping) {
  start();
  challenge();
  challenge();  // a fresh, non-stale challenge: the password is wrong
  EXPECT_EQ(registers().size(), 2u);
  EXPECT_EQ(client->state().status, RegistrationStatus::kFailed);
  EXPECT_EQ(client->state().last_code, 401);
}

TEST_F(RegistrationClientTest, StaleNonceIsAnsweredAgain) {
  start();
  challenge();
  challenge(401, true);
  ASSERT_EQ(registers().size(), 3u);
  EXPECT_EQ(verify(last()), DigestAuthenticator::Verdict::kOk);
}

TEST_F(RegistrationClientTest, RefreshComesBeforeTheGrantedExpiryWithTheSameCallId) {
  start();
  grant(600);  // refreshed at 90 % = 540 s (sooner than 30 s before the end)
  EXPECT_EQ(client->state().next_attempt_ms, kEpochMs + 540'000);
  timers.advance(milliseconds(539'999));
  EXPECT_EQ(registers().size(), 1u);
  timers.advance(milliseconds(1));
  auto sent = registers();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].at, milliseconds(540'000));
  EXPECT_EQ(sent[1].message.call_id(), sent[0].message.call_id());
  EXPECT_EQ(sent[1].message.cseq().number, 2u);
  EXPECT_EQ(sent[1].message.expires(), 3600u);
  EXPECT_EQ(client->state().status, RegistrationStatus::kRegistered);  // no flapping while refreshing
}

TEST_F(RegistrationClientTest, BindingsUnderFiveMinutesAreRefreshedThirtySecondsBeforeTheEnd) {
  start();
  grant(200);  // 30 s before the end (170 s) comes before 90 % (180 s)
  timers.advance(seconds(169));
  EXPECT_EQ(registers().size(), 1u);
  timers.advance(seconds(1));
  EXPECT_EQ(registers().size(), 2u);
}

TEST_F(RegistrationClientTest, ShortBindingsAreRefreshedAtHalfTime) {
  start();
  grant(20);
  timers.advance(milliseconds(9'999));
  EXPECT_EQ(registers().size(), 1u);
  timers.advance(milliseconds(1));
  EXPECT_EQ(registers().size(), 2u);
}

TEST_F(RegistrationClientTest, ExpiresHeaderCountsWhenOurContactIsNotListed) {
  start();
  reply(200, {{"Expires", "120"}});
  EXPECT_EQ(client->state().expires_at_ms, kEpochMs + 120'000);
  EXPECT_EQ(client->state().next_attempt_ms, kEpochMs + 90'000);
}

TEST_F(RegistrationClientTest, IntervalTooBriefAdoptsMinExpiresForEveryLaterRegister) {
  start();
  reply(423, {{"Min-Expires", "7200"}});
  ASSERT_EQ(registers().size(), 2u);
  EXPECT_EQ(last().expires(), 7200u);
  EXPECT_EQ(registers()[1].at, milliseconds(0));  // at once, not after a back-off
  grant(7200);
  timers.advance(seconds(6480));  // the refresh, at 90 %
  ASSERT_EQ(registers().size(), 3u);
  EXPECT_EQ(last().expires(), 7200u);
}

TEST_F(RegistrationClientTest, IntervalTooBriefWithoutALongerMinimumFails) {
  start();
  reply(423, {{"Min-Expires", "60"}});
  EXPECT_EQ(registers().size(), 1u);
  EXPECT_EQ(client->state().status, RegistrationStatus::kFailed);
  EXPECT_EQ(client->state().last_code, 423);
}

TEST_F(RegistrationClientTest, FailuresAreRetriedWithDoublingBackOffUpToFiveMinutes) {
  start();
  std::vector<seconds> waits;
  for (int i = 0; i < 6; ++i) {
    reply(503);
    EXPECT_EQ(client->state().status, RegistrationStatus::kFailed);
    EXPECT_EQ(client->state().last_code, 503);
    milliseconds failed_at = timers.now();
    std::size_t before = registers().size();
    for (int waited = 0; waited < 400 && registers().size() == before; ++waited) timers.advance(seconds(1));
    waits.push_back(std::chrono::duration_cast<seconds>(registers().back().at - failed_at));
  }
  EXPECT_EQ(waits, (std::vector<seconds>{seconds(30), seconds(60), seconds(120), seconds(240), seconds(300),
                                         seconds(300)}));
}

TEST_F(RegistrationClientTest, SuccessResetsTheBackOff) {
  start();
  reply(503);
  timers.advance(seconds(30));
  reply(503);
  timers.advance(seconds(60));
  grant(600);
  timers.advance(seconds(540));  // the refresh
  reply(503);
  EXPECT_EQ(client->state().next_attempt_ms, clock.now_ms() + 30'000);
}

TEST_F(RegistrationClientTest, NoAnswerCountsAs408AndIsRetried) {
  start();
  timers.advance(seconds(32));  // timer F: 64 × T1
  EXPECT_EQ(client->state().status, RegistrationStatus::kFailed);
  EXPECT_EQ(client->state().last_code, 408);
  std::size_t before = registers().size();
  timers.advance(seconds(30));
  EXPECT_EQ(registers().size(), before + 1);
}

TEST_F(RegistrationClientTest, StopUnregistersWithExpiresZeroAndAnswersTheChallenge) {
  start();
  grant(600);
  bool stopped = false;
  client->stop([&] { stopped = true; });
  Message removal = last();
  EXPECT_EQ(removal.expires(), 0u);
  EXPECT_EQ(removal.contacts()[0].uri.raw, "sip:4930123@198.51.100.7:5070");
  EXPECT_EQ(removal.call_id(), registers()[0].message.call_id());
  EXPECT_FALSE(stopped);
  challenge();
  EXPECT_EQ(last().expires(), 0u);
  EXPECT_EQ(verify(last()), DigestAuthenticator::Verdict::kOk);
  reply(200);
  EXPECT_TRUE(stopped);
  EXPECT_EQ(client->state().status, RegistrationStatus::kUnregistered);
  std::size_t sent = registers().size();
  timers.advance(seconds(3600));  // the refresh timer went with the registration
  EXPECT_EQ(registers().size(), sent);
}

TEST_F(RegistrationClientTest, StopWithoutABindingSendsNothing) {
  start();
  reply(403);
  bool stopped = false;
  client->stop([&] { stopped = true; });
  EXPECT_TRUE(stopped);
  EXPECT_EQ(registers().size(), 1u);
  EXPECT_EQ(client->state().status, RegistrationStatus::kUnregistered);
  EXPECT_EQ(client->state().last_code, 403);
  timers.advance(seconds(600));  // the retry went too
  EXPECT_EQ(registers().size(), 1u);
}

TEST_F(RegistrationClientTest, StopGivesUpWhenTheRegistrarIsSilent) {
  start();
  grant(600);
  bool stopped = false;
  client->stop([&] { stopped = true; });
  timers.advance(seconds(32));
  EXPECT_TRUE(stopped);
  EXPECT_EQ(client->state().last_code, 408);
}

TEST_F(RegistrationClientTest, AnswersToADestroyedClientAreIgnored) {
  start();
  Message pending = last();
  client.reset();
  transactions.receive(parse(response_to(pending, 200, {}, "t").finish()), registrar);
  timers.advance(seconds(3600));
  EXPECT_EQ(registers().size(), 1u);
}

}  // namespace
}  // namespace unicc::sip
