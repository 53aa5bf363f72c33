// The agent state log as spans: what AgentStateTracker hands on as states end, and
// how a span is cut at the 15-minute intervals.
#include "report/agent_states.h"

#include <gtest/gtest.h>

#include <vector>

namespace unicc::report {

bool operator==(const StateSpan& a, const StateSpan& b) {
  return a.agent == b.agent && a.state == b.state && a.reason == b.reason && a.from == b.from && a.until == b.until;
}

namespace {

constexpr std::int64_t kQuarter = 15 * 60'000;      // one interval
constexpr std::int64_t kStateT0 = 1'794'931'200'000;  // an interval's start (2026-11-17 16:00 UTC)

TEST(SplitByInterval, CutsAtTheIntervalsItCrosses) {
  using Pieces = std::vector<std::pair<std::int64_t, std::int64_t>>;
  EXPECT_EQ(split_by_interval(kStateT0 + 1'000, kStateT0 + 61'000), (Pieces{{kStateT0, 60'000}}));
  // Exactly one whole interval: one piece, the next interval untouched.
  EXPECT_EQ(split_by_interval(kStateT0, kStateT0 + kQuarter), (Pieces{{kStateT0, kQuarter}}));
  // From 10 s before an interval ends to 5 s into the one after next: 10 s, 15 min, 5 s.
  EXPECT_EQ(split_by_interval(kStateT0 + kQuarter - 10'000, kStateT0 + 2 * kQuarter + 5'000),
            (Pieces{{kStateT0, 10'000}, {kStateT0 + kQuarter, kQuarter}, {kStateT0 + 2 * kQuarter, 5'000}}));
  EXPECT_TRUE(split_by_interval(kStateT0, kStateT0).empty());
  EXPECT_TRUE(split_by_interval(kStateT0 + 5, kStateT0).empty());
}

class AgentStateTrackerTest : public ::testing::Test {
 protected:
  void change(const std::string& extension, const std::string& state, std::int64_t at,
              const std::string& reason = "", std::vector<std::string> queues = {"sales"}) {
    tracker.on_agent({extension, "Ann", state, reason, kStateT0 + at, std::move(queues), {}, {}});
  }
  std::vector<StateSpan> spans;
  AgentStateTracker tracker{[this](const StateSpan& span) { spans.push_back(span); }};
};

TEST_F(AgentStateTrackerTest, EachEndedStateIsASpanWithItsReason) {
  change("1001", "not_ready", 0, "login");
  change("1001", "ready", 10'000);
  change("1001", "reserved", 70'000);
  change("1001", "on_call", 75'000);
  change("1001", "wrap_up", 175'000);
  change("1001", "not_ready", 190'000, "lunch");
  change("1001", "not_ready", 200'000, "training");  // another reason: another span
  change("1001", "logged_out", 260'000, "logout");
  ASSERT_EQ(spans.size(), 7u);
  EXPECT_EQ(spans[0], (StateSpan{"1001", "not_ready", "login", kStateT0, kStateT0 + 10'000}));
  EXPECT_EQ(spans[1], (StateSpan{"1001", "ready", "", kStateT0 + 10'000, kStateT0 + 70'000}));
  EXPECT_EQ(spans[2], (StateSpan{"1001", "reserved", "", kStateT0 + 70'000, kStateT0 + 75'000}));
  EXPECT_EQ(spans[3], (StateSpan{"1001", "on_call", "", kStateT0 + 75'000, kStateT0 + 175'000}));
  EXPECT_EQ(spans[4], (StateSpan{"1001", "wrap_up", "", kStateT0 + 175'000, kStateT0 + 190'000}));
  EXPECT_EQ(spans[5], (StateSpan{"1001", "not_ready", "lunch", kStateT0 + 190'000, kStateT0 + 200'000}));
  EXPECT_EQ(spans[6], (StateSpan{"1001", "not_ready", "training", kStateT0 + 200'000, kStateT0 + 260'000}));
  // Logged out is no span: logging in again starts afresh.
  change("1001", "ready", 900'000);
  change("1001", "logged_out", 960'000);
  ASSERT_EQ(spans.size(), 8u);
  EXPECT_EQ(spans[7], (StateSpan{"1001", "ready", "", kStateT0 + 900'000, kStateT0 + 960'000}));
}

// Other changes of the agent (its queues) do not end its state; agents are apart.
TEST_F(AgentStateTrackerTest, SameStateAgainIsNoEndAndAgentsAreApart) {
  change("1001", "ready", 0);
  change("1002", "ready", 5'000);
  change("1001", "ready", 20'000, "", {"sales", "support"});
  change("1002", "on_call", 30'000);
  change("1001", "on_call", 40'000);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (StateSpan{"1002", "ready", "", kStateT0 + 5'000, kStateT0 + 30'000}));
  EXPECT_EQ(spans[1], (StateSpan{"1001", "ready", "", kStateT0, kStateT0 + 40'000}));
}

}  // namespace
}  // namespace unicc::report
