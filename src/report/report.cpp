#include "report/report.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <map>

#include <cctz/civil_time.h>
#include <fmt/format.h>

namespace unicc::report {
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

}  // namespace

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
  for (const auto& [key, counts] : sums) rows.push_back({key.first, key.second, counts});
  return rows;
}

Table make_table(const std::vector<Row>& rows, const std::string& kind, SlFormula formula, Period period,
                 const cctz::time_zone& zone) {
  Table table;
  const bool agent = kind == "agent", periods = period != Period::whole;
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
    count("answered_in_sl", &Counts::answered_in_sl);
    count("abandoned_in_sl", &Counts::abandoned_in_sl);
    figures.emplace_back("service_level",
                         [formula](const Counts& c) { return maybe(service_level(c, formula)); });
    figures.emplace_back("answer_rate", [](const Counts& c) { return maybe(ratio(c.answered, c.offered)); });
    figures.emplace_back("abandon_rate", [](const Counts& c) { return maybe(ratio(c.abandoned, c.offered)); });
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

  if (periods) table.columns = {"start", "period"};
  if (!kind.empty()) table.columns.push_back(kind);
  for (const auto& figure : figures) table.columns.push_back(figure.first);
  for (const Row& row : rows) {
    std::vector<Cell> cells;
    if (periods) {
      cells.emplace_back(row.start);
      const cctz::civil_second local = cctz::convert(point(row.start), zone);
      cells.emplace_back(period >= Period::day
                             ? fmt::format("{:04}-{:02}-{:02}", local.year(), local.month(), local.day())
                             : fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", local.year(), local.month(), local.day(),
                                           local.hour(), local.minute()));
    }
    if (!kind.empty()) cells.emplace_back(row.name);
    for (const auto& figure : figures) cells.push_back(figure.second(row.counts));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

}  // namespace unicc::report
