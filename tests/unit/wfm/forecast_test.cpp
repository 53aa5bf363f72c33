// The weekly forecast from hand-built arrivals, in Shanghai's calendar (weeks are
// local), and the queue calls read back from the database.
#include "wfm/forecast.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string>

#include "support/test_database.h"
#include "wfm/call_history.h"

namespace unicc::wfm {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000;  // Wed 2026-11-18 19:06 in Shanghai
constexpr std::int64_t kMinute = 60'000;

class ForecastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_tz_ = tz;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    today_ = local_midnight(kNow, 0);
  }
  void TearDown() override {
    if (saved_tz_) setenv("TZ", saved_tz_->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }

  // `calls` arrivals at `minute` past local midnight of history week `week` (1 = the
  // latest full week), day `day` (0 = today's weekday).
  void add(int week, int day, int minute, int calls) {
    const std::int64_t at = local_midnight(today_, -7 * week + day) + minute * kMinute;
    for (int i = 0; i < calls; ++i) arrivals_.push_back(at + i);
  }

  ForecastRequest request(int weeks, std::optional<std::int64_t> start) const {
    ForecastRequest out;
    out.now_ms = kNow;
    out.interval_s = 1800;
    out.weeks = weeks;
    out.history_start_ms = start;
    return out;
  }
  // History from the start of week `week` on.
  std::int64_t week_start(int week) const { return local_midnight(today_, -7 * week); }
  // The forecast's interval starting `minute` past the midnight of forecast day `day`.
  double forecast_at(const Forecast& forecast, int day, int minute) const {
    const std::int64_t start = local_midnight(today_, 1 + day) + minute * kMinute;
    for (const auto& interval : forecast.intervals) {
      if (interval.start_ms == start) return interval.calls;
    }
    ADD_FAILURE() << "no interval at day " << day << " minute " << minute;
    return -1;
  }

  std::optional<std::string> saved_tz_;
  std::int64_t today_ = 0;
  std::vector<std::int64_t> arrivals_;
};

TEST_F(ForecastTest, TheWeekRunsFromTheNextLocalMidnight) {
  const Forecast forecast = forecast_week(request(4, week_start(1)), arrivals_);
  // Shanghai midnight is 16:00 UTC.
  EXPECT_EQ(forecast.from_ms % 86'400'000, 16 * 3'600'000);
  EXPECT_EQ(forecast.from_ms, today_ + 86'400'000);
  EXPECT_EQ(forecast.to_ms, forecast.from_ms + 7 * 86'400'000);
  ASSERT_EQ(forecast.intervals.size(), 7u * 48u);
  EXPECT_EQ(forecast.intervals[1].start_ms, forecast.from_ms + 1'800'000);
}

TEST_F(ForecastTest, WithoutAFullWeekThereIsNoForecast) {
  add(1, 3, 600, 5);
  Forecast forecast = forecast_week(request(4, std::nullopt), arrivals_);
  EXPECT_EQ(forecast.weeks_used, 0);
  EXPECT_TRUE(forecast.intervals.empty());
  EXPECT_FALSE(forecast.mape);
  // Calls began a day after week 1 began: still not a full week.
  forecast = forecast_week(request(4, local_midnight(week_start(1), 1)), arrivals_);
  EXPECT_EQ(forecast.weeks_used, 0);
  EXPECT_TRUE(forecast.intervals.empty());
}

TEST_F(ForecastTest, OneWeekForecastsItselfOnTheSameWeekdaysWithNoAccuracy) {
  add(1, 0, 9 * 60, 6);        // today's weekday, 09:00: forecast day 6
  add(1, 1, 9 * 60 + 40, 4);   // tomorrow's weekday, 09:30 interval: forecast day 0
  add(0, 0, 10 * 60, 50);      // today: never used
  const Forecast forecast = forecast_week(request(4, week_start(1)), arrivals_);
  EXPECT_EQ(forecast.weeks_used, 1);
  EXPECT_EQ(forecast.trend, 1.0);
  EXPECT_EQ(forecast_at(forecast, 6, 9 * 60), 6.0);
  EXPECT_EQ(forecast_at(forecast, 0, 9 * 60 + 30), 4.0);
  EXPECT_EQ(forecast_at(forecast, 0, 10 * 60), 0.0);
  EXPECT_EQ(forecast_at(forecast, 6, 10 * 60), 0.0);
  EXPECT_EQ(forecast.held_back_weeks_used, 0);
  EXPECT_FALSE(forecast.mape);
}

TEST_F(ForecastTest, SameWeekdayAveragesWithALinearTrend) {
  // One interval on every day; weekly totals 70, 140, 210 (oldest first): +70 a week.
  for (int day = 0; day < 7; ++day) {
    add(3, day, 9 * 60, 10);
    add(2, day, 9 * 60, 20);
    add(1, day, 9 * 60, 30);
  }
  const Forecast forecast = forecast_week(request(3, week_start(3)), arrivals_);
  EXPECT_EQ(forecast.weeks_used, 3);
  // Next week's total 280 over the mean 140.
  EXPECT_NEAR(forecast.trend, 2.0, 1e-12);
  for (int day = 0; day < 7; ++day) EXPECT_NEAR(forecast_at(forecast, day, 9 * 60), 40.0, 1e-9) << day;
  // Held back: weeks 3 and 2 (10, 20) forecast week 1 as 15 × 2 = 30, exactly right.
  EXPECT_EQ(forecast.held_back_weeks_used, 2);
  ASSERT_TRUE(forecast.mape);
  EXPECT_NEAR(*forecast.mape, 0.0, 1e-12);
  EXPECT_EQ(forecast.mape_intervals, 7);
}

TEST_F(ForecastTest, TheHeldBackWeeksErrorOverTheIntervalsThatHadCalls) {
  // Weeks 3 and 2 alike (no trend); week 1: 8 instead of 10 at 09:00 on day 2 and 15
  // instead of 10 at 14:00 on day 5; nothing at 11:00 on day 4, where 6 were expected
  // (a percentage of nothing: left out).
  for (int week : {2, 3}) {
    add(week, 2, 9 * 60, 10);
    add(week, 5, 14 * 60, 10);
    add(week, 4, 11 * 60, 6);
  }
  add(1, 2, 9 * 60, 8);
  add(1, 5, 14 * 60, 15);
  const Forecast forecast = forecast_week(request(2, week_start(3)), arrivals_);
  ASSERT_TRUE(forecast.mape);
  EXPECT_EQ(forecast.held_back_weeks_used, 2);
  EXPECT_EQ(forecast.mape_intervals, 2);
  EXPECT_NEAR(*forecast.mape, (2.0 / 8.0 + 5.0 / 15.0) / 2.0, 1e-12);
  EXPECT_EQ(forecast.held_back_from_ms, week_start(1));
  EXPECT_EQ(forecast.held_back_to_ms, today_);
}

TEST_F(ForecastTest, OnlyWeeksOnRecordAreAveraged) {
  add(2, 1, 9 * 60, 100);  // before the history began: a stray, ignored
  add(1, 1, 9 * 60, 10);
  const Forecast forecast = forecast_week(request(4, week_start(1)), arrivals_);
  EXPECT_EQ(forecast.weeks_used, 1);
  EXPECT_EQ(forecast_at(forecast, 0, 9 * 60), 10.0);
}

// The queue calls as AgentLog writes them, read back as arrivals (answer or abandon
// time less the wait), by queue.
TEST(CallHistory, ReadsArrivalsFromTheQueueCalls) {
  unicc::testing::TestDatabase test;
  {
    soci::session sql(test.db().pool());
    auto insert = [&sql](const std::string& queue, long long waited, long long at) {
      sql << "INSERT INTO queue_calls (queue, event, call_id, agent, waited_ms, at) VALUES (:q, 'answered', 1, '', :w, :a)",
          soci::use(queue), soci::use(waited), soci::use(at);
    };
    insert("support", 20'000, 1'000'020'000);  // arrived at 1,000,000,000
    insert("support", 0, 1'000'500'000);
    insert("sales", 5'000, 1'000'005'000);
    insert("support", 1'000, 2'000'001'000);  // after the window
  }
  CallHistory history(test.db());
  auto support = history.arrivals("support", 1'000'000'000, 2'000'000'000);
  std::sort(support.begin(), support.end());
  EXPECT_EQ(support, (std::vector<std::int64_t>{1'000'000'000, 1'000'500'000}));
  EXPECT_EQ(history.arrivals("", 1'000'000'000, 1'000'400'000).size(), 2u);
  EXPECT_EQ(history.first_arrival("support"), 1'000'000'000);
  EXPECT_EQ(history.first_arrival(""), 1'000'000'000);
  EXPECT_EQ(history.first_arrival("billing"), std::nullopt);
}

// More rows than one fetch batch: all of them, once.
TEST(CallHistory, ReadsEveryRowOfALongHistory) {
  unicc::testing::TestDatabase test;
  {
    soci::session sql(test.db().pool());
    sql << "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 24999)"
           " INSERT INTO queue_calls (queue, event, call_id, agent, waited_ms, at)"
           " SELECT 'bulk', 'abandoned', i, '', 500, 3000000000000 + i * 1000 + 500 FROM n";
  }
  auto arrivals = CallHistory(test.db()).arrivals("bulk", 3'000'000'000'000, 3'000'025'000'000);
  ASSERT_EQ(arrivals.size(), 25000u);
  std::sort(arrivals.begin(), arrivals.end());
  EXPECT_EQ(arrivals.front(), 3'000'000'000'000);
  EXPECT_EQ(arrivals.back(), 3'000'024'999'000);
  EXPECT_EQ(std::adjacent_find(arrivals.begin(), arrivals.end()), arrivals.end());
}

}  // namespace
}  // namespace unicc::wfm
