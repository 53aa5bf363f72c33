#include "sip/front.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "test_text.h"
#include "transaction_fakes.h"

namespace unicc::sip {
namespace {

using testing::parse_ok;
using testing::sip_text;

const Endpoint kPhone{Transport::kUdp, "192.0.2.10", 5070};

// Holds one dialog and records what the front hands it.
class RecordingHandler final : public DialogHandler {
 public:
  RecordingHandler() {
    known.call_id = "known";
    known.local_tag = "ours";
    known.remote_tag = "theirs";
    known.next_hop = kPhone;
  }
  const Dialog* dialog(std::string_view call_id) const override { return call_id == known.call_id ? &known : nullptr; }
  void on_new_dialog(ServerTransactionId, const Message& invite, const Endpoint&) override {
    log.push_back("new " + std::string(invite.call_id()));
  }
  void on_in_dialog(ServerTransactionId, const Message& request, const Endpoint&) override {
    log.push_back(std::string(request.method()) + " " + std::string(request.call_id()));
  }
  void on_ack(const Message& ack) override { log.push_back("ACK " + std::string(ack.call_id())); }
  void on_cancel(ServerTransactionId) override { log.push_back("CANCEL"); }
  void on_stray_response(const Message& response, const Endpoint&) override {
    log.push_back("stray " + std::string(response.cseq().method));
  }
  void on_server_transaction_failed(ServerTransactionId) override {}

  Dialog known;
  std::vector<std::string> log;
};

class FrontTest : public ::testing::Test {
 protected:
  FrontTest() { front.attach(handler); }

  void receive(std::string_view method, std::string_view call_id, std::string_view to_tag,
               const Endpoint& from = kPhone) {
    std::string to = "To: <sip:1001@example>";
    if (!to_tag.empty()) to += ";tag=" + std::string(to_tag);
    front.receive(parse_ok(sip_text({std::string(method) + " sip:1001@192.0.2.1 SIP/2.0",
                                     "Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK" + std::to_string(++branch_),
                                     "From: <sip:1000@example>;tag=theirs", to, "Call-ID: " + std::string(call_id),
                                     "CSeq: 1 " + std::string(method), "Content-Length: 0"})),
                  from);
  }
  std::string last_status() const { return sender.sent().back().bytes.substr(0, 11); }

  testing::FakeTimerService timers;
  testing::RecordingSender sender;
  core::FakeClock clock;
  AccountDirectory accounts;
  LocationService locations;
  DigestAuthenticator digest{"unicc.test", clock};
  std::vector<core::TrunkConfig> trunks;
  TrunkRegistrations trunk_registrations{trunks, sender, timers, clock};
  Front front{FrontParts{sender, timers, clock, accounts, locations, digest, trunk_registrations}, {}};
  RecordingHandler handler;
  int branch_ = 0;
};

TEST_F(FrontTest, AnswersRegisterAndOptionsItselfAndRefusesOtherRequestsOutsideADialog) {
  receive("REGISTER", "reg", "");
  EXPECT_EQ(last_status(), "SIP/2.0 401");  // the registrar's challenge
  receive("OPTIONS", "probe", "");
  EXPECT_EQ(last_status(), "SIP/2.0 200");
  EXPECT_NE(sender.sent().back().bytes.find("Allow: INVITE"), std::string::npos);
  receive("MESSAGE", "chat", "");
  EXPECT_EQ(last_status(), "SIP/2.0 405");
  EXPECT_TRUE(handler.log.empty());
}

TEST_F(FrontTest, HandsNewInvitesAndMatchingInDialogRequestsToTheHandler) {
  receive("INVITE", "fresh", "");
  receive("BYE", "known", "ours");
  receive("INFO", "known", "ours");
  receive("ACK", "known", "ours");
  EXPECT_EQ(handler.log, (std::vector<std::string>{"new fresh", "BYE known", "INFO known", "ACK known"}));
}

TEST_F(FrontTest, InDialogRequestsThatMatchNoDialogGet481AndNeverReachTheHandler) {
  receive("BYE", "unknown", "ours");
  EXPECT_EQ(last_status(), "SIP/2.0 481");
  receive("BYE", "known", "guessed");
  EXPECT_EQ(last_status(), "SIP/2.0 481");
  receive("INVITE", "known", "ours", Endpoint{Transport::kUdp, "192.0.2.66", 5070});
  EXPECT_EQ(last_status(), "SIP/2.0 481");
  receive("BYE", "known", "");  // no To tag: not in any dialog
  EXPECT_EQ(last_status(), "SIP/2.0 481");
  const std::size_t answered = sender.sent().size();
  receive("ACK", "known", "guessed");  // an ACK is never answered
  EXPECT_EQ(sender.sent().size(), answered);
  EXPECT_TRUE(handler.log.empty());
}

TEST_F(FrontTest, ResponsesToRegisterAreTheTrunkRegistrationsNotTheHandlers) {
  front.receive(parse_ok(sip_text({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKr1",
                                   "From: <sip:unicc@example>;tag=a", "To: <sip:unicc@example>;tag=b",
                                   "Call-ID: r", "CSeq: 1 REGISTER", "Content-Length: 0"})),
                kPhone);
  front.receive(parse_ok(sip_text({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKi1",
                                   "From: <sip:unicc@example>;tag=a", "To: <sip:1001@example>;tag=b",
                                   "Call-ID: i", "CSeq: 1 INVITE", "Content-Length: 0"})),
                kPhone);
  EXPECT_EQ(handler.log, (std::vector<std::string>{"stray INVITE"}));
}

}  // namespace
}  // namespace unicc::sip
