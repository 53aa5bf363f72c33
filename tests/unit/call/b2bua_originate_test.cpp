// B2bua::originate — calls unicc places itself — driven through the front with a
// recording sender and a manual timer service (b2bua_harness.h); the media is a real
// relay, so prompts are checked as RTP arriving at the answering party's port.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "call/b2bua_harness.h"
#include "media/udp_peer.h"

namespace unicc::call {
namespace {

using namespace testing;

class OriginateTest : public B2buaTest {
 protected:
  // Originates to the agent and has it answer; returns the call's id.
  CallId answered_call(const media::testing::UdpPeer& agent_rtp) {
    int code = -1;
    CallId id = b2bua.originate("1001", "5551234", "Customer", code);
    EXPECT_NE(id, 0u);
    respond(sent("INVITE"), 180, agent);
    respond(sent("INVITE"), 200, agent, party_sdp(agent_rtp.port()));
    return id;
  }

  const Cdr& only_cdr() {
    EXPECT_EQ(cdrs.cdrs.size(), 1u);
    return cdrs.cdrs.back();
  }
};

TEST_F(OriginateTest, InvitesTheNumberAsAPhoneWouldDialItWithUniccsSdpAndTheGivenCaller) {
  int code = -1;
  CallId id = b2bua.originate("1001", "5551234", "Customer", code);

  EXPECT_NE(id, 0u);
  EXPECT_EQ(code, 0);
  ASSERT_EQ(count("INVITE "), 1u);
  EXPECT_EQ(sender.sent().front().to.port, 5071);  // where 1001 registered from
  Message invite = sent("INVITE");
  EXPECT_EQ(invite.request_uri().to_string(), "sip:1001@127.0.0.1:5071");
  EXPECT_EQ(invite.from().uri.user_decoded(), "5551234");
  EXPECT_EQ(invite.from().display_name, "Customer");
  EXPECT_FALSE(invite.from().tag().empty());
  EXPECT_EQ(invite.to().uri.user_decoded(), "1001");
  EXPECT_NE(invite.body().find("m=audio "), std::string_view::npos);
  EXPECT_NE(invite.body().find("RTP/AVP 0 8 101"), std::string_view::npos);
  EXPECT_NE(invite.body().find("c=IN IP4 127.0.0.1"), std::string_view::npos);
  EXPECT_TRUE(application.answered.empty());

  respond(invite, 180, agent);
  EXPECT_EQ(observer.states, (std::vector<std::string>{"ringing"}));
  EXPECT_TRUE(application.answered.empty());
}

TEST_F(OriginateTest, RefusesNumbersThatGoNowhereWithoutPlacingAnything) {
  int code = 0;
  EXPECT_EQ(b2bua.originate("1999", "5551234", "", code), 0u);
  EXPECT_EQ(code, 404);
  EXPECT_EQ(b2bua.originate("1003", "5551234", "", code), 0u);  // an account with no phone registered
  EXPECT_EQ(code, 480);
  EXPECT_EQ(sender.sent().size(), 0u);
  EXPECT_TRUE(cdrs.cdrs.empty());
}

TEST_F(OriginateTest, AnsweredCallIsTheApplicationsAndHearsPrompts) {
  media::testing::UdpPeer agent_rtp;
  CallId id = answered_call(agent_rtp);

  ASSERT_EQ(count("ACK "), 1u);
  Message ack = sent("ACK");
  EXPECT_EQ(ack.call_id(), sent("INVITE").call_id());
  EXPECT_EQ(ack.to().tag(), "party-tag");
  EXPECT_EQ(ack.request_uri().to_string(), "sip:party@127.0.0.1:5071");  // the answer's Contact
  ASSERT_EQ(application.answered.size(), 1u);
  const AnsweredCall& answered = application.answered.front();
  EXPECT_EQ(answered.id, id);
  EXPECT_EQ(answered.origin, AnsweredCall::Origin::kOriginated);
  EXPECT_EQ(answered.call_id, sent("INVITE").call_id());
  EXPECT_EQ(answered.caller, "5551234");
  EXPECT_EQ(answered.caller_name, "Customer");
  EXPECT_EQ(answered.dialled, "1001");
  EXPECT_EQ(observer.states, (std::vector<std::string>{"ringing", "answered"}));

  // A retransmitted 200 (our ACK lost) is ACKed again, and answered only once.
  respond(sent("INVITE"), 200, agent, party_sdp(agent_rtp.port()));
  EXPECT_EQ(count("ACK "), 2u);
  EXPECT_EQ(application.answered.size(), 1u);

  b2bua.play(id, {media::Prompt(std::vector<std::int16_t>(1600, 1000))}, false, false, 7);
  auto packet = agent_rtp.receive(1s);
  ASSERT_TRUE(packet.has_value()) << "no RTP reached the agent";
  ASSERT_GE(packet->size(), 12u);
  EXPECT_EQ((*packet)[1] & 0x7f, 0);  // PCMU, the codec the agent answered with
  EXPECT_TRUE(posted.run_until([&] { return !application.played.empty(); }));
  EXPECT_EQ(application.played, (std::vector<std::pair<CallId, std::uint64_t>>{{id, 7}}));
}

TEST_F(OriginateTest, ConnectBridgesAThirdPartyAndAByeEndsBothLegs) {
  media::testing::UdpPeer agent_rtp, customer_rtp;
  CallId id = answered_call(agent_rtp);

  ASSERT_EQ(b2bua.connect(id, "0555777"), 0);
  ASSERT_EQ(count("INVITE "), 2u);
  Message invite = sent("INVITE", 1);
  EXPECT_EQ(sender.sent().back().to.port, 5080);
  EXPECT_EQ(invite.request_uri().to_string(), "sip:555777@127.0.0.1:5080");
  EXPECT_EQ(invite.from().uri.user_decoded(), "5551234");
  EXPECT_NE(invite.call_id(), sent("INVITE", 0).call_id());
  EXPECT_NE(invite.body().find("RTP/AVP 0 101"), std::string_view::npos);  // what the agent's leg uses

  respond(invite, 200, carrier, party_sdp(customer_rtp.port()), "customer-tag");
  EXPECT_EQ(count("ACK "), 2u);
  EXPECT_EQ(application.connect_results, (std::vector<RecordingApplication::ConnectResult>{{id, true, 200}}));

  // The customer hangs up: 200 to it, BYE to the agent, the CDR is written.
  bye_from(invite, carrier, "customer-tag");
  EXPECT_TRUE(posted.run_until([&] { return count("SIP/2.0 200") == 1; }));
  ASSERT_EQ(count("BYE "), 1u);
  Message bye = sent("BYE");
  EXPECT_EQ(bye.call_id(), sent("INVITE", 0).call_id());
  EXPECT_EQ(bye.to().tag(), "party-tag");
  EXPECT_EQ(bye.from().tag(), sent("INVITE", 0).from().tag());
  EXPECT_EQ(application.ended, (std::vector<CallId>{id}));

  const Cdr& cdr = only_cdr();
  EXPECT_EQ(cdr.direction, "originated");
  EXPECT_EQ(cdr.call_id, sent("INVITE", 0).call_id());
  EXPECT_EQ(cdr.b_call_id, invite.call_id());
  EXPECT_EQ(cdr.caller, "5551234");
  EXPECT_EQ(cdr.caller_name, "Customer");
  EXPECT_EQ(cdr.dialled, "1001");
  EXPECT_EQ(cdr.callee, "555777");
  EXPECT_EQ(cdr.trunk, "carrier");
  EXPECT_EQ(cdr.disposition, "answered");
  EXPECT_NE(cdr.answered_at, 0);
  EXPECT_EQ(cdr.hangup_side, "callee");
  EXPECT_EQ(cdr.hangup_cause, "BYE");
}

// Click-to-dial: the agent's phone is asked to answer at once, the customer's leg is
// checked and counted for the agent's extension, and once bridged the customer is on
// the B side: prompts (hold music, digits) reach them, not the agent.
TEST_F(OriginateTest, AnOriginatedCallBridgedToACustomerServesTheCustomerOnItsBSide) {
  media::testing::UdpPeer agent_rtp, customer_rtp;
  int code = -1;
  CallId id = b2bua.originate("1001", "0555777", "", code, /*auto_answer=*/true);
  ASSERT_NE(id, 0u);
  EXPECT_EQ(sent("INVITE").header("Call-Info"), std::optional<std::string_view>("<sip:127.0.0.1>;answer-after=0"));
  EXPECT_EQ(b2bua.call_id_of(id), sent("INVITE").call_id());
  respond(sent("INVITE"), 200, agent, party_sdp(agent_rtp.port()));

  EXPECT_EQ(b2bua.check_connect("0555777", "1001"), 0);
  EXPECT_EQ(b2bua.check_connect("0555777", "1001"), 0) << "a check counts nothing";
  EXPECT_EQ(b2bua.check_connect("0004412345", "1001"), 403);  // international
  EXPECT_EQ(b2bua.check_connect("7777", "1001"), 404);
  ASSERT_EQ(b2bua.connect(id, "0555777", "4000", false, "1001"), 0);
  EXPECT_EQ(sent("INVITE", 1).from().uri.user_decoded(), "4000");
  EXPECT_EQ(b2bua.check_connect("0555888", "1001"), 403) << "counted for the agent (one at a time here)";
  EXPECT_EQ(outbound.refusal("ivr", "555888"), "") << "not for the IVR";
  respond(sent("INVITE", 1), 200, carrier, party_sdp(customer_rtp.port()), "customer-tag");

  b2bua.isolate_caller(id, true);
  b2bua.play(id, {media::Prompt(std::vector<std::int16_t>(1600, 1000))}, false, false, 7);
  EXPECT_TRUE(customer_rtp.receive(1s).has_value()) << "the music did not reach the customer";
  EXPECT_FALSE(agent_rtp.receive(300ms).has_value()) << "the agent hears the customer's music";
  b2bua.isolate_caller(id, false);
  b2bua.send_digits(id, "1");
  EXPECT_TRUE(customer_rtp.receive(1s).has_value()) << "the digits did not reach the customer";
  EXPECT_EQ(observer.states.back(), "resumed");

  EXPECT_EQ(b2bua.transfer_connected(id, "1002"), 501);  // the agent's leg is the call's A leg
}

// The agent who placed the call leaves it (a blind transfer): their leg gets a BYE and
// the customer stays; a party unicc then calls takes the agent's leg (hand_over) and
// its media moves to the call by a re-INVITE offering the customer's codec. The call
// keeps its name (the agent's leg's Call-ID), which its events and CDR carry.
TEST_F(OriginateTest, ThePartyAnAgentHandsTheirOwnCallToTakesTheirLeg) {
  media::testing::UdpPeer agent_rtp, customer_rtp, target_rtp;
  CallId id = answered_call(agent_rtp);
  const Message agent_invite = sent("INVITE", 0);
  ASSERT_EQ(b2bua.connect(id, "0555777"), 0);
  respond(sent("INVITE", 1), 200, carrier, party_sdp(customer_rtp.port()), "customer-tag");

  b2bua.release_connected(id);
  ASSERT_EQ(count("BYE "), 1u);
  EXPECT_EQ(sent("BYE").call_id(), agent_invite.call_id());
  int code = 0;
  const CallId target = b2bua.originate("1001", "0555777", "", code, false);
  ASSERT_NE(target, 0u);
  const Message target_invite = sent("INVITE", 2);
  respond(target_invite, 200, agent, party_sdp(target_rtp.port()), "target-tag");
  ASSERT_TRUE(b2bua.hand_over(id, target));
  const Message move = sent("INVITE", 3);
  EXPECT_EQ(move.call_id(), target_invite.call_id());
  EXPECT_NE(move.body().find("m=audio "), std::string_view::npos);
  respond(move, 200, agent, party_sdp(target_rtp.port()), "target-tag");
  EXPECT_EQ(count("BYE "), 1u) << "neither the customer nor the target is hung up";
  EXPECT_EQ(b2bua.call_id_of(id), agent_invite.call_id());

  b2bua.hang_up(id);
  ASSERT_EQ(count("BYE "), 3u);
  EXPECT_EQ(sent("BYE", 1).call_id(), target_invite.call_id()) << "the target is the call's A leg now";
  EXPECT_EQ(sent("BYE", 2).call_id(), sent("INVITE", 1).call_id());
  EXPECT_EQ(cdrs.cdrs.back().call_id, agent_invite.call_id());
}

// A REFER from the agent's phone: accepted (202), reported as under way (NOTIFY with
// sipfrag 100), carried out by the application, whose refusal the agent's phone hears
// as the final NOTIFY. The customer's side may not transfer the call anywhere.
TEST_F(OriginateTest, AReferFromTheAgentGoesToTheApplicationAndTheCustomersIsRefused) {
  media::testing::UdpPeer agent_rtp, customer_rtp;
  CallId id = answered_call(agent_rtp);
  ASSERT_EQ(b2bua.connect(id, "0555777"), 0);
  Message agent_invite = sent("INVITE", 0);
  Message customer_invite = sent("INVITE", 1);
  respond(customer_invite, 200, carrier, party_sdp(customer_rtp.port()), "customer-tag");
  application.refer_answer = [](CallId, const std::string&) { return 480; };

  request_from("REFER", agent_invite, agent, "party-tag", "Refer-To: <sip:1002@127.0.0.1>\r\n");
  EXPECT_EQ(count("SIP/2.0 202"), 1u);
  EXPECT_EQ(application.refers, (std::vector<std::pair<CallId, std::string>>{{id, "1002"}}));
  ASSERT_EQ(count("NOTIFY "), 2u);
  EXPECT_EQ(sent("NOTIFY", 0).body(), "SIP/2.0 100 Trying\r\n");
  EXPECT_EQ(sent("NOTIFY", 0).header("Event"), std::optional<std::string_view>("refer"));
  EXPECT_EQ(sent("NOTIFY", 0).call_id(), agent_invite.call_id());
  EXPECT_EQ(sent("NOTIFY", 1).body(), "SIP/2.0 480 Temporarily Unavailable\r\n");
  EXPECT_TRUE(sent("NOTIFY", 1).header("Subscription-State")->starts_with("terminated"));
  EXPECT_EQ(count("BYE "), 0u) << "a refused transfer leaves the call as it was";

  request_from("REFER", customer_invite, carrier, "customer-tag", "Refer-To: <sip:0004412345@127.0.0.1>\r\n");
  EXPECT_EQ(count("SIP/2.0 403"), 1u);
  request_from("REFER", agent_invite, agent, "party-tag", "Refer-To: <sip:evil@example.com>\r\n");
  request_from("REFER", agent_invite, agent, "party-tag");
  EXPECT_EQ(count("SIP/2.0 400"), 2u);
  request_from("REFER", agent_invite, agent, "party-tag",
               "Refer-To: <sip:1002@127.0.0.1?Replaces=x%40y%3Bto-tag%3Da%3Bfrom-tag%3Db>\r\n");
  EXPECT_EQ(count("SIP/2.0 481"), 1u) << "a Replaces naming no call of the agent's";
  EXPECT_EQ(application.refers.size(), 1u) << "only the agent's well-formed REFER reaches the application";
  EXPECT_EQ(count("INVITE "), 2u);
}

// The guard allows the IVR one trunk call at a time here: a transfer that failed or
// was cancelled no longer counts, so the flow's next attempt goes out.
TEST_F(OriginateTest, AConnectThatFailedOrWasCancelledNoLongerCountsAgainstTheOutboundLimit) {
  media::testing::UdpPeer agent_rtp;
  CallId id = answered_call(agent_rtp);

  ASSERT_EQ(b2bua.connect(id, "0555777"), 0);
  respond(sent("INVITE", 1), 486, carrier);
  EXPECT_EQ(application.connect_results, (std::vector<RecordingApplication::ConnectResult>{{id, false, 486}}));

  ASSERT_EQ(b2bua.connect(id, "0555777"), 0);
  b2bua.cancel_connect(id);

  ASSERT_EQ(b2bua.connect(id, "0555777"), 0);
  EXPECT_EQ(count("INVITE "), 4u);
  EXPECT_EQ(b2bua.connect(id, "0555888"), 491);  // one transfer at a time per call

  // The call ends while its transfer rings: the IVR's slot is free again.
  b2bua.hang_up(id);
  EXPECT_EQ(outbound.admit("ivr", "0555999"), "");
}

TEST_F(OriginateTest, AByeFromTheAnsweringPartyEndsTheCall) {
  media::testing::UdpPeer agent_rtp;
  CallId id = answered_call(agent_rtp);

  bye_from(sent("INVITE"), agent);

  EXPECT_TRUE(posted.run_until([&] { return count("SIP/2.0 200") == 1; }));
  EXPECT_EQ(count("BYE "), 0u);
  EXPECT_EQ(application.ended, (std::vector<CallId>{id}));
  EXPECT_EQ(only_cdr().disposition, "answered");
  EXPECT_EQ(only_cdr().hangup_side, "callee");
  EXPECT_EQ(only_cdr().callee, "1001");
}

// An answered call has an in-progress record; the BYE that ends it is answered once
// its final record is durable, so a kill -9 after the 200 cannot lose the call.
TEST_F(OriginateTest, TheByeIsAnsweredOnceTheCallsRecordIsDurable) {
  media::testing::UdpPeer agent_rtp;
  answered_call(agent_rtp);
  ASSERT_EQ(cdrs.in_progress.size(), 1u);
  EXPECT_EQ(cdrs.in_progress[0].call_id, sent("INVITE").call_id());
  EXPECT_NE(cdrs.in_progress[0].answered_at, 0);

  cdrs.hold = true;
  bye_from(sent("INVITE"), agent);
  EXPECT_EQ(only_cdr().disposition, "answered");
  EXPECT_FALSE(posted.run_until([&] { return count("SIP/2.0 ") > 0; }, 100ms));
  cdrs.confirm(true);
  EXPECT_TRUE(posted.run_until([&] { return count("SIP/2.0 200") == 1; }));
}

TEST_F(OriginateTest, AByeWhoseRecordCannotBeKeptGets500) {
  media::testing::UdpPeer agent_rtp;
  answered_call(agent_rtp);
  cdrs.hold = true;
  bye_from(sent("INVITE"), agent);
  cdrs.confirm(false);
  EXPECT_TRUE(posted.run_until([&] { return count("SIP/2.0 500") == 1; }));
  EXPECT_EQ(count("SIP/2.0 200"), 0u);
}

// The attack: a BYE that knows the Call-ID but not both tags, or comes from
// somewhere else than the party, must not end (or touch) the call.
TEST_F(OriginateTest, AByeThatDoesNotMatchTheDialogGets481AndChangesNothing) {
  media::testing::UdpPeer agent_rtp;
  CallId id = answered_call(agent_rtp);
  const Message invite = sent("INVITE");
  const Endpoint stranger{Transport::kUdp, "127.0.0.9", 5071};

  std::string our_from(*invite.header("From"));
  our_from.replace(our_from.find(";tag=") + 5, std::string::npos, "guessed");
  bye_from(parse(std::string(invite.start_line()) + "\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx\r\nFrom: " +
                 our_from + "\r\nTo: " + std::string(*invite.header("To")) + "\r\nCall-ID: " +
                 std::string(invite.call_id()) + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"),
           agent);                          // the party's tag right, ours guessed
  bye_from(invite, agent, "guessed-tag");  // ours right, the party's guessed
  bye_from(invite, stranger);              // right tags, another address
  bye_from(invite, Endpoint{Transport::kUdp, "127.0.0.1", 5099});  // right address, another port

  EXPECT_EQ(count("SIP/2.0 481"), 4u);
  EXPECT_EQ(count("SIP/2.0 200"), 0u);
  EXPECT_TRUE(application.ended.empty());
  EXPECT_TRUE(cdrs.cdrs.empty());

  bye_from(invite, agent);
  EXPECT_EQ(application.ended, (std::vector<CallId>{id}));
}

TEST_F(OriginateTest, AReInviteFromAStrangerGets481) {
  media::testing::UdpPeer agent_rtp;
  answered_call(agent_rtp);
  const Message invite = sent("INVITE");
  const std::string reinvite = "INVITE sip:unicc@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9:5071;branch=z9hG4bKre1"
                               "\r\nMax-Forwards: 70\r\nFrom: " + std::string(*invite.header("To")) +
                               ";tag=party-tag\r\nTo: " + std::string(*invite.header("From")) + "\r\nCall-ID: " +
                               std::string(invite.call_id()) + "\r\nCSeq: 2 INVITE\r\nContent-Type: application/sdp\r\n\r\n" +
                               party_sdp(40000);
  sender.clear();
  front.receive(parse(reinvite), Endpoint{Transport::kUdp, "127.0.0.9", 5071});
  ASSERT_EQ(sender.sent().size(), 1u);
  EXPECT_TRUE(sender.sent().front().bytes.starts_with("SIP/2.0 481"));
}

// The attack: a forged 200 for one of our calls, "from" a victim's address, must
// not make us send ACK and BYE there.
TEST_F(OriginateTest, AForged2xxMakesUsSendNothingToTheAddressItNames) {
  media::testing::UdpPeer agent_rtp;
  answered_call(agent_rtp);
  const Message invite = sent("INVITE");
  sender.clear();
  const Endpoint victim{Transport::kUdp, "127.0.0.77", 5060};
  // For no call of ours: nothing at all.
  front.receive(parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnone\r\n"
                      "From: <sip:a@b>;tag=nope\r\nTo: <sip:c@d>;tag=y\r\nCall-ID: unknown@x\r\n"
                      "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"),
                victim);
  EXPECT_TRUE(sender.sent().empty());
  // As another fork of our call: whatever we send goes to the callee we called.
  respond(invite, 200, victim, party_sdp(agent_rtp.port()), "other-fork");
  for (const auto& message : sender.sent()) EXPECT_EQ(message.to.address, agent.address) << message.bytes;
}

TEST_F(OriginateTest, ApplicationHangUpSendsBye) {
  media::testing::UdpPeer agent_rtp;
  CallId id = answered_call(agent_rtp);

  b2bua.hang_up(id);

  ASSERT_EQ(count("BYE "), 1u);
  EXPECT_EQ(sent("BYE").call_id(), sent("INVITE").call_id());
  EXPECT_EQ(only_cdr().disposition, "answered");
  EXPECT_EQ(only_cdr().hangup_side, "system");
  EXPECT_EQ(application.ended, (std::vector<CallId>{id}));
}

TEST_F(OriginateTest, BusyFailsTheOriginateThenEndsIt) {
  int code = 0;
  CallId id = b2bua.originate("1001", "5551234", "Customer", code);
  respond(sent("INVITE"), 180, agent);
  respond(sent("INVITE"), 486, agent);

  EXPECT_EQ(application.failed, (std::vector<std::pair<CallId, int>>{{id, 486}}));
  EXPECT_EQ(application.log, (std::vector<std::string>{"failed 486", "ended"}));
  EXPECT_TRUE(application.answered.empty());
  const Cdr& cdr = only_cdr();
  EXPECT_EQ(cdr.direction, "originated");
  EXPECT_EQ(cdr.disposition, "busy");
  EXPECT_EQ(cdr.hangup_cause, "486");
  EXPECT_EQ(cdr.hangup_side, "callee");
  EXPECT_EQ(cdr.answered_at, 0);
  EXPECT_EQ(observer.states.back(), "ended");

  // The call is over: controls do nothing and no second report comes.
  b2bua.hang_up(id);
  EXPECT_EQ(count("BYE "), 0u);
  EXPECT_EQ(count("CANCEL "), 0u);
  EXPECT_EQ(application.ended.size(), 1u);
}

TEST_F(OriginateTest, UnavailableAnswerIsNoAnswer) {
  int code = 0;
  CallId id = b2bua.originate("1001", "5551234", "", code);
  respond(sent("INVITE"), 480, agent);

  EXPECT_EQ(application.failed, (std::vector<std::pair<CallId, int>>{{id, 480}}));
  EXPECT_EQ(only_cdr().disposition, "no_answer");
}

TEST_F(OriginateTest, RingTimeoutCancelsAndReportsNoAnswer) {
  int code = 0;
  CallId id = b2bua.originate("1001", "5551234", "", code);
  respond(sent("INVITE"), 180, agent);

  timers.advance(kRingTimeout - 1s);
  EXPECT_EQ(count("CANCEL "), 0u);
  EXPECT_TRUE(application.failed.empty());
  timers.advance(1s);

  ASSERT_EQ(count("CANCEL "), 1u);
  EXPECT_EQ(sent("CANCEL").call_id(), sent("INVITE").call_id());
  EXPECT_EQ(application.failed, (std::vector<std::pair<CallId, int>>{{id, 480}}));
  EXPECT_EQ(application.log, (std::vector<std::string>{"failed 480", "ended"}));
  EXPECT_EQ(only_cdr().disposition, "no_answer");
  EXPECT_EQ(only_cdr().hangup_side, "system");
}

TEST_F(OriginateTest, HangUpWhileRingingCancelsWithoutAFailureReport) {
  int code = 0;
  CallId id = b2bua.originate("1001", "5551234", "", code);
  Message invite = sent("INVITE");
  respond(invite, 180, agent);

  b2bua.hang_up(id);

  ASSERT_EQ(count("CANCEL "), 1u);
  EXPECT_EQ(sent("CANCEL").call_id(), invite.call_id());
  EXPECT_TRUE(application.failed.empty());
  EXPECT_EQ(application.ended, (std::vector<CallId>{id}));
  EXPECT_EQ(only_cdr().disposition, "cancelled");
  EXPECT_EQ(only_cdr().hangup_side, "system");

  // It answers anyway (the 200 crossed our CANCEL): confirmed and hung up at once.
  respond(invite, 200, agent, party_sdp(40000));
  EXPECT_EQ(count("ACK "), 1u);
  EXPECT_EQ(count("BYE "), 1u);
  EXPECT_TRUE(application.answered.empty());
  EXPECT_EQ(cdrs.cdrs.size(), 1u);
}

TEST_F(OriginateTest, HangUpAllEndsOriginatedCallsRingingOrAnswered) {
  media::testing::UdpPeer agent_rtp;
  CallId answered = answered_call(agent_rtp);
  int code = 0;
  CallId ringing = b2bua.originate("1001", "5551234", "", code);
  respond(sent("INVITE", 1), 180, agent, {}, "other-tag");

  b2bua.hang_up_all();

  ASSERT_EQ(count("BYE "), 1u);
  EXPECT_EQ(sent("BYE").call_id(), sent("INVITE", 0).call_id());
  ASSERT_EQ(count("CANCEL "), 1u);
  EXPECT_EQ(sent("CANCEL").call_id(), sent("INVITE", 1).call_id());
  EXPECT_EQ(application.failed, (std::vector<std::pair<CallId, int>>{{ringing, 503}}));
  EXPECT_EQ(application.ended.size(), 2u);
  ASSERT_EQ(cdrs.cdrs.size(), 2u);
  EXPECT_EQ(cdrs.cdrs[0].disposition, "answered");
  EXPECT_EQ(cdrs.cdrs[1].disposition, "failed");
  EXPECT_NE(answered, ringing);
}

TEST_F(OriginateTest, HangUpAllRefusesCallsPlacedFromItsOwnCallbacks) {
  int code = 0;
  b2bua.originate("1001", "5551234", "", code);
  respond(sent("INVITE"), 180, agent);
  CallId retried = 0;
  int retry_code = 0;
  bool retried_once = false;
  // An application that places a failed call again (a callback back to the queue).
  application.when_failed = [&](CallId, int) {
    if (std::exchange(retried_once, true)) return;
    retried = b2bua.originate("1001", "5551234", "", retry_code);
  };

  b2bua.hang_up_all();

  EXPECT_EQ(retried, 0u);
  EXPECT_EQ(retry_code, 503);
  EXPECT_EQ(count("INVITE "), 1u);
  EXPECT_NE(b2bua.originate("1001", "5551234", "", code), 0u);  // only while it runs
}

}  // namespace
}  // namespace unicc::call
