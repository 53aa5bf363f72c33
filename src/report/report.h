#pragma once
// report — the figures of the reports (docs/metrics.md) from the 15-minute roll-ups:
// summed into periods of a time zone's calendar (15, 30, 60 minutes, day, week from
// Monday, month) or over the whole range, per queue, agent or DID or all together,
// and turned into a table of typed cells that the API renders as JSON, CSV or XLSX.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <cctz/time_zone.h>

#include "report/rollups.h"

namespace unicc::report {

enum class Period { whole, m15, m30, m60, day, week, month };
// "15m", "30m", "60m", "day", "week", "month"; "" is the whole range.
std::optional<Period> parse_period(std::string_view text);

// The service-level formulas (metrics.md), with T the queue's threshold:
//   answered                 answered ≤ T / answered
//   answered_abandoned       answered ≤ T / (answered + abandoned)
//   answered_late_abandoned  answered ≤ T / (answered + abandoned after T)  (the wallboard's)
//   offered                  (answered ≤ T + abandoned ≤ T) / offered
enum class SlFormula { answered, answered_abandoned, answered_late_abandoned, offered };
std::optional<SlFormula> parse_sl_formula(std::string_view text);
// None when its denominator is 0.
std::optional<double> service_level(const Counts& counts, SlFormula formula);

// The start of the period holding `ms`, in `zone`'s calendar (whole: 0).
std::int64_t period_start(std::int64_t ms, Period period, const cctz::time_zone& zone);

struct Row {
  std::int64_t start = 0;  // the period's start (ms); 0 for the whole range
  std::string name;        // the queue, agent or DID; "" when all are summed
  Counts counts;
};
// Sums the roll-ups per period and, with `by_name`, per name; ordered by start, name.
std::vector<Row> summarise(const std::vector<Rollup>& rollups, Period period, const cctz::time_zone& zone,
                           bool by_name);

using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;  // monostate: no value
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};
// The report's columns (docs/api.md): `kind` queue, did or agent names the rows'
// `name` column (queue, did, agent); "" leaves it out (intervals of all together).
Table make_table(const std::vector<Row>& rows, const std::string& kind, SlFormula formula, Period period,
                 const cctz::time_zone& zone);

}  // namespace unicc::report
