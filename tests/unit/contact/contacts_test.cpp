// contact::Contacts with a fake channel: queueing, offers, ring-no-answer, overflow,
// abandon, wrap-up, comfort and announcements, transfers and voicemail — what the
// SIPp tests (sip_acd_*, sip_ivr) show end to end, here in milliseconds.
#include "contact_fixture.h"

#include <memory>

#include <nlohmann/json.hpp>

namespace unicc::contact {
namespace {

using namespace std::chrono_literals;
using Commands = std::vector<std::string>;

TEST_F(ContactsTest, AQueuedContactHearsTheQueueMusicAndWaitsForAnAgent) {
  add_sales();
  add_agent(7, /*ready=*/false);
  EXPECT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"hold 1 jazz.wav"}));
  EXPECT_TRUE(contacts.owns(1));
  EXPECT_EQ(router.wait_status(1)->position, 1u);
}

TEST_F(ContactsTest, AClosedQueueLeavesTheContactInItsFlow) {
  add_sales();
  EXPECT_EQ(contacts.queue(customer(1), "support", {}, 0), "queue support is closed");
  EXPECT_FALSE(contacts.owns(1));
  EXPECT_TRUE(control.take().empty());
}

TEST_F(ContactsTest, AReadyAgentIsOfferedTheContactAndTalksOnceTheyAnswer) {
  add_sales();
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"hold 1 jazz.wav", "connect 1 1007"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kReserved);
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(state_of(7), acd::AgentState::kOnCall);
  EXPECT_EQ(control.take(), (Commands{"stop 1"}));
  EXPECT_EQ(router.agent_status(7)->call, 1u);
}

TEST_F(ContactsTest, AnAgentWhoDoesNotAnswerGoesNotReadyAndTheNextOneRings) {
  add_sales([](acd::QueueConfig& config, QueueSettings&) { config.ring_timeout = 20s; });
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  add_agent(8);
  EXPECT_EQ(control.take(), (Commands{"hold 1 jazz.wav", "connect 1 1007"}));
  timers.advance(20s);
  EXPECT_EQ(control.take(), (Commands{"cancel 1", "connect 1 1008"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(7)->reason, acd::kReasonNoAnswer);
  EXPECT_EQ(state_of(8), acd::AgentState::kReserved);
}

TEST_F(ContactsTest, ABusyAgentGoesNotReadyAndTheContactKeepsWaiting) {
  add_sales();
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  contacts.on_connect_result(1, false, 486);
  EXPECT_EQ(state_of(7), acd::AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(7)->reason, "busy");
  EXPECT_EQ(router.wait_status(1)->position, 1u);
  EXPECT_TRUE(control.take().empty());  // still on hold
}

TEST_F(ContactsTest, AtTheMaximumWaitTheContactGoesBackToItsQueueNode) {
  add_sales([](acd::QueueConfig& config, QueueSettings&) { config.max_wait = 30s; });
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  timers.advance(29s);
  EXPECT_TRUE(returned.empty());
  timers.advance(1s);
  EXPECT_EQ(returned, (std::vector<FlowReturn>{{1, "", "no agent available"}}));
  EXPECT_EQ(control.take(), (Commands{"stop 1"}));
  EXPECT_FALSE(contacts.owns(1));
  EXPECT_FALSE(waiting(1));
}

TEST_F(ContactsTest, AnOverflowToAFlowNamesTheFlow) {
  add_sales([](acd::QueueConfig& config, QueueSettings&) {
    config.max_wait = 30s;
    config.overflow.destination = "after-hours";
  });
  add_agent(7, /*ready=*/false);  // someone is logged in: the maximum wait applies
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  timers.advance(30s);
  EXPECT_EQ(returned, (std::vector<FlowReturn>{{1, "after-hours", "no agent available"}}));
}

TEST_F(ContactsTest, AnOverflowToANumberRingsItAndABusyNumberGoesBackToTheFlow) {
  add_sales([](acd::QueueConfig& config, QueueSettings&) {
    config.max_wait = 30s;
    config.overflow = {acd::OverflowTarget::Kind::kExternalNumber, 0, "900123"};
  });
  add_agent(7, /*ready=*/false);  // someone is logged in: the maximum wait applies
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  timers.advance(30s);
  EXPECT_EQ(control.take(), (Commands{"stop 1", "connect 1 900123", "hold 1 ringback"}));
  EXPECT_TRUE(contacts.owns(1));
  contacts.on_connect_result(1, false, 486);
  EXPECT_EQ(returned, (std::vector<FlowReturn>{{1, "", "busy"}}));
  EXPECT_FALSE(contacts.owns(1));
}

TEST_F(ContactsTest, AnOverflowToVoicemailRecordsAMessageAfterTheGreetingAndTone) {
  add_sales([](acd::QueueConfig& config, QueueSettings&) {
    config.max_wait = 30s;
    config.overflow = {acd::OverflowTarget::Kind::kVoicemail, 0, "sales-box"};
  });
  add_agent(7, /*ready=*/false);  // someone is logged in: the maximum wait applies
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  timers.advance(30s);
  EXPECT_EQ(control.take(),
            (Commands{"stop 1",
                      "play 1 Sorry, nobody can take your call now. Please leave a message after the tone. +tone"}));
  contacts.on_play_finished(1, control.last_play_id);
  EXPECT_EQ(control.take(), (Commands{"record 1 120000"}));
  EXPECT_NE(control.recorded_to.find("sales_box-sip_1.wav"), std::string::npos) << control.recorded_to;
  clock.advance(5s);
  contacts.on_recording_ended(1, 4500ms);
  EXPECT_EQ(control.take(), (Commands{"hang_up 1"}));
  ASSERT_EQ(voicemails.size(), 1u);
  EXPECT_EQ(voicemails[0].mailbox, "sales-box");
  EXPECT_EQ(voicemails[0].caller, "138000001");
  EXPECT_EQ(voicemails[0].duration_ms, 4500);
  EXPECT_TRUE(returned.empty());
}

TEST_F(ContactsTest, ACallerWhoHangsUpWhileRecordingLeavesWhatTheySaid) {
  contacts.leave_voicemail(customer(1), "box", 60, {Prompt{"greeting.wav", "", "", ""}});
  EXPECT_EQ(control.take(), (Commands{"play 1 greeting.wav +tone"}));
  contacts.on_play_finished(1, control.last_play_id);
  clock.advance(7s);
  contacts.on_ended(1);
  ASSERT_EQ(voicemails.size(), 1u);
  EXPECT_EQ(voicemails[0].duration_ms, 7000);
  EXPECT_FALSE(contacts.owns(1));
}

TEST_F(ContactsTest, ARecordingIsStoppedByTheClockShortlyAfterItsLimit) {
  contacts.leave_voicemail(customer(1), "box", 10, {});
  contacts.on_play_finished(1, control.last_play_id);
  control.take();
  timers.advance(11s);
  EXPECT_TRUE(control.take().empty());
  timers.advance(1s);
  EXPECT_EQ(control.take(), (Commands{"stop_recording 1"}));
}

TEST_F(ContactsTest, ACallerWhoHangsUpWhileWaitingAbandonsAndIsNotOffered) {
  add_sales();
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  contacts.on_ended(1);
  EXPECT_FALSE(waiting(1));
  EXPECT_FALSE(contacts.owns(1));
  EXPECT_EQ(events.kinds.back(), acd::CallEventKind::kAbandoned);
  control.take();
  make_ready(7);
  EXPECT_TRUE(control.take().empty());
  EXPECT_EQ(state_of(7), acd::AgentState::kReady);
}

TEST_F(ContactsTest, ACallerWhoHangsUpWhileAnAgentRingsFreesTheAgent) {
  add_sales();
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  contacts.on_ended(1);
  EXPECT_EQ(events.kinds.back(), acd::CallEventKind::kAbandoned);
  EXPECT_EQ(state_of(7), acd::AgentState::kReady);
}

TEST_F(ContactsTest, WhenTheAgentHangsUpTheyWrapUpBeforeTheNextContact) {
  add_sales([](acd::QueueConfig& config, QueueSettings&) { config.wrap_up = 10s; });
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  contacts.on_connect_result(1, true, 200);
  contacts.on_ended(1);  // either side hung up: the agent's call is over
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  EXPECT_EQ(events.kinds.back(), acd::CallEventKind::kCompleted);
  ASSERT_EQ(contacts.queue(customer(2), "sales", {}, 0), std::nullopt);
  control.take();
  timers.advance(9s);
  EXPECT_TRUE(control.take().empty());
  timers.advance(1s);
  EXPECT_EQ(control.take(), (Commands{"connect 2 1007"}));
}

TEST_F(ContactsTest, ComfortIsToldEveryPeriodAndTheMusicResumesAfterIt) {
  add_sales([](acd::QueueConfig&, QueueSettings& queue) {
    queue.comfort = {Prompt{"", "Thank you for waiting.", "en", ""}};
    queue.comfort_every = 30s;
  });
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  timers.advance(30s);
  EXPECT_EQ(control.take(), (Commands{"play 1 Thank you for waiting."}));
  contacts.on_play_finished(1, control.last_play_id);
  EXPECT_EQ(control.take(), (Commands{"hold 1 jazz.wav"}));
  timers.advance(30s);
  EXPECT_EQ(control.take(), (Commands{"play 1 Thank you for waiting."}));
}

TEST_F(ContactsTest, ThePositionIsAnnouncedWhenTheQueueAsksForIt) {
  add_sales([](acd::QueueConfig&, QueueSettings& queue) { queue.announce_position = true; });
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  const Commands told = control.take();
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0], "hold 1 jazz.wav");
  EXPECT_TRUE(told[1].starts_with("play 1 You are number 1 in the queue.")) << told[1];
}

TEST_F(ContactsTest, ARingQueueRingsItsExtensionWithTheQueueMusic) {
  QueueSettings ring;
  ring.ring = "2001";
  ring.music = {Prompt{"jazz.wav", "", "", ""}};
  contacts.set_queue("front-desk", ring);
  ASSERT_EQ(contacts.queue(customer(1), "front-desk", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"connect 1 2001", "hold 1 jazz.wav"}));
  contacts.on_connect_result(1, true, 200);
  EXPECT_EQ(control.take(), (Commands{"stop 1"}));
  EXPECT_TRUE(returned.empty());
  EXPECT_TRUE(contacts.owns(1));  // until the call ends
}

TEST_F(ContactsTest, ATransferThatCannotBePlacedStaysInTheFlow) {
  control.connect_code = 404;
  EXPECT_EQ(contacts.transfer(customer(1), "777"), "not found");
  EXPECT_FALSE(contacts.owns(1));
}

TEST_F(ContactsTest, ATransferThatIsNotAnsweredGoesBackToTheFlow) {
  ASSERT_EQ(contacts.transfer(customer(1), "2002"), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"connect 1 2002", "hold 1 ringback"}));
  contacts.on_connect_result(1, false, 480);
  EXPECT_EQ(control.take(), (Commands{"stop 1"}));
  EXPECT_EQ(returned, (std::vector<FlowReturn>{{1, "", "no answer"}}));
}

// A calendar in UTC open all day every day, or never.
std::shared_ptr<const calendar::Calendar> office(bool open) {
  nlohmann::json hours = nlohmann::json::object();
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    if (open) hours[day] = {{{"from", "00:00"}, {"to", "24:00"}}};
  }
  return std::make_shared<const calendar::Calendar>(
      calendar::from_json({{"name", "office"}, {"time_zone", "UTC"}, {"hours", hours}}));
}

TEST_F(ContactsTest, AQueueOutsideItsCalendarsHoursSendsTheContactToItsClosedTarget) {
  calendars["office"] = office(false);
  add_sales([](acd::QueueConfig&, QueueSettings& queue) {
    queue.calendar = "office";
    queue.closed_kind = "voicemail";
    queue.closed_target = "after-hours";
  });
  add_agent(7);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_FALSE(waiting(1)) << "never queued: agent 7 is not rung";
  auto told = control.take();
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told[0], "play 1 Sorry, nobody can take your call now. Please leave a message after the tone. +tone");
  EXPECT_EQ(closed_queues, std::vector<std::string>{"sales"}) << "the wallboard's count";
  ASSERT_FALSE(views.empty());
  ASSERT_FALSE(views.back().steps.empty());
  const ContactStep& step = views.back().steps.front();
  EXPECT_EQ(step.kind, "queue_closed");
  EXPECT_EQ(step.mode, "voicemail");
  EXPECT_EQ(step.from, "sales");
  EXPECT_EQ(step.to, "after-hours");

  calendars["office"] = office(true);  // the calendar changed: the next contact is queued
  ASSERT_EQ(contacts.queue(customer(2), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), (Commands{"hold 2 jazz.wav", "connect 2 1007"}));
  EXPECT_EQ(closed_queues.size(), 1u);
}

TEST_F(ContactsTest, AClosedQueueWithoutATargetSaysSoAndReleasesTheCaller) {
  calendars["office"] = office(false);
  add_sales([](acd::QueueConfig&, QueueSettings& queue) { queue.calendar = "office"; });
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(control.take(), std::vector<std::string>{
                                "play 1 Sorry, we are closed now. Please call again during our business hours. Goodbye."});
  contacts.on_play_finished(1, control.last_play_id);
  EXPECT_EQ(control.take(), std::vector<std::string>{"hang_up 1"});
}

TEST_F(ContactsTest, AClosedQueueCanSendTheContactToAnotherFlowOrAMissingCalendarCloses) {
  add_sales([](acd::QueueConfig&, QueueSettings& queue) {
    queue.calendar = "gone";
    queue.closed_kind = "flow";
    queue.closed_target = "after-hours";
  });
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(returned, (std::vector<FlowReturn>{{1, "after-hours", "queue sales is closed"}}));
}

}  // namespace
}  // namespace unicc::contact
