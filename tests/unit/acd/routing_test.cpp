// Who may serve a queue (skills with levels, groups), the order of waiting calls
// (priority, age, queue priority) and ring-no-answer.
#include "router_fixture.h"

namespace unicc::acd {
namespace {

TEST_F(RouterTest, OnlyAgentsMeetingEverySkillLevelServeTheQueue) {
  QueueConfig q = make_queue(1);
  q.skills = {{1, 5}, {2, 1}};
  add_queue(q);
  add_agent(1, {{1, 9}});          // lacks skill 2
  add_agent(2, {{1, 4}, {2, 8}});  // skill 1 too low
  add_agent(3, {{1, 5}, {2, 1}});
  ready(1);
  ready(2);
  ready(3);
  EXPECT_EQ(router.queue_status(1)->ready, 1u);
  EXPECT_EQ(route_and_answer(10, 1), 3u);
  enqueue(11, 1);
  EXPECT_TRUE(offered().empty());
  EXPECT_EQ(router.wait_status(11)->position, 1u);
}

TEST_F(RouterTest, AQueueWithGroupsTakesOnlyAgentsInThem) {
  QueueConfig q = make_queue(1);
  q.groups = {"billing"};
  add_queue(q);
  AgentConfig outsider{1, "a", "1001", {}, {"sales"}, false};
  AgentConfig member{2, "b", "1002", {}, {"sales", "billing"}, false};
  ASSERT_TRUE(router.add_agent(outsider).empty());
  ASSERT_TRUE(router.add_agent(member).empty());
  ready(1);
  clock.advance(seconds(5));
  ready(2);
  EXPECT_EQ(route_and_answer(10, 1), 2u);
}

TEST_F(RouterTest, VipCallersGoFirstThenTheOldest) {
  add_queue(make_queue(1));
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(1, 1), 1u);  // the agent is now busy
  enqueue(10, 1);
  clock.advance(seconds(1));
  enqueue(11, 1, /*priority=*/5);
  clock.advance(seconds(1));
  enqueue(12, 1);
  EXPECT_EQ(router.wait_status(11)->position, 1u);
  EXPECT_EQ(router.wait_status(10)->position, 2u);
  EXPECT_EQ(router.wait_status(12)->position, 3u);
  take();
  std::vector<CallId> served;
  for (CallId previous : {1, 11, 10}) {
    ASSERT_EQ(router.end_call(previous), Status::kOk);
    std::vector<OfferCall> offers = take_only<OfferCall>();
    ASSERT_EQ(offers.size(), 1u);
    served.push_back(offers[0].call);
    ASSERT_EQ(router.answered(offers[0].call, 1), Status::kOk);
  }
  EXPECT_EQ(served, (std::vector<CallId>{11, 10, 12}));
}

TEST_F(RouterTest, AnAgentInSeveralQueuesServesTheHigherPriorityQueueFirst) {
  QueueConfig low = make_queue(1), high = make_queue(2), other = make_queue(3);
  high.priority = 1;
  add_queue(low);
  add_queue(high);
  add_queue(other);
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  enqueue(10, 1);  // older, in the low-priority queue
  clock.advance(seconds(30));
  enqueue(11, 3);
  enqueue(12, 2);
  take();
  ASSERT_EQ(router.end_call(1), Status::kOk);
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 12u);
  EXPECT_EQ(offers[0].queue, 2u);
  ASSERT_EQ(router.answered(12, 1), Status::kOk);
  ASSERT_EQ(router.end_call(12), Status::kOk);
  offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);  // equal priority: the older call
}

TEST_F(RouterTest, NoAnswerPutsTheAgentAwayAndTheCallBackAtTheHead) {
  QueueConfig q = make_queue(1);
  q.ring_timeout = seconds(15);
  add_queue(q);
  add_agent(1);
  add_agent(2);
  ready(1);
  clock.advance(seconds(1));
  ready(2);
  enqueue(10, 1);
  enqueue(11, 1);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1, 2}));
  ASSERT_EQ(router.answered(11, 2), Status::kOk);
  clock.advance(seconds(5));
  enqueue(12, 1);  // waits behind nobody yet
  take();
  advance(seconds(10));
  std::vector<Decision> decisions = take();
  ASSERT_FALSE(decisions.empty());
  const StopRinging* stop = std::get_if<StopRinging>(&decisions.front());
  ASSERT_NE(stop, nullptr);
  EXPECT_EQ(stop->call, 10u);
  EXPECT_EQ(stop->agent, 1u);
  EXPECT_EQ(state_of(1), AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(1)->reason, kReasonNoAnswer);
  EXPECT_EQ(router.wait_status(10)->position, 1u);
  EXPECT_EQ(router.wait_status(12)->position, 2u);
  ASSERT_EQ(router.end_call(11), Status::kOk);
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
  EXPECT_EQ(offers[0].agent, 2u);
}

TEST_F(RouterTest, AReturnedCallGoesEvenBeforeVipCallers) {
  add_queue(make_queue(1));
  add_agent(1);
  add_agent(2);
  ready(1);
  enqueue(10, 1);
  ASSERT_EQ(offered(), (std::vector<AgentId>{1}));
  enqueue(11, 1, /*priority=*/9);
  ASSERT_EQ(router.offer_failed(10, 1, "busy"), Status::kOk);
  EXPECT_EQ(router.agent_status(1)->reason, "busy");
  EXPECT_EQ(router.wait_status(10)->position, 1u);
  ready(2);
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
}

TEST_F(RouterTest, CommandsThatDoNotFitTheStateChangeNothing) {
  add_queue(make_queue(1));
  add_agent(1);
  EXPECT_EQ(router.set_ready(1), Status::kWrongState);  // logged out
  EXPECT_EQ(router.set_ready(99), Status::kUnknownAgent);
  EXPECT_EQ(router.enqueue(CallRequest{5, 99, 0, std::nullopt}), Status::kUnknownQueue);
  ready(1);
  enqueue(10, 1);
  EXPECT_EQ(router.enqueue(CallRequest{10, 1, 0, std::nullopt}), Status::kDuplicateCall);
  EXPECT_EQ(router.log_out(1), Status::kWrongState);  // a call is ringing
  EXPECT_EQ(router.answered(11, 1), Status::kUnknownCall);
  EXPECT_EQ(router.request_callback(10, "5550100"), Status::kWrongState);  // not waiting
  EXPECT_EQ(state_of(1), AgentState::kReserved);
}

}  // namespace
}  // namespace unicc::acd
