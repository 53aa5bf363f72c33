#include "sip/transaction.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/builder.h"
#include "test_text.h"
#include "transaction_fakes.h"

namespace unicc::sip {
namespace {

using std::chrono::milliseconds;
using testing::FakeTimerService;
using testing::RecordingSender;
using testing::sip_text;
using Times = std::vector<milliseconds>;

constexpr milliseconds kT1{500};
constexpr milliseconds kT4{5000};
constexpr milliseconds k64T1 = 64 * kT1;

Message parse(std::string text) {
  auto message = Message::parse(std::move(text));
  EXPECT_TRUE(message.ok()) << (message.ok() ? "" : message.error().reason);
  if (!message.ok()) std::abort();
  return std::move(message).value();
}

class RecordingUser : public TransactionUser {
 public:
  struct Request {
    ServerTransactionId id;
    Message message;
    Endpoint from;
  };

  void on_request(ServerTransactionId id, const Message& request, const Endpoint& from) override {
    requests.push_back({id, request, from});
  }
  void on_ack(const Message& ack, const Endpoint&) override { acks.push_back(ack); }
  void on_cancel(ServerTransactionId invite, const Message&) override { cancelled.push_back(invite); }
  void on_stray_response(const Message& response, const Endpoint&) override { strays.push_back(response); }
  void on_server_transaction_failed(ServerTransactionId id) override { failed.push_back(id); }

  std::vector<Request> requests;
  std::vector<Message> acks;
  std::vector<ServerTransactionId> cancelled;
  std::vector<Message> strays;
  std::vector<ServerTransactionId> failed;
};

// What one client transaction reported to its TU.
struct ClientOutcome {
  std::vector<int> statuses;
  int timeouts = 0;

  ClientCallbacks callbacks() {
    return {[this](const Message& response) { statuses.push_back(response.status_code()); }, [this] { ++timeouts; }};
  }
};

// A request from the phone at 192.0.2.10:5062 (UDP, with rport).
std::string phone_request(std::string_view method, std::string_view branch,
                          std::string_view to = "<sip:100@pbx.example.com>",
                          std::string_view via_host = "192.0.2.10:5062;rport") {
  return sip_text({std::string(method) + " sip:100@pbx.example.com SIP/2.0",
                   "Via: SIP/2.0/UDP " + std::string(via_host) + ";branch=" + std::string(branch), "Max-Forwards: 70",
                   "From: <sip:alice@example.com>;tag=a1", "To: " + std::string(to), "Call-ID: call-1",
                   "CSeq: 1 " + std::string(method)});
}

// A request we send to the trunk, through two proxies.
std::string outgoing_request(std::string_view method, std::string_view branch = "z9hG4bKout1") {
  return sip_text({std::string(method) + " sip:bob@example.net SIP/2.0",
                   "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=" + std::string(branch) + ";rport", "Max-Forwards: 69",
                   "Route: <sip:proxy1.example.net;lr>", "Route: <sip:proxy2.example.net;lr>",
                   "From: \"PBX\" <sip:pbx@example.com>;tag=p1", "To: <sip:bob@example.net>", "Call-ID: out-1",
                   "CSeq: 10 " + std::string(method), "Contact: <sip:pbx@203.0.113.1>", "Content-Type: application/sdp",
                   "Content-Length: 4"},
                  "v=0\n");
}

Message reply_to(const std::string& request, int status, std::string_view to_tag = "b2") {
  return parse(response_to(parse(request), status, {}, to_tag).finish());
}

// Differences between consecutive send times.
Times gaps(const Times& times) {
  Times result;
  for (std::size_t i = 1; i < times.size(); ++i) result.push_back(times[i] - times[i - 1]);
  return result;
}

class TransactionTest : public ::testing::Test {
 protected:
  void from_phone(const std::string& text) { layer.receive(parse(text), phone); }
  void from_trunk(const Message& response) { layer.receive(response, trunk); }

  // Delivers an INVITE from the phone and returns the server transaction the TU got.
  ServerTransactionId incoming_invite(std::string_view branch = "z9hG4bKinv1") {
    from_phone(phone_request("INVITE", branch));
    EXPECT_FALSE(user.requests.empty());
    return user.requests.back().id;
  }

  void answer(ServerTransactionId id, int status, std::string_view to_tag = "u1") {
    layer.respond(id, response_to(user.requests.back().message, status, {}, to_tag).finish());
  }

  Message last_sent() { return parse(sender.last().bytes); }

  FakeTimerService timers;
  RecordingSender sender{&timers};
  RecordingUser user;
  TransactionLayer layer{sender, timers, user};
  Endpoint phone{Transport::kUdp, "192.0.2.10", 5062};
  Endpoint trunk{Transport::kUdp, "198.51.100.7", 5060};
};

// ---- INVITE server ---------------------------------------------------------

TEST_F(TransactionTest, InviteServerSends100TryingAfter200ms) {
  incoming_invite();
  ASSERT_EQ(user.requests.size(), 1u);
  EXPECT_EQ(user.requests[0].message.method_id(), Method::kInvite);
  timers.advance(milliseconds{199});
  EXPECT_TRUE(sender.sent().empty());
  timers.advance(milliseconds{1});
  ASSERT_EQ(sender.sent().size(), 1u);
  EXPECT_EQ(sender.last().to, phone);
  Message trying = last_sent();
  EXPECT_EQ(trying.status_code(), 100);
  EXPECT_EQ(trying.vias()[0].branch, "z9hG4bKinv1");
  EXPECT_EQ(trying.cseq().method, "INVITE");
}

TEST_F(TransactionTest, InviteServerSendsNo100WhenTheTuAnswersFirst) {
  ServerTransactionId id = incoming_invite();
  timers.advance(milliseconds{50});
  answer(id, 180);
  timers.advance(milliseconds{1000});
  EXPECT_EQ(sender.count("SIP/2.0 100"), 0u);
  EXPECT_EQ(sender.count("SIP/2.0 180"), 1u);
}

TEST_F(TransactionTest, RetransmittedInviteIsAbsorbedAndGetsTheLastProvisional) {
  ServerTransactionId id = incoming_invite();
  from_phone(phone_request("INVITE", "z9hG4bKinv1"));  // nothing to resend yet
  EXPECT_TRUE(sender.sent().empty());
  answer(id, 180);
  from_phone(phone_request("INVITE", "z9hG4bKinv1"));
  EXPECT_EQ(sender.count("SIP/2.0 180"), 2u);
  EXPECT_EQ(user.requests.size(), 1u);
}

// The attack: an INVITE with a spoofed source, never ACKed. RFC 3261 would resend
// the final response about ten times; a forged packet must not earn that many.
TEST_F(TransactionTest, FinalNon2xxIsRetransmittedTwiceThenWaitsForTimerH) {
  ServerTransactionId id = incoming_invite();
  answer(id, 407);
  timers.advance(k64T1);
  EXPECT_EQ(gaps(sender.times("SIP/2.0 407")), (Times{milliseconds{500}, milliseconds{1000}}));
  EXPECT_EQ(user.failed, std::vector<ServerTransactionId>{id});
  EXPECT_EQ(layer.server_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TransactionTest, AckStopsRetransmissionsAndIsAbsorbed) {
  ServerTransactionId id = incoming_invite();
  answer(id, 486);
  timers.advance(kT1);
  EXPECT_EQ(sender.count("SIP/2.0 486"), 2u);
  from_phone(phone_request("INVITE", "z9hG4bKinv1"));  // retransmitted while Completed: 486 again
  EXPECT_EQ(sender.count("SIP/2.0 486"), 3u);
  from_phone(phone_request("ACK", "z9hG4bKinv1", "<sip:100@pbx.example.com>;tag=u1"));
  from_phone(phone_request("ACK", "z9hG4bKinv1", "<sip:100@pbx.example.com>;tag=u1"));  // retransmitted
  from_phone(phone_request("INVITE", "z9hG4bKinv1"));  // late copy, absorbed while Confirmed
  EXPECT_TRUE(user.acks.empty());
  EXPECT_EQ(user.requests.size(), 1u);
  timers.advance(kT4 - milliseconds{1});
  EXPECT_EQ(sender.count("SIP/2.0 486"), 3u);
  EXPECT_EQ(layer.server_transactions(), 1u);
  timers.advance(milliseconds{1});  // Timer I
  EXPECT_EQ(layer.server_transactions(), 0u);
  EXPECT_TRUE(user.failed.empty());
}

TEST_F(TransactionTest, InviteAnswered2xxAbsorbsRetransmissionsAndPassesAcksInAcceptedState) {
  ServerTransactionId id = incoming_invite();
  answer(id, 200);
  from_phone(phone_request("INVITE", "z9hG4bKinv1"));
  EXPECT_EQ(sender.count("SIP/2.0 200"), 2u);
  EXPECT_EQ(user.requests.size(), 1u);
  answer(id, 200);  // the TU retransmits its 2xx through the transaction
  EXPECT_EQ(sender.count("SIP/2.0 200"), 3u);
  answer(id, 486);  // too late: dropped
  EXPECT_EQ(sender.count("SIP/2.0 486"), 0u);

  from_phone(phone_request("ACK", "z9hG4bKack1", "<sip:100@pbx.example.com>;tag=u1"));
  // An ACK reusing the INVITE's branch matches the transaction, and still goes to the TU.
  from_phone(phone_request("ACK", "z9hG4bKinv1", "<sip:100@pbx.example.com>;tag=u1"));
  ASSERT_EQ(user.acks.size(), 2u);
  EXPECT_EQ(user.acks[0].vias()[0].branch, "z9hG4bKack1");
  EXPECT_EQ(user.acks[1].vias()[0].branch, "z9hG4bKinv1");
  timers.advance(k64T1 - milliseconds{1});
  EXPECT_EQ(sender.count("SIP/2.0 200"), 3u);  // the TU, not the transaction, retransmits 2xx
  EXPECT_EQ(layer.server_transactions(), 1u);
  timers.advance(milliseconds{1});  // Timer L
  EXPECT_EQ(layer.server_transactions(), 0u);
  EXPECT_TRUE(user.failed.empty());
}

// ---- non-INVITE server -----------------------------------------------------

TEST_F(TransactionTest, NonInviteServerResendsLastResponseUntilTimerJ) {
  from_phone(phone_request("OPTIONS", "z9hG4bKopt1"));
  ASSERT_EQ(user.requests.size(), 1u);
  ServerTransactionId id = user.requests[0].id;
  from_phone(phone_request("OPTIONS", "z9hG4bKopt1"));  // Trying: absorbed silently
  EXPECT_TRUE(sender.sent().empty());
  timers.advance(milliseconds{1000});
  EXPECT_TRUE(sender.sent().empty());  // no automatic 100 for non-INVITE
  answer(id, 200);
  from_phone(phone_request("OPTIONS", "z9hG4bKopt1"));
  EXPECT_EQ(sender.count("SIP/2.0 200"), 2u);
  EXPECT_EQ(user.requests.size(), 1u);
  timers.advance(k64T1 - milliseconds{1});
  EXPECT_EQ(layer.server_transactions(), 1u);
  timers.advance(milliseconds{1});
  EXPECT_EQ(layer.server_transactions(), 0u);
  EXPECT_EQ(sender.count("SIP/2.0 200"), 2u);  // no retransmission of its own
}

TEST_F(TransactionTest, SameBranchWithOtherSentByIsAnotherTransaction) {
  from_phone(phone_request("OPTIONS", "z9hG4bKsame"));
  from_phone(phone_request("OPTIONS", "z9hG4bKsame", "<sip:100@pbx.example.com>", "192.0.2.99:5062;rport"));
  EXPECT_EQ(user.requests.size(), 2u);
}

TEST_F(TransactionTest, ResponsesGoToTheViaPortWithoutRportAndOverTheSameTcpConnection) {
  Endpoint nat{Transport::kUdp, "192.0.2.10", 40000};
  layer.receive(parse(phone_request("OPTIONS", "z9hG4bKnr", "<sip:100@pbx.example.com>", "192.0.2.10:5070")), nat);
  answer(user.requests.back().id, 200);
  EXPECT_EQ(sender.last().to.port, 5070);

  Endpoint tcp{Transport::kTcp, "192.0.2.10", 40001, 77};
  layer.receive(parse(phone_request("OPTIONS", "z9hG4bKtc", "<sip:100@pbx.example.com>", "192.0.2.10:5070")), tcp);
  answer(user.requests.back().id, 200);
  EXPECT_EQ(sender.last().to, tcp);
  EXPECT_EQ(sender.last().to.connection, 77u);
}

// ---- INVITE client ---------------------------------------------------------

TEST_F(TransactionTest, InviteClientRetransmitsWithTimerADoublingUntilTimerB) {
  ClientOutcome outcome;
  layer.send_request(outgoing_request("INVITE"), trunk, outcome.callbacks());
  EXPECT_EQ(sender.last().to, trunk);
  timers.advance(k64T1 - milliseconds{1});
  EXPECT_EQ(sender.times("INVITE "), (Times{milliseconds{0}, milliseconds{500}, milliseconds{1500}, milliseconds{3500},
                                            milliseconds{7500}, milliseconds{15500}, milliseconds{31500}}));
  EXPECT_EQ(outcome.timeouts, 0);
  timers.advance(milliseconds{1});
  EXPECT_EQ(outcome.timeouts, 1);
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TransactionTest, InviteClientAcksNon2xxWithTheRightHeaders) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  layer.send_request(invite, trunk, outcome.callbacks());
  from_trunk(reply_to(invite, 180));
  timers.advance(milliseconds{10000});
  EXPECT_EQ(sender.count("INVITE "), 1u);  // a provisional stops Timer A
  EXPECT_EQ(outcome.timeouts, 0);          // and Timer B

  from_trunk(reply_to(invite, 486));
  EXPECT_EQ(outcome.statuses, (std::vector<int>{180, 486}));
  ASSERT_EQ(sender.count("ACK "), 1u);
  EXPECT_EQ(sender.last().to, trunk);
  Message ack = last_sent();
  EXPECT_EQ(ack.method_id(), Method::kAck);
  EXPECT_EQ(ack.request_uri().raw, "sip:bob@example.net");
  ASSERT_EQ(ack.vias().size(), 1u);
  EXPECT_EQ(ack.header("Via"), "SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKout1;rport");
  EXPECT_EQ(ack.header("From"), "\"PBX\" <sip:pbx@example.com>;tag=p1");
  EXPECT_EQ(ack.to().tag(), "b2");
  EXPECT_EQ(ack.to().uri.to_string(), "sip:bob@example.net");
  EXPECT_EQ(ack.call_id(), "out-1");
  EXPECT_EQ(ack.cseq().number, 10u);
  EXPECT_EQ(ack.cseq().method, "ACK");
  ASSERT_EQ(ack.routes().size(), 2u);
  EXPECT_EQ(ack.routes()[0].uri.host(), "proxy1.example.net");
  EXPECT_EQ(ack.routes()[1].uri.host(), "proxy2.example.net");
  EXPECT_EQ(ack.max_forwards(), 69u);
  EXPECT_EQ(ack.header("Contact"), std::nullopt);
  EXPECT_EQ(ack.body(), "");

  from_trunk(reply_to(invite, 486));  // our ACK was lost
  EXPECT_EQ(sender.count("ACK "), 2u);
  EXPECT_EQ(outcome.statuses.size(), 2u);  // not reported again
  timers.advance(milliseconds{32000});     // Timer D
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_EQ(outcome.timeouts, 0);
}

// Our choice: the RFC 6026 Accepted state (Timer M = 64*T1) hands every 2xx to
// the transaction's callback; after it ends, a 2xx is a stray response for the TU.
TEST_F(TransactionTest, InviteClientReports2xxRetransmissionsUntilTimerMThenAsStray) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  layer.send_request(invite, trunk, outcome.callbacks());
  from_trunk(reply_to(invite, 200));
  from_trunk(reply_to(invite, 200));
  EXPECT_EQ(outcome.statuses, (std::vector<int>{200, 200}));
  from_trunk(reply_to(invite, 486));  // makes no sense after a 2xx: dropped
  EXPECT_EQ(outcome.statuses.size(), 2u);
  EXPECT_EQ(sender.count("ACK "), 0u);  // ACK for 2xx belongs to the TU
  timers.advance(k64T1);
  EXPECT_EQ(sender.count("INVITE "), 1u);
  EXPECT_EQ(layer.client_transactions(), 0u);
  from_trunk(reply_to(invite, 200));
  EXPECT_EQ(outcome.statuses.size(), 2u);
  ASSERT_EQ(user.strays.size(), 1u);
  EXPECT_EQ(user.strays[0].status_code(), 200);
  EXPECT_EQ(outcome.timeouts, 0);
}

// ---- non-INVITE client -----------------------------------------------------

TEST_F(TransactionTest, NonInviteClientBacksOffToT2UntilTimerF) {
  ClientOutcome outcome;
  layer.send_request(outgoing_request("OPTIONS"), trunk, outcome.callbacks());
  timers.advance(k64T1 - milliseconds{1});
  Times times = sender.times("OPTIONS ");
  ASSERT_GE(times.size(), 6u);
  EXPECT_EQ(Times(times.begin(), times.begin() + 6),
            (Times{milliseconds{0}, milliseconds{500}, milliseconds{1500}, milliseconds{3500}, milliseconds{7500},
                   milliseconds{11500}}));
  EXPECT_EQ(times.back(), milliseconds{31500});
  EXPECT_EQ(outcome.timeouts, 0);
  timers.advance(milliseconds{1});
  EXPECT_EQ(outcome.timeouts, 1);
  EXPECT_EQ(layer.client_transactions(), 0u);
}

TEST_F(TransactionTest, NonInviteClientRetransmitsEveryT2AfterAProvisional) {
  ClientOutcome outcome;
  std::string options = outgoing_request("OPTIONS");
  layer.send_request(options, trunk, outcome.callbacks());
  timers.advance(milliseconds{600});
  from_trunk(reply_to(options, 100));
  timers.advance(milliseconds{9000});
  EXPECT_EQ(sender.times("OPTIONS "),
            (Times{milliseconds{0}, milliseconds{500}, milliseconds{1500}, milliseconds{5500}, milliseconds{9500}}));
  EXPECT_EQ(outcome.statuses, std::vector<int>{100});
}

TEST_F(TransactionTest, NonInviteClientAbsorbsRetransmittedFinalUntilTimerK) {
  ClientOutcome outcome;
  std::string options = outgoing_request("OPTIONS");
  layer.send_request(options, trunk, outcome.callbacks());
  from_trunk(reply_to(options, 200));
  from_trunk(reply_to(options, 200));
  EXPECT_EQ(outcome.statuses, std::vector<int>{200});
  timers.advance(kT4 - milliseconds{1});
  EXPECT_EQ(sender.count("OPTIONS "), 1u);
  EXPECT_EQ(layer.client_transactions(), 1u);
  timers.advance(milliseconds{1});
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_TRUE(user.strays.empty());
}

TEST_F(TransactionTest, ResponseMatchingNoTransactionIsStray) {
  std::string options = outgoing_request("OPTIONS");
  ClientOutcome outcome;
  layer.send_request(options, trunk, outcome.callbacks());
  from_trunk(reply_to(outgoing_request("OPTIONS", "z9hG4bKother"), 200));
  from_trunk(reply_to(outgoing_request("INVITE"), 200));  // same branch, other method
  EXPECT_EQ(user.strays.size(), 2u);
  EXPECT_TRUE(outcome.statuses.empty());
}

// ---- TCP ---------------------------------------------------------------------

class TcpTransactionTest : public TransactionTest {
 protected:
  TcpTransactionTest() {
    phone.transport = Transport::kTcp;
    phone.connection = 5;
    trunk.transport = Transport::kTcp;
  }
};

TEST_F(TcpTransactionTest, ServerNeverRetransmitsAndLingersZero) {
  ServerTransactionId id = incoming_invite();
  answer(id, 486);
  timers.advance(milliseconds{10000});
  EXPECT_EQ(sender.count("SIP/2.0 486"), 1u);
  EXPECT_EQ(sender.last().to.connection, 5u);
  from_phone(phone_request("ACK", "z9hG4bKinv1", "<sip:100@pbx.example.com>;tag=u1"));
  EXPECT_EQ(layer.server_transactions(), 0u);  // Timer I is zero
  EXPECT_TRUE(user.acks.empty());

  from_phone(phone_request("OPTIONS", "z9hG4bKopt"));
  answer(user.requests.back().id, 200);
  EXPECT_EQ(layer.server_transactions(), 0u);  // Timer J is zero
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TcpTransactionTest, TimerHStillRunsWithoutAck) {
  ServerTransactionId id = incoming_invite();
  answer(id, 486);
  timers.advance(k64T1);
  EXPECT_EQ(sender.count("SIP/2.0 486"), 1u);
  EXPECT_EQ(user.failed, std::vector<ServerTransactionId>{id});
}

TEST_F(TcpTransactionTest, ClientNeverRetransmitsButTimesOut) {
  ClientOutcome invite_outcome;
  ClientOutcome options_outcome;
  std::string invite = outgoing_request("INVITE");
  std::string options = outgoing_request("OPTIONS", "z9hG4bKopt");
  layer.send_request(invite, trunk, invite_outcome.callbacks());
  layer.send_request(options, trunk, options_outcome.callbacks());
  from_trunk(reply_to(options, 200));
  EXPECT_EQ(layer.client_transactions(), 1u);  // Timer K is zero
  timers.advance(k64T1);
  EXPECT_EQ(sender.count("INVITE "), 1u);
  EXPECT_EQ(sender.count("OPTIONS "), 1u);
  EXPECT_EQ(invite_outcome.timeouts, 1);  // Timer B
  EXPECT_EQ(options_outcome.statuses, std::vector<int>{200});
}

TEST_F(TcpTransactionTest, ClientAcksNon2xxAndEndsAtOnce) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  layer.send_request(invite, trunk, outcome.callbacks());
  from_trunk(reply_to(invite, 603));
  EXPECT_EQ(sender.count("ACK "), 1u);
  EXPECT_EQ(outcome.statuses, std::vector<int>{603});
  EXPECT_EQ(layer.client_transactions(), 0u);  // Timer D is zero
  EXPECT_EQ(timers.pending(), 0u);
}

// ---- CANCEL, server side -----------------------------------------------------

TEST_F(TransactionTest, CancelForPendingInviteIsAnswered200AndReported) {
  ServerTransactionId id = incoming_invite();
  answer(id, 180, "u1");
  from_phone(phone_request("CANCEL", "z9hG4bKinv1"));
  EXPECT_EQ(user.cancelled, std::vector<ServerTransactionId>{id});
  EXPECT_EQ(user.requests.size(), 1u);  // the CANCEL itself is not a new request
  Message ok = last_sent();
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(ok.cseq().method, "CANCEL");
  EXPECT_EQ(ok.to().tag(), "u1");  // §9.2: same tag as the INVITE's responses

  from_phone(phone_request("CANCEL", "z9hG4bKinv1"));  // retransmitted CANCEL
  EXPECT_EQ(sender.count("SIP/2.0 200"), 2u);
  EXPECT_EQ(user.cancelled.size(), 1u);

  answer(id, 487, "u1");
  EXPECT_EQ(last_sent().cseq().method, "INVITE");
  from_phone(phone_request("ACK", "z9hG4bKinv1", "<sip:100@pbx.example.com>;tag=u1"));
  timers.advance(k64T1);
  EXPECT_EQ(layer.server_transactions(), 0u);
  EXPECT_TRUE(user.failed.empty());
}

TEST_F(TransactionTest, UnmatchedCancelIsAnswered481) {
  incoming_invite();
  from_phone(phone_request("CANCEL", "z9hG4bKnosuch"));
  EXPECT_TRUE(user.cancelled.empty());
  Message reply = last_sent();
  EXPECT_EQ(reply.status_code(), 481);
  EXPECT_FALSE(reply.to().tag().empty());
}

TEST_F(TransactionTest, CancelAfterTheFinalResponseIsAnswered200WithoutEffect) {
  ServerTransactionId id = incoming_invite();
  answer(id, 200);
  from_phone(phone_request("CANCEL", "z9hG4bKinv1"));
  EXPECT_TRUE(user.cancelled.empty());
  EXPECT_EQ(last_sent().cseq().method, "CANCEL");
  EXPECT_EQ(last_sent().status_code(), 200);
}

// ---- CANCEL, client side -----------------------------------------------------

TEST_F(TransactionTest, CancelWaitsForAProvisionalAndCopiesTheInviteHeaders) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  ClientTransactionId id = layer.send_request(invite, trunk, outcome.callbacks());
  layer.cancel(id);
  timers.advance(milliseconds{100});
  EXPECT_EQ(sender.count("CANCEL "), 0u);  // §9.1: not before a provisional response

  from_trunk(reply_to(invite, 180));
  ASSERT_EQ(sender.count("CANCEL "), 1u);
  EXPECT_EQ(sender.last().to, trunk);
  Message cancel = last_sent();
  EXPECT_EQ(cancel.method_id(), Method::kCancel);
  EXPECT_EQ(cancel.request_uri().raw, "sip:bob@example.net");
  ASSERT_EQ(cancel.vias().size(), 1u);
  EXPECT_EQ(cancel.vias()[0].branch, "z9hG4bKout1");
  EXPECT_EQ(cancel.from().tag(), "p1");
  EXPECT_EQ(cancel.header("To"), "<sip:bob@example.net>");  // the INVITE's, without the response's tag
  EXPECT_EQ(cancel.call_id(), "out-1");
  EXPECT_EQ(cancel.cseq().number, 10u);
  EXPECT_EQ(cancel.cseq().method, "CANCEL");
  EXPECT_EQ(cancel.routes().size(), 2u);
  EXPECT_EQ(cancel.max_forwards(), 69u);
  EXPECT_EQ(layer.client_transactions(), 2u);

  from_trunk(reply_to(sender.last().bytes, 200));  // for the CANCEL: not reported
  from_trunk(reply_to(invite, 180));               // another provisional: no second CANCEL
  from_trunk(reply_to(invite, 487));
  EXPECT_EQ(sender.count("CANCEL "), 1u);
  EXPECT_EQ(outcome.statuses, (std::vector<int>{180, 180, 487}));
  EXPECT_EQ(sender.count("ACK "), 1u);
  timers.advance(k64T1);
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_EQ(outcome.timeouts, 0);
  EXPECT_TRUE(user.strays.empty());
}

TEST_F(TransactionTest, CancelIsSentAtOnceAfterAProvisionalAndRetransmittedOverUdp) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  ClientTransactionId id = layer.send_request(invite, trunk, outcome.callbacks());
  from_trunk(reply_to(invite, 183));
  layer.cancel(id);
  layer.cancel(id);  // asking twice sends one CANCEL
  EXPECT_EQ(sender.count("CANCEL "), 1u);
  timers.advance(kT1);
  EXPECT_EQ(sender.count("CANCEL "), 2u);  // Timer E
}

TEST_F(TransactionTest, CancelledInviteWithoutFinalResponseIsGivenUp) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  ClientTransactionId id = layer.send_request(invite, trunk, outcome.callbacks());
  from_trunk(reply_to(invite, 180));
  layer.cancel(id);
  timers.advance(k64T1);
  EXPECT_EQ(outcome.timeouts, 1);
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TransactionTest, CancelAfterTheFinalResponseSendsNothing) {
  ClientOutcome outcome;
  std::string invite = outgoing_request("INVITE");
  ClientTransactionId id = layer.send_request(invite, trunk, outcome.callbacks());
  layer.cancel(id);
  from_trunk(reply_to(invite, 486));
  layer.cancel(id);
  layer.cancel(12345);
  EXPECT_EQ(sender.count("CANCEL "), 0u);
}

// ---- errors ------------------------------------------------------------------

TEST_F(TransactionTest, RequestWithoutCookieIsRejectedStatelessly) {
  from_phone(phone_request("INVITE", "old-branch"));
  EXPECT_TRUE(user.requests.empty());
  Message reply = last_sent();
  EXPECT_EQ(reply.status_code(), 400);
  EXPECT_EQ(layer.server_transactions(), 0u);
  from_phone(phone_request("ACK", "old-branch"));
  EXPECT_EQ(sender.sent().size(), 1u);  // an ACK is never answered
  EXPECT_TRUE(user.acks.empty());
}

TEST_F(TransactionTest, ClientTransportFailureIsReportedAsTimeoutOnALaterTurn) {
  sender.set_failing(true);
  ClientOutcome outcome;
  layer.send_request(outgoing_request("INVITE"), trunk, outcome.callbacks());
  EXPECT_EQ(outcome.timeouts, 0);
  EXPECT_EQ(layer.client_transactions(), 0u);
  timers.advance(milliseconds{0});
  EXPECT_EQ(outcome.timeouts, 1);
}

TEST_F(TransactionTest, RetransmissionFailureEndsTheClientTransaction) {
  ClientOutcome outcome;
  layer.send_request(outgoing_request("OPTIONS"), trunk, outcome.callbacks());
  sender.set_failing(true);
  timers.advance(kT1);
  EXPECT_EQ(outcome.timeouts, 1);
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TransactionTest, ServerTransportFailureIsReported) {
  ServerTransactionId id = incoming_invite();
  sender.set_failing(true);
  answer(id, 486);
  EXPECT_EQ(layer.server_transactions(), 0u);
  timers.advance(milliseconds{0});
  EXPECT_EQ(user.failed, std::vector<ServerTransactionId>{id});
}

TEST_F(TransactionTest, BadInputToTheLayerIsIgnored) {
  ServerTransactionId id = incoming_invite();
  layer.respond(id, "garbage");
  layer.respond(id + 100, MessageBuilder::response(200).finish());
  EXPECT_TRUE(sender.sent().empty());

  ClientOutcome outcome;
  layer.send_request("not SIP", trunk, outcome.callbacks());
  layer.send_request(outgoing_request("ACK"), trunk, outcome.callbacks());
  layer.send_request(outgoing_request("OPTIONS"), trunk, outcome.callbacks());
  layer.send_request(outgoing_request("OPTIONS"), trunk, outcome.callbacks());  // branch reused
  EXPECT_EQ(sender.count("OPTIONS "), 1u);
  EXPECT_EQ(layer.client_transactions(), 1u);
  timers.advance(milliseconds{0});
  EXPECT_EQ(outcome.timeouts, 3);
}

TEST_F(TransactionTest, EveryTransactionEndsAndDestroyingTheLayerCancelsItsTimers) {
  {
    TransactionLayer short_lived(sender, timers, user);
    short_lived.receive(parse(phone_request("INVITE", "z9hG4bKshort")), phone);
    short_lived.send_request(outgoing_request("OPTIONS"), trunk, {});
    EXPECT_GT(timers.pending(), 0u);
  }
  EXPECT_EQ(timers.pending(), 0u);

  ServerTransactionId invite = incoming_invite();
  from_phone(phone_request("REGISTER", "z9hG4bKreg"));
  answer(user.requests.back().id, 200);
  answer(invite, 480);
  layer.send_request(outgoing_request("INVITE"), trunk, {});
  layer.send_request(outgoing_request("OPTIONS", "z9hG4bKo2"), trunk, {});
  EXPECT_EQ(layer.server_transactions(), 2u);
  EXPECT_EQ(layer.client_transactions(), 2u);
  timers.advance(milliseconds{60000});
  EXPECT_EQ(layer.server_transactions(), 0u);
  EXPECT_EQ(layer.client_transactions(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(EndpointTest, NamesTransportAndAddress) {
  EXPECT_EQ(transport_name(Transport::kTcp), "TCP");
  EXPECT_EQ((Endpoint{Transport::kUdp, "127.0.0.1", 5060}.to_string()), "UDP 127.0.0.1:5060");
  EXPECT_EQ((Endpoint{Transport::kTcp, "2001:db8::1", 5061}.to_string()), "TCP [2001:db8::1]:5061");
}

}  // namespace
}  // namespace unicc::sip
