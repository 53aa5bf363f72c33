// acd::Wallboard: a constructed day of calls on a fake clock, in UTC.
#include "acd/wallboard.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace unicc::acd {
namespace {

constexpr std::int64_t kMidnight = 1'795'046'400'000;  // 2026-11-19 00:00 UTC
constexpr std::int64_t kHour = 3'600'000;

class WallboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
    clock.set_ms(kMidnight + 9 * kHour);
    board = std::make_unique<Wallboard>(clock);
    board->set_queue("sales", QueueAlerts{20, 60, 2, 80});
    board->set_queue("support", QueueAlerts{30, 0, 0, 0});
  }

  void event(const std::string& kind, std::uint64_t call, std::int64_t waited_ms, const std::string& agent = "",
             const std::string& queue = "sales") {
    board->on_queue_event(QueueCallEvent{queue, kind, call, agent, waited_ms, clock.now_ms(), false});
  }

  WallboardQueue queue(const std::string& name) {
    for (const auto& q : board->queues()) {
      if (q.name == name) return q;
    }
    ADD_FAILURE() << "no queue " << name;
    return {};
  }

  core::FakeClock clock;
  std::unique_ptr<Wallboard> board;
};

TEST_F(WallboardTest, DayStartIsLocalMidnight) {
  EXPECT_EQ(Wallboard::day_start_ms(kMidnight + 23 * kHour), kMidnight);
  EXPECT_EQ(Wallboard::day_start_ms(kMidnight), kMidnight);
  EXPECT_EQ(Wallboard::day_start_ms(kMidnight - 1), kMidnight - 24 * kHour);
}

TEST_F(WallboardTest, ADayOfCallsGivesServiceLevelAsaAndAbandons) {
  event("queued", 1, 0);
  clock.advance(std::chrono::seconds(5));
  event("queued", 2, 0);
  event("queued", 3, 2'000);  // came over from another queue after 2 s
  WallboardQueue q = queue("sales");
  EXPECT_EQ(q.waiting, 3);
  EXPECT_EQ(q.oldest_since_ms, clock.now_ms() - 5'000);
  EXPECT_EQ(q.alerting(clock.now_ms()), std::vector<std::string>{"waiting"});

  event("offered", 1, 5'000, "1001");
  event("answered", 1, 5'000, "1001");  // within 20 s
  clock.advance(std::chrono::seconds(25));
  event("answered", 2, 25'000, "1002");  // outside
  event("abandoned", 3, 27'000);         // after the threshold: counted against
  event("queued", 4, 0);
  clock.advance(std::chrono::seconds(3));
  event("abandoned", 4, 3'000);  // a short abandon: counts for neither
  event("queued", 5, 0);
  event("overflowed", 5, 0);  // left for another queue: not this queue's figure
  event("queued", 6, 0);
  event("callback_requested", 6, 0);

  q = queue("sales");
  EXPECT_EQ(q.waiting, 0);
  EXPECT_EQ(q.oldest_since_ms, 0);
  EXPECT_EQ(q.answered, 2);
  EXPECT_EQ(q.abandoned, 2);
  EXPECT_EQ(q.answered_in_service_level, 1);
  EXPECT_EQ(q.abandoned_after_service_level, 1);
  ASSERT_TRUE(q.service_level());
  EXPECT_DOUBLE_EQ(*q.service_level(), 1.0 / 3.0);
  EXPECT_EQ(q.asa_ms(), 15'000);
  EXPECT_EQ(q.alerting(clock.now_ms()), std::vector<std::string>{"service_level"});
  EXPECT_FALSE(queue("support").service_level());
  EXPECT_FALSE(queue("support").asa_ms());
}

TEST_F(WallboardTest, LongestWaitAlertsOnceTheThresholdPasses) {
  event("queued", 1, 0);
  EXPECT_TRUE(queue("sales").alerting(clock.now_ms() + 60'000).empty());
  EXPECT_EQ(queue("sales").alerting(clock.now_ms() + 60'001), std::vector<std::string>{"longest_wait"});
}

TEST_F(WallboardTest, AgentsAreCountedInTheQueuesTheyServe) {
  board->on_agent(AgentView{"1001", "Ann", "ready", "", 0, {"sales", "support"}, {}, {}});
  board->on_agent(AgentView{"1002", "Bo", "not_ready", "lunch", 0, {"sales"}, {}, {}});
  board->on_agent(AgentView{"1003", "Cy", "not_ready", "no answer", 0, {"sales"}, {}, {}});
  board->on_agent(AgentView{"1004", "Di", "on_call", "", 0, {"support"}, {}, {}});
  WallboardQueue sales = queue("sales");
  EXPECT_EQ(sales.ready, 1);
  EXPECT_EQ(sales.not_ready, 2);
  EXPECT_EQ(sales.not_ready_reasons, (std::map<std::string, std::int64_t>{{"lunch", 1}, {"no answer", 1}}));
  WallboardQueue support = queue("support");
  EXPECT_EQ(support.ready, 1);
  EXPECT_EQ(support.on_call, 1);

  board->take_changes();
  board->on_agent(AgentView{"1004", "Di", "wrap_up", "", 0, {"support"}, {}, {}});
  WallboardChanges changes = board->take_changes();
  EXPECT_EQ(changes.agents, std::set<std::string>{"1004"});
  EXPECT_EQ(changes.queues, std::set<std::string>{"support"});
  EXPECT_EQ(queue("support").wrap_up, 1);
}

TEST_F(WallboardTest, HandledCountsTheAgentsAnsweredCalls) {
  board->on_agent(AgentView{"1001", "Ann", "ready", "", 0, {"sales"}, {}, {}});
  event("queued", 1, 0);
  event("answered", 1, 1'000, "1001");
  event("queued", 2, 0, "", "support");
  event("answered", 2, 1'000, "1001", "support");
  auto agents = board->agents(std::set<std::string>{"1001"});
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].handled, 2);
}

TEST_F(WallboardTest, MidnightStartsANewDayButKeepsTheCallersWaiting) {
  board->on_agent(AgentView{"1001", "Ann", "ready", "", 0, {"sales"}, {}, {}});
  event("queued", 1, 0);
  event("answered", 1, 30'000, "1001");
  event("queued", 2, 0);
  clock.set_ms(kMidnight + 24 * kHour - 1'000);
  board->take_changes();
  EXPECT_TRUE(board->take_changes().empty());

  clock.set_ms(kMidnight + 24 * kHour + 1'000);
  WallboardChanges changes = board->take_changes();
  EXPECT_EQ(changes.queues, (std::set<std::string>{"sales", "support"}));
  EXPECT_EQ(changes.agents, std::set<std::string>{"1001"});
  WallboardQueue q = queue("sales");
  EXPECT_EQ(q.answered, 0);
  EXPECT_EQ(q.answer_wait_ms, 0);
  EXPECT_EQ(q.waiting, 1);
  EXPECT_EQ(board->agents()[0].handled, 0);
  event("answered", 2, 40'000, "1001");
  EXPECT_EQ(queue("sales").answered, 1);
}

TEST_F(WallboardTest, ReplayedEventsOfAnEarlierDayCountForNothing) {
  board->on_queue_event(QueueCallEvent{"sales", "answered", 9, "1001", 5'000, kMidnight - 1'000, false});
  board->on_queue_event(QueueCallEvent{"sales", "answered", 10, "1001", 5'000, kMidnight + 1'000, false});
  board->on_queue_event(QueueCallEvent{"nowhere", "answered", 11, "1001", 5'000, kMidnight + 1'000, false});
  EXPECT_EQ(queue("sales").answered, 1);
  EXPECT_EQ(board->agents(std::set<std::string>{"1001"}).size(), 0u);  // not listed until the ACD says so
  board->on_agent(AgentView{"1001", "Ann", "logged_out", "", 0, {"sales"}, {}, {}});
  EXPECT_EQ(board->agents()[0].handled, 1);
}

TEST_F(WallboardTest, RemovedQueuesAndAgentsAreReportedAsChanged) {
  board->on_agent(AgentView{"1001", "Ann", "ready", "", 0, {"sales"}, {}, {}});
  board->take_changes();
  board->remove_queue("support");
  board->remove_agent("1001");
  WallboardChanges changes = board->take_changes();
  EXPECT_EQ(changes.queues, (std::set<std::string>{"sales", "support"}));
  EXPECT_EQ(changes.agents, std::set<std::string>{"1001"});
  EXPECT_TRUE(board->queues(std::set<std::string>{"support"}).empty());
  EXPECT_TRUE(board->agents().empty());
}

}  // namespace
}  // namespace unicc::acd
