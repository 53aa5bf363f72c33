#include "wfm/forecast.h"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace unicc::wfm {
namespace {

constexpr int kDaysPerWeek = 7;
using WeekCounts = std::vector<std::vector<double>>;  // [day of the week][interval]

int intervals_per_day(int interval_s) { return 86400 / interval_s; }

// Calls per day and interval of each history week, week 1 (the latest) first. Day j of
// every week falls on today's weekday + j, so day j lines up across weeks.
std::vector<WeekCounts> count_weeks(std::int64_t today_ms, int weeks, int interval_s,
                                    const std::vector<std::int64_t>& arrivals_ms) {
  const int per_day = intervals_per_day(interval_s);
  // Every day's local midnight, oldest first, and the end of the last.
  std::vector<std::int64_t> day_starts;
  for (int day = -weeks * kDaysPerWeek; day <= 0; ++day) day_starts.push_back(local_midnight(today_ms, day));
  std::vector<WeekCounts> counts(weeks, WeekCounts(kDaysPerWeek, std::vector<double>(per_day, 0.0)));
  for (std::int64_t at : arrivals_ms) {
    if (at < day_starts.front() || at >= day_starts.back()) continue;
    const auto next = std::upper_bound(day_starts.begin(), day_starts.end(), at);
    const int day = static_cast<int>(next - day_starts.begin()) - 1;  // 0 = the oldest day
    const int week = weeks - 1 - day / kDaysPerWeek;
    const int slot = std::min<int>(per_day - 1, static_cast<int>((at - day_starts[day]) / 1000 / interval_s));
    counts[week][day % kDaysPerWeek][slot] += 1;
  }
  return counts;
}

double total(const WeekCounts& week) {
  double sum = 0;
  for (const auto& day : week) {
    for (double calls : day) sum += calls;
  }
  return sum;
}

// Next week's total over the mean of `weeks` (latest first), by least squares on
// the weekly totals; 1 with one week or no calls.
double trend_of(const std::vector<const WeekCounts*>& weeks) {
  const int n = static_cast<int>(weeks.size());
  if (n < 2) return 1.0;
  // x = -1 for the latest week, -n for the oldest; next week is x = 0.
  double mean_x = 0, mean_y = 0;
  for (int i = 0; i < n; ++i) {
    mean_x += -(i + 1);
    mean_y += total(*weeks[i]);
  }
  mean_x /= n;
  mean_y /= n;
  if (mean_y <= 0) return 1.0;
  double sxy = 0, sxx = 0;
  for (int i = 0; i < n; ++i) {
    const double dx = -(i + 1) - mean_x;
    sxy += dx * (total(*weeks[i]) - mean_y);
    sxx += dx * dx;
  }
  const double next = mean_y + sxy / sxx * (0 - mean_x);
  return std::max(0.0, next / mean_y);
}

// The week after `weeks` (latest first): weekday averages times the trend.
WeekCounts predict(const std::vector<const WeekCounts*>& weeks, double trend) {
  WeekCounts out = *weeks.front();
  for (int day = 0; day < kDaysPerWeek; ++day) {
    for (std::size_t slot = 0; slot < out[day].size(); ++slot) {
      double sum = 0;
      for (const auto* week : weeks) sum += (*week)[day][slot];
      out[day][slot] = sum / static_cast<double>(weeks.size()) * trend;
    }
  }
  return out;
}

}  // namespace

std::int64_t local_midnight(std::int64_t ms, int days) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  local.tm_hour = local.tm_min = local.tm_sec = 0;
  local.tm_mday += days;
  local.tm_isdst = -1;  // that midnight's own offset
  return static_cast<std::int64_t>(std::mktime(&local)) * 1000;
}

std::int64_t history_from(const ForecastRequest& request) {
  // One week more than averaged: the held-back week's forecast reaches back that far.
  return local_midnight(request.now_ms, -(request.weeks + 1) * kDaysPerWeek);
}

Forecast forecast_week(const ForecastRequest& request, const std::vector<std::int64_t>& arrivals_ms) {
  const std::int64_t today = local_midnight(request.now_ms, 0);
  Forecast out;
  out.from_ms = local_midnight(today, 1);
  out.to_ms = local_midnight(today, 1 + kDaysPerWeek);
  out.held_back_from_ms = local_midnight(today, -kDaysPerWeek);
  out.held_back_to_ms = today;
  // Full weeks on record: week i begins at today - 7i days.
  int on_record = 0;
  while (request.history_start_ms && on_record < request.weeks + 1 &&
         local_midnight(today, -(on_record + 1) * kDaysPerWeek) >= *request.history_start_ms) {
    ++on_record;
  }
  const auto counts = count_weeks(today, request.weeks + 1, request.interval_s, arrivals_ms);

  out.weeks_used = std::min(on_record, request.weeks);
  if (out.weeks_used == 0) return out;
  std::vector<const WeekCounts*> recent;
  for (int i = 0; i < out.weeks_used; ++i) recent.push_back(&counts[i]);
  out.trend = trend_of(recent);
  const WeekCounts next = predict(recent, out.trend);
  // Forecast day d falls on the weekday of history day (d + 1) mod 7: day 6 is today's.
  for (int d = 0; d < kDaysPerWeek; ++d) {
    const std::int64_t midnight = local_midnight(today, 1 + d), next_midnight = local_midnight(today, 2 + d);
    const auto& day = next[(d + 1) % kDaysPerWeek];
    for (std::size_t slot = 0; slot < day.size(); ++slot) {
      const std::int64_t start = midnight + static_cast<std::int64_t>(slot) * request.interval_s * 1000;
      if (start >= next_midnight) break;  // a 23-hour day
      out.intervals.push_back({start, day[slot]});
    }
  }

  out.held_back_weeks_used = std::min(on_record - 1, request.weeks);
  if (out.held_back_weeks_used <= 0) {
    out.held_back_weeks_used = 0;
    return out;
  }
  std::vector<const WeekCounts*> before;
  for (int i = 1; i <= out.held_back_weeks_used; ++i) before.push_back(&counts[i]);
  const WeekCounts guess = predict(before, trend_of(before));
  double error = 0;
  for (int day = 0; day < kDaysPerWeek; ++day) {
    for (std::size_t slot = 0; slot < guess[day].size(); ++slot) {
      const double actual = counts[0][day][slot];
      if (actual <= 0) continue;  // a percentage of nothing: left out
      error += std::abs(guess[day][slot] - actual) / actual;
      ++out.mape_intervals;
    }
  }
  if (out.mape_intervals > 0) out.mape = error / out.mape_intervals;
  return out;
}

}  // namespace unicc::wfm
