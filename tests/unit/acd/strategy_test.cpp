// Each strategy, observed as which agent gets each call.
#include <map>

#include "router_fixture.h"

namespace unicc::acd {
namespace {

class StrategyTest : public RouterTest {
 protected:
  // Agents 1..n, made ready in the order given, one second apart.
  void ready_in_order(std::vector<AgentId> order) {
    for (AgentId id : order) {
      ready(id);
      clock.advance(seconds(1));
    }
  }
  void add_agents(int n) {
    for (int i = 1; i <= n; ++i) add_agent(i);
  }
  // A call that is answered and ended at once; the agent is ready again (no wrap-up).
  AgentId quick_call(CallId call, seconds talk = seconds(0)) {
    AgentId agent = route_and_answer(call, 1);
    clock.advance(talk);
    EXPECT_EQ(router.end_call(call), Status::kOk);
    clock.advance(seconds(1));
    return agent;
  }
};

TEST_F(StrategyTest, LongestIdleTakesTheAgentReadyLongest) {
  add_queue(make_queue(1, Strategy::kLongestIdle));
  add_agents(3);
  ready_in_order({2, 3, 1});
  EXPECT_EQ(route_and_answer(10, 1), 2u);
  EXPECT_EQ(route_and_answer(11, 1), 3u);
  EXPECT_EQ(router.end_call(10), Status::kOk);  // agent 2 ready again, now the newest
  EXPECT_EQ(route_and_answer(12, 1), 1u);
  EXPECT_EQ(route_and_answer(13, 1), 2u);
}

TEST_F(StrategyTest, RoundRobinRotatesInTheQueueOrderWhateverTheIdleTime) {
  add_queue(make_queue(1, Strategy::kRoundRobin));
  add_agents(3);
  ready_in_order({3, 2, 1});  // longest idle would start with 3
  std::vector<AgentId> got;
  for (CallId c = 10; c < 17; ++c) got.push_back(quick_call(c));
  EXPECT_EQ(got, (std::vector<AgentId>{1, 2, 3, 1, 2, 3, 1}));
}

TEST_F(StrategyTest, FewestCallsPrefersTheAgentWithFewestAnswered) {
  add_queue(make_queue(1, Strategy::kFewestCalls));
  add_agents(3);
  ready_in_order({1, 2});
  EXPECT_EQ(quick_call(10), 1u);
  EXPECT_EQ(quick_call(11), 2u);
  EXPECT_EQ(quick_call(12), 1u);  // tie at one call each: 1 has been idle longer
  ready(3);                       // no calls yet, though the newest ready
  EXPECT_EQ(route_and_answer(13, 1), 3u);
  EXPECT_EQ(route_and_answer(14, 1), 2u);  // one call against agent 1's two
}

TEST_F(StrategyTest, LeastTalkTimePrefersTheAgentWhoTalkedLeast) {
  add_queue(make_queue(1, Strategy::kLeastTalkTime));
  add_agents(2);
  ready_in_order({1, 2});
  EXPECT_EQ(quick_call(10, seconds(300)), 1u);
  EXPECT_EQ(quick_call(11, seconds(20)), 2u);
  // Agent 1 has been ready longer, but talked 300 s against 20 s.
  EXPECT_EQ(route_and_answer(12, 1), 2u);
}

TEST_F(StrategyTest, RingAllRingsEveryReadyAgentAndTheFirstAnswerWins) {
  add_queue(make_queue(1, Strategy::kRingAll));
  add_agents(3);
  ready_in_order({1, 2, 3});
  enqueue(10, 1);
  std::vector<AgentId> rung = offered();
  std::sort(rung.begin(), rung.end());
  EXPECT_EQ(rung, (std::vector<AgentId>{1, 2, 3}));
  ASSERT_EQ(router.answered(10, 2), Status::kOk);
  std::vector<AgentId> stopped;
  for (const StopRinging& s : take_only<StopRinging>()) stopped.push_back(s.agent);
  std::sort(stopped.begin(), stopped.end());
  EXPECT_EQ(stopped, (std::vector<AgentId>{1, 3}));
  EXPECT_EQ(state_of(1), AgentState::kReady);
  EXPECT_EQ(state_of(2), AgentState::kOnCall);
  EXPECT_EQ(router.answered(10, 1), Status::kWrongState);
  enqueue(11, 1);
  rung = offered();
  std::sort(rung.begin(), rung.end());
  EXPECT_EQ(rung, (std::vector<AgentId>{1, 3}));
}

TEST_F(StrategyTest, RingAllTimeoutRingsAgainWithoutPuttingAgentsAway) {
  QueueConfig q = make_queue(1, Strategy::kRingAll);
  q.ring_timeout = seconds(10);
  add_queue(q);
  add_agents(2);
  ready_in_order({1, 2});
  enqueue(10, 1);
  EXPECT_EQ(offered().size(), 2u);
  advance(seconds(10));
  EXPECT_EQ(take_only<OfferCall>().size(), 2u);  // rung again, both
  EXPECT_EQ(state_of(1), AgentState::kReserved);
}

TEST_F(StrategyTest, LinearFollowsTheFixedOrderEveryTime) {
  QueueConfig q = make_queue(1, Strategy::kLinear);
  q.agent_order = {3, 1};  // agent 2 is not listed: it comes after them
  add_queue(q);
  add_agents(3);
  ready_in_order({1, 2, 3});
  EXPECT_EQ(route_and_answer(10, 1), 3u);
  EXPECT_EQ(route_and_answer(11, 1), 1u);
  EXPECT_EQ(route_and_answer(12, 1), 2u);
  ASSERT_EQ(router.end_call(10), Status::kOk);
  ASSERT_EQ(router.end_call(11), Status::kOk);
  EXPECT_EQ(route_and_answer(13, 1), 3u);  // back to the top, not rotating
}

TEST_F(StrategyTest, RandomSpreadsCallsOverAllReadyAgents) {
  add_queue(make_queue(1, Strategy::kRandom));
  add_agents(3);
  ready_in_order({1, 2, 3});
  std::map<AgentId, int> count;
  for (CallId c = 1; c <= 300; ++c) ++count[quick_call(c)];
  ASSERT_EQ(count.size(), 3u);
  for (auto [agent, n] : count) {
    EXPECT_GT(n, 60) << "agent " << agent;
    EXPECT_LT(n, 140) << "agent " << agent;
  }
}

TEST_F(StrategyTest, BestSkillTakesTheHighestLevelThenTheLongestIdle) {
  QueueConfig q = make_queue(1, Strategy::kBestSkill);
  q.skills = {{7, 2}};
  add_queue(q);
  add_agent(1, {{7, 3}});
  add_agent(2, {{7, 9}});
  add_agent(3, {{7, 6}});
  add_agent(4, {{7, 6}});
  ready_in_order({1, 2, 4, 3});
  EXPECT_EQ(route_and_answer(10, 1), 2u);
  EXPECT_EQ(route_and_answer(11, 1), 4u);  // level 6 like agent 3, ready before it
  EXPECT_EQ(route_and_answer(12, 1), 3u);
  EXPECT_EQ(route_and_answer(13, 1), 1u);
}

TEST_F(StrategyTest, NewlyTrainedAgentsComeFirstOnlyWhereTheQueueAsks) {
  QueueConfig training = make_queue(1, Strategy::kLongestIdle);
  training.prefer_newly_trained = true;
  add_queue(training);
  add_queue(make_queue(2, Strategy::kLongestIdle));
  add_agent(1);
  add_agent(2, {}, /*newly_trained=*/true);
  ready_in_order({1, 2});
  enqueue(10, 2);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));
  ASSERT_EQ(router.end_call(10), Status::kOk);  // unanswered: agent 1 keeps its place
  enqueue(11, 1);
  EXPECT_EQ(offered(), (std::vector<AgentId>{2}));
}

}  // namespace
}  // namespace unicc::acd
