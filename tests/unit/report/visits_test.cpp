// Queue visits built from hand-made sequences of the ACD's and the contacts' events,
// as acd_store::AgentLog and the contact layer report them.
#include "report/visits.h"

#include <gtest/gtest.h>

#include <vector>

namespace unicc::report {
namespace {

constexpr std::int64_t kT0 = 1'795'000'000'000;

class VisitTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tracker.set_queue("sales", 20'000);
    tracker.set_queue("support", 30'000);
  }
  void event(std::uint64_t call, const std::string& queue, const std::string& kind, std::int64_t at,
             const std::string& agent = "", bool busy = false) {
    tracker.on_queue_event({queue, kind, call, agent, 0, kT0 + at, busy});
  }
  void agent(const std::string& extension, const std::string& state, std::int64_t at) {
    tracker.on_agent({extension, "", state, "", kT0 + at, {}, {}, {}});
  }
  void contact(std::uint64_t call, const std::string& state, std::int64_t at, std::size_t transfers = 0) {
    tracker.on_contact({call, "4001", state, kT0 + at, transfers});
  }

  std::vector<Visit> done;
  VisitTracker tracker{5'000, [this](const Visit& visit) { done.push_back(visit); }};
};

// Offered to two agents, held once, wrapped up: every field of the fact.
TEST_F(VisitTrackerTest, AnsweredVisitHasItsOffersHoldTalkAndWrapUp) {
  event(1, "sales", "queued", 0);
  contact(1, "queued", 0);
  event(1, "sales", "offered", 1'000, "1001");
  event(1, "sales", "returned", 16'000, "1001");
  event(1, "sales", "offered", 16'000, "1002");
  event(1, "sales", "answered", 18'000, "1002");
  contact(1, "talking", 18'000);
  contact(1, "held", 30'000);
  contact(1, "talking", 33'000);
  event(1, "sales", "completed", 60'000, "1002");
  EXPECT_TRUE(done.empty());  // until the wrap-up is over
  agent("1002", "wrap_up", 60'000);
  agent("1002", "ready", 75'000);
  ASSERT_EQ(done.size(), 1u);
  const Visit& v = done[0];
  EXPECT_EQ(v.call, 1u);
  EXPECT_EQ(v.queue, "sales");
  EXPECT_EQ(v.did, "4001");
  EXPECT_EQ(v.entered_at, kT0);
  EXPECT_EQ(v.first_offered_at, kT0 + 1'000);
  EXPECT_EQ(v.first_offered_to, "1001");
  EXPECT_EQ(v.offers, 2);
  EXPECT_EQ(v.offered_to, "1001,1002");
  EXPECT_EQ(v.outcome, "answered");
  EXPECT_EQ(v.agent, "1002");
  EXPECT_EQ(v.answered_at, kT0 + 18'000);
  EXPECT_EQ(v.waited_ms, 18'000);
  EXPECT_EQ(v.hold_ms, 3'000);
  EXPECT_EQ(v.talk_ms, 60'000 - 18'000 - 3'000);
  EXPECT_EQ(v.acw_ms, 15'000);
  EXPECT_EQ(v.ended_at, kT0 + 60'000);
  EXPECT_EQ(v.service_level_ms, 20'000);
  EXPECT_FALSE(v.transferred);
}

TEST_F(VisitTrackerTest, WithoutWrapUpTheVisitEndsWithTheCall) {
  event(1, "sales", "queued", 0);
  event(1, "sales", "offered", 0, "1001");
  event(1, "sales", "answered", 2'000, "1001");
  event(1, "sales", "completed", 12'000, "1001");
  agent("1001", "ready", 12'000);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].acw_ms, 0);
  EXPECT_EQ(done[0].talk_ms, 10'000);
}

// A caller who hangs up sooner than the short-abandon threshold (5 s) is a short
// abandon; at exactly 5 s they are not.
TEST_F(VisitTrackerTest, AbandonsShortBelowTheThreshold) {
  event(1, "sales", "queued", 0);
  event(1, "sales", "abandoned", 4'999);
  event(2, "sales", "queued", 0);
  event(2, "sales", "offered", 1'000, "1001");
  event(2, "sales", "abandoned", 5'000);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].outcome, "abandoned");
  EXPECT_TRUE(done[0].short_abandon);
  EXPECT_EQ(done[0].abandoned_at, kT0 + 4'999);
  EXPECT_EQ(done[1].outcome, "abandoned");
  EXPECT_FALSE(done[1].short_abandon);
  EXPECT_EQ(done[1].waited_ms, 5'000);
  EXPECT_EQ(done[1].offers, 1);
}

// An overflow closes the visit in the first queue, naming the second, and opens one
// there whose wait starts on entering it.
TEST_F(VisitTrackerTest, OverflowIsAVisitInEachQueue) {
  event(1, "sales", "queued", 0);
  event(1, "sales", "overflowed", 30'000);
  event(1, "support", "queued", 30'000);
  event(1, "support", "offered", 31'000, "2001");
  event(1, "support", "answered", 40'000, "2001");
  event(1, "support", "completed", 100'000, "2001");
  agent("2001", "ready", 100'000);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].queue, "sales");
  EXPECT_EQ(done[0].outcome, "overflowed");
  EXPECT_EQ(done[0].overflowed_to, "support");
  EXPECT_EQ(done[0].waited_ms, 30'000);
  EXPECT_FALSE(done[0].busy);  // its wait ran out
  EXPECT_EQ(done[1].queue, "support");
  EXPECT_EQ(done[1].outcome, "answered");
  EXPECT_EQ(done[1].waited_ms, 10'000);
  EXPECT_EQ(done[1].service_level_ms, 30'000);
}

// A queue that could not take the call (full, or no agent logged in) overflows it at
// once: a busy visit.
TEST_F(VisitTrackerTest, AQueueThatCannotTakeTheCallMakesABusyVisit) {
  event(1, "sales", "queued", 0);
  event(1, "sales", "overflowed", 0, "", true);
  contact(1, "ivr", 0);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, "overflowed");
  EXPECT_TRUE(done[0].busy);
}

TEST_F(VisitTrackerTest, OverflowOutOfTheAcdNamesNoQueue) {
  event(1, "sales", "queued", 0);
  event(1, "sales", "overflowed", 60'000);
  contact(1, "ivr", 60'000);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].overflowed_to, "");
}

// An overflow tier: the call also waits in support, and an agent there answers; it
// stays one visit, in sales.
TEST_F(VisitTrackerTest, TierQueueKeepsOneVisit) {
  event(1, "sales", "queued", 0);
  event(1, "support", "queued", 20'000);
  event(1, "support", "offered", 21'000, "2001");
  event(1, "support", "answered", 25'000, "2001");
  event(1, "support", "completed", 35'000, "2001");
  agent("2001", "ready", 35'000);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].queue, "sales");
  EXPECT_EQ(done[0].agent, "2001");
  EXPECT_EQ(done[0].waited_ms, 25'000);
}

// The agent transfers the caller to another queue: the first visit is transferred,
// the second one is a visit of its own.
TEST_F(VisitTrackerTest, TransferToAQueue) {
  event(1, "sales", "queued", 0);
  contact(1, "queued", 0);
  event(1, "sales", "offered", 0, "1001");
  event(1, "sales", "answered", 3'000, "1001");
  contact(1, "talking", 3'000);
  contact(1, "ended", 20'000, 1);  // the agent's desktop sees it go, with the transfer step
  event(1, "sales", "completed", 20'000, "1001");
  agent("1001", "wrap_up", 20'000);
  event(1, "support", "queued", 20'000);
  contact(1, "queued", 20'000, 1);
  agent("1001", "ready", 30'000);
  event(1, "support", "abandoned", 50'000);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].queue, "sales");
  EXPECT_TRUE(done[0].transferred);
  EXPECT_EQ(done[0].acw_ms, 10'000);
  EXPECT_EQ(done[1].queue, "support");
  EXPECT_EQ(done[1].did, "4001");
  EXPECT_EQ(done[1].outcome, "abandoned");
  EXPECT_FALSE(done[1].transferred);
}

// A callback request keeps the caller's place; the agent's call back ends it.
TEST_F(VisitTrackerTest, CallbackRequestedThenCalledBack) {
  event(1, "sales", "queued", 0);
  event(1, "sales", "callback_requested", 10'000);
  event(1, "sales", "offered", 90'000, "1001");
  event(1, "sales", "answered", 95'000, "1001");
  event(1, "sales", "completed", 155'000, "1001");
  agent("1001", "ready", 155'000);
  // A request queued again (after a failed attempt or a restart) continues it.
  event(kCallbackRetryIds + 1, "sales", "queued", 200'000);
  event(kCallbackRetryIds + 1, "sales", "abandoned", 210'000);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].outcome, "callback");
  EXPECT_TRUE(done[0].callback_requested);
  EXPECT_EQ(done[0].talk_ms, 60'000);
  EXPECT_EQ(done[1].outcome, "callback");
  EXPECT_FALSE(done[1].callback_requested);
}

}  // namespace
}  // namespace unicc::report
