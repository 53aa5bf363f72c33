#include "report/report.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <algorithm>
#include <functional>
#include <tuple>
#include <map>

#include <cctz/civil_time.h>
#include <fmt/format.h>

namespace unicc::report {

NamedZone local_zone() {
  std::vector<std::string> names;
  if (const char* tz = std::getenv("TZ"); tz && *tz) names.emplace_back(*tz == ':' ? tz + 1 : tz);
  std::error_code error;
  const std::string link = std::filesystem::read_symlink("/etc/localtime", error).string();
  if (auto at = link.find("zoneinfo/"); !error && at != std::string::npos) names.push_back(link.substr(at + 9));
  std::string from_file;
  if (std::ifstream file("/etc/timezone"); file >> from_file) names.push_back(from_file);
  NamedZone local;
  for (const auto& name : names) {
    if (name.empty() || name.front() == '/') continue;  // a file, not a name
    if (cctz::load_time_zone(name, &local.zone)) {
      local.name = name;
      return local;
    }
  }
  local.zone = cctz::local_time_zone();
  local.name = local.zone.name();
  return local;
}
namespace {

using Ms = std::chrono::milliseconds;

cctz::time_point<Ms> point(std::int64_t ms) { return cctz::time_point<Ms>(Ms(ms)); }

std::int64_t ms_of(const cctz::civil_second& civil, const cctz::time_zone& zone) {
  return std::chrono::duration_cast<Ms>(zone.lookup(civil).pre.time_since_epoch()).count();
}

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return std::round(static_cast<double>(part) / static_cast<double>(whole) * 1e4) / 1e4;
}

// A sum of ms in seconds (exact to the ms), and an average of one in seconds (to the ms).
Cell seconds(std::int64_t ms) { return static_cast<double>(ms) / 1000.0; }
Cell average_s(std::int64_t ms, std::int64_t count) {
  if (count == 0) return {};
  return std::round(static_cast<double>(ms) / static_cast<double>(count)) / 1000.0;
}
Cell maybe(std::optional<double> value) { return value ? Cell(*value) : Cell(); }

// A row's leading cells with periods: its start (ms) and the local period's name.
void add_period_cells(std::vector<Cell>& cells, std::int64_t start, Period period, const cctz::time_zone& zone) {
  cells.emplace_back(start);
  const cctz::civil_second local = cctz::convert(point(start), zone);
  cells.emplace_back(period >= Period::day
                         ? fmt::format("{:04}-{:02}-{:02}", local.year(), local.month(), local.day())
                         : fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", local.year(), local.month(), local.day(),
                                       local.hour(), local.minute()));
}

}  // namespace

StateTimes& StateTimes::operator+=(const StateTime& time) {
  if (time.state == "ready") {
    ready_ms += time.ms;
  } else if (time.state == "reserved") {
    reserved_ms += time.ms;
  } else if (time.state == "on_call") {
    on_call_ms += time.ms;
  } else if (time.state == "wrap_up") {
    wrap_up_ms += time.ms;
  } else if (time.state == "not_ready") {
    not_ready_ms += time.ms;
  }
  return *this;
}

StateTimes& StateTimes::operator+=(const StateTimes& o) {
  ready_ms += o.ready_ms;
  reserved_ms += o.reserved_ms;
  on_call_ms += o.on_call_ms;
  wrap_up_ms += o.wrap_up_ms;
  not_ready_ms += o.not_ready_ms;
  return *this;
}

std::optional<double> occupancy(const StateTimes& t) {
  return ratio(t.busy_ms(), t.busy_ms() + t.ready_ms + t.reserved_ms);
}

std::optional<double> utilisation(const StateTimes& t) { return ratio(t.busy_ms(), t.logged_in_ms()); }

void add_state_times(std::vector<Row>& rows, const std::vector<StateTime>& times, Period period,
                     const cctz::time_zone& zone) {
  std::map<std::pair<std::int64_t, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < rows.size(); ++i) index[{rows[i].start, rows[i].name}] = i;
  std::int64_t last_interval = -1, last_period = 0;
  bool added = false;
  for (const StateTime& time : times) {
    if (time.start != last_interval) {
      last_interval = time.start;
      last_period = period_start(time.start, period, zone);
    }
    auto [at, fresh] = index.try_emplace({last_period, time.agent}, rows.size());
    if (fresh) {
      rows.push_back(Row{last_period, time.agent, {}, {}});
      added = true;
    }
    rows[at->second].times += time;
  }
  if (added) {
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return std::tie(a.start, a.name) < std::tie(b.start, b.name); });
  }
}

Table flow_table(const std::vector<FlowCounts>& counts, Period period, const cctz::time_zone& zone) {
  std::map<std::pair<std::int64_t, std::string>, FlowCounts> sums;
  std::int64_t last_interval = -1, last_period = 0;
  for (const FlowCounts& count : counts) {
    if (count.start != last_interval) {
      last_interval = count.start;
      last_period = period_start(count.start, period, zone);
    }
    sums[{last_period, count.flow}] += count;
  }
  Table table;
  const bool periods = period != Period::whole;
  if (periods) table.columns = {"start", "period"};
  for (const char* column : {"flow", "entered", "contained", "voicemail", "queued", "transferred", "to_agent",
                             "abandoned", "failed", "self_service_rate", "abandon_rate", "avg_ivr_s"}) {
    table.columns.push_back(column);
  }
  for (const auto& [key, c] : sums) {
    std::vector<Cell> cells;
    if (periods) add_period_cells(cells, key.first, period, zone);
    cells.emplace_back(key.second);
    for (const std::int64_t n : {c.entered, c.contained, c.voicemail, c.queued, c.transferred, c.to_agent, c.abandoned,
                                 c.failed}) {
      cells.emplace_back(n);
    }
    cells.push_back(maybe(ratio(c.contained, c.entered)));
    cells.push_back(maybe(ratio(c.abandoned, c.entered)));
    cells.push_back(average_s(c.ivr_ms, c.entered));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::vector<Row> by_group(const std::vector<Row>& agent_rows,
                          const std::map<std::string, std::vector<std::string>>& groups_of) {
  std::map<std::pair<std::int64_t, std::string>, Row> sums;
  for (const Row& row : agent_rows) {
    const auto groups = groups_of.find(row.name);
    if (groups == groups_of.end()) continue;
    for (const std::string& group : groups->second) {
      Row& sum = sums[{row.start, group}];
      sum.start = row.start;
      sum.name = group;
      sum.counts += row.counts;
      sum.times += row.times;
    }
  }
  std::vector<Row> rows;
  rows.reserve(sums.size());
  for (auto& [key, row] : sums) rows.push_back(std::move(row));
  return rows;
}

Table fcr_table(const std::vector<FcrCount>& counts, const std::string& kind, Period period,
                const cctz::time_zone& zone) {
  std::map<std::pair<std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> sums;
  std::int64_t last_interval = -1, last_period = 0;
  for (const FcrCount& count : counts) {
    if (count.start != last_interval) {
      last_interval = count.start;
      last_period = period_start(count.start, period, zone);
    }
    auto& [handled, repeated] = sums[{last_period, count.name}];
    handled += count.handled;
    repeated += count.repeated;
  }
  Table table;
  const bool periods = period != Period::whole, named = kind != "all";
  if (periods) table.columns = {"start", "period"};
  if (named) table.columns.push_back(kind);
  for (const char* column : {"handled", "repeated", "resolved", "fcr_rate"}) table.columns.push_back(column);
  for (const auto& [key, figures] : sums) {
    std::vector<Cell> cells;
    if (periods) add_period_cells(cells, key.first, period, zone);
    if (named) cells.emplace_back(key.second);
    cells.emplace_back(figures.first);
    cells.emplace_back(figures.second);
    cells.emplace_back(figures.first - figures.second);
    cells.push_back(maybe(ratio(figures.first - figures.second, figures.first)));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

Table wait_table(const std::vector<WaitCount>& counts, Period period, const cctz::time_zone& zone, bool by_queue) {
  struct Bucket {
    std::int64_t answered = 0, abandoned = 0, short_abandoned = 0;
  };
  std::map<std::pair<std::int64_t, std::string>, std::map<std::int64_t, Bucket>> sums;
  std::int64_t last_interval = -1, last_period = 0;
  for (const WaitCount& count : counts) {
    if (count.start != last_interval) {
      last_interval = count.start;
      last_period = period_start(count.start, period, zone);
    }
    Bucket& bucket = sums[{last_period, by_queue ? count.queue : ""}][count.bucket];
    bucket.answered += count.answered;
    bucket.abandoned += count.abandoned;
    bucket.short_abandoned += count.short_abandoned;
  }
  Table table;
  const bool periods = period != Period::whole;
  if (periods) table.columns = {"start", "period"};
  if (by_queue) table.columns.push_back("queue");
  for (const char* column : {"bucket", "from_s", "to_s", "answered", "abandoned", "short_abandoned",
                             "answered_cumulative", "abandoned_cumulative"}) {
    table.columns.push_back(column);
  }
  for (auto& [key, buckets] : sums) {
    std::int64_t answered = 0, abandoned = 0;
    for (std::size_t i = 0; i < kWaitBuckets.size(); ++i) {
      const std::int64_t from = kWaitBuckets[i];
      const Bucket& bucket = buckets[from];
      answered += bucket.answered;
      abandoned += bucket.abandoned;
      std::vector<Cell> cells;
      if (periods) add_period_cells(cells, key.first, period, zone);
      if (by_queue) cells.emplace_back(key.second);
      const bool last = i + 1 == kWaitBuckets.size();
      cells.emplace_back(last ? fmt::format("{}+", from) : fmt::format("{}-{}", from, kWaitBuckets[i + 1]));
      cells.emplace_back(from);
      if (last) {
        cells.emplace_back();  // no upper bound
      } else {
        cells.emplace_back(kWaitBuckets[i + 1]);
      }
      cells.emplace_back(bucket.answered);
      cells.emplace_back(bucket.abandoned);
      cells.emplace_back(bucket.short_abandoned);
      cells.emplace_back(answered);
      cells.emplace_back(abandoned);
      table.rows.push_back(std::move(cells));
    }
  }
  return table;
}

Table state_table(const std::vector<StateTime>& times, Period period, const cctz::time_zone& zone, bool by_agent) {
  // (period, agent) → (state, reason) → ms; and the logged-in ms of each (period, agent).
  std::map<std::pair<std::int64_t, std::string>, std::map<std::pair<std::string, std::string>, std::int64_t>> sums;
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> logged_in;
  std::int64_t last_interval = -1, last_period = 0;
  for (const StateTime& time : times) {
    if (time.start != last_interval) {
      last_interval = time.start;
      last_period = period_start(time.start, period, zone);
    }
    const std::pair<std::int64_t, std::string> key{last_period, by_agent ? time.agent : ""};
    sums[key][{time.state, time.reason}] += time.ms;
    logged_in[key] += time.ms;
  }
  Table table;
  const bool periods = period != Period::whole;
  if (periods) table.columns = {"start", "period"};
  if (by_agent) table.columns.push_back("agent");
  for (const char* column : {"state", "reason", "time_s", "share"}) table.columns.push_back(column);
  for (const auto& [key, states] : sums) {
    for (const auto& [state, ms] : states) {
      std::vector<Cell> cells;
      if (periods) add_period_cells(cells, key.first, period, zone);
      if (by_agent) cells.emplace_back(key.second);
      cells.emplace_back(state.first);
      cells.emplace_back(state.second);
      cells.push_back(seconds(ms));
      cells.push_back(maybe(ratio(ms, logged_in[key])));
      table.rows.push_back(std::move(cells));
    }
  }
  return table;
}

std::optional<Period> parse_period(std::string_view text) {
  static const std::map<std::string_view, Period> names{{"", Period::whole},      {"15m", Period::m15},
                                                        {"30m", Period::m30},     {"60m", Period::m60},
                                                        {"day", Period::day},     {"week", Period::week},
                                                        {"month", Period::month}};
  auto it = names.find(text);
  return it == names.end() ? std::nullopt : std::optional(it->second);
}

std::optional<SlFormula> parse_sl_formula(std::string_view text) {
  static const std::map<std::string_view, SlFormula> names{
      {"answered", SlFormula::answered},
      {"answered_abandoned", SlFormula::answered_abandoned},
      {"answered_late_abandoned", SlFormula::answered_late_abandoned},
      {"offered", SlFormula::offered}};
  auto it = names.find(text);
  return it == names.end() ? std::nullopt : std::optional(it->second);
}

std::optional<double> service_level(const Counts& c, SlFormula formula) {
  switch (formula) {
    case SlFormula::answered:
      return ratio(c.answered_in_sl, c.answered);
    case SlFormula::answered_abandoned:
      return ratio(c.answered_in_sl, c.answered + c.abandoned);
    case SlFormula::answered_late_abandoned:
      return ratio(c.answered_in_sl, c.answered + c.abandoned - c.abandoned_in_sl);
    case SlFormula::offered:
      return ratio(c.answered_in_sl + c.abandoned_in_sl, c.offered);
  }
  return std::nullopt;
}

const char* sl_formula_name(SlFormula formula) {
  static const char* kNames[] = {"answered", "answered_abandoned", "answered_late_abandoned", "offered"};
  return kNames[static_cast<int>(formula)];
}

void QueueFormulas::set(const std::string& queue, std::optional<SlFormula> formula) {
  std::lock_guard lock(mutex_);
  if (formula) {
    formulas_[queue] = *formula;
  } else {
    formulas_.erase(queue);
  }
}

std::map<std::string, SlFormula> QueueFormulas::all() const {
  std::lock_guard lock(mutex_);
  return formulas_;
}

std::int64_t period_start(std::int64_t ms, Period period, const cctz::time_zone& zone) {
  if (period == Period::whole) return 0;
  const cctz::civil_second at = cctz::convert(point(ms), zone);
  switch (period) {
    case Period::m15:
    case Period::m30:
    case Period::m60: {
      const int minutes = period == Period::m15 ? 15 : period == Period::m30 ? 30 : 60;
      // Back from `ms` by the time since the period began on the local clock: exact
      // across DST changes, since every zone's offset is whole quarter hours.
      const std::int64_t into = ((at.minute() % minutes) * 60 + at.second()) * std::int64_t{1000};
      return ms - into - (ms % 1000 + 1000) % 1000;
    }
    case Period::day:
      return ms_of(cctz::civil_day(at), zone);
    case Period::week:
      return ms_of(cctz::prev_weekday(cctz::civil_day(at) + 1, cctz::weekday::monday), zone);
    case Period::month:
      return ms_of(cctz::civil_month(at), zone);
    case Period::whole:
      break;
  }
  return 0;
}

std::vector<std::int64_t> period_bounds(std::int64_t from, std::int64_t to, Period period,
                                        const cctz::time_zone& zone) {
  if (period == Period::m15 || period == Period::m30 || period == Period::m60) return {};
  std::vector<std::int64_t> bounds{from};
  for (std::int64_t start = period_start(from, period, zone); period != Period::whole;) {
    const cctz::civil_second at = cctz::convert(point(start), zone);
    start = period == Period::day    ? ms_of(cctz::civil_day(at) + 1, zone)
            : period == Period::week ? ms_of(cctz::civil_day(at) + 7, zone)
                                     : ms_of(cctz::civil_month(at) + 1, zone);
    if (start >= to) break;
    bounds.push_back(start);
  }
  bounds.push_back(to);
  return bounds;
}

std::vector<Row> summarise(const std::vector<Rollup>& rollups, Period period, const cctz::time_zone& zone,
                           bool by_name) {
  std::map<std::pair<std::int64_t, std::string>, Counts> sums;
  // Roll-ups come by start, and consecutive ones mostly share a period: look it up once.
  std::int64_t last_interval = -1, last_period = 0;
  for (const Rollup& r : rollups) {
    if (r.start != last_interval) {
      last_interval = r.start;
      last_period = period_start(r.start, period, zone);
    }
    sums[{last_period, by_name ? r.key : ""}] += r.counts;
  }
  std::vector<Row> rows;
  rows.reserve(sums.size());
  for (const auto& [key, counts] : sums) rows.push_back({key.first, key.second, counts, {}});
  return rows;
}

Table make_table(const std::vector<Row>& rows, const std::string& kind, SlFormula formula, Period period,
                 const cctz::time_zone& zone, const std::map<std::string, SlFormula>& per_queue) {
  // The formula of the row being made.
  SlFormula row_formula = formula;
  Table table;
  // Agent groups have the agents' figures, summed.
  const bool agent = kind == "agent" || kind == "group", periods = period != Period::whole;
  using Figure = std::function<Cell(const Counts&)>;
  std::vector<std::pair<std::string, Figure>> figures;
  auto count = [&figures](const char* name, std::int64_t Counts::*field) {
    figures.emplace_back(name, [field](const Counts& c) { return Cell(c.*field); });
  };
  auto handled_average = [&figures](const char* name, std::int64_t Counts::*field) {
    figures.emplace_back(name, [field](const Counts& c) { return average_s(c.*field, c.handled); });
  };
  auto total = [&figures](const char* name, std::int64_t Counts::*field) {
    figures.emplace_back(name, [field](const Counts& c) { return seconds(c.*field); });
  };
  const auto handle_ms = [](const Counts& c) { return c.talk_ms + c.hold_ms + c.acw_ms; };
  if (agent) {
    count("contacts", &Counts::handled);
    count("answered", &Counts::answered);
    count("answered_in_sl", &Counts::answered_in_sl);
    figures.emplace_back("asa_s", [](const Counts& c) { return average_s(c.wait_answered_ms, c.answered); });
    figures.emplace_back("handle_s", [handle_ms](const Counts& c) { return seconds(handle_ms(c)); });
  } else {
    count("offered", &Counts::offered);
    count("answered", &Counts::answered);
    count("abandoned", &Counts::abandoned);
    count("short_abandoned", &Counts::short_abandoned);
    count("overflowed", &Counts::overflowed);
    count("busy", &Counts::busy);
    count("answered_in_sl", &Counts::answered_in_sl);
    count("abandoned_in_sl", &Counts::abandoned_in_sl);
    figures.emplace_back("service_level",
                         [&row_formula](const Counts& c) { return maybe(service_level(c, row_formula)); });
    if (kind == "queue") {
      figures.emplace_back("sl_formula", [&row_formula](const Counts&) { return Cell(sl_formula_name(row_formula)); });
    }
    figures.emplace_back("answer_rate", [](const Counts& c) { return maybe(ratio(c.answered, c.offered)); });
    figures.emplace_back("abandon_rate", [](const Counts& c) { return maybe(ratio(c.abandoned, c.offered)); });
    figures.emplace_back("busy_rate", [](const Counts& c) { return maybe(ratio(c.busy, c.offered)); });
    figures.emplace_back("asa_s", [](const Counts& c) { return average_s(c.wait_answered_ms, c.answered); });
    figures.emplace_back("avg_wait_s", [](const Counts& c) {
      return average_s(c.wait_answered_ms + c.wait_abandoned_ms, c.answered + c.abandoned);
    });
    total("max_wait_s", &Counts::max_wait_ms);
    count("handled", &Counts::handled);
  }
  figures.emplace_back("aht_s", [handle_ms](const Counts& c) { return average_s(handle_ms(c), c.handled); });
  total("talk_s", &Counts::talk_ms);
  handled_average("avg_talk_s", &Counts::talk_ms);
  total("hold_s", &Counts::hold_ms);
  handled_average("avg_hold_s", &Counts::hold_ms);
  total("acw_s", &Counts::acw_ms);
  handled_average("avg_acw_s", &Counts::acw_ms);
  count("transferred", &Counts::transferred);
  figures.emplace_back("transfer_rate", [](const Counts& c) { return maybe(ratio(c.transferred, c.handled)); });
  if (!agent) count("callbacks_requested", &Counts::callbacks_requested);
  count("callbacks_completed", &Counts::callbacks_completed);
  using TimeFigure = std::function<Cell(const StateTimes&)>;
  std::vector<std::pair<std::string, TimeFigure>> time_figures;
  if (agent) {
    auto time = [&time_figures](const char* name, std::int64_t StateTimes::*field) {
      time_figures.emplace_back(name, [field](const StateTimes& t) { return seconds(t.*field); });
    };
    time_figures.emplace_back("logged_in_s", [](const StateTimes& t) { return seconds(t.logged_in_ms()); });
    time("ready_s", &StateTimes::ready_ms);
    time("reserved_s", &StateTimes::reserved_ms);
    time("on_call_s", &StateTimes::on_call_ms);
    time("wrap_up_s", &StateTimes::wrap_up_ms);
    time("not_ready_s", &StateTimes::not_ready_ms);
    time_figures.emplace_back("occupancy", [](const StateTimes& t) { return maybe(occupancy(t)); });
    time_figures.emplace_back("utilisation", [](const StateTimes& t) { return maybe(utilisation(t)); });
  }

  if (periods) table.columns = {"start", "period"};
  if (!kind.empty()) table.columns.push_back(kind);
  for (const auto& figure : figures) table.columns.push_back(figure.first);
  for (const auto& figure : time_figures) table.columns.push_back(figure.first);
  for (const Row& row : rows) {
    std::vector<Cell> cells;
    if (periods) add_period_cells(cells, row.start, period, zone);
    if (!kind.empty()) cells.emplace_back(row.name);
    const auto own = kind == "queue" ? per_queue.find(row.name) : per_queue.end();
    row_formula = own == per_queue.end() ? formula : own->second;
    for (const auto& figure : figures) cells.push_back(figure.second(row.counts));
    for (const auto& figure : time_figures) cells.push_back(figure.second(row.times));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

}  // namespace unicc::report
