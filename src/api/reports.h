#pragma once
// Reports over REST (docs/api.md, formulas in docs/metrics.md), for supervisors and
// admins:
//   GET /api/v1/reports/{queues|agents|groups|dids|intervals}?from=&to=&interval=&queue=&agent=
//       &group=&did=&sl_formula=&format=json|csv|xlsx
//   GET /api/v1/reports/agent-states?from=&to=&interval=&agent=&by=agent&format=
//   GET /api/v1/reports/waits?from=&to=&interval=&queue=&by=queue&format=
//   GET /api/v1/reports/flows?from=&to=&interval=&flow=&format=
// Read from the 15-minute roll-ups (report::Rollups), summed into periods of the
// reports' time zone; a bad parameter is 400 invalid_parameter naming it.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <cctz/time_zone.h>

#include "api/context.h"
#include "http/router.h"
#include "report/report.h"

namespace unicc::api {

struct ReportSettings {
  cctz::time_zone zone;         // whose calendar periods are
  std::string zone_name;        // as the answer names it
  // The formula when a request names none (reports.sl_formula, changeable at run time).
  std::function<report::SlFormula()> formula;
  const report::QueueFormulas* queue_formulas = nullptr;  // the queues' own (queue[].sl_formula), if any
  // The agents' groups now (extension → groups), for the groups report and agents?group=.
  std::function<std::map<std::string, std::vector<std::string>>()> agent_groups;
};

void add_report_routes(http::Router& router, ApiContext& context, report::Rollups& rollups, ReportSettings settings);

}  // namespace unicc::api
