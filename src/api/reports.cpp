#include "api/reports.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "http/csv.h"
#include "http/json_fields.h"
#include "report/export.h"

namespace unicc::api {
namespace {

using nlohmann::json;

// The longest range one request may sum: a year and a bit, so a month-by-month
// report of a year fits.
constexpr std::int64_t kMaxRangeMs = std::int64_t{400} * 24 * 3600 * 1000;

[[noreturn]] void refuse(const std::string& name, const std::string& problem) {
  throw http::HttpError(400, "invalid_parameter", "'" + name + "' " + problem);
}

// The parameters every report reads.
struct Common {
  std::int64_t from = 0, to = 0;
  report::Period period = report::Period::whole;
  std::string format;
};

Common common_parameters(const http::Request& request) {
  Common out;
  if (!query_param(request, "from").size()) refuse("from", "is required (ms since the epoch)");
  if (!query_param(request, "to").size()) refuse("to", "is required (ms since the epoch)");
  out.from = http::int_param("from", query_param(request, "from"), 0, INT64_MAX / 2);
  out.to = http::int_param("to", query_param(request, "to"), 0, INT64_MAX / 2);
  if (out.to <= out.from) refuse("to", "must be after 'from'");
  if (out.to - out.from > kMaxRangeMs) refuse("to", "must be at most 400 days after 'from'");
  const auto period = report::parse_period(query_param(request, "interval"));
  if (!period) refuse("interval", "must be 15m, 30m, 60m, day, week or month");
  out.period = *period;
  out.format = query_param(request, "format");
  if (out.format.empty()) out.format = "json";
  if (out.format != "json" && out.format != "csv" && out.format != "xlsx") {
    refuse("format", "must be json, csv or xlsx");
  }
  return out;
}

json cell_json(const report::Cell& cell) {
  if (const auto* n = std::get_if<std::int64_t>(&cell)) return *n;
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  return nullptr;
}

// The table as CSV, XLSX or JSON (the answer's other fields in `head`).
http::Response render(const report::Table& table, const std::string& report_name, const std::string& format,
                      json head) {
  const std::string file = "report-" + report_name;
  if (format == "csv") {
    std::string lines = http::csv_line(table.columns);
    std::vector<std::string> fields;
    for (const auto& cells : table.rows) {
      fields.clear();
      for (const auto& cell : cells) fields.push_back(report::cell_text(cell));
      lines += http::csv_line(fields);
    }
    return http::csv_response(lines, file + ".csv");
  }
  if (format == "xlsx") {
    return http::Response{200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          report::to_xlsx(table, report_name),
                          {{"Content-Disposition", "attachment; filename=\"" + file + ".xlsx\""}}};
  }
  json out_rows = json::array();
  for (const auto& cells : table.rows) {
    json row = json::object();
    for (std::size_t i = 0; i < cells.size(); ++i) row[table.columns[i]] = cell_json(cells[i]);
    out_rows.push_back(std::move(row));
  }
  head["report"] = report_name;
  head["columns"] = table.columns;
  head["rows"] = std::move(out_rows);
  return http::json_response(200, head);
}

// What every answer says besides its table.
json head(const http::Request& request, const Common& common, const ReportSettings& settings) {
  return json{{"from", common.from},
              {"to", common.to},
              {"interval", query_param(request, "interval")},
              {"time_zone", settings.zone_name}};
}

// Whether `by` asks for the rows of each `what` apart (absent: all together).
bool split_by(const http::Request& request, const std::string& what) {
  const std::string by = query_param(request, "by");
  if (!by.empty() && by != what) refuse("by", "must be " + what + " (or absent: all together)");
  return by == what;
}

// GET /api/v1/reports/agent-states: time per state and reason.
http::Response agent_states(const http::Request& request, report::Rollups& rollups, const ReportSettings& settings) {
  const Common common = common_parameters(request);
  const bool by_agent = split_by(request, "agent");
  const auto bounds = report::period_bounds(common.from, common.to, common.period, settings.zone);
  const std::string agent = query_param(request, "agent");
  const auto times = bounds.empty() ? rollups.read_states(common.from, common.to, agent)
                                    : rollups.read_state_sums(bounds, agent);
  const report::Table table = report::state_table(times, common.period, settings.zone, by_agent);
  return render(table, "agent-states", common.format, head(request, common, settings));
}

// GET /api/v1/reports/waits: the abandon curve.
http::Response waits(const http::Request& request, report::Rollups& rollups, const ReportSettings& settings) {
  const Common common = common_parameters(request);
  const bool by_queue = split_by(request, "queue");
  const auto counts = rollups.read_waits(common.from, common.to, query_param(request, "queue"));
  const report::Table table = report::wait_table(counts, common.period, settings.zone, by_queue);
  return render(table, "waits", common.format, head(request, common, settings));
}

// GET /api/v1/reports/flows: calls per IVR flow and how they left it.
http::Response flows(const http::Request& request, report::Rollups& rollups, const ReportSettings& settings) {
  const Common common = common_parameters(request);
  const auto counts = rollups.read_flows(common.from, common.to, query_param(request, "flow"));
  return render(report::flow_table(counts, common.period, settings.zone), "flows", common.format,
                head(request, common, settings));
}

// GET /api/v1/reports/fcr: first-contact resolution.
http::Response fcr(const http::Request& request, report::Rollups& rollups, const ReportSettings& settings) {
  const Common common = common_parameters(request);
  const std::string by = query_param(request, "by");
  if (!by.empty() && by != "queue" && by != "agent") refuse("by", "must be queue or agent (or absent: everyone)");
  const std::string kind = by.empty() ? "all" : by;
  const std::string name = by.empty() ? "" : query_param(request, by.c_str());
  const auto counts = rollups.read_fcr(kind, common.from, common.to, name);
  return render(report::fcr_table(counts, kind, common.period, settings.zone), "fcr", common.format,
                head(request, common, settings));
}

http::Response report(const http::Request& request, report::Rollups& rollups, const ReportSettings& settings) {
  const std::string report_name = request.params.at("report");
  if (report_name == "fcr") return fcr(request, rollups, settings);
  if (report_name == "flows") return flows(request, rollups, settings);
  if (report_name == "agent-states") return agent_states(request, rollups, settings);
  if (report_name == "waits") return waits(request, rollups, settings);
  // Which roll-ups a report reads, and whether its rows are per name.
  std::string kind;
  bool by_name = true;
  const std::string queue = query_param(request, "queue"), agent = query_param(request, "agent"),
                    did = query_param(request, "did");
  if (report_name == "queues") {
    kind = "queue";
  } else if (report_name == "agents" || report_name == "groups") {
    kind = "agent";
  } else if (report_name == "dids") {
    kind = "did";
  } else if (report_name == "intervals") {
    kind = !agent.empty() ? "agent" : !did.empty() ? "did" : "queue";
    by_name = false;
  } else {
    throw http::HttpError(404, "not_found",
                          "no report '" + report_name + "' (queues, agents, groups, dids, intervals, agent-states, waits, flows, fcr)");
  }
  const Common common = common_parameters(request);
  const std::int64_t from = common.from, to = common.to;
  const report::Period period = common.period;
  // The request's formula for every row; else each queue's own (queues; intervals of one
  // queue), else the reports' default.
  auto formula = settings.formula();
  std::map<std::string, report::SlFormula> per_queue;
  if (const std::string text = query_param(request, "sl_formula"); !text.empty()) {
    const auto parsed = report::parse_sl_formula(text);
    if (!parsed) refuse("sl_formula", "must be answered, answered_abandoned, answered_late_abandoned or offered");
    formula = *parsed;
  } else if (settings.queue_formulas) {
    per_queue = settings.queue_formulas->all();
    if (kind == "queue" && !queue.empty()) {
      if (auto own = per_queue.find(queue); own != per_queue.end()) formula = own->second;
    }
  }

  const std::string key = kind == "queue" ? queue : kind == "agent" ? agent : did;
  // Days, weeks, months and the whole range are summed in the database.
  const auto bounds = report::period_bounds(from, to, period, settings.zone);
  auto rows = report::summarise(bounds.empty() ? rollups.read(kind, from, to, key) : rollups.read_sums(kind, bounds, key),
                                period, settings.zone, by_name);
  std::string columns_kind = by_name ? kind : "";
  if (report_name == "agents" || report_name == "groups") {
    report::add_state_times(rows, bounds.empty() ? rollups.read_states(from, to, agent)
                                                 : rollups.read_state_sums(bounds, agent),
                            period, settings.zone);
    const std::string group = query_param(request, "group");
    if (report_name == "groups" || !group.empty()) {
      const auto groups_of = settings.agent_groups ? settings.agent_groups()
                                                   : std::map<std::string, std::vector<std::string>>{};
      if (report_name == "groups") {
        rows = report::by_group(rows, groups_of);
        columns_kind = "group";
      }
      // One group: its row, or the rows of the agents in it.
      std::erase_if(rows, [&](const report::Row& row) {
        if (group.empty()) return false;
        if (report_name == "groups") return row.name != group;
        const auto groups = groups_of.find(row.name);
        return groups == groups_of.end() ||
               std::find(groups->second.begin(), groups->second.end(), group) == groups->second.end();
      });
    }
  }
  const report::Table table = report::make_table(rows, columns_kind, formula, period, settings.zone, per_queue);

  json answer = head(request, common, settings);
  answer["sl_formula"] = report::sl_formula_name(formula);
  return render(table, report_name, common.format, std::move(answer));
}

}  // namespace

void add_report_routes(http::Router& router, ApiContext& context, report::Rollups& rollups, ReportSettings settings) {
  router.add("GET", "/api/v1/reports/{report}",
             [&context, &rollups, settings = std::move(settings)](http::Request& request) {
               require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
               return report(request, rollups, settings);
             });
}

}  // namespace unicc::api
