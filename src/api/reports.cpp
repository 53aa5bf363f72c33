#include "api/reports.h"

#include <nlohmann/json.hpp>

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

json cell_json(const report::Cell& cell) {
  if (const auto* n = std::get_if<std::int64_t>(&cell)) return *n;
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  return nullptr;
}

http::Response report(const http::Request& request, report::Rollups& rollups, const ReportSettings& settings) {
  const std::string report_name = request.params.at("report");
  // Which roll-ups a report reads, and whether its rows are per name.
  std::string kind;
  bool by_name = true;
  const std::string queue = query_param(request, "queue"), agent = query_param(request, "agent"),
                    did = query_param(request, "did");
  if (report_name == "queues") {
    kind = "queue";
  } else if (report_name == "agents") {
    kind = "agent";
  } else if (report_name == "dids") {
    kind = "did";
  } else if (report_name == "intervals") {
    kind = !agent.empty() ? "agent" : !did.empty() ? "did" : "queue";
    by_name = false;
  } else {
    throw http::HttpError(404, "not_found", "no report '" + report_name + "' (queues, agents, dids, intervals)");
  }
  if (!query_param(request, "from").size()) refuse("from", "is required (ms since the epoch)");
  if (!query_param(request, "to").size()) refuse("to", "is required (ms since the epoch)");
  const std::int64_t from = http::int_param("from", query_param(request, "from"), 0, INT64_MAX / 2);
  const std::int64_t to = http::int_param("to", query_param(request, "to"), 0, INT64_MAX / 2);
  if (to <= from) refuse("to", "must be after 'from'");
  if (to - from > kMaxRangeMs) refuse("to", "must be at most 400 days after 'from'");
  const auto period = report::parse_period(query_param(request, "interval"));
  if (!period) refuse("interval", "must be 15m, 30m, 60m, day, week or month");
  auto formula = settings.formula;
  if (const std::string text = query_param(request, "sl_formula"); !text.empty()) {
    const auto parsed = report::parse_sl_formula(text);
    if (!parsed) refuse("sl_formula", "must be answered, answered_abandoned, answered_late_abandoned or offered");
    formula = *parsed;
  }
  std::string format = query_param(request, "format");
  if (format.empty()) format = "json";
  if (format != "json" && format != "csv" && format != "xlsx") refuse("format", "must be json, csv or xlsx");

  const std::string key = kind == "queue" ? queue : kind == "agent" ? agent : did;
  const auto rows = report::summarise(rollups.read(kind, from, to, key), *period, settings.zone, by_name);
  const report::Table table = report::make_table(rows, by_name ? kind : "", formula, *period, settings.zone);

  const std::string file = "report-" + report_name;
  if (format == "csv") {
    return http::Response{200, "text/csv; charset=utf-8", report::to_csv(table),
                          {{"Content-Disposition", "attachment; filename=\"" + file + ".csv\""}}};
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
  static const char* kFormulaNames[] = {"answered", "answered_abandoned", "answered_late_abandoned", "offered"};
  return http::json_response(200, json{{"report", report_name},
                                       {"from", from},
                                       {"to", to},
                                       {"interval", query_param(request, "interval")},
                                       {"time_zone", settings.zone_name},
                                       {"sl_formula", kFormulaNames[static_cast<int>(formula)]},
                                       {"columns", table.columns},
                                       {"rows", std::move(out_rows)}});
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
