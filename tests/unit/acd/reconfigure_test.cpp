// Changing queues and agents while calls wait and agents work: who serves a queue
// and who is picked follow at once, calls keep their place and their timers follow,
// and removals wait until nothing points at the queue or agent.
#include "router_fixture.h"

namespace unicc::acd {
namespace {

class ReconfigureTest : public RouterTest {
 protected:
  static AgentConfig agent(AgentId id, std::vector<SkillLevel> skills = {},
                           std::vector<std::string> groups = {}) {
    return AgentConfig{id,     "agent-" + std::to_string(id), std::to_string(1000 + id),
                       skills, groups, /*newly_trained=*/false};
  }

  void update(const QueueConfig& q) {
    std::vector<std::string> errors = router.update_queue(q);
    ASSERT_TRUE(errors.empty()) << errors.front();
  }

  void update(const AgentConfig& a) {
    std::vector<std::string> errors = router.update_agent(a);
    ASSERT_TRUE(errors.empty()) << errors.front();
  }
};

TEST_F(ReconfigureTest, ARaisedSkillLevelLetsTheAgentTakeTheWaitingCallAtOnce) {
  QueueConfig q = make_queue(1);
  q.skills = {{1, 5}};
  add_queue(q);
  add_agent(1, {{1, 3}});
  ready(1);
  enqueue(10, 1);
  EXPECT_TRUE(offered().empty());
  EXPECT_TRUE(router.queues_served(1).empty());

  update(agent(1, {{1, 6}}));
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
  EXPECT_EQ(offers[0].agent, 1u);
  EXPECT_EQ(router.queues_served(1), (std::vector<QueueId>{1}));
  EXPECT_EQ(router.queue_status(1)->logged_in, 1u);
}

TEST_F(ReconfigureTest, ChangingTheStrategyChangesWhoIsPickedNext) {
  QueueConfig q = make_queue(1, Strategy::kLongestIdle);
  q.skills = {{1, 1}};
  add_queue(q);
  add_agent(1, {{1, 2}});
  add_agent(2, {{1, 9}});
  ready(1);  // ready the longest
  clock.advance(seconds(1));
  ready(2);  // the better skill

  q.strategy = Strategy::kBestSkill;
  update(q);
  EXPECT_EQ(router.queue_status(1)->ready, 2u);
  EXPECT_EQ(route_and_answer(10, 1), 2u);
  EXPECT_EQ(route_and_answer(11, 1), 1u);
}

TEST_F(ReconfigureTest, AnAgentOutOfTheQueuesGroupsLeavesItAndItsCallsOverflowWhenNobodyIsLeft) {
  QueueConfig billing = make_queue(1);
  billing.groups = {"billing"};
  billing.overflow = {OverflowTarget::Kind::kIvrFlow, 0, "after-hours"};
  add_queue(billing);
  add_queue(make_queue(2));
  ASSERT_TRUE(router.add_agent(agent(1, {}, {"billing"})).empty());
  ASSERT_TRUE(router.add_agent(agent(2, {}, {"billing"})).empty());
  ready(1);
  ASSERT_EQ(router.log_in(2), Status::kOk);  // logged in, not ready
  EXPECT_EQ(router.queue_status(1)->ready, 1u);
  EXPECT_EQ(router.queue_status(1)->logged_in, 2u);

  update(agent(1));  // no groups: the ready agent leaves the billing queue
  EXPECT_EQ(router.queue_status(1)->ready, 0u);
  EXPECT_EQ(router.queue_status(1)->logged_in, 1u);
  EXPECT_EQ(router.queue_status(1)->working, 0u);
  EXPECT_EQ(router.queues_served(1), (std::vector<QueueId>{2}));
  enqueue(10, 1);
  EXPECT_TRUE(offered().empty());  // waits for agent 2; agent 1 is ready but not a member
  EXPECT_EQ(router.wait_status(10)->position, 1u);
  enqueue(11, 2);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));  // still ready in queue 2

  update(agent(2));  // the last logged-in agent of the billing queue leaves it
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 10u);
  EXPECT_EQ(out[0].reason, OverflowReason::kNoAgents);
  EXPECT_EQ(out[0].target.destination, "after-hours");
}

TEST_F(ReconfigureTest, AQueueThatNoLongerMatchesItsLastAgentOverflowsItsCalls) {
  QueueConfig q = make_queue(1);
  q.skills = {{1, 5}};
  q.overflow = {OverflowTarget::Kind::kVoicemail, 0, "box-7"};
  add_queue(q);
  add_agent(1, {{1, 5}});
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 1);
  EXPECT_TRUE(take_only<Overflow>().empty());

  q.skills = {{1, 7}};
  update(q);
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 10u);
  EXPECT_EQ(out[0].reason, OverflowReason::kNoAgents);
  EXPECT_EQ(router.queue_status(1)->logged_in, 0u);
}

TEST_F(ReconfigureTest, UnknownIdsAndBadConfigurationsChangeNothing) {
  QueueConfig first = make_queue(1), second = make_queue(2);
  add_queue(second);
  first.overflow = {OverflowTarget::Kind::kQueue, 2, ""};
  add_queue(first);
  add_agent(1);

  EXPECT_FALSE(router.update_queue(make_queue(9)).empty());
  EXPECT_FALSE(router.update_agent(agent(9)).empty());
  EXPECT_EQ(router.remove_queue(9), Status::kUnknownQueue);
  EXPECT_EQ(router.remove_agent(9), Status::kUnknownAgent);
  EXPECT_TRUE(router.queues_served(9).empty());
  EXPECT_FALSE(router.queue_status(9));
  EXPECT_FALSE(router.agent_status(9));

  QueueConfig loop = second;  // 2 -> 1 -> 2
  loop.overflow = {OverflowTarget::Kind::kQueue, 1, ""};
  std::vector<std::string> errors = router.update_queue(loop);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("lead back"), std::string::npos) << errors[0];
  QueueConfig unknown_tier = second;
  unknown_tier.overflow_tiers = {{seconds(10), 9}};
  EXPECT_FALSE(router.update_queue(unknown_tier).empty());
  QueueConfig invalid = second;
  invalid.ring_timeout = seconds(0);
  invalid.skills = {{1, 5}};
  EXPECT_FALSE(router.update_queue(invalid).empty());
  AgentConfig nameless = agent(1, {{1, 5}});
  nameless.name.clear();
  EXPECT_FALSE(router.update_agent(nameless).empty());

  // Queue 2 still takes agent 1 (no skills needed), and its calls do not overflow.
  EXPECT_EQ(router.queues_served(1), (std::vector<QueueId>{1, 2}));
  ready(1);
  EXPECT_EQ(route_and_answer(10, 2), 1u);
  EXPECT_TRUE(take_only<Overflow>().empty());
}

TEST_F(ReconfigureTest, AQueueIsRemovedOnlyOnceNoCallAndNoQueuePointsAtIt) {
  add_queue(make_queue(2));
  QueueConfig first = make_queue(1);
  first.overflow = {OverflowTarget::Kind::kQueue, 2, ""};
  add_queue(first);
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 2);
  EXPECT_EQ(router.remove_queue(2), Status::kWrongState);  // a call waits
  ASSERT_EQ(router.set_ready(1), Status::kOk);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));
  EXPECT_EQ(router.remove_queue(2), Status::kWrongState);  // offered through it
  ASSERT_EQ(router.answered(10, 1), Status::kOk);
  EXPECT_EQ(router.remove_queue(2), Status::kWrongState);  // connected through it
  ASSERT_EQ(router.end_call(10), Status::kOk);
  EXPECT_EQ(router.remove_queue(2), Status::kWrongState);  // queue 1's overflow target

  first.overflow = {};
  update(first);
  EXPECT_EQ(router.remove_queue(2), Status::kOk);
  EXPECT_FALSE(router.queue_status(2));
  EXPECT_EQ(router.enqueue(CallRequest{11, 2, 0, std::nullopt}), Status::kUnknownQueue);
  EXPECT_EQ(router.queues_served(1), (std::vector<QueueId>{1}));
  EXPECT_EQ(router.remove_queue(2), Status::kUnknownQueue);

  add_queue(make_queue(2));  // the id is free again
  EXPECT_EQ(router.queues_served(1), (std::vector<QueueId>{1, 2}));
  EXPECT_EQ(route_and_answer(12, 2), 1u);
}

TEST_F(ReconfigureTest, AnAgentIsRemovedOnlyWhenLoggedOutAndTheIdCanComeBack) {
  add_queue(make_queue(1));
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  EXPECT_EQ(router.remove_agent(1), Status::kWrongState);
  ASSERT_EQ(router.log_out(1), Status::kOk);
  EXPECT_EQ(router.remove_agent(1), Status::kOk);
  EXPECT_FALSE(router.agent_status(1));
  EXPECT_EQ(router.log_in(1), Status::kUnknownAgent);
  EXPECT_TRUE(router.queues_served(1).empty());

  add_agent(1);
  ready(1);
  EXPECT_EQ(router.queue_status(1)->logged_in, 1u);
  EXPECT_EQ(route_and_answer(10, 1), 1u);
}

TEST_F(ReconfigureTest, AnAgentChangedDuringACallKeepsIt) {
  QueueConfig q = make_queue(1);
  q.skills = {{1, 1}};
  q.wrap_up = seconds(10);
  add_queue(q);
  add_agent(1, {{1, 5}});
  ready(1);
  enqueue(10, 1);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));

  update(agent(1));  // no skills: no longer serves the queue
  EXPECT_EQ(state_of(1), AgentState::kReserved);
  EXPECT_EQ(router.agent_status(1)->call, 10u);
  EXPECT_TRUE(router.queues_served(1).empty());
  EXPECT_EQ(router.queue_status(1)->logged_in, 0u);
  ASSERT_EQ(router.answered(10, 1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kOnCall);
  ASSERT_EQ(router.end_call(10), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kWrapUp);  // the wrap-up of the queue it served
  advance(seconds(10));
  EXPECT_EQ(state_of(1), AgentState::kReady);
  enqueue(11, 1);
  EXPECT_TRUE(offered().empty());
}

TEST_F(ReconfigureTest, AShorterMaximumWaitOverflowsAWaitingCallSooner) {
  QueueConfig q = make_queue(1);
  q.max_wait = seconds(120);
  q.overflow = {OverflowTarget::Kind::kVoicemail, 0, "box-7"};
  add_queue(q);
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 1);
  advance(seconds(20));

  q.max_wait = seconds(30);
  update(q);
  EXPECT_EQ(router.wait_status(10)->position, 1u);
  advance(seconds(9));
  EXPECT_TRUE(take_only<Overflow>().empty());
  advance(seconds(1));
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 10u);
  EXPECT_EQ(out[0].reason, OverflowReason::kMaxWait);
}

TEST_F(ReconfigureTest, ANewTierReachesAWaitingCallAtItsNextTimer) {
  add_queue(make_queue(2));
  QueueConfig first = make_queue(1);
  first.skills = {{1, 1}};
  add_queue(first);
  add_agent(1, {{1, 5}});
  add_agent(2);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  ready(2);
  enqueue(10, 1);
  advance(seconds(20));
  EXPECT_TRUE(offered().empty());

  first.overflow_tiers = {{seconds(10), 2}};  // already due for call 10
  update(first);
  advance(seconds(0));
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
  EXPECT_EQ(offers[0].agent, 2u);
  EXPECT_EQ(offers[0].queue, 2u);
}

}  // namespace
}  // namespace unicc::acd
