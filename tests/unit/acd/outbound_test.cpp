// An agent's own outbound calls (click-to-dial): they take the agent away from queue
// calls while they last, end in the wrap-up the agent's queues give, and bring an
// agent who was not ready back to not ready; and the end of a wrap-up on the
// agent's word.
#include "router_fixture.h"

namespace unicc::acd {
namespace {

constexpr CallId kDial = 900;

class OutboundTest : public RouterTest {
 protected:
  void SetUp() override {
    QueueConfig q = make_queue(1);
    q.wrap_up = seconds(30);
    add_queue(q);
    QueueConfig longer = make_queue(2);
    longer.wrap_up = seconds(45);
    add_queue(longer);
    add_agent(1);
  }
};

TEST_F(OutboundTest, NoQueueCallIsOfferedWhileTheAgentCallsOutThenWrapUpAsLongAsTheirQueuesLongest) {
  ready(1);
  ASSERT_EQ(router.dial_out(kDial, 1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kReserved);
  EXPECT_EQ(router.agent_status(1)->call, kDial);
  enqueue(10, 1);
  EXPECT_TRUE(offered().empty());
  ASSERT_EQ(router.answered(kDial, 1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kOnCall);
  EXPECT_EQ(router.queue_status(1)->waiting, 1u);
  EXPECT_FALSE(router.wait_status(kDial).has_value());  // it waits in no queue
  ASSERT_EQ(router.end_call(kDial), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kWrapUp);
  advance(seconds(44));
  EXPECT_EQ(state_of(1), AgentState::kWrapUp);
  advance(seconds(1));
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));  // ready, and the waiting call comes
  for (const CallEvent& event : observer.calls) EXPECT_NE(event.call, kDial);  // no queue heard of it
}

TEST_F(OutboundTest, AnAgentWhoWasNotReadyIsNotReadyAgainWithTheSameReason) {
  ready(1);
  ASSERT_EQ(router.set_not_ready(1, "lunch"), Status::kOk);
  ASSERT_EQ(router.dial_out(kDial, 1), Status::kOk);
  ASSERT_EQ(router.answered(kDial, 1), Status::kOk);
  ASSERT_EQ(router.end_call(kDial), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kWrapUp);
  ASSERT_EQ(router.end_wrap_up(1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(1)->reason, "lunch");
}

TEST_F(OutboundTest, ReadyDuringTheCallMeansReadyAfterIt) {
  ASSERT_EQ(router.log_in(1), Status::kOk);
  ASSERT_EQ(router.dial_out(kDial, 1), Status::kOk);
  ASSERT_EQ(router.answered(kDial, 1), Status::kOk);
  ASSERT_EQ(router.set_ready(1), Status::kOk);
  ASSERT_EQ(router.end_call(kDial), Status::kOk);
  ASSERT_EQ(router.end_wrap_up(1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kReady);
}

TEST_F(OutboundTest, NotAnsweredByTheAgentItEndsWithoutWrapUp) {
  ready(1);
  ASSERT_EQ(router.dial_out(kDial, 1), Status::kOk);
  EXPECT_EQ(router.offer_failed(kDial, 1, "no answer"), Status::kWrongState);  // there is no queue to go back to
  ASSERT_EQ(router.end_call(kDial), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kReady);
  enqueue(10, 1);
  EXPECT_EQ(offered(), (std::vector<AgentId>{1}));
}

TEST_F(OutboundTest, OnlyAnAgentWhoIsFreeMayCallOut) {
  EXPECT_EQ(router.dial_out(kDial, 1), Status::kWrongState);  // logged out
  EXPECT_EQ(router.dial_out(kDial, 7), Status::kUnknownAgent);
  ready(1);
  enqueue(10, 1);
  ASSERT_EQ(offered(), (std::vector<AgentId>{1}));
  EXPECT_EQ(router.dial_out(kDial, 1), Status::kWrongState);  // their phone rings for a queue call
  ASSERT_EQ(router.answered(10, 1), Status::kOk);
  EXPECT_EQ(router.dial_out(kDial, 1), Status::kWrongState);  // on it
  ASSERT_EQ(router.end_call(10), Status::kOk);
  ASSERT_EQ(state_of(1), AgentState::kWrapUp);
  ASSERT_EQ(router.dial_out(kDial, 1), Status::kOk);  // wrapping up: calling the customer back is allowed
  EXPECT_EQ(router.dial_out(kDial, 1), Status::kDuplicateCall);
}

TEST_F(OutboundTest, EndingAWrapUpMakesTheAgentReadyOrNotReadyAsTheyAsked) {
  ready(1);
  EXPECT_EQ(router.end_wrap_up(1), Status::kWrongState);
  EXPECT_EQ(route_and_answer(10, 1), 1u);
  ASSERT_EQ(router.set_not_ready(1, "break"), Status::kOk);  // after this call
  ASSERT_EQ(router.end_call(10), Status::kOk);
  ASSERT_EQ(router.end_wrap_up(1), Status::kOk);
  EXPECT_EQ(state_of(1), AgentState::kNotReady);
  EXPECT_EQ(router.agent_status(1)->reason, "break");
}

}  // namespace
}  // namespace unicc::acd
