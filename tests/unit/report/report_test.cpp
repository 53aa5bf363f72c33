// Roll-ups in the database (SQLite, and PostgreSQL through scripts/with-postgres)
// and the report figures from them, with exact values from hand-built visits.
#include "report/report.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

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
  Visit busy = overflowed;  // the queue was full: overflowed at once
  busy.call = 10;
  busy.entered_at = t + 9 * kMin;
  busy.waited_ms = 0;
  busy.busy = true;
  rollups.record(busy);

  const auto all = rows("queue", Period::whole, true);
  ASSERT_EQ(all.size(), 1u);
  const Counts& c = all[0].counts;
  EXPECT_EQ(all[0].name, "sales");
  EXPECT_EQ(c.offered, 9);  // ten visits less the short abandon
  EXPECT_EQ(c.answered, 4);
  EXPECT_EQ(c.abandoned, 2);
  EXPECT_EQ(c.short_abandoned, 1);
  EXPECT_EQ(c.overflowed, 2);
  EXPECT_EQ(c.busy, 1);
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
  EXPECT_DOUBLE_EQ(*service_level(c, SlFormula::offered), 0.4444);                // 4 / 9
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
  EXPECT_DOUBLE_EQ(std::get<double>(cell("abandon_rate")), 0.2222);  // 2 / 9
  EXPECT_DOUBLE_EQ(std::get<double>(cell("answer_rate")), 0.4444);   // 4 / 9
  EXPECT_DOUBLE_EQ(std::get<double>(cell("busy_rate")), 0.1111);     // 1 / 9: the queue was full
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_talk_s")), 136.0);  // 680 s / 5
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_hold_s")), 6.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("avg_acw_s")), 12.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell("aht_s")), 154.0);       // (680 + 30 + 60) s / 5
  EXPECT_DOUBLE_EQ(std::get<double>(cell("transfer_rate")), 0.2);
}

// Each queue's row uses its own formula when it has one, the given one otherwise.
TEST_F(ReportTest, PerQueueServiceLevelFormula) {
  const std::int64_t t = kDay + 9 * kHour;
  for (const std::string queue : {"sales", "support"}) {
    rollups.record(answered(1, queue, "1001", t, 10'000, 60'000));
    rollups.record(answered(2, queue, "1001", t, 30'000, 60'000));
    rollups.record(abandoned(3, queue, t, 10'000));
    rollups.record(abandoned(4, queue, t, 40'000));
  }
  const auto all = rows("queue", Period::whole, true);
  const Table table = make_table(all, "queue", SlFormula::answered_late_abandoned, Period::whole, zone,
                                 {{"sales", SlFormula::offered}});
  const auto column = [&table](const std::string& name) {
    return static_cast<std::size_t>(std::find(table.columns.begin(), table.columns.end(), name) -
                                    table.columns.begin());
  };
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[0][column("service_level")]), 0.5);  // (1 + 1) / 4
  EXPECT_EQ(std::get<std::string>(table.rows[0][column("sl_formula")]), "offered");
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[1][column("service_level")]), 0.3333);  // 1 / (2 + 1)
  EXPECT_EQ(std::get<std::string>(table.rows[1][column("sl_formula")]), "answered_late_abandoned");
  // Intervals of all queues have no formula column.
  const Table together = make_table(rows("queue", Period::whole, false), "", SlFormula::answered, Period::whole, zone);
  EXPECT_EQ(std::find(together.columns.begin(), together.columns.end(), "sl_formula"), together.columns.end());
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

// Agents' time per state from the state log: cut at the intervals, summed per period,
// occupancy and utilisation exactly; an agent with time but no calls has a row too.
TEST_F(ReportTest, AgentTimePerStateOccupancyAndUtilisation) {
  const std::int64_t t = kDay + 9 * kHour;  // 09:00 Shanghai
  auto span = [this](const std::string& agent, const std::string& state, std::int64_t from, std::int64_t until,
                     const std::string& reason = "") {
    rollups.record_state(StateSpan{agent, state, reason, from, until});
  };
  const std::int64_t s = 1'000;
  span("1001", "ready", t + 14 * kMin, t + 16 * kMin);                              // 60 s + 60 s
  span("1001", "reserved", t + 16 * kMin, t + 16 * kMin + 10 * s);
  span("1001", "on_call", t + 16 * kMin + 10 * s, t + 19 * kMin + 10 * s);          // 180 s
  span("1001", "wrap_up", t + 19 * kMin + 10 * s, t + 19 * kMin + 40 * s);          // 30 s
  span("1001", "not_ready", t + 19 * kMin + 40 * s, t + 29 * kMin + 40 * s, "lunch");  // 600 s
  span("1001", "ready", t + 29 * kMin + 40 * s, t + 30 * kMin + 20 * s);            // 20 s + 20 s
  span("1002", "ready", t, t + 10 * kMin);
  span("1002", "on_call", t + 10 * kMin, t + 15 * kMin);
  rollups.record(answered(1, "sales", "1001", t + 16 * kMin, 10'000, 180'000, 0, 30'000));

  std::vector<Row> agents = rows("agent", Period::whole, true);
  ASSERT_EQ(agents.size(), 1u);
  add_state_times(agents, rollups.read_states(kDay, kDay + 24 * kHour, ""), Period::whole, zone);
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].name, "1001");
  EXPECT_EQ(agents[0].counts.handled, 1);
  EXPECT_EQ(agents[0].times.ready_ms, 160'000);
  EXPECT_EQ(agents[0].times.reserved_ms, 10'000);
  EXPECT_EQ(agents[0].times.on_call_ms, 180'000);
  EXPECT_EQ(agents[0].times.wrap_up_ms, 30'000);
  EXPECT_EQ(agents[0].times.not_ready_ms, 600'000);
  EXPECT_EQ(agents[0].times.logged_in_ms(), 980'000);
  EXPECT_DOUBLE_EQ(*occupancy(agents[0].times), 0.5526);    // 210 / (210 + 160 + 10)
  EXPECT_DOUBLE_EQ(*utilisation(agents[0].times), 0.2143);  // 210 / 980
  EXPECT_EQ(agents[1].name, "1002");
  EXPECT_EQ(agents[1].counts.handled, 0);
  EXPECT_DOUBLE_EQ(*occupancy(agents[1].times), 0.3333);
  EXPECT_FALSE(occupancy(StateTimes{}));

  const Table table = make_table(agents, "agent", SlFormula::answered, Period::whole, zone);
  auto cell = [&table](std::size_t row, const std::string& column) {
    auto at = std::find(table.columns.begin(), table.columns.end(), column);
    EXPECT_NE(at, table.columns.end()) << column;
    return table.rows.at(row).at(static_cast<std::size_t>(at - table.columns.begin()));
  };
  EXPECT_DOUBLE_EQ(std::get<double>(cell(0, "logged_in_s")), 980.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell(0, "ready_s")), 160.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell(0, "not_ready_s")), 600.0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell(0, "occupancy")), 0.5526);
  EXPECT_DOUBLE_EQ(std::get<double>(cell(0, "utilisation")), 0.2143);
  EXPECT_EQ(std::get<std::int64_t>(cell(1, "contacts")), 0);
  EXPECT_DOUBLE_EQ(std::get<double>(cell(1, "utilisation")), 0.3333);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(cell(1, "asa_s")));

  // By 15 minutes: 1001's ready time is 60 s at 09:00, 80 s at 09:15, 20 s at 09:30.
  std::vector<Row> quarters;
  add_state_times(quarters, rollups.read_states(kDay, kDay + 24 * kHour, "1001"), Period::m15, zone);
  ASSERT_EQ(quarters.size(), 3u);
  EXPECT_EQ(quarters[0].start, t);
  EXPECT_EQ(quarters[0].times.ready_ms, 60'000);
  EXPECT_EQ(quarters[0].times.logged_in_ms(), 60'000);
  EXPECT_EQ(quarters[1].times.ready_ms, 80'000);
  EXPECT_EQ(quarters[1].times.logged_in_ms(), 900'000);  // the whole interval logged in
  EXPECT_EQ(quarters[2].times.ready_ms, 20'000);

  // Time per state and reason of everyone: shares of the 1,880 s logged in (980 + 900).
  const Table states = state_table(rollups.read_states(kDay, kDay + 24 * kHour, ""), Period::whole, zone, false);
  EXPECT_EQ(states.columns, (std::vector<std::string>{"state", "reason", "time_s", "share"}));
  ASSERT_EQ(states.rows.size(), 5u);
  auto expect_row = [&states](std::size_t i, const std::string& state, const std::string& reason, double time,
                              double share) {
    EXPECT_EQ(std::get<std::string>(states.rows[i][0]), state);
    EXPECT_EQ(std::get<std::string>(states.rows[i][1]), reason);
    EXPECT_DOUBLE_EQ(std::get<double>(states.rows[i][2]), time);
    EXPECT_DOUBLE_EQ(std::get<double>(states.rows[i][3]), share);
  };
  expect_row(0, "not_ready", "lunch", 600.0, 0.3191);  // 600 / 1,880
  expect_row(1, "on_call", "", 480.0, 0.2553);
  expect_row(2, "ready", "", 760.0, 0.4043);
  expect_row(3, "reserved", "", 10.0, 0.0053);
  expect_row(4, "wrap_up", "", 30.0, 0.016);
}

// A state across midnight counts in each day for the time it spent there; by agent,
// each agent's shares are of their own logged-in time.
TEST_F(ReportTest, AgentStateAcrossADayBoundary) {
  const std::int64_t midnight = kDay + 24 * kHour;
  rollups.record_state(StateSpan{"1003", "on_call", "", midnight - 60'000, midnight + 60'000});
  rollups.record_state(StateSpan{"1003", "not_ready", "break", midnight + 60'000, midnight + 240'000});
  const Table days = state_table(rollups.read_states(kDay, kDay + 2 * 24 * kHour, ""), Period::day, zone, true);
  EXPECT_EQ(days.columns,
            (std::vector<std::string>{"start", "period", "agent", "state", "reason", "time_s", "share"}));
  ASSERT_EQ(days.rows.size(), 3u);
  EXPECT_EQ(std::get<std::string>(days.rows[0][1]), "2026-11-18");
  EXPECT_EQ(std::get<std::string>(days.rows[0][3]), "on_call");
  EXPECT_DOUBLE_EQ(std::get<double>(days.rows[0][5]), 60.0);
  EXPECT_DOUBLE_EQ(std::get<double>(days.rows[0][6]), 1.0);
  EXPECT_EQ(std::get<std::string>(days.rows[1][1]), "2026-11-19");
  EXPECT_EQ(std::get<std::string>(days.rows[1][3]), "not_ready");
  EXPECT_EQ(std::get<std::string>(days.rows[1][4]), "break");
  EXPECT_DOUBLE_EQ(std::get<double>(days.rows[1][5]), 180.0);
  EXPECT_DOUBLE_EQ(std::get<double>(days.rows[1][6]), 0.75);
  EXPECT_DOUBLE_EQ(std::get<double>(days.rows[2][5]), 60.0);
  EXPECT_DOUBLE_EQ(std::get<double>(days.rows[2][6]), 0.25);
}

// The abandon curve: each answered and abandoned visit in its wait bucket (a wait at a
// bucket's bound is in the bucket it opens), overflows in none, per queue and interval.
TEST_F(ReportTest, AbandonCurveByWaitBucket) {
  const std::int64_t t = kDay + 9 * kHour;
  EXPECT_EQ(wait_bucket(0), 0);
  EXPECT_EQ(wait_bucket(4'999), 0);
  EXPECT_EQ(wait_bucket(5'000), 5);
  EXPECT_EQ(wait_bucket(179'999), 120);
  EXPECT_EQ(wait_bucket(180'000), 180);
  EXPECT_EQ(wait_bucket(7'200'000), 180);
  rollups.record(answered(1, "sales", "1001", t, 4'999, 60'000));
  rollups.record(answered(2, "sales", "1001", t + kMin, 5'000, 60'000));
  rollups.record(abandoned(3, "sales", t + 2 * kMin, 20'000));
  rollups.record(abandoned(4, "sales", t + 3 * kMin, 3'000, true));
  rollups.record(abandoned(5, "sales", t + 4 * kMin, 180'000));
  rollups.record(answered(6, "sales", "1002", t + 5 * kMin, 179'999, 60'000));
  Visit overflowed = abandoned(7, "sales", t + 6 * kMin, 60'000);
  overflowed.outcome = "overflowed";
  overflowed.abandoned_at = 0;
  rollups.record(overflowed);
  rollups.record(answered(8, "support", "1002", t + 15 * kMin, 10'000, 60'000));

  const Table all = wait_table(rollups.read_waits(kDay, kDay + 24 * kHour, ""), Period::whole, zone, false);
  EXPECT_EQ(all.columns, (std::vector<std::string>{"bucket", "from_s", "to_s", "answered", "abandoned",
                                                   "short_abandoned", "answered_cumulative",
                                                   "abandoned_cumulative"}));
  ASSERT_EQ(all.rows.size(), kWaitBuckets.size());
  auto number = [&all](std::size_t row, std::size_t column) { return std::get<std::int64_t>(all.rows[row][column]); };
  // bucket: answered, abandoned, short
  const std::vector<std::array<std::int64_t, 3>> expected{{1, 0, 1}, {1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 0},
                                                          {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(number(i, 1), kWaitBuckets[i]);
    EXPECT_EQ(number(i, 3), expected[i][0]) << i;
    EXPECT_EQ(number(i, 4), expected[i][1]) << i;
    EXPECT_EQ(number(i, 5), expected[i][2]) << i;
  }
  EXPECT_EQ(std::get<std::string>(all.rows[0][0]), "0-5");
  EXPECT_EQ(number(0, 2), 5);
  EXPECT_EQ(std::get<std::string>(all.rows[9][0]), "180+");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(all.rows[9][2]));
  EXPECT_EQ(number(3, 6), 3);  // answered up to 30 s
  EXPECT_EQ(number(3, 7), 1);
  EXPECT_EQ(number(9, 6), 4);
  EXPECT_EQ(number(9, 7), 2);

  const Table by_queue = wait_table(rollups.read_waits(kDay, kDay + 24 * kHour, ""), Period::m15, zone, true);
  ASSERT_EQ(by_queue.rows.size(), 2 * kWaitBuckets.size());
  EXPECT_EQ(std::get<std::string>(by_queue.rows[0][2]), "sales");
  EXPECT_EQ(std::get<std::string>(by_queue.rows[0][1]), "2026-11-18 09:00");
  EXPECT_EQ(std::get<std::string>(by_queue.rows[10][2]), "support");
  EXPECT_EQ(std::get<std::string>(by_queue.rows[10][1]), "2026-11-18 09:15");
  EXPECT_EQ(std::get<std::int64_t>(by_queue.rows[12][6]), 1);  // support's 10-20 s answered
  EXPECT_EQ(rollups.read_waits(kDay, kDay + 24 * kHour, "support").size(), 1u);
}

// An IVR trace as the CDR keeps it (ivr::to_json's fields that count).
std::string trace(const std::string& flow, std::int64_t started, std::int64_t ended, const std::string& exit) {
  return nlohmann::json{{"flow", flow},         {"version", 3},   {"caller", "13800000000"}, {"did", "4001"},
                        {"started_at", started}, {"ended_at", ended}, {"exit", exit},          {"exit_target", ""},
                        {"steps", nlohmann::json::array()}}
      .dump();
}

// Each call that ran a flow counts once, in the interval it entered the flow, by how
// it left; the self-service rate is contained / entered.
TEST_F(ReportTest, FlowsAndSelfServiceRate) {
  const std::int64_t t = kDay + 9 * kHour + 14 * kMin;  // 09:14
  EXPECT_FALSE(flow_counts("", ""));
  EXPECT_FALSE(flow_counts("not json", ""));
  EXPECT_FALSE(flow_counts(R"({"exit":"queued"})", ""));
  const auto one = flow_counts(trace("main", t, t + 12'000, "queued"), "1001");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->flow, "main");
  EXPECT_EQ(one->entered, 1);
  EXPECT_EQ(one->queued, 1);
  EXPECT_EQ(one->to_agent, 1);
  EXPECT_EQ(one->ivr_ms, 12'000);

  rollups.record_flow_call(trace("main", t, t + 30'000, "hangup_node"), "");     // self-service
  rollups.record_flow_call(trace("main", t + 10'000, t + 40'000, "hangup_node"), "");
  rollups.record_flow_call(trace("main", t + 20'000, t + 28'000, "queued"), "1001");  // answered by an agent
  rollups.record_flow_call(trace("main", t + 30'000, t + 35'000, "queued"), "");      // abandoned in the queue
  rollups.record_flow_call(trace("main", t + 59'000, t + 61'000, "caller_hung_up"), "");
  // 09:15: the next interval.
  rollups.record_flow_call(trace("main", t + 60'000, t + 70'000, "transferred"), "1002");
  rollups.record_flow_call(trace("main", t + 61'000, t + 91'000, "voicemail"), "");
  rollups.record_flow_call(trace("main", t + 62'000, t + 64'000, "failed"), "");
  rollups.record_flow_call(trace("after-hours", t, t + 6'000, "hangup_node"), "");
  rollups.record_flow_call("", "1001");  // no flow: no row

  const Table whole = flow_table(rollups.read_flows(kDay, kDay + 24 * kHour, ""), Period::whole, zone);
  EXPECT_EQ(whole.columns,
            (std::vector<std::string>{"flow", "entered", "contained", "voicemail", "queued", "transferred", "to_agent",
                                      "abandoned", "failed", "self_service_rate", "abandon_rate", "avg_ivr_s"}));
  ASSERT_EQ(whole.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(whole.rows[0][0]), "after-hours");
  EXPECT_DOUBLE_EQ(std::get<double>(whole.rows[0][9]), 1.0);
  const auto& main = whole.rows[1];
  EXPECT_EQ(std::get<std::string>(main[0]), "main");
  const std::vector<std::int64_t> counts{8, 2, 1, 2, 1, 2, 1, 1};
  for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_EQ(std::get<std::int64_t>(main[i + 1]), counts[i]) << i;
  EXPECT_DOUBLE_EQ(std::get<double>(main[9]), 0.25);    // 2 / 8
  EXPECT_DOUBLE_EQ(std::get<double>(main[10]), 0.125);  // 1 / 8
  EXPECT_DOUBLE_EQ(std::get<double>(main[11]), 14.625);  // (30+30+8+5+2+10+30+2) s / 8

  const Table quarters = flow_table(rollups.read_flows(kDay, kDay + 24 * kHour, "main"), Period::m15, zone);
  ASSERT_EQ(quarters.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(quarters.rows[0][1]), "2026-11-18 09:00");
  EXPECT_EQ(std::get<std::int64_t>(quarters.rows[0][3]), 5);
  EXPECT_EQ(std::get<std::string>(quarters.rows[1][1]), "2026-11-18 09:15");
  EXPECT_EQ(std::get<std::int64_t>(quarters.rows[1][3]), 3);
}

// First-contact resolution: a handled contact is repeated when the same customer
// contacts again within the window (at exactly the window too), whatever the order in
// which the calls end.
TEST_F(ReportTest, FirstContactResolution) {
  const std::int64_t t = kDay + 9 * kHour, window = 24 * kHour;
  EXPECT_FALSE(contact_of("outbound", "1001", 0, t, "", "1001", false));
  EXPECT_FALSE(contact_of("internal", "1001", 0, t, "", "", false));  // between extensions
  EXPECT_FALSE(contact_of("inbound", "anonymous", 0, t, "sales", "", false));
  EXPECT_EQ(contact_of("internal", "1009", 0, t, "sales", "", false)->customer, "n:1009");
  EXPECT_EQ(contact_of("inbound", "13800000000", 7, t, "", "", true)->customer, "c:7");

  rollups.record_contact({"c:7", t, "sales", "1001"}, window);                // A: repeated by B
  rollups.record_contact({"c:7", t + 2 * kHour, "sales", "1002"}, window);    // B: C is too late
  rollups.record_contact({"c:7", t + 30 * kHour, "support", "1001"}, window);  // C (the next day)
  rollups.record_contact({"n:138", t, "sales", "1001"}, window);              // D: repeated by E at the window
  rollups.record_contact({"n:138", t + window, "", ""}, window);              // E: not handled
  rollups.record_contact({"n:139", t + kHour + 10 * kMin, "support", "1002"}, window);  // G ends first
  rollups.record_contact({"n:139", t + kHour, "sales", "1001"}, window);                // F: repeated by G

  const auto range = [this](const std::string& kind, Period period) {
    return fcr_table(rollups.read_fcr(kind, kDay, kDay + 3 * 24 * kHour, ""), kind, period, zone);
  };
  const Table all = range("all", Period::whole);
  EXPECT_EQ(all.columns, (std::vector<std::string>{"handled", "repeated", "resolved", "fcr_rate"}));
  ASSERT_EQ(all.rows.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(all.rows[0][0]), 6);
  EXPECT_EQ(std::get<std::int64_t>(all.rows[0][1]), 3);
  EXPECT_EQ(std::get<std::int64_t>(all.rows[0][2]), 3);
  EXPECT_DOUBLE_EQ(std::get<double>(all.rows[0][3]), 0.5);

  const Table agents = range("agent", Period::whole);
  ASSERT_EQ(agents.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(agents.rows[0][0]), "1001");
  EXPECT_EQ(std::get<std::int64_t>(agents.rows[0][1]), 4);
  EXPECT_DOUBLE_EQ(std::get<double>(agents.rows[0][4]), 0.25);
  EXPECT_DOUBLE_EQ(std::get<double>(agents.rows[1][4]), 1.0);
  const Table queues = range("queue", Period::whole);
  ASSERT_EQ(queues.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(queues.rows[0][0]), "sales");
  EXPECT_EQ(std::get<std::int64_t>(queues.rows[0][2]), 3);
  EXPECT_EQ(std::get<std::int64_t>(queues.rows[1][2]), 0);
  const Table days = range("all", Period::day);
  ASSERT_EQ(days.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(days.rows[0][1]), "2026-11-18");
  EXPECT_EQ(std::get<std::int64_t>(days.rows[0][2]), 5);
  EXPECT_EQ(std::get<std::int64_t>(days.rows[0][3]), 3);
  EXPECT_EQ(std::get<std::string>(days.rows[1][1]), "2026-11-19");
  EXPECT_EQ(std::get<std::int64_t>(days.rows[1][2]), 1);
  EXPECT_EQ(std::get<std::int64_t>(days.rows[1][3]), 0);
}

// Agent groups: their agents' figures summed; an agent in two groups counts in both.
TEST_F(ReportTest, AgentGroupsSumTheirAgents) {
  const std::int64_t t = kDay + 9 * kHour;
  rollups.record(answered(1, "sales", "1001", t, 4'000, 60'000, 0, 10'000));
  rollups.record(answered(2, "sales", "1002", t, 30'000, 120'000, 6'000, 14'000));
  rollups.record(answered(3, "support", "1003", t, 1'000, 10'000));
  rollups.record_state(StateSpan{"1001", "ready", "", t, t + 100'000});
  rollups.record_state(StateSpan{"1002", "on_call", "", t, t + 300'000});
  std::vector<Row> agents = rows("agent", Period::whole, true);
  add_state_times(agents, rollups.read_states(kDay, kDay + 24 * kHour, ""), Period::whole, zone);
  const std::map<std::string, std::vector<std::string>> groups{
      {"1001", {"east"}}, {"1002", {"east", "vip"}}, {"1003", {}}};
  const auto grouped = by_group(agents, groups);
  ASSERT_EQ(grouped.size(), 2u);
  EXPECT_EQ(grouped[0].name, "east");
  EXPECT_EQ(grouped[0].counts.handled, 2);
  EXPECT_EQ(grouped[0].counts.talk_ms, 180'000);
  EXPECT_EQ(grouped[0].times.logged_in_ms(), 400'000);
  EXPECT_DOUBLE_EQ(*occupancy(grouped[0].times), 0.75);
  EXPECT_EQ(grouped[1].name, "vip");
  EXPECT_EQ(grouped[1].counts.handled, 1);
  const Table table = make_table(grouped, "group", SlFormula::answered, Period::whole, zone);
  EXPECT_EQ(table.columns[0], "group");
  EXPECT_EQ(table.columns[1], "contacts");
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[0][static_cast<std::size_t>(
                       std::find(table.columns.begin(), table.columns.end(), "aht_s") - table.columns.begin())]),
                   105.0);  // (60 + 10 + 120 + 6 + 14) s / 2
}

// Days, weeks, months and the whole range are summed in the database over the
// stretches period_bounds cuts: the same rows as summing every 15-minute roll-up, here
// in New York across the end of daylight saving time (a 25-hour day) and a month's end.
// A range from and to whole hours is summed from the hourly roll-ups, one that starts
// at a quarter past from the 15-minute ones: both equal the 15-minute rows' sums.
TEST_F(ReportTest, SumsInTheDatabaseEqualSummingEveryRollup) {
  cctz::time_zone new_york;
  ASSERT_TRUE(cctz::load_time_zone("America/New_York", &new_york));
  const std::int64_t nov1 = 1'793'505'600'000;  // 2026-11-01 00:00 EDT (04:00 UTC); EST from 02:00
  std::uint64_t call = 0;
  for (std::int64_t at = nov1 - 40 * kHour; at < nov1 + 9 * 24 * kHour; at += 97 * kMin) {
    ++call;
    rollups.record(answered(call, call % 2 ? "sales" : "support", call % 3 ? "1001" : "1002", at, call * 1'000 % 40'000,
                            60'000));
    if (call % 5 == 0) rollups.record(abandoned(++call, "sales", at + kMin, 25'000));
    rollups.record_state(StateSpan{"1001", call % 2 ? "ready" : "not_ready", call % 2 ? "" : "break", at, at + 50 * kMin});
  }
  for (const auto& [from, to] : {std::pair{nov1 - 30 * kHour - 15 * kMin, nov1 + 8 * 24 * kHour + 45 * kMin},
                                 std::pair{nov1 - 30 * kHour, nov1 + 8 * 24 * kHour}}) {
    for (Period period : {Period::whole, Period::day, Period::week, Period::month}) {
      const auto bounds = period_bounds(from, to, period, new_york);
      ASSERT_GE(bounds.size(), 2u);
      EXPECT_EQ(bounds.front(), from);
      EXPECT_EQ(bounds.back(), to);
      for (const std::string kind : {"queue", "agent", "did"}) {
        for (bool by_name : {true, false}) {
          const auto summed = summarise(rollups.read_sums(kind, bounds, ""), period, new_york, by_name);
          const auto each = summarise(rollups.read(kind, from, to, ""), period, new_york, by_name);
          ASSERT_EQ(summed.size(), each.size()) << kind;
          for (std::size_t i = 0; i < each.size(); ++i) {
            EXPECT_EQ(std::tie(summed[i].start, summed[i].name), std::tie(each[i].start, each[i].name));
            EXPECT_EQ(summed[i].counts, each[i].counts) << kind << " row " << i;
          }
        }
      }
      std::vector<Row> summed_times, each_times;
      add_state_times(summed_times, rollups.read_state_sums(bounds, "1001"), period, new_york);
      add_state_times(each_times, rollups.read_states(from, to, "1001"), period, new_york);
      ASSERT_EQ(summed_times.size(), each_times.size());
      for (std::size_t i = 0; i < each_times.size(); ++i) {
        EXPECT_EQ(summed_times[i].start, each_times[i].start);
        EXPECT_EQ(summed_times[i].times.ready_ms, each_times[i].times.ready_ms);
        EXPECT_EQ(summed_times[i].times.not_ready_ms, each_times[i].times.not_ready_ms);
      }
    }
  }
  // The day of the change is 25 hours long; 15-minute periods are not cut.
  const auto days = period_bounds(nov1, nov1 + 49 * kHour, Period::day, new_york);
  EXPECT_EQ(days, (std::vector<std::int64_t>{nov1, nov1 + 25 * kHour, nov1 + 49 * kHour}));
  EXPECT_TRUE(period_bounds(nov1, nov1 + 49 * kHour, Period::m15, new_york).empty());
}

TEST(LocalZone, NamedByItsIanaNameForTheBrowser) {
  const char* before = std::getenv("TZ");
  const std::string saved = before ? before : "";
  ::setenv("TZ", "Asia/Shanghai", 1);
  NamedZone shanghai = local_zone();
  ::setenv("TZ", ":America/New_York", 1);
  NamedZone new_york = local_zone();
  before ? ::setenv("TZ", saved.c_str(), 1) : ::unsetenv("TZ");
  EXPECT_EQ(shanghai.name, "Asia/Shanghai");
  EXPECT_EQ(period_start(kDay + 5 * kHour, Period::day, shanghai.zone), kDay);
  EXPECT_EQ(new_york.name, "America/New_York");
}

}  // namespace
}  // namespace unicc::report
