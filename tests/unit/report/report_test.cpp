// Roll-ups in the database (SQLite, and PostgreSQL through scripts/with-postgres)
// and the report figures from them, with exact values from hand-built visits.
#include "report/report.h"

#include <gtest/gtest.h>

#include "core/metrics.h"
#include "report/rollups.h"
#include "store/async_writer.h"
#include "support/test_database.h"

namespace unicc::report {
namespace {

// 2026-11-18 00:00 in Shanghai (UTC+8): 2026-11-17 16:00 UTC.
constexpr std::int64_t kDay = 1'794'931'200'000;
constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin;

Visit answered(std::uint64_t call, const std::string& queue, const std::string& agent, std::int64_t entered,
               std::int64_t waited, std::int64_t talk, std::int64_t hold = 0, std::int64_t acw = 0) {
  Visit v;
  v.call = call;
  v.queue = queue;
  v.did = "4001";
  v.entered_at = entered;
  v.outcome = "answered";
  v.agent = agent;
  v.answered_at = entered + waited;
  v.waited_ms = waited;
  v.talk_ms = talk;
  v.hold_ms = hold;
  v.acw_ms = acw;
  v.ended_at = v.answered_at + talk + hold;
  v.service_level_ms = 20'000;
  return v;
}

Visit abandoned(std::uint64_t call, const std::string& queue, std::int64_t entered, std::int64_t waited,
                bool short_abandon = false) {
  Visit v;
  v.call = call;
  v.queue = queue;
  v.did = "4002";
  v.entered_at = entered;
  v.outcome = "abandoned";
  v.abandoned_at = v.ended_at = entered + waited;
  v.waited_ms = waited;
  v.short_abandon = short_abandon;
  v.service_level_ms = 20'000;
  return v;
}

class ReportTest : public ::testing::Test {
 protected:
  ReportTest() { cctz::load_time_zone("Asia/Shanghai", &zone); }
  std::vector<Row> rows(const std::string& kind, Period period, bool by_name, const std::string& key = "") {
    return summarise(rollups.read(kind, kDay - 7 * 24 * kHour, kDay + 7 * 24 * kHour, key), period, zone, by_name);
  }

  testing::TestDatabase test;
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 100, 10000, metrics};
  Rollups rollups{writer, test.db()};
  cctz::time_zone zone;
};

// Ten calls in sales within one interval: every count, every formula, exactly.
TEST_F(ReportTest, QueueFiguresAndTheFourServiceLevels) {
  const std::int64_t t = kDay + 9 * kHour;  // 09:00
  rollups.record(answered(1, "sales", "1001", t, 5'000, 100'000, 10'000, 20'000));
  rollups.record(answered(2, "sales", "1002", t + kMin, 20'000, 200'000, 0, 40'000));   // at the threshold: in
  rollups.record(answered(3, "sales", "1001", t + 2 * kMin, 20'001, 300'000, 20'000, 0));  // just after
  rollups.record(abandoned(4, "sales", t + 3 * kMin, 20'000));    // abandoned exactly at the threshold: within
  rollups.record(abandoned(5, "sales", t + 4 * kMin, 45'000));    // after
  rollups.record(abandoned(6, "sales", t + 5 * kMin, 3'000, true));  // short: apart
  Visit overflowed;
  overflowed.call = 7;
  overflowed.queue = "sales";
  overflowed.entered_at = t + 6 * kMin;
  overflowed.outcome = "overflowed";
  overflowed.overflowed_to = "support";
  overflowed.waited_ms = 60'000;
  overflowed.service_level_ms = 20'000;
  rollups.record(overflowed);
  Visit transferred = answered(8, "sales", "1002", t + 7 * kMin, 10'000, 50'000);
  transferred.transferred = true;
  rollups.record(transferred);
  Visit callback = answered(9, "sales", "1001", t + 8 * kMin, 300'000, 30'000);
  callback.outcome = "callback";
  callback.callback_requested = true;
  rollups.record(callback);
  rollups.callback_completed("sales", "4001", "1001", t + 8 * kMin);

  const auto all = rows("queue", Period::whole, true);
  ASSERT_EQ(all.size(), 1u);
  const Counts& c = all[0].counts;
  EXPECT_EQ(all[0].name, "sales");
  EXPECT_EQ(c.offered, 8);  // nine visits less the short abandon
  EXPECT_EQ(c.answered, 4);
  EXPECT_EQ(c.abandoned, 2);
  EXPECT_EQ(c.short_abandoned, 1);
  EXPECT_EQ(c.overflowed, 1);
  EXPECT_EQ(c.answered_in_sl, 3);  // 5 s, 20 s, 10 s
  EXPECT_EQ(c.abandoned_in_sl, 1);
  EXPECT_EQ(c.handled, 5);  // the callback too
  EXPECT_EQ(c.wait_answered_ms, 5'000 + 20'000 + 20'001 + 10'000);
  EXPECT_EQ(c.wait_abandoned_ms, 65'000);
  EXPECT_EQ(c.max_wait_ms, 45'000);
  EXPECT_EQ(c.talk_ms, 100'000 + 200'000 + 300'000 + 50'000 + 30'000);
  EXPECT_EQ(c.hold_ms, 30'000);
  EXPECT_EQ(c.acw_ms, 60'000);
  EXPECT_EQ(c.transferred, 1);
  EXPECT_EQ(c.callbacks_requested, 1);
  EXPECT_EQ(c.callbacks_completed, 1);

  EXPECT_DOUBLE_EQ(*service_level(c, SlFormula::answered), 0.75);                 // 3 / 4
  EXPECT_DOUBLE_EQ(*service_level(c, SlFormula::answered_abandoned), 0.5);        // 3 / 6
  EXPECT_DOUBLE_EQ(*service_level(c, SlFormula::answered_late_abandoned), 0.6);   // 3 / 5
  EXPECT_DOUBLE_EQ(*service_level(c, SlFormula::offered), 0.5);                   // 4 / 8
  EXPECT_FALSE(service_level(Counts{}, SlFormula::answered));

  const Table table = make_table(all, "queue", SlFormula::answered_late_abandoned, Period::whole, zone);
  auto cell = [&table](const std::string& column) {
    auto at = std::find(table.columns.begin(), table.columns.end(), column);
    EXPECT_NE(at, table.columns.end()) << column;
    return table.rows.at(0).at(static_cast<std::size_t>(at - table.columns.begin()));
  };
  EXPECT_EQ(std::get<std::string>(cell("queue")), "sales");
  EXPECT_DOUBLE_EQ(std::get<double>(cell("service_level")), 0.6);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("asa_s")), 13.75);    // 55,001 ms / 4, to the ms
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_wait_s")), 20.0);  // 120,001 ms / 6
  EXPECT_DOUBLE_EQ(std::get<double>(cell("max_wait_s")), 45.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("abandon_rate")), 0.25);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("answer_rate")), 0.5);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_talk_s")), 136.0);  // 680 s / 5
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_hold_s")), 6.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_acw_s")), 12.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("aht_s")), 154.0);       // (680 + 30 + 60) s / 5
  EXPECT_DOUBLE_EQ(std::get<double>(cell("transfer_rate")), 0.2);
}

// An agent who serves two queues: one row with both queues' calls.
TEST_F(ReportTest, AgentInSeveralQueues) {
  const std::int64_t t = kDay + 10 * kHour;
  rollups.record(answered(1, "sales", "1001", t, 4'000, 60'000, 0, 10'000));
  rollups.record(answered(2, "support", "1001", t + 20 * kMin, 30'000, 120'000, 6'000, 14'000));
  rollups.record(answered(3, "support", "1002", t, 1'000, 10'000));
  const auto agents = rows("agent", Period::whole, true);
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].name, "1001");
  EXPECT_EQ(agents[0].counts.handled, 2);
  EXPECT_EQ(agents[0].counts.offered, 0);
  EXPECT_EQ(agents[0].counts.talk_ms + agents[0].counts.hold_ms + agents[0].counts.acw_ms, 210'000);
  EXPECT_EQ(agents[0].counts.answered_in_sl, 1);
  const Table table = make_table(agents, "agent", SlFormula::answered, Period::whole, zone);
  EXPECT_EQ(table.columns[0], "agent");
  EXPECT_EQ(table.columns[1], "contacts");
  EXPECT_EQ(std::get<std::int64_t>(table.rows[0][1]), 2);
  const auto handle = std::find(table.columns.begin(), table.columns.end(), "handle_s") - table.columns.begin();
  const auto aht = std::find(table.columns.begin(), table.columns.end(), "aht_s") - table.columns.begin();
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[0][static_cast<std::size_t>(handle)]), 210.0);
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[0][static_cast<std::size_t>(aht)]), 105.0);
  // The queues count their own calls only.
  EXPECT_EQ(rows("queue", Period::whole, true, "support").at(0).counts.answered, 2);
}

// A call entering at 23:59:50 (Shanghai) and answered at 00:00:10 counts in the
// queue on the day it entered, in the agent's figures on the day it was answered;
// the 15-minute intervals and the days are Shanghai's.
TEST_F(ReportTest, CallSpanningAnIntervalAndADayBoundary) {
  const std::int64_t entered = kDay + 24 * kHour - 10'000;
  rollups.record(answered(1, "sales", "1001", entered, 20'000, 60'000));
  const auto by_day = rows("queue", Period::day, false);
  ASSERT_EQ(by_day.size(), 1u);
  EXPECT_EQ(by_day[0].start, kDay);
  const auto agent_days = rows("agent", Period::day, true);
  ASSERT_EQ(agent_days.size(), 1u);
  EXPECT_EQ(agent_days[0].start, kDay + 24 * kHour);
  const auto quarter = rows("queue", Period::m15, false);
  EXPECT_EQ(quarter.at(0).start, kDay + 24 * kHour - 15 * kMin);
  // In UTC the same call is on 2026-11-18, from 15:45.
  cctz::time_zone utc = cctz::utc_time_zone();
  EXPECT_EQ(period_start(entered, Period::day, utc), kDay + 8 * kHour);
  const Table table = make_table(by_day, "", SlFormula::answered, Period::day, zone);
  EXPECT_EQ(table.columns[0], "start");
  EXPECT_EQ(std::get<std::string>(table.rows[0][1]), "2026-11-18");
}

TEST_F(ReportTest, PeriodsFollowTheLocalCalendar) {
  const std::int64_t t = kDay + 13 * kHour + 47 * kMin + 12'345;  // Wed 2026-11-18 13:47:12.345
  EXPECT_EQ(period_start(t, Period::m15, zone), kDay + 13 * kHour + 45 * kMin);
  EXPECT_EQ(period_start(t, Period::m30, zone), kDay + 13 * kHour + 30 * kMin);
  EXPECT_EQ(period_start(t, Period::m60, zone), kDay + 13 * kHour);
  EXPECT_EQ(period_start(t, Period::week, zone), kDay - 2 * 24 * kHour);      // Monday the 16th
  EXPECT_EQ(period_start(t, Period::month, zone), kDay - 17 * 24 * kHour);    // the 1st
  EXPECT_EQ(*parse_period("30m"), Period::m30);
  EXPECT_FALSE(parse_period("20m"));
  // A half-hour zone: India's hours start at :30 UTC.
  cctz::time_zone kolkata;
  ASSERT_TRUE(cctz::load_time_zone("Asia/Kolkata", &kolkata));
  EXPECT_EQ(period_start(kDay + 15 * kMin, Period::m60, kolkata), kDay - 30 * kMin);  // 21:45 → 21:00 IST
}

// The queue's and the DID's roll-ups come from the same visits.
TEST_F(ReportTest, DidsAndIntervals) {
  const std::int64_t t = kDay + 9 * kHour;
  rollups.record(answered(1, "sales", "1001", t, 1'000, 1'000));
  rollups.record(abandoned(2, "support", t + 20 * kMin, 30'000));
  const auto dids = rows("did", Period::whole, true);
  ASSERT_EQ(dids.size(), 2u);
  EXPECT_EQ(dids[0].name, "4001");
  EXPECT_EQ(dids[0].counts.answered, 1);
  EXPECT_EQ(dids[1].name, "4002");
  EXPECT_EQ(dids[1].counts.abandoned, 1);
  const auto intervals = rows("queue", Period::m15, false);
  ASSERT_EQ(intervals.size(), 2u);
  EXPECT_EQ(intervals[0].start, t);
  EXPECT_EQ(intervals[1].start, t + 15 * kMin);
  EXPECT_EQ(rows("queue", Period::m60, false).size(), 1u);
}

}  // namespace
}  // namespace unicc::report
