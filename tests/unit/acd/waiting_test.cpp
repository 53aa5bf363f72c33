// While a caller waits: position and estimated wait, callback in queue, and
// last-agent routing.
#include "acd/handle_times.h"
#include "router_fixture.h"

namespace unicc::acd {
namespace {

TEST_F(RouterTest, EntryAnnouncementGivesPositionAndEstimatedWait) {
  QueueConfig q = make_queue(1);
  q.default_handle_time = seconds(120);
  add_queue(q);
  add_agent(1);
  add_agent(2);
  ready(1);
  ready(2);
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  EXPECT_EQ(route_and_answer(2, 1), 2u);
  for (CallId c = 10; c < 13; ++c) enqueue(c, 1);
  std::vector<Announce> said = take_only<Announce>();
  ASSERT_EQ(said.size(), 3u);
  // Two agents working, 120 s per call: one frees up every 60 s.
  EXPECT_EQ(said[0].position, 1u);
  EXPECT_EQ(said[0].wait, seconds(60));
  EXPECT_EQ(said[1].position, 2u);
  EXPECT_EQ(said[1].wait, seconds(120));
  EXPECT_EQ(said[2].wait, seconds(180));
  EXPECT_EQ(router.wait_status(12)->wait, seconds(180));
}

TEST_F(RouterTest, EstimatedWaitFollowsRecentHandleTimes) {
  QueueConfig q = make_queue(1);
  q.default_handle_time = seconds(120);
  q.wrap_up = seconds(10);
  add_queue(q);
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  clock.advance(seconds(50));
  ASSERT_EQ(router.end_call(1), Status::kOk);
  advance(seconds(10));  // wrap-up over: handle time 60 s
  EXPECT_EQ(router.queue_status(1)->handle_time, seconds(60));
  EXPECT_EQ(route_and_answer(2, 1), 1u);
  enqueue(3, 1);
  EXPECT_EQ(router.wait_status(3)->wait, seconds(60));
  ASSERT_EQ(router.set_not_ready(1, "break"), Status::kOk);  // pending until the call ends
  ASSERT_EQ(router.end_call(2), Status::kOk);
  advance(seconds(10));
  EXPECT_EQ(state_of(1), AgentState::kNotReady);
  EXPECT_FALSE(router.wait_status(3)->wait);  // nobody working: no estimate
}

TEST(HandleTimes, AveragesTheLatestWindow) {
  HandleTimes times(std::chrono::milliseconds(5000));
  EXPECT_EQ(times.average().count(), 5000);
  for (std::size_t i = 0; i < HandleTimes::kWindow; ++i) times.add(std::chrono::milliseconds(100));
  times.add(std::chrono::milliseconds(100 + 64 * 50));  // pushes one 100 out
  EXPECT_EQ(times.average().count(), 150);
  EXPECT_EQ(estimate_wait(3, std::chrono::milliseconds(100'000), 4), seconds(75));
  EXPECT_FALSE(estimate_wait(1, std::chrono::milliseconds(100'000), 0));
}

TEST_F(RouterTest, PeriodicAnnouncementsReachEveryWaitingCaller) {
  QueueConfig q = make_queue(1);
  q.announce_every = seconds(30);
  add_queue(q);
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 1);
  enqueue(11, 1);
  take();
  advance(seconds(29));
  EXPECT_TRUE(take().empty());
  advance(seconds(1));
  std::vector<Announce> said = take_only<Announce>();
  ASSERT_EQ(said.size(), 2u);
  EXPECT_EQ(said[0].call, 10u);
  EXPECT_EQ(said[1].call, 11u);
  EXPECT_EQ(said[1].position, 2u);
  EXPECT_FALSE(said[1].wait);  // the agent is not ready
}

TEST_F(RouterTest, CallbackKeepsThePlaceAndCallsBackAtTheTurn) {
  QueueConfig q = make_queue(1);
  q.max_wait = seconds(60);
  q.overflow = {OverflowTarget::Kind::kVoicemail, 0, "box"};
  add_queue(q);
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  enqueue(10, 1);
  clock.advance(seconds(1));
  enqueue(11, 1);
  EXPECT_EQ(router.request_callback(10, ""), Status::kInvalid);
  ASSERT_EQ(router.request_callback(10, "+15550123"), Status::kOk);
  advance(seconds(120));  // the maximum wait no longer applies to call 10
  std::vector<Overflow> out = take_only<Overflow>();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].call, 11u);
  ASSERT_EQ(router.end_call(1), Status::kOk);
  std::vector<CallBack> back = take_only<CallBack>();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].call, 10u);
  EXPECT_EQ(back[0].agent, 1u);
  EXPECT_EQ(back[0].number, "+15550123");
  EXPECT_EQ(state_of(1), AgentState::kReserved);
  ASSERT_EQ(router.answered(10, 1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kOnCall);
}

TEST_F(RouterTest, CallbackCallerStaysAheadOfLaterCallers) {
  add_queue(make_queue(1));
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  enqueue(10, 1);
  ASSERT_EQ(router.request_callback(10, "5550123"), Status::kOk);
  clock.advance(seconds(1));
  enqueue(11, 1);
  EXPECT_EQ(router.wait_status(11)->position, 2u);
}

// Nobody is on the line: the callback waits for the next agent to log in.
TEST_F(RouterTest, ACallbackOutlastsTheLastAgentLoggingOut) {
  QueueConfig q = make_queue(1);
  q.overflow = {OverflowTarget::Kind::kVoicemail, 0, "box"};
  add_queue(q);
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 1);
  ASSERT_EQ(router.request_callback(10, "5550123"), Status::kOk);
  ASSERT_EQ(router.log_out(1), Status::kOk);
  EXPECT_TRUE(take_only<Overflow>().empty());
  ready(1);
  std::vector<CallBack> back = take_only<CallBack>();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].call, 10u);
}

// After a restart nobody is logged in and the queue may be full; the callbacks the
// last run kept are queued all the same, in the order they come.
TEST_F(RouterTest, ARestoredCallbackIsQueuedWhateverTheStaffing) {
  QueueConfig q = make_queue(1);
  q.max_size = 1;
  q.overflow = {OverflowTarget::Kind::kExternalNumber, 0, "+15550100"};
  add_queue(q);
  add_agent(1);
  EXPECT_EQ(router.enqueue_callback(CallRequest{10, 1, 0, std::nullopt}, ""), Status::kInvalid);
  ASSERT_EQ(router.enqueue_callback(CallRequest{10, 1, 0, std::nullopt}, "5550123"), Status::kOk);
  ASSERT_EQ(router.enqueue_callback(CallRequest{11, 1, 0, std::nullopt}, "5550124"), Status::kOk);
  EXPECT_TRUE(take_only<Overflow>().empty());
  EXPECT_EQ(router.wait_status(11)->position, 2u);
  ready(1);
  std::vector<CallBack> back = take_only<CallBack>();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ((std::pair{back[0].call, back[0].number}), (std::pair<CallId, std::string>{10, "5550123"}));
}

class LastAgentTest : public RouterTest {
 protected:
  void SetUp() override {
    QueueConfig q = make_queue(1);
    q.last_agent_wait = seconds(30);
    add_queue(q);
    add_agent(1);
    add_agent(2);
    ready(1);
    clock.advance(seconds(1));
    ready(2);
  }
};

TEST_F(LastAgentTest, AReadyLastAgentGetsTheCallWhateverTheStrategy) {
  enqueue(10, 1, 0, AgentId{2});  // longest idle would pick agent 1
  EXPECT_EQ(offered(), (std::vector<AgentId>{2}));
}

TEST_F(LastAgentTest, TheCallerWaitsForTheirBusyLastAgent) {
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  enqueue(10, 1, 0, AgentId{1});
  EXPECT_TRUE(offered().empty());  // agent 2 is ready but not offered
  EXPECT_EQ(state_of(2), AgentState::kReady);
  advance(seconds(20));
  ASSERT_EQ(router.end_call(1), Status::kOk);
  std::vector<OfferCall> offers = take_only<OfferCall>();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].call, 10u);
  EXPECT_EQ(offers[0].agent, 1u);
}

TEST_F(LastAgentTest, AfterTheWaitAnyAgentMayTakeIt) {
  EXPECT_EQ(route_and_answer(1, 1), 1u);
  enqueue(10, 1, 0, AgentId{1});
  advance(seconds(29));
  EXPECT_TRUE(offered().empty());
  advance(seconds(1));
  EXPECT_EQ(offered(), (std::vector<AgentId>{2}));
}

TEST_F(LastAgentTest, ALoggedOutLastAgentIsNotWaitedFor) {
  ASSERT_EQ(router.log_out(1), Status::kOk);
  enqueue(10, 1, 0, AgentId{1});
  EXPECT_EQ(offered(), (std::vector<AgentId>{2}));
}

}  // namespace
}  // namespace unicc::acd
