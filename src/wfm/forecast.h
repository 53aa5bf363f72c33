#pragma once
// wfm::forecast_week — calls per interval for the coming week from the calls of past
// weeks: for each interval, the average of the same weekday and time in the last
// `weeks` full weeks, times a trend (the weekly totals' least-squares line, carried
// one week on, over their mean). Its accuracy is measured by holding the latest full
// week back, forecasting it the same way from the weeks before it, and taking the mean
// absolute percentage error (MAPE) over the intervals that had calls.
//
// Weeks are of the server's local calendar (as the wallboard's day): the forecast week
// is the seven days from the next local midnight; history week 1 is the seven days
// ending at today's local midnight (today, still running, is never used), week 2 the
// seven before it, and so on. Only weeks that begin on or after `history_start_ms` (the
// first local midnight after the first call on record: its day may be incomplete) are
// used; with none there is no forecast, with one there is no accuracy, never a guess.
// A day longer than 24 hours (a DST change) folds its last hour into the last interval.
#include <cstdint>
#include <optional>
#include <vector>

namespace unicc::wfm {

inline constexpr int kMaxForecastWeeks = 12;

struct ForecastRequest {
  std::int64_t now_ms = 0;
  int interval_s = 1800;  // divides a day: 900, 1800, 3600
  int weeks = 4;          // history weeks to average, 1..kMaxForecastWeeks
  std::optional<std::int64_t> history_start_ms;  // none: no calls on record
};

struct ForecastInterval {
  std::int64_t start_ms = 0;
  double calls = 0;
};

struct Forecast {
  std::int64_t from_ms = 0, to_ms = 0;      // the forecast week
  int weeks_used = 0;                       // 0: not enough history, no intervals
  double trend = 1;                         // factor on the weekday averages
  std::vector<ForecastInterval> intervals;  // the week's, in order
  // The held-back week (history week 1) forecast from the weeks before it.
  std::int64_t held_back_from_ms = 0, held_back_to_ms = 0;
  int held_back_weeks_used = 0;             // 0: not enough history for an accuracy
  std::optional<double> mape;               // 0.12 = 12 %; none without history or calls
  int mape_intervals = 0;                   // the held-back week's intervals that had calls
};

// The earliest moment whose calls forecast_week() reads: `arrivals_ms` need cover only
// [history_from(request), the request's now).
std::int64_t history_from(const ForecastRequest& request);

// `arrivals_ms`: when each call arrived (entered the queue), in any order.
Forecast forecast_week(const ForecastRequest& request, const std::vector<std::int64_t>& arrivals_ms);

// The local midnight `days` days after the local midnight of `ms`'s day.
std::int64_t local_midnight(std::int64_t ms, int days);

}  // namespace unicc::wfm
