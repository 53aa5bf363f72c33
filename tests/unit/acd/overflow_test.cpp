// Overflow: tiers that widen the pool of agents, and the exits (maximum wait, full
// queue, nobody logged in) to another queue, an IVR flow, voicemail or a number.
#include "router_fixture.h"

namespace unicc::acd {
namespace {

class OverflowTest : public RouterTest {
 protected:
  // Queue 1 needs skill 1 (agent 1); queue 2 needs skill 2 (agent 2).
  void two_skill_queues(QueueConfig first) {
    first.skills = {{1, 1}};
    QueueConfig second = make_queue(2);
    second.skills = {{2, 1}};
    add_queue(second);
    add_queue(first);
    add_agent(1, {{1, 5}});
    add_agent(2, {{2, 5}});
  }
};

TEST_F(OverflowTest, AfterTheTierWaitTheCallAlsoWaitsInTheTierQueue) {
  QueueConfig q = make_queue(1);
  q.overflow_tiers = {{seconds(30), 2}};
  two_skill_queues(q);
  ready(2);
  enqueue(10, 1);  // agent 1 is logged out; agent 2 cannot serve queue 1 yet
  EXPECT_TRUE(offered().empty());
  advance(seconds(29));
  EXPECT_TRUE(offered().empty());
  advance(seconds(1));
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
  EXPECT_EQ(offers[0].agent, 2u);
  EXPECT_EQ(offers[0].queue, 2u);
}

TEST_F(OverflowTest, AnOverflowedCallKeepsItsAgeInTheTierQueue) {
  QueueConfig q = make_queue(1);
  q.overflow_tiers = {{seconds(30), 2}};
  two_skill_queues(q);
  ready(2);
  EXPECT_EQ(route_and_answer(5, 2), 2u);  // agent 2 busy
  enqueue(10, 1);
  clock.advance(seconds(20));
  enqueue(11, 2);  // queue 2's own call, younger than call 10
  advance(seconds(10));
  EXPECT_EQ(router.queue_status(2)->waiting, 2u);
  take();
  ASSERT_EQ(router.end_call(5), Status::kOk);
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
}

TEST_F(OverflowTest, MaximumWaitSendsTheCallToVoicemail) {
  QueueConfig q = make_queue(1);
  q.max_wait = seconds(60);
  q.overflow = {OverflowTarget::Kind::kVoicemail, 0, "box-7"};
  add_queue(q);
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(5, 1), 1u);
  enqueue(10, 1);
  take();
  advance(seconds(59));
  EXPECT_TRUE(take().empty());
  advance(seconds(1));
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 10u);
  EXPECT_EQ(out[0].reason, OverflowReason::kMaxWait);
  EXPECT_FALSE(observer.calls.back().busy);  // the overflowed event: a wait that ran out
  EXPECT_EQ(observer.calls.back().kind, CallEventKind::kOverflowed);
  EXPECT_EQ(out[0].target.kind, OverflowTarget::Kind::kVoicemail);
  EXPECT_EQ(out[0].target.destination, "box-7");
  EXPECT_FALSE(router.wait_status(10));
  EXPECT_EQ(router.end_call(10), Status::kUnknownCall);
  ASSERT_EQ(router.end_call(5), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kReady);  // nothing left for the agent
}

TEST_F(OverflowTest, OverflowToAQueueMovesTheCallThere) {
  QueueConfig q = make_queue(1);
  q.max_wait = seconds(60);
  q.overflow = {OverflowTarget::Kind::kQueue, 2, ""};
  two_skill_queues(q);
  ready(1);
  ready(2);
  EXPECT_EQ(route_and_answer(5, 1), 1u);
  EXPECT_EQ(route_and_answer(6, 2), 2u);
  enqueue(10, 1);
  advance(seconds(60));
  EXPECT_EQ(take_only<Overflow>().size(), 1u);
  EXPECT_EQ(router.wait_status(10)->queue, 2u);
  EXPECT_EQ(router.queue_status(1)->waiting, 0u);
  ASSERT_EQ(router.end_call(6), Status::kOk);
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
  EXPECT_EQ(offers[0].agent, 2u);
}

TEST_F(OverflowTest, NobodyLoggedInSendsCallsToTheIvrAtOnce) {
  QueueConfig q = make_queue(1);
  q.overflow = {OverflowTarget::Kind::kIvrFlow, 0, "after-hours"};
  add_queue(q);
  add_agent(1);
  enqueue(10, 1);
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reason, OverflowReason::kNoAgents);
  EXPECT_EQ(out[0].target.destination, "after-hours");

  ASSERT_EQ(router.log_in(1), Status::kOk);  // logged in, not ready: the call waits
  enqueue(11, 1);
  EXPECT_TRUE(take_only<Overflow>().empty());
  ASSERT_EQ(router.log_out(1), Status::kOk);  // the last agent leaves
  out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 11u);
}

TEST_F(OverflowTest, AFullQueueSendsNewCallsToTheNumber) {
  QueueConfig q = make_queue(1);
  q.max_size = 1;
  q.overflow = {OverflowTarget::Kind::kExternalNumber, 0, "+15550100"};
  add_queue(q);
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 1);
  enqueue(11, 1);
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 11u);
  EXPECT_EQ(out[0].reason, OverflowReason::kQueueFull);
  EXPECT_EQ(router.queue_status(1)->waiting, 1u);
  // The reports count it busy (the busy rate); an overflow after a long wait is not.
  std::vector<std::pair<CallId, bool>> overflowed;
  for (const CallEvent& e : observer.calls) {
    if (e.kind == CallEventKind::kOverflowed) overflowed.emplace_back(e.call, e.busy);
  }
  EXPECT_EQ(overflowed, (std::vector<std::pair<CallId, bool>>{{11u, true}}));
}

}  // namespace
}  // namespace unicc::acd
