// Click-to-dial with a fake channel: the agent's phone rings first, then the
// customer's showing the center's caller ID; a live contact ("outbound") through
// offered, dialing, talking and ended, with the agent on a call in the ACD for as long
// as it lasts and in wrap-up after; the customer busy, the agent hanging up while the
// customer rings, a double click, an agent who is busy, logged out or not ready.
#include "contact_fixture.h"

namespace unicc::contact {
namespace {

using namespace std::chrono_literals;
using Commands = std::vector<std::string>;

constexpr const char* kNumber = "013800000000";
constexpr ContactId kLeg = 500;  // FakeControl's first session

class ClickToDialTest : public ContactsTest {
 protected:
  void SetUp() override {
    add_sales([](acd::QueueConfig& config, QueueSettings&) { config.wrap_up = 30s; });
    add_agent(7);
  }

  // Agent 7 (1007) dials kNumber and answers their phone.
  void agent_answered() {
    ASSERT_EQ(contacts.dial("1007", kNumber).problem, "");
    contacts.on_answered(kLeg);
    control.take();
  }

  std::vector<std::string> states() const {
    std::vector<std::string> out;
    for (const auto& view : views) out.push_back(view.state + " " + view.agent + " " + view.reason);
    return out;
  }
};

TEST_F(ClickToDialTest, TheAgentIsCalledThenTheCustomerShowingTheCallerId) {
  const DialOutcome placed = contacts.dial("1007", kNumber);
  ASSERT_EQ(placed.problem, "");
  EXPECT_FALSE(placed.repeated);
  ASSERT_TRUE(placed.contact);
  EXPECT_EQ(placed.contact->session_id, "dial-500");
  EXPECT_EQ(placed.contact->state, "offered");
  EXPECT_EQ(placed.contact->direction, "outbound");
  EXPECT_EQ((std::pair{placed.contact->caller, placed.contact->dialled}), (std::pair<std::string, std::string>{
                                                                              "4000123", kNumber}));
  EXPECT_EQ(placed.contact->agent, "1007");
  EXPECT_EQ(control.take(), (Commands{"ring_agent 1007 as 013800000000"}));  // whom they call, on their phone
  EXPECT_EQ(state_of(7), acd::AgentState::kReserved);
  EXPECT_TRUE(contacts.owns(kLeg));

  contacts.on_answered(kLeg);
  EXPECT_EQ(control.take(), (Commands{"hold 500 ringback", "dial 500 013800000000 as 4000123 for 1007"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kOnCall);
  EXPECT_EQ(contacts.view(kLeg)->state, "dialing");

  contacts.on_connect_result(kLeg, true, 200);
  EXPECT_EQ(contacts.view(kLeg)->state, "talking");
  contacts.on_ended(kLeg);
  EXPECT_EQ(states(), (Commands{"offered 1007 ", "dialing 1007 ", "talking 1007 ", "ended 1007 "}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);  // the wrap-up of their queue
  EXPECT_TRUE(contacts.live().empty());
  EXPECT_FALSE(contacts.owns(kLeg));
}

TEST_F(ClickToDialTest, HoldDigitsAndHangUpWorkOnItButNoQueueTakesIt) {
  agent_answered();
  EXPECT_EQ(contacts.hold_contact(kLeg), "not_talking");  // the customer's phone still rings
  contacts.on_connect_result(kLeg, true, 200);
  EXPECT_EQ(contacts.hold_contact(kLeg), "");
  EXPECT_EQ(contacts.view(kLeg)->state, "held");
  EXPECT_EQ(contacts.resume_contact(kLeg), "");
  EXPECT_EQ(contacts.send_digits(kLeg, "12#"), "");
  EXPECT_EQ(contacts.transfer_contact(kLeg, "queue:sales"), "not_supported");
  EXPECT_EQ(contacts.hang_up_contact(kLeg), "");
  EXPECT_EQ(control.take(), (Commands{"hold_bridged 500 ringback", "resume_bridged 500", "digits 500 12#",
                                      "hang_up 500"}));
}

TEST_F(ClickToDialTest, ABlindTransferRingsTheTargetShowingTheCustomerAndTheAgentLeavesAtOnce) {
  add_agent(8);
  agent_answered();
  contacts.on_connect_result(kLeg, true, 200);
  ASSERT_EQ(contacts.transfer_contact(kLeg, "1008"), "");
  EXPECT_EQ(control.take(), (Commands{"originate 1008 as 013800000000", "release_bridged 500", "hold 500 ringback"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  EXPECT_EQ(state_of(8), acd::AgentState::kReserved);  // no queue call reaches 1008 meanwhile
  EXPECT_EQ(contacts.transfer_contact(kLeg, "1008"), "");  // a double click
  const ContactId target = 501;
  EXPECT_TRUE(contacts.owns(target));

  contacts.on_answered(target);
  EXPECT_EQ(control.take(), (Commands{"hand_over 500 501", "stop 500"}));
  EXPECT_EQ(contacts.view(kLeg)->state, "talking");
  EXPECT_EQ(contacts.view(kLeg)->agent, "1008");
  EXPECT_EQ(state_of(8), acd::AgentState::kOnCall);
  EXPECT_FALSE(contacts.owns(target));
  contacts.on_ended(kLeg);
  EXPECT_EQ(state_of(8), acd::AgentState::kWrapUp);
}

TEST_F(ClickToDialTest, ATransferTargetThatDoesNotAnswerEndsTheCustomersCall) {
  add_agent(8);
  agent_answered();
  contacts.on_connect_result(kLeg, true, 200);
  ASSERT_EQ(contacts.transfer_contact(kLeg, "1008"), "");
  control.take();
  contacts.on_originate_failed(501, 480);
  contacts.on_ended(501);
  EXPECT_EQ(control.take(), (Commands{"stop 500", "hang_up 500"}));
  EXPECT_EQ(contacts.view(kLeg)->steps.back().kind, "transfer_failed");
  EXPECT_EQ(state_of(8), acd::AgentState::kReady);
}

TEST_F(ClickToDialTest, AnAttendedTransferHandsTheCustomerToTheConsultedParty) {
  agent_answered();
  contacts.on_connect_result(kLeg, true, 200);
  ASSERT_EQ(contacts.consult_contact(kLeg, "1008"), "");
  EXPECT_EQ(control.take(), (Commands{"originate 1008 as 013800000000", "hold_bridged 500 ringback"}));
  contacts.on_answered(501);
  EXPECT_EQ(contacts.complete_transfer(kLeg), "");
  EXPECT_EQ(control.take(), (Commands{"consult 500 501", "hand_over 500 501", "resume_bridged 500"}));
  EXPECT_EQ(contacts.view(kLeg)->steps.back().mode, "attended");
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
}

TEST_F(ClickToDialTest, ABusyCustomerEndsTheCallWithTheReasonAndTheAgentWrapsUp) {
  agent_answered();
  contacts.on_connect_result(kLeg, false, 486);
  EXPECT_EQ(control.take(), (Commands{"hang_up 500"}));
  EXPECT_EQ(contacts.view(kLeg)->reason, "busy");
  contacts.on_ended(kLeg);
  EXPECT_EQ(views.back().state, "ended");
  EXPECT_EQ(views.back().reason, "busy");
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
}

TEST_F(ClickToDialTest, TheAgentHangingUpWhileTheCustomerRingsCancelsIt) {
  agent_answered();
  contacts.on_ended(kLeg);  // the channel CANCELs the customer's leg with the agent's
  EXPECT_EQ(views.back().state, "ended");
  EXPECT_EQ(views.back().reason, "cancelled");
  EXPECT_TRUE(control.take().empty());
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
}

TEST_F(ClickToDialTest, ANumberRefusedWhenTheAgentAnswersEndsTheCall) {
  ASSERT_EQ(contacts.dial("1007", kNumber).problem, "");
  control.take();
  control.connect_code = 403;  // the outbound rules' limit was reached meanwhile
  contacts.on_answered(kLeg);
  EXPECT_EQ(control.take(), (Commands{"hold 500 ringback", "dial 500 013800000000 as 4000123 for 1007",
                                      "hang_up 500"}));
  contacts.on_ended(kLeg);
  EXPECT_EQ(views.back().reason, "blocked");
}

TEST_F(ClickToDialTest, AnAgentWhoDoesNotAnswerTheirPhoneIsBackWithoutWrapUp) {
  ASSERT_EQ(contacts.dial("1007", kNumber).problem, "");
  contacts.on_originate_failed(kLeg, 480);
  contacts.on_ended(kLeg);
  EXPECT_EQ(views.back().state, "ended");
  EXPECT_EQ(views.back().reason, "agent_no_answer");
  EXPECT_EQ(state_of(7), acd::AgentState::kReady);
}

TEST_F(ClickToDialTest, ADoubleClickGetsTheSameCallAndPlacesNoSecond) {
  const DialOutcome first = contacts.dial("1007", kNumber);
  const DialOutcome again = contacts.dial("1007", kNumber);
  ASSERT_EQ(again.problem, "");
  EXPECT_TRUE(again.repeated);
  EXPECT_EQ(again.contact->session_id, first.contact->session_id);
  contacts.on_answered(kLeg);
  EXPECT_TRUE(contacts.dial("1007", kNumber).repeated);  // still ringing: the customer's phone
  EXPECT_EQ(contacts.dial("1007", "013900000000").problem, "busy");
  EXPECT_EQ(control.take(), (Commands{"ring_agent 1007 as 013800000000", "hold 500 ringback",
                                      "dial 500 013800000000 as 4000123 for 1007"}));
  contacts.on_connect_result(kLeg, true, 200);
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "busy");  // talking now: another call is another click
}

TEST_F(ClickToDialTest, NoQueueCallIsOfferedToTheAgentMeanwhile) {
  agent_answered();
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"hold 1 jazz.wav"}));
  EXPECT_EQ(contacts.view(1)->state, "queued");
}

TEST_F(ClickToDialTest, AnAgentOnACallOrOfferedOneIsBusy) {
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(contacts.view(1)->state, "offered");
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "busy");
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "busy");
  contacts.on_ended(1);
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  control.take();
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "");  // wrapping up: calling a customer back is fine
}

TEST_F(ClickToDialTest, UnknownLoggedOutUnreachableAndRefused) {
  EXPECT_EQ(contacts.dial("1099", kNumber).problem, "unknown_agent");
  EXPECT_EQ(contacts.dial("1007", "1007").problem, "no_route");
  control.check_dial_code = 404;
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "no_route");
  control.check_dial_code = 403;
  EXPECT_EQ(contacts.dial("1007", "0001144").problem, "refused");
  control.check_dial_code = 0;
  control.originate_code = 480;  // the agent's phone is not registered
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "unavailable");
  EXPECT_EQ(state_of(7), acd::AgentState::kReady);  // nothing changed
  EXPECT_EQ(control.take(), (Commands{"ring_agent 1007 as 013800000000"}));
  ASSERT_EQ(router.log_out(7), acd::Status::kOk);
  EXPECT_EQ(contacts.dial("1007", kNumber).problem, "logged_out");
  EXPECT_TRUE(contacts.live().empty());
}

TEST_F(ClickToDialTest, AnAgentWhoIsNotReadyMayDialAndIsNotReadyAfter) {
  ASSERT_EQ(router.set_not_ready(7, "admin"), acd::Status::kOk);
  agent_answered();
  contacts.on_connect_result(kLeg, true, 200);
  contacts.on_ended(kLeg);
  ASSERT_EQ(router.end_wrap_up(7), acd::Status::kOk);
  EXPECT_EQ(state_of(7), acd::AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(7)->reason, "admin");
}

TEST_F(ClickToDialTest, AnAgentOnAHeadsetHasTheirPhoneAnswerAtOnce) {
  contacts.set_agent(7, "1007", /*auto_answer=*/true);
  ASSERT_EQ(contacts.dial("1007", kNumber).problem, "");
  EXPECT_EQ(control.take(), (Commands{"ring_agent 1007 as 013800000000 auto-answer"}));
}

TEST_F(ClickToDialTest, AThirdPartyCanBeBroughtIn) {
  agent_answered();
  contacts.on_connect_result(kLeg, true, 200);
  EXPECT_EQ(contacts.conference_contact(kLeg, "1008"), "");
  EXPECT_EQ(control.take(), (Commands{"originate 1008 as 013800000000"}));  // the guest sees the customer's number
  contacts.on_answered(501);
  EXPECT_EQ(control.take(), (Commands{"join 500 501"}));
  EXPECT_TRUE(contacts.view(kLeg)->guest->answered);
}

}  // namespace
}  // namespace unicc::contact
