#include "sip/dialog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "test_text.h"
#include "transaction_fakes.h"

namespace unicc::sip {
namespace {

using namespace std::chrono_literals;
using testing::FakeTimerService;
using testing::parse_ok;
using testing::sip_text;

const Endpoint kPeer{Transport::kUdp, "192.0.2.10", 5070};
const LocalAddress kLocal{"192.0.2.1", 5060, 5060, 5061};

// The INVITE of a caller at kPeer that reached us through one proxy.
Message invite() {
  return parse_ok(sip_text({"INVITE sip:1001@192.0.2.1 SIP/2.0",
                            "Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bKa1",
                            "Record-Route: <sip:proxy.example;lr>",
                            "From: \"Alice\" <sip:1000@example>;tag=alice",
                            "To: <sip:1001@example>",
                            "Call-ID: dialog-1",
                            "CSeq: 7 INVITE",
                            "Contact: <sip:1000@192.0.2.10:5070>",
                            "Content-Length: 0"}));
}

// An in-dialog request from the caller with these tags.
Message request(std::string_view method, std::string_view from_tag, std::string_view to_tag,
                std::string_view call_id = "dialog-1") {
  return parse_ok(sip_text({std::string(method) + " sip:unicc@192.0.2.1 SIP/2.0",
                            "Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bKb1",
                            "From: <sip:1000@example>;tag=" + std::string(from_tag),
                            "To: <sip:1001@example>;tag=" + std::string(to_tag),
                            "Call-ID: " + std::string(call_id),
                            "CSeq: 8 " + std::string(method),
                            "Content-Length: 0"}));
}

TEST(DialogTest, AnAcceptedInviteGivesTheCallersIdentityTargetAndRouteSet) {
  Dialog dialog = Dialog::accepted(invite(), kPeer, "ours");
  EXPECT_EQ(dialog.call_id, "dialog-1");
  EXPECT_EQ(dialog.local_tag, "ours");
  EXPECT_EQ(dialog.remote_tag, "alice");
  EXPECT_EQ(dialog.remote_uri, "\"Alice\" <sip:1000@example>");
  EXPECT_EQ(dialog.remote_target, "sip:1000@192.0.2.10:5070");
  EXPECT_EQ(dialog.route_set, (std::vector<std::string>{"<sip:proxy.example;lr>"}));
  EXPECT_EQ(dialog.next_hop, kPeer);
}

TEST(DialogTest, MatchesOnlyItsCallIdAndBothTagsFromItsPeer) {
  Dialog dialog = Dialog::accepted(invite(), kPeer, "ours");
  EXPECT_TRUE(dialog.matches(request("BYE", "alice", "ours"), kPeer));
  EXPECT_FALSE(dialog.matches(request("BYE", "alice", "guess"), kPeer));
  EXPECT_FALSE(dialog.matches(request("BYE", "mallory", "ours"), kPeer));
  EXPECT_FALSE(dialog.matches(request("BYE", "alice", "ours", "dialog-2"), kPeer));
  EXPECT_FALSE(dialog.matches(request("BYE", "alice", "ours"), Endpoint{Transport::kUdp, "192.0.2.66", 5070}));
  EXPECT_FALSE(dialog.matches(request("BYE", "alice", "ours"), Endpoint{Transport::kUdp, "192.0.2.10", 5999}));
  // Over TCP a peer may come back on a new connection, from another port.
  dialog.next_hop.transport = Transport::kTcp;
  EXPECT_TRUE(dialog.matches(request("BYE", "alice", "ours"), Endpoint{Transport::kTcp, "192.0.2.10", 41000}));
}

TEST(DialogTest, ByeFollowsTheRouteSetWithTheNextCSeq) {
  Dialog dialog = Dialog::accepted(invite(), kPeer, "ours");
  Message bye = parse_ok(dialog.bye(kLocal));
  EXPECT_EQ(bye.request_uri().to_string(), "sip:1000@192.0.2.10:5070");
  EXPECT_EQ(bye.from().tag(), "ours");
  EXPECT_EQ(bye.to().tag(), "alice");
  EXPECT_EQ(bye.call_id(), "dialog-1");
  EXPECT_EQ(bye.cseq().number, 1u);
  EXPECT_EQ(bye.cseq().method, "BYE");
  EXPECT_EQ(bye.header("Route"), "<sip:proxy.example;lr>");
  EXPECT_EQ(parse_ok(dialog.bye(kLocal)).cseq().number, 2u);
}

TEST(DialogTest, ADialogWeStartedIsConfirmedByTheAnswerAndOnlyThenHasABye) {
  Dialog dialog;
  dialog.call_id = "ours-1";
  dialog.local_tag = "ours";
  dialog.local_uri = "<sip:unicc@192.0.2.1>";
  dialog.remote_uri = "<sip:1001@example>";
  dialog.remote_target = "sip:1001@192.0.2.20";
  dialog.next_hop = Endpoint{Transport::kTls, "192.0.2.20", 5061};
  Message invite = parse_ok(dialog.request("INVITE", ++dialog.local_cseq, kLocal).finish());
  EXPECT_EQ(invite.header("Contact"), "<sip:unicc@192.0.2.1:5061;transport=tls>");
  EXPECT_TRUE(invite.to().tag().empty());
  EXPECT_EQ(dialog.bye(kLocal), "");

  dialog.confirm(parse_ok(sip_text({"SIP/2.0 200 OK", "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bKc1",
                                    "Record-Route: <sip:p1.example;lr>", "Record-Route: <sip:p2.example;lr>",
                                    "From: <sip:unicc@192.0.2.1>;tag=ours", "To: <sip:1001@example>;tag=bob",
                                    "Call-ID: ours-1", "CSeq: 1 INVITE", "Contact: <sip:1001@192.0.2.21>",
                                    "Content-Length: 0"})));
  Message ack = parse_ok(dialog.ack(1, kLocal));
  EXPECT_EQ(ack.request_uri().to_string(), "sip:1001@192.0.2.21");
  EXPECT_EQ(ack.to().tag(), "bob");
  EXPECT_EQ(ack.cseq().number, 1u);
  EXPECT_EQ(ack.header("Via")->substr(0, 12), "SIP/2.0/TLS ");
  // Routes in the reverse order of Record-Route (RFC 3261 §12.1.2).
  EXPECT_EQ(dialog.route_set, (std::vector<std::string>{"<sip:p2.example;lr>", "<sip:p1.example;lr>"}));
  EXPECT_EQ(parse_ok(dialog.bye(kLocal)).cseq().number, 2u);
}

class OkRetransmitterTest : public ::testing::Test {
 protected:
  void start(std::uint32_t cseq) {
    retransmitter.start(timers, "SIP/2.0 200 OK", cseq, [this](const std::string&) { resent.push_back(timers.now()); },
                        [this] { ++gave_up; });
  }
  FakeTimerService timers;
  OkRetransmitter retransmitter;
  std::vector<std::chrono::milliseconds> resent;
  int gave_up = 0;
};

TEST_F(OkRetransmitterTest, ResendsAtT1DoublingToT2ThenGivesUpOnceAfter64T1) {
  start(7);
  timers.advance(60s);
  EXPECT_EQ(resent, (std::vector<std::chrono::milliseconds>{500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms,
                                                           23500ms, 27500ms, 31500ms}));
  EXPECT_EQ(gave_up, 1);
  EXPECT_FALSE(retransmitter.pending());
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(OkRetransmitterTest, TheAckOfItsCSeqStopsIt) {
  start(7);
  timers.advance(2s);
  retransmitter.acknowledge(6);  // an ACK for an earlier 2xx
  EXPECT_TRUE(retransmitter.pending());
  retransmitter.acknowledge(7);
  EXPECT_FALSE(retransmitter.pending());
  timers.advance(60s);
  EXPECT_EQ(resent.size(), 2u);
  EXPECT_EQ(gave_up, 0);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(OkRetransmitterTest, MovingOrDestroyingItStopsNothingTwiceAndLeavesNoTimer) {
  start(7);
  OkRetransmitter moved = std::move(retransmitter);
  timers.advance(1s);
  EXPECT_EQ(resent.size(), 1u);
  moved = OkRetransmitter{};
  EXPECT_EQ(timers.pending(), 0u);
  timers.advance(60s);
  EXPECT_EQ(resent.size(), 1u);
  EXPECT_EQ(gave_up, 0);
}

}  // namespace
}  // namespace unicc::sip
