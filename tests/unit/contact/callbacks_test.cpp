// Callback-in-queue with a fake channel: the request keeps the customer's place, the
// agent is called first and then the customer, a customer not reached is called
// again after the retry time up to the attempts, and requests can be cancelled or
// restored after a restart. Every change is reported (callback_changed).
#include "contact_fixture.h"

namespace unicc::contact {
namespace {

using namespace std::chrono_literals;
using Commands = std::vector<std::string>;

class CallbacksTest : public ContactsTest {
 protected:
  void SetUp() override {
    add_sales([](acd::QueueConfig&, QueueSettings& queue) {
      queue.callback_key = "1";
      queue.callback_attempts = 2;
      queue.callback_retry = 60s;
    });
    add_agent(7, /*ready=*/false);  // logged in, so the queue takes contacts
  }

  // Customer 1 (on the trunk "carrier", prefix 9) asks to be called back and leaves.
  void request() {
    ASSERT_EQ(contacts.queue(customer(1, "carrier"), "sales", {}, 0), std::nullopt);
    control.take();
    contacts.on_dtmf(1, '1');
    ASSERT_EQ(control.take(),
              (Commands{"play 1 Thank you. We will call you back when an agent is free. Goodbye."}));
    contacts.on_play_finished(1, control.last_play_id);
    ASSERT_EQ(control.take(), (Commands{"hang_up 1"}));
    contacts.on_ended(1);
  }

  // The agent's session for the callback (500 onwards) answers.
  void agent_answers(ContactId leg) {
    contacts.on_answered(leg);
    EXPECT_EQ(control.take(), (Commands{"hold " + std::to_string(leg) + " ringback",
                                        "connect " + std::to_string(leg) + " 9138000001 as 4000"}));
  }
};

TEST_F(CallbacksTest, TheRequestKeepsTheCustomersPlaceAfterTheyHangUp) {
  request();
  ASSERT_EQ(callbacks.size(), 1u);
  EXPECT_EQ(callbacks[0].state, "waiting");
  EXPECT_EQ(callbacks[0].number, "9138000001");
  EXPECT_EQ(callbacks[0].queue, "sales");
  EXPECT_EQ(callbacks[0].call_id, "sip-1");
  EXPECT_TRUE(waiting(1));
  EXPECT_EQ(events.kinds.back(), acd::CallEventKind::kCallbackRequested);
}

TEST_F(CallbacksTest, AnotherKeyDoesNothing) {
  ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
  control.take();
  contacts.on_dtmf(1, '2');
  EXPECT_TRUE(control.take().empty());
  EXPECT_TRUE(callbacks.empty());
}

TEST_F(CallbacksTest, AtTheirTurnTheAgentIsCalledThenTheCustomerAndTheRequestCompletes) {
  request();
  make_ready(7);
  EXPECT_EQ(control.take(), (Commands{"originate 1007 as 138000001"}));
  EXPECT_TRUE(contacts.owns(500));
  agent_answers(500);
  EXPECT_EQ(state_of(7), acd::AgentState::kOnCall);
  contacts.on_connect_result(500, true, 200);
  contacts.on_ended(500);
  ASSERT_EQ(callbacks.size(), 2u);
  EXPECT_EQ(callbacks[1].state, "completed");
  EXPECT_EQ(callbacks[1].agent, "1007");
  EXPECT_FALSE(waiting(1));
  EXPECT_FALSE(contacts.owns(500));
}

TEST_F(CallbacksTest, ACustomerNotReachedIsCalledAgainAfterTheRetryTimeUpToTheAttempts) {
  request();
  make_ready(7);
  control.take();
  agent_answers(500);
  contacts.on_connect_result(500, false, 480);
  EXPECT_EQ(control.take(), (Commands{"hang_up 500"}));
  contacts.on_ended(500);
  ASSERT_EQ(callbacks.size(), 2u);
  EXPECT_EQ(callbacks[1].state, "waiting");
  EXPECT_EQ(callbacks[1].attempts, 1);
  EXPECT_EQ(callbacks[1].outcome, "no answer");
  EXPECT_EQ(callbacks[1].retry_at, clock.now_ms() + 60'000);

  timers.advance(59s);
  EXPECT_TRUE(control.take().empty());
  timers.advance(1s);
  EXPECT_EQ(control.take(), (Commands{"originate 1007 as 138000001"}));
  agent_answers(501);
  contacts.on_connect_result(501, false, 486);
  contacts.on_ended(501);
  ASSERT_EQ(callbacks.size(), 3u);
  EXPECT_EQ(callbacks[2].state, "failed");
  EXPECT_EQ(callbacks[2].outcome, "busy");
  EXPECT_EQ(callbacks[2].attempts, 2);
  control.take();
  timers.advance(10min);
  EXPECT_TRUE(control.take().empty());
}

TEST_F(CallbacksTest, AnAgentWhoDoesNotAnswerLeavesTheRequestAtTheHeadOfTheQueue) {
  request();
  make_ready(7);
  control.take();
  contacts.on_originate_failed(500, 480);
  contacts.on_ended(500);
  EXPECT_EQ(state_of(7), acd::AgentState::kNotReady);
  EXPECT_EQ(router.wait_status(1)->position, 1u);
  EXPECT_EQ(callbacks.size(), 1u);  // still waiting, nothing changed
}

TEST_F(CallbacksTest, AWaitingRequestCanBeCancelledButNotWhileTheAgentCalls) {
  request();
  EXPECT_EQ(contacts.cancel_callback("sip-9", "alice"), "no such waiting callback");
  make_ready(7);
  EXPECT_EQ(contacts.cancel_callback("sip-1", "alice"), "the agent is calling the customer back now");
  contacts.on_originate_failed(500, 486);
  contacts.on_ended(500);
  EXPECT_EQ(contacts.cancel_callback("sip-1", "alice"), "");
  EXPECT_EQ(callbacks.back().state, "cancelled");
  EXPECT_EQ(callbacks.back().outcome, "cancelled by alice");
  EXPECT_FALSE(waiting(1));
}

TEST_F(CallbacksTest, RequestsLeftByTheLastRunAreQueuedAgainAndUnknownQueuesFail) {
  CallbackRecord kept;
  kept.call_id = "old-1";
  kept.queue = "sales";
  kept.number = "139";
  kept.caller = "139";
  kept.dialled = "4000";
  CallbackRecord lost = kept;
  lost.call_id = "old-2";
  lost.queue = "gone";
  contacts.restore_callbacks({kept, lost});
  ASSERT_EQ(callbacks.size(), 1u);
  EXPECT_EQ(callbacks[0].call_id, "old-2");
  EXPECT_EQ(callbacks[0].state, "failed");
  make_ready(7);
  EXPECT_EQ(control.take(), (Commands{"originate 1007 as 139"}));
}

}  // namespace
}  // namespace unicc::contact
