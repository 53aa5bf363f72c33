// The agent state machine as the observer records it, with timestamps.
#include "router_fixture.h"

namespace unicc::acd {
namespace {

TEST_F(RouterTest, EveryStateChangeIsRecordedWithItsTimeAndDuration) {
  QueueConfig q = make_queue(1);
  q.wrap_up = seconds(30);
  add_queue(q);
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  clock.advance(seconds(5));
  ASSERT_EQ(router.set_ready(1), Status::kOk);
  clock.advance(seconds(5));
  enqueue(10, 1);
  clock.advance(seconds(2));
  ASSERT_EQ(router.answered(10, 1), Status::kOk);
  clock.advance(seconds(60));
  ASSERT_EQ(router.end_call(10), Status::kOk);
  advance(seconds(30));
  ASSERT_EQ(router.set_not_ready(1, "lunch"), Status::kOk);

  struct Expected {
    AgentState from, to;
    std::int64_t at_s, previous_s;
    std::optional<CallId> call;
    std::string reason;
  };
  using S = AgentState;
  const std::vector<Expected> expected = {
      {S::kLoggedOut, S::kNotReady, 0, -1, std::nullopt, "login"},
      {S::kNotReady, S::kReady, 5, 5, std::nullopt, ""},
      {S::kReady, S::kReserved, 10, 5, CallId{10}, ""},
      {S::kReserved, S::kOnCall, 12, 2, CallId{10}, ""},
      {S::kOnCall, S::kWrapUp, 72, 60, CallId{10}, ""},
      {S::kWrapUp, S::kReady, 102, 30, std::nullopt, ""},
      {S::kReady, S::kNotReady, 102, 0, std::nullopt, "lunch"},
  };
  ASSERT_EQ(observer.states.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const AgentStateRecord& r = observer.states[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(r.agent, 1u);
    EXPECT_EQ(r.from, expected[i].from);
    EXPECT_EQ(r.to, expected[i].to);
    EXPECT_EQ(r.at_ms, kStart + expected[i].at_s * 1000);
    if (expected[i].previous_s >= 0) {
      EXPECT_EQ(r.previous_ms, expected[i].previous_s * 1000);
    }
    EXPECT_EQ(r.call, expected[i].call);
    EXPECT_EQ(r.reason, expected[i].reason);
  }
}

TEST_F(RouterTest, CallEventsGiveTheWaitToAnswer) {
  add_queue(make_queue(1));
  add_agent(1);
  ASSERT_EQ(router.log_in(1), Status::kOk);
  enqueue(10, 1);
  clock.advance(seconds(42));
  ASSERT_EQ(router.set_ready(1), Status::kOk);
  clock.advance(seconds(3));
  ASSERT_EQ(router.answered(10, 1), Status::kOk);
  ASSERT_EQ(router.end_call(10), Status::kOk);
  std::vector<CallEventKind> kinds;
  for (const CallEvent& e : observer.calls) kinds.push_back(e.kind);
  EXPECT_EQ(kinds,
            (std::vector<CallEventKind>{CallEventKind::kQueued, CallEventKind::kOffered,
                                        CallEventKind::kAnswered, CallEventKind::kCompleted}));
  EXPECT_EQ(observer.calls[2].waited_ms, 45'000);
  EXPECT_EQ(observer.calls[2].agent, AgentId{1});
}

TEST_F(RouterTest, WrapUpEndsEarlyWhenTheAgentSaysReady) {
  QueueConfig q = make_queue(1);
  q.wrap_up = seconds(10);
  add_queue(q);
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(10, 1), 1u);
  ASSERT_EQ(router.end_call(10), Status::kOk);
  enqueue(11, 1);
  EXPECT_TRUE(offered().empty());
  EXPECT_EQ(state_of(1), AgentState::kWrapUp);
  clock.advance(seconds(5));
  ASSERT_EQ(router.set_ready(1), Status::kOk);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));
  advance(seconds(6));  // the old wrap-up timer must not touch the new call
  EXPECT_EQ(state_of(1), AgentState::kReserved);
}

TEST_F(RouterTest, NotReadyAskedDuringACallWaitsForItsEnd) {
  add_queue(make_queue(1));
  add_agent(1);
  ready(1);
  EXPECT_EQ(route_and_answer(10, 1), 1u);
  ASSERT_EQ(router.set_not_ready(1, "meeting"), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kOnCall);
  enqueue(11, 1);
  ASSERT_EQ(router.end_call(10), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(1)->reason, "meeting");
  EXPECT_TRUE(offered().empty());
}

}  // namespace
}  // namespace unicc::acd
