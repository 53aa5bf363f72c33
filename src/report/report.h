#pragma once
// report — the figures of the reports (docs/metrics.md) from the 15-minute roll-ups:
// summed into periods of a time zone's calendar (15, 30, 60 minutes, day, week from
// Monday, month) or over the whole range, per queue, agent or DID or all together,
// and turned into a table of typed cells that the API renders as JSON, CSV or XLSX.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <cctz/time_zone.h>

#include "report/rollups.h"

namespace unicc::report {

// The zone reports use when the configuration names none: the server's own, by its
// IANA name ("Asia/Shanghai", what browsers understand) from TZ, /etc/localtime's
// link or /etc/timezone; cctz's local zone ("localtime") if none of them names it.
struct NamedZone {
  cctz::time_zone zone;
  std::string name;
};
NamedZone local_zone();

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
const char* sl_formula_name(SlFormula formula);

// The queues' own formulas (queue[].sl_formula), set as queues are loaded and changed,
// read by report requests. Thread-safe.
class QueueFormulas {
 public:
  // None: the queue uses the reports' default.
  void set(const std::string& queue, std::optional<SlFormula> formula);
  std::map<std::string, SlFormula> all() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, SlFormula> formulas_;
};

// The start of the period holding `ms`, in `zone`'s calendar (whole: 0).
std::int64_t period_start(std::int64_t ms, Period period, const cctz::time_zone& zone);
// [from, to) cut where its periods begin: from, each period start after it, to — the
// stretches Rollups::read_sums adds up in the database, each inside one period. Empty
// for 15, 30 and 60 minutes (their roll-ups are read as they are).
std::vector<std::int64_t> period_bounds(std::int64_t from, std::int64_t to, Period period,
                                        const cctz::time_zone& zone);

// An agent's time per state (ms), from the state roll-ups; logged in = their sum.
struct StateTimes {
  std::int64_t ready_ms = 0;
  std::int64_t reserved_ms = 0;  // offered a call, ringing
  std::int64_t on_call_ms = 0;   // talk and hold, inbound and outbound
  std::int64_t wrap_up_ms = 0;   // after-call work
  std::int64_t not_ready_ms = 0;
  std::int64_t logged_in_ms() const { return ready_ms + reserved_ms + on_call_ms + wrap_up_ms + not_ready_ms; }
  std::int64_t busy_ms() const { return on_call_ms + wrap_up_ms; }
  StateTimes& operator+=(const StateTime& time);
  StateTimes& operator+=(const StateTimes& other);
};
// Occupancy = busy / (busy + ready + reserved); utilisation = busy / logged in, with
// busy = on call + wrap-up. None when the denominator is 0.
std::optional<double> occupancy(const StateTimes& times);
std::optional<double> utilisation(const StateTimes& times);

struct Row {
  std::int64_t start = 0;  // the period's start (ms); 0 for the whole range
  std::string name;        // the queue, agent or DID; "" when all are summed
  Counts counts;
  StateTimes times;        // agents' rows only
};
// Sums the roll-ups per period and, with `by_name`, per name; ordered by start, name.
std::vector<Row> summarise(const std::vector<Rollup>& rollups, Period period, const cctz::time_zone& zone,
                           bool by_name);

// Adds the agents' state times to their rows (per period, by agent name), adding a
// row for an agent with time but no calls; keeps the rows ordered by start, name.
void add_state_times(std::vector<Row>& rows, const std::vector<StateTime>& times, Period period,
                     const cctz::time_zone& zone);

using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;  // monostate: no value
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};
// The report's columns (docs/api.md): `kind` queue, did or agent names the rows'
// `name` column (queue, did, agent); "" leaves it out (intervals of all together).
// A queue's row takes its service-level formula from `per_queue` when it is there,
// else `formula`; queue rows also say which (column sl_formula).
Table make_table(const std::vector<Row>& rows, const std::string& kind, SlFormula formula, Period period,
                 const cctz::time_zone& zone, const std::map<std::string, SlFormula>& per_queue = {});

// The agent-states report: per period (and, with `by_agent`, per agent) and per state
// and reason, the time (time_s) and its share of the logged-in time of that period
// (and agent); ordered by start, agent, state, reason.
Table state_table(const std::vector<StateTime>& times, Period period, const cctz::time_zone& zone, bool by_agent);

// The flows report: per period (with one) and flow, what the calls that ran it did, the
// self-service (containment) rate = contained / entered, the abandon rate = abandoned /
// entered and the average time in the flow; ordered by start, flow.
Table flow_table(const std::vector<FlowCounts>& counts, Period period, const cctz::time_zone& zone);

// Agents' rows summed by their groups (`groups_of`: extension → groups); an agent in
// two groups counts in both, one in none in no row; ordered by start, group.
std::vector<Row> by_group(const std::vector<Row>& agent_rows,
                          const std::map<std::string, std::vector<std::string>>& groups_of);

// First-contact resolution: per period (with one) and, unless `kind` is "all", per
// queue or agent (`kind` names the column): handled, repeated, resolved = handled −
// repeated, fcr_rate = resolved / handled; ordered by start, name.
Table fcr_table(const std::vector<FcrCount>& counts, const std::string& kind, Period period,
                const cctz::time_zone& zone);

// The abandon curve (the waits report): per period (and, with `by_queue`, per queue)
// a row for every wait bucket of kWaitBuckets, in order, with its answered, abandoned
// and short-abandoned counts and the running totals of answered and abandoned up to
// and including it; ordered by start, queue, bucket.
Table wait_table(const std::vector<WaitCount>& counts, Period period, const cctz::time_zone& zone, bool by_queue);

}  // namespace unicc::report
