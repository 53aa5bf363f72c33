// contact::Contacts' supervisor commands with a fake channel: listen, whisper and
// barge on an agent's conversation, intercept, and the supervisor leaving with the
// call, the agent or their own phone.
#include "contact_fixture.h"

namespace unicc::contact {
namespace {

using Commands = std::vector<std::string>;

class SupervisorCommandsTest : public ContactsTest {
 protected:
  // Agent 7 talks to customer 1, and supervisor 1005 (session 500) is on the call as `mode`.
  void supervisor_on_the_call(MonitorMode mode) {
    talking_to_agent_7();
    ASSERT_EQ(contacts.monitor_contact(1, "1005", mode), "");
    contacts.on_answered(500);
    control.take();
  }

  std::vector<std::string> step_kinds() const {
    std::vector<std::string> out;
    const ContactView view = *contacts.view(1);
    for (const auto& step : view.steps) out.push_back(step.kind + " " + step.mode + " " + step.from);
    return out;
  }
};

TEST_F(SupervisorCommandsTest, ASupervisorIsCalledAndJoinsAsTheyAnswerThenChangesMode) {
  talking_to_agent_7();
  EXPECT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kListen), "");
  EXPECT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kListen), "");  // a double click
  EXPECT_EQ(control.take(), (Commands{"originate 1005 as 138000001"}));
  ASSERT_TRUE(contacts.view(1)->monitor);
  EXPECT_FALSE(contacts.view(1)->monitor->answered);
  EXPECT_EQ(contacts.monitor_contact(1, "1006", MonitorMode::kBarge), "already_monitored");

  contacts.on_answered(500);
  EXPECT_EQ(control.take(), (Commands{"monitor 1 500 listen"}));
  EXPECT_TRUE(contacts.view(1)->monitor->answered);
  // The agent goes on working: hold and resume while the supervisor listens.
  EXPECT_EQ(contacts.hold_contact(1), "");
  EXPECT_EQ(contacts.resume_contact(1), "");
  control.take();

  EXPECT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kWhisper), "");
  EXPECT_EQ(control.take(), (Commands{"monitor 1 500 whisper"}));
  EXPECT_EQ(contacts.view(1)->monitor->mode, MonitorMode::kWhisper);

  contacts.on_ended(500);  // the supervisor hangs up
  EXPECT_EQ(control.take(), (Commands{"unmonitor 1"}));
  EXPECT_FALSE(contacts.view(1)->monitor);
  EXPECT_EQ(step_kinds(), (Commands{"monitor listen 1005", "monitor whisper 1005", "monitor_ended whisper 1005"}));
  EXPECT_EQ(contacts.view(1)->state, "talking");
}

TEST_F(SupervisorCommandsTest, TheCallEndingHangsTheSupervisorUp) {
  supervisor_on_the_call(MonitorMode::kBarge);
  contacts.on_ended(1);
  EXPECT_EQ(control.take(), (Commands{"hang_up 500"}));
  contacts.on_ended(500);
  EXPECT_TRUE(contacts.live().empty());
}

TEST_F(SupervisorCommandsTest, ABlindTransferTakesTheSupervisorOffTheCall) {
  supervisor_on_the_call(MonitorMode::kListen);
  ASSERT_EQ(contacts.transfer_contact(1, "1002"), "");
  const Commands commands = control.take();
  EXPECT_NE(std::find(commands.begin(), commands.end(), "unmonitor 1"), commands.end());
  EXPECT_NE(std::find(commands.begin(), commands.end(), "hang_up 500"), commands.end());
  EXPECT_FALSE(contacts.view(1)->monitor);
}

TEST_F(SupervisorCommandsTest, AnInterceptHandsTheCustomerToTheSupervisorAndWrapsTheAgentUp) {
  supervisor_on_the_call(MonitorMode::kListen);
  EXPECT_EQ(contacts.intercept_contact(1, "1006"), "already_monitored");
  EXPECT_EQ(contacts.intercept_contact(1, "1005"), "");
  EXPECT_EQ(control.take(), (Commands{"hand_over 1 500", "resume_bridged 1"}));
  EXPECT_EQ(state_of(7), acd::AgentState::kWrapUp);
  const ContactView after = *contacts.view(1);
  EXPECT_EQ(after.agent, "1005");
  EXPECT_EQ(after.state, "talking");
  EXPECT_FALSE(after.monitor);
  EXPECT_EQ(step_kinds(), (Commands{"monitor listen 1005", "intercept  1007"}));
  contacts.on_ended(500);  // the supervisor's own session ends quietly
  EXPECT_TRUE(control.take().empty());
  EXPECT_EQ(contacts.view(1)->agent, "1005");
}

TEST_F(SupervisorCommandsTest, AnInterceptStraightAwayCallsTheSupervisorAndTakesOverOnAnswer) {
  talking_to_agent_7();
  EXPECT_EQ(contacts.intercept_contact(1, "1005"), "");
  EXPECT_EQ(control.take(), (Commands{"originate 1005 as 138000001"}));
  EXPECT_TRUE(contacts.view(1)->monitor->intercepting);
  contacts.on_answered(500);
  EXPECT_EQ(control.take(), (Commands{"hand_over 1 500", "resume_bridged 1"}));
  EXPECT_EQ(contacts.view(1)->agent, "1005");
}

TEST_F(SupervisorCommandsTest, MonitoringNeedsATalkingCallAndAReachableSupervisor) {
  add_sales();
  add_agent(7, /*ready=*/false);
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  EXPECT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kListen), "not_talking");
  EXPECT_EQ(contacts.monitor_contact(9, "1005", MonitorMode::kListen), "not_found");
  make_ready(7);
  contacts.on_connect_result(1, true, 200);
  control.take();
  EXPECT_EQ(contacts.monitor_contact(1, "1007", MonitorMode::kListen), "already_on_call");
  control.originate_code = 480;
  EXPECT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kListen), "unavailable");
  EXPECT_FALSE(contacts.view(1)->monitor);
  control.originate_code = 0;
  ASSERT_EQ(contacts.conference_contact(1, "1002"), "");
  EXPECT_EQ(contacts.intercept_contact(1, "1005"), "in_conference");
  // A supervisor who never answers leaves no trace on the call.
  ASSERT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kListen), "");
  contacts.on_originate_failed(501, 480);
  contacts.on_ended(501);
  EXPECT_FALSE(contacts.view(1)->monitor);
  EXPECT_EQ(contacts.monitor_contact(1, "1005", MonitorMode::kListen), "");
}

TEST_F(SupervisorCommandsTest, ModeNamesReadBack) {
  for (MonitorMode mode : {MonitorMode::kListen, MonitorMode::kWhisper, MonitorMode::kBarge}) {
    EXPECT_EQ(monitor_mode_named(monitor_mode_name(mode)), mode);
  }
  EXPECT_EQ(monitor_mode_named("spy"), std::nullopt);
}

}  // namespace
}  // namespace unicc::contact
