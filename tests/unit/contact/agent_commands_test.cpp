// contact::Contacts' CTI side with a fake channel: what the desktop sees of a
// contact (ContactView) and the agent's commands, with the races a desktop meets:
// double clicks, the customer leaving mid-transfer, a target that refuses, an agent
// who goes not ready while a call rings.
#include "contact_fixture.h"

namespace unicc::contact {
namespace {

using namespace std::chrono_literals;
using Commands = std::vector<std::string>;

class AgentCommandsTest : public ContactsTest {
 protected:
  std::vector<std::string> states() const {
    std::vector<std::string> out;
    for (const auto& view : views) out.push_back(view.state + " " + view.agent);
    return out;
  }
};

TEST_F(AgentCommandsTest, TheDesktopSeesTheContactQueuedOfferedAndTalking) {
  add_sales();
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  timers.advance(5s);
  make_ready(7);
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(states(), (Commands{"queued ", "offered 1007", "talking 1007"}));
  const ContactView& talking = views.back();
  EXPECT_EQ(talking.session_id, "sip-1");
  EXPECT_EQ(talking.caller, "138000001");
  EXPECT_EQ(talking.queue, "sales");
  EXPECT_EQ(talking.waited_ms, 5000);
  EXPECT_EQ(talking.since_ms + 5000, talking.state_since_ms);
  ASSERT_EQ(contacts.live().size(), 1u);
  EXPECT_EQ(contacts.view(1)->state, "talking");
  contacts.on_ended(1);
  EXPECT_EQ(views.back().state, "ended");
  EXPECT_EQ(views.back().agent, "1007");
  EXPECT_TRUE(contacts.live().empty());
}

// Answer on the desktop: the ringing phone is rung again with the auto-answer hint.
TEST_F(AgentCommandsTest, AnsweringOnTheDesktopRingsThePhoneAgainToAnswerAtOnce) {
  add_sales();
  add_agent(7);
  EXPECT_EQ(contacts.answer_contact(1), "not_found");
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  EXPECT_EQ(contacts.answer_contact(1), "");
  EXPECT_EQ(contacts.answer_contact(1), "");  // a double click rings once more, not twice
  EXPECT_EQ(control.take(), (Commands{"cancel 1", "connect 1 1007 auto-answer"}));
  EXPECT_EQ(contacts.view(1)->state, "offered");
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(contacts.view(1)->state, "talking");
  EXPECT_EQ(state_of(7), acd::AgentState::kOnCall);
  control.take();
  EXPECT_EQ(contacts.answer_contact(1), "");  // the click that arrives after the answer
  EXPECT_TRUE(control.take().empty());
  ASSERT_EQ(contacts.queue(customer(2), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(contacts.answer_contact(2), "not_offered");  // queued: no phone rings for it
}

TEST_F(AgentCommandsTest, AnsweringAPhoneThatCannotBeRungAgainOffersTheCallElsewhere) {
  add_sales();
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.connect_code = 480;
  EXPECT_EQ(contacts.answer_contact(1), "unavailable");
  EXPECT_EQ(state_of(7), acd::AgentState::kNotReady);  // as for a phone that does not answer
  EXPECT_EQ(contacts.view(1)->state, "queued");
}

TEST_F(AgentCommandsTest, HoldPlaysTheQueueMusicAndADoubleClickChangesNothing) {
  talking_to_agent_7();
  EXPECT_EQ(contacts.hold_contact(1), "");
  EXPECT_EQ(contacts.hold_contact(1), "");
  EXPECT_EQ(control.take(), (Commands{"hold_bridged 1 jazz.wav"}));
  EXPECT_EQ(contacts.view(1)->state, "held");
  EXPECT_EQ(contacts.resume_contact(1), "");
  EXPECT_EQ(contacts.resume_contact(1), "");
  EXPECT_EQ(control.take(), (Commands{"resume_bridged 1"}));
  EXPECT_EQ(states(), (Commands{"held 1007", "talking 1007"}));
}

TEST_F(AgentCommandsTest, CommandsOnAContactNobodyTalksToAreRefused) {
  add_sales();
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  EXPECT_EQ(contacts.hold_contact(1), "not_talking");
  EXPECT_EQ(contacts.transfer_contact(1, "1002"), "not_talking");
  EXPECT_EQ(contacts.send_digits(1, "1"), "not_talking");
  EXPECT_EQ(contacts.hold_contact(9), "not_found");
  EXPECT_EQ(contacts.hang_up_contact(9), "not_found");
  EXPECT_TRUE(control.take().empty());
}

TEST_F(AgentCommandsTest, DigitsGoToTheCustomerAndOnlyKeypadKeysAreSent) {
  talking_to_agent_7();
  EXPECT_EQ(contacts.send_digits(1, "12#*A"), "");
  EXPECT_EQ(contacts.send_digits(1, "1x"), "invalid_digits");
  EXPECT_EQ(contacts.send_digits(1, ""), "invalid_digits");
  EXPECT_EQ(contacts.send_digits(1, std::string(33, '1')), "invalid_digits");
  EXPECT_EQ(control.take(), (Commands{"digits 1 12#*A"}));
}

TEST_F(AgentCommandsTest, ABlindTransferToAnExtensionWrapsTheAgentUpAndRingsTheTarget) {
  talking_to_agent_7();
  add_agent(8, /*ready=*/false);
  EXPECT_EQ(contacts.transfer_contact(1, "1008"), "");
  EXPECT_EQ(contacts.transfer_contact(1, "1008"), "");  // double click
  EXPECT_EQ(control.take(), (Commands{"transfer_bridged 1 1008", "hold 1 ringback"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  // The first agent's desktop sees the contact go; the target's sees it offered.
  EXPECT_EQ(states(), (Commands{"ended 1007", "offered 1008"}));
  EXPECT_EQ(state_of(8), acd::AgentState::kReserved);  // no queue call rings them meanwhile
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(control.take(), (Commands{"stop 1"}));
  EXPECT_EQ(state_of(8), acd::AgentState::kOnCall);
  const ContactView view = *contacts.view(1);
  EXPECT_EQ(view.state, "talking");
  EXPECT_EQ(view.agent, "1008");
  EXPECT_EQ(view.queue, "sales");  // the customer's data goes along
  ASSERT_EQ(view.steps.size(), 1u);
  EXPECT_EQ(view.steps[0].kind, "transfer");
  EXPECT_EQ(view.steps[0].from, "1007");
  EXPECT_EQ(view.steps[0].to, "1008");
  // The new agent can transfer again, and hangs up in the end.
  EXPECT_EQ(contacts.hang_up_contact(1), "");
  EXPECT_EQ(control.take(), (Commands{"hang_up 1"}));
  contacts.on_ended(1);
  EXPECT_EQ(views.back().state + " " + views.back().agent, "ended 1008");
  EXPECT_EQ(state_of(8), acd::AgentState::kWrapUp);
}

TEST_F(AgentCommandsTest, AnAgentWhoDoesNotAnswerATransferIsFreeAgainAndTheCustomerWaitsAhead) {
  talking_to_agent_7();
  add_agent(8);
  ASSERT_EQ(contacts.transfer_contact(1, "1008"), "");
  EXPECT_EQ(state_of(8), acd::AgentState::kReserved);
  contacts.on_connect_result(1, false, 480);
  EXPECT_EQ(contacts.view(1)->state, "offered");  // back in sales, which offers it to 8, now free
  EXPECT_EQ(contacts.view(1)->steps.back().kind, "transfer_failed");
}

TEST_F(AgentCommandsTest, TheCustomerLeavingWhileATransferRingsAnAgentFreesThem) {
  talking_to_agent_7();
  add_agent(8, /*ready=*/false);
  ASSERT_EQ(contacts.transfer_contact(1, "1008"), "");
  contacts.on_ended(1);
  EXPECT_EQ(state_of(8), acd::AgentState::kNotReady);
}

TEST_F(AgentCommandsTest, ATransferTheTargetRefusesBringsTheCustomerBackToTheQueueFirst) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.queue(customer(2), "sales", {}, 0), std::nullopt);  // another caller waits
  ASSERT_EQ(contacts.transfer_contact(1, "2002"), "");
  control.take();
  contacts.on_connect_result(1, false, 486);
  EXPECT_EQ(control.take(), (Commands{"stop 1", "hold 1 jazz.wav"}));
  EXPECT_EQ(router.wait_status(1)->position, 1u);  // ahead of customer 2
  EXPECT_EQ(contacts.view(1)->steps.back().kind, "transfer_failed");
  EXPECT_TRUE(returned.empty());
}

TEST_F(AgentCommandsTest, ATargetThatCannotBeReachedLeavesTheCallAsItWas) {
  talking_to_agent_7();
  control.transfer_code = 404;
  EXPECT_EQ(contacts.transfer_contact(1, "999"), "not_found");
  control.transfer_code = 403;
  EXPECT_EQ(contacts.transfer_contact(1, "00441234"), "refused");
  EXPECT_EQ(contacts.view(1)->state, "talking");
  EXPECT_EQ(state_of(7), acd::AgentState::kOnCall);
  EXPECT_TRUE(contacts.view(1)->steps.empty());
}

// A transfer from the agent's phone (REFER) is the desktop's blind transfer; its
// problems reach the phone as SIP statuses.
TEST_F(AgentCommandsTest, ATransferFromThePhoneIsABlindTransferAnsweredInSipStatuses) {
  talking_to_agent_7();
  control.transfer_code = 404;
  EXPECT_EQ(contacts.refer_contact(1, "999"), 404);
  control.transfer_code = 403;
  EXPECT_EQ(contacts.refer_contact(1, "00441234"), 403);
  control.transfer_code = 480;
  EXPECT_EQ(contacts.refer_contact(1, "1009"), 480);
  EXPECT_EQ(contacts.refer_contact(1, "queue:nowhere"), 404);
  control.transfer_code = 0;
  control.take();
  EXPECT_EQ(contacts.refer_contact(1, "1008"), 0);
  EXPECT_EQ(control.take(), (Commands{"transfer_bridged 1 1008", "hold 1 ringback"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  EXPECT_EQ(contacts.view(1)->steps.back().to, "1008");
  EXPECT_EQ(contacts.refer_contact(2, "1008"), 404);  // no such contact
}

// The agent's phone consulted 1008 on a call of its own and refers with Replaces:
// 1008's call gets the customer, as when an attended transfer completes.
TEST_F(AgentCommandsTest, AnAttendedTransferFromThePhoneHandsTheCustomerToItsConsult) {
  talking_to_agent_7();
  add_agent(8, /*ready=*/false);
  control.take();
  EXPECT_EQ(contacts.refer_contact(1, "1008", 900), 0);
  EXPECT_EQ(control.take(), (Commands{"hand_over 1 900", "resume_bridged 1"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  EXPECT_EQ(state_of(8), acd::AgentState::kOnCall);
  const ContactView view = *contacts.view(1);
  EXPECT_EQ((std::pair{view.state, view.agent}), (std::pair{std::string("talking"), std::string("1008")}));
  EXPECT_EQ(view.steps.back().mode, "attended");
  control.hand_over_works = false;
  EXPECT_EQ(contacts.refer_contact(1, "1009", 901), 480);
}

TEST_F(AgentCommandsTest, TheCustomerHangingUpDuringATransferEndsTheContact) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.transfer_contact(1, "2002"), "");
  contacts.on_ended(1);
  EXPECT_EQ(views.back().state, "ended");
  EXPECT_FALSE(contacts.owns(1));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);  // once, from the transfer
  contacts.on_connect_result(1, true, 200);          // a late answer finds nothing
  EXPECT_TRUE(contacts.live().empty());
}

TEST_F(AgentCommandsTest, ATransferToAQueueWaitsThereAheadOfItsCallers) {
  talking_to_agent_7();
  add_agent(8);
  EXPECT_EQ(contacts.transfer_contact(1, "queue:nowhere"), "unknown_queue");
  EXPECT_EQ(contacts.transfer_contact(1, "queue:sales"), "");
  EXPECT_EQ(control.take(), (Commands{"release_bridged 1", "hold 1 jazz.wav", "connect 1 1008"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  EXPECT_EQ(contacts.view(1)->state, "offered");
  EXPECT_EQ(contacts.view(1)->agent, "1008");
}

TEST_F(AgentCommandsTest, AVipCallerWaitsAheadOfEarlierCallers) {
  add_sales();
  add_agent(7, /*ready=*/false);
  vip_callers.insert(customer(2).caller);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  ASSERT_EQ(contacts.queue(customer(2), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(router.wait_status(2)->position, 1u);
  EXPECT_EQ(router.wait_status(1)->position, 2u);
  // A flow's own priority above the VIP's stays.
  EXPECT_EQ(contacts.queue(customer(3), "sales", {}, kVipPriority + 5), std::nullopt);
  EXPECT_EQ(router.wait_status(3)->position, 1u);
}

TEST_F(AgentCommandsTest, AnAgentOnAHeadsetIsAskedToAnswerAtOnce) {
  add_sales();
  add_agent(7, /*ready=*/false);
  contacts.set_agent(7, "1007", /*auto_answer=*/true);
  make_ready(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"hold 1 jazz.wav", "connect 1 1007 auto-answer"}));
}

TEST_F(AgentCommandsTest, AnAgentWhoGoesNotReadyWhileOfferedStillTakesTheCall) {
  add_sales();
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(router.set_not_ready(7, "break"), acd::Status::kOk);
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(contacts.view(1)->state, "talking");
  contacts.on_ended(1);
  EXPECT_EQ(state_of(7), acd::AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(7)->reason, "break");
}

TEST_F(AgentCommandsTest, AThreeWayCallJoinsTheGuestOnceTheyAnswer) {
  talking_to_agent_7();
  EXPECT_EQ(contacts.conference_contact(1, "1002"), "");
  EXPECT_EQ(contacts.conference_contact(1, "1002"), "");  // a double click
  EXPECT_EQ(control.take(), (Commands{"originate 1002 as 138000001"}));
  ASSERT_TRUE(contacts.view(1)->guest);
  EXPECT_EQ(contacts.view(1)->guest->with, "1002");
  EXPECT_FALSE(contacts.view(1)->guest->answered);
  EXPECT_EQ(contacts.hold_contact(1), "in_conference");
  EXPECT_EQ(contacts.transfer_contact(1, "1003"), "in_conference");
  EXPECT_EQ(contacts.conference_contact(1, "1003"), "in_conference");

  contacts.on_answered(500);
  EXPECT_EQ(control.take(), (Commands{"join 1 500"}));
  EXPECT_TRUE(views.back().guest->answered);
  EXPECT_EQ(views.back().steps.back().kind, "conference");
  EXPECT_EQ(views.back().steps.back().to, "1002");

  // The guest hangs up: customer and agent go on, and may be held again.
  contacts.on_ended(500);
  EXPECT_EQ(control.take(), (Commands{"unjoin 1"}));
  EXPECT_FALSE(contacts.view(1)->guest);
  EXPECT_EQ(contacts.view(1)->state, "talking");
  EXPECT_EQ(contacts.hold_contact(1), "");
}

TEST_F(AgentCommandsTest, TheCustomerLeavingAThreeWayCallHangsTheGuestUp) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.conference_contact(1, "013900000000"), "");
  contacts.on_answered(500);
  control.take();
  contacts.on_ended(1);
  EXPECT_EQ(control.take(), (Commands{"hang_up 500"}));
  contacts.on_ended(500);  // the guest's session ends after
  EXPECT_TRUE(contacts.live().empty());
}

TEST_F(AgentCommandsTest, AGuestWhoDoesNotAnswerIsNotedAndTheCallGoesOn) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.conference_contact(1, "1002"), "");
  contacts.on_originate_failed(500, 486);
  contacts.on_ended(500);
  EXPECT_EQ(views.back().steps.back().kind, "conference_failed");
  EXPECT_FALSE(contacts.view(1)->guest);
  EXPECT_EQ(contacts.transfer_contact(1, "1002"), "");
}

TEST_F(AgentCommandsTest, AGuestAnsweringAfterTheCustomerLeftIsHungUp) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.conference_contact(1, "1002"), "");
  contacts.on_ended(1);
  control.take();
  contacts.on_answered(500);
  EXPECT_EQ(control.take(), (Commands{"hang_up 500"}));
}

TEST_F(AgentCommandsTest, AThreeWayCallNeedsATalkingCallAndATarget) {
  add_sales();
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(contacts.conference_contact(1, "1002"), "not_talking");
  EXPECT_EQ(contacts.conference_contact(9, "1002"), "not_found");
  control.originate_code = 503;
  make_ready(7);
  contacts.on_connect_result(1, true, 200);
  control.take();
  EXPECT_EQ(contacts.conference_contact(1, "1002"), "unavailable");
  EXPECT_EQ(contacts.conference_contact(1, "1007"), "already_on_call");  // the agent themselves
  ASSERT_EQ(contacts.hold_contact(1), "");
  EXPECT_EQ(contacts.conference_contact(1, "1002"), "held");
}

TEST_F(AgentCommandsTest, AnAttendedTransferConsultsWhileTheCustomerHoldsThenHandsOver) {
  talking_to_agent_7();
  EXPECT_EQ(contacts.consult_contact(1, "1002"), "");
  EXPECT_EQ(contacts.consult_contact(1, "1002"), "");  // a double click
  EXPECT_EQ(control.take(), (Commands{"originate 1002 as 138000001", "hold_bridged 1 jazz.wav"}));
  EXPECT_EQ(contacts.view(1)->state, "held");
  EXPECT_EQ(contacts.view(1)->guest->kind, ContactGuest::Kind::kConsult);
  EXPECT_EQ(contacts.complete_transfer(1), "not_consulting");  // 1002 has not answered
  EXPECT_EQ(contacts.resume_contact(1), "consulting");
  EXPECT_EQ(contacts.transfer_contact(1, "1003"), "consulting");
  EXPECT_EQ(contacts.conference_contact(1, "1003"), "consulting");

  contacts.on_answered(500);
  EXPECT_EQ(control.take(), (Commands{"consult 1 500"}));  // the agent and 1002, the customer holds
  EXPECT_EQ(contacts.complete_transfer(1), "");
  EXPECT_EQ(control.take(), (Commands{"hand_over 1 500", "resume_bridged 1"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  const ContactView after = *contacts.view(1);
  EXPECT_EQ(after.state, "talking");
  EXPECT_EQ(after.agent, "1002");
  EXPECT_FALSE(after.guest);
  ASSERT_EQ(after.steps.size(), 1u);
  EXPECT_EQ((std::vector<std::string>{after.steps[0].kind, after.steps[0].mode, after.steps[0].from,
                                      after.steps[0].to}),
            (Commands{"transfer", "attended", "1007", "1002"}));
  EXPECT_EQ(contacts.complete_transfer(1), "");  // a double click
  contacts.on_ended(500);  // the consult's session ends quietly
  EXPECT_TRUE(control.take().empty());
  EXPECT_EQ(contacts.view(1)->agent, "1002");
  contacts.on_ended(1);
  EXPECT_TRUE(contacts.live().empty());
}

TEST_F(AgentCommandsTest, CancellingAnAttendedTransferReturnsToTheCustomer) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.consult_contact(1, "1002"), "");
  contacts.on_answered(500);
  control.take();
  EXPECT_EQ(contacts.cancel_transfer(1), "");
  EXPECT_EQ(contacts.cancel_transfer(1), "");  // a double click
  EXPECT_EQ(control.take(), (Commands{"hang_up 500", "unjoin 1", "resume_bridged 1"}));
  contacts.on_ended(500);
  EXPECT_EQ(contacts.view(1)->state, "talking");
  EXPECT_EQ(contacts.view(1)->agent, "1007");
  EXPECT_TRUE(contacts.view(1)->steps.empty());
}

TEST_F(AgentCommandsTest, ATargetThatRejectsTheConsultLeavesTheCustomerHeldWithTheAgent) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.consult_contact(1, "1002"), "");
  control.take();
  contacts.on_originate_failed(500, 486);
  contacts.on_ended(500);
  EXPECT_TRUE(control.take().empty());
  const ContactView view = *contacts.view(1);
  EXPECT_EQ(view.state, "held");
  EXPECT_FALSE(view.guest);
  EXPECT_EQ(view.steps.back().kind, "transfer_failed");
  EXPECT_EQ(contacts.resume_contact(1), "");
  EXPECT_EQ(state_of(7), acd::AgentState::kOnCall);
}

TEST_F(AgentCommandsTest, TheCustomerHangingUpDuringAConsultHangsTheTargetUp) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.consult_contact(1, "1002"), "");
  contacts.on_answered(500);
  control.take();
  contacts.on_ended(1);
  EXPECT_EQ(control.take(), (Commands{"hang_up 500"}));
  EXPECT_EQ(contacts.complete_transfer(1), "not_found");
  contacts.on_ended(500);
  EXPECT_TRUE(contacts.live().empty());
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
}

TEST_F(AgentCommandsTest, AHandOverTheChannelCannotMakeKeepsTheConsult) {
  talking_to_agent_7();
  ASSERT_EQ(contacts.consult_contact(1, "1002"), "");
  contacts.on_answered(500);
  control.hand_over_works = false;
  EXPECT_EQ(contacts.complete_transfer(1), "unavailable");
  EXPECT_TRUE(contacts.view(1)->guest->answered);
  EXPECT_EQ(contacts.cancel_transfer(1), "");
}

}  // namespace
}  // namespace unicc::contact
