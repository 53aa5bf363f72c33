#pragma once
// Reports over REST (docs/api.md, formulas in docs/metrics.md), for supervisors and
// admins:
//   GET /api/v1/reports/{queues|agents|dids|intervals}?from=&to=&interval=&queue=&agent=&did=
//       &sl_formula=&format=json|csv|xlsx
// Read from the 15-minute roll-ups (report::Rollups), summed into periods of the
// reports' time zone; a bad parameter is 400 invalid_parameter naming it.
#include <cctz/time_zone.h>

#include "api/context.h"
#include "http/router.h"
#include "report/report.h"

namespace unicc::api {

struct ReportSettings {
  cctz::time_zone zone;         // whose calendar periods are
  std::string zone_name;        // as the answer names it
  report::SlFormula formula = report::SlFormula::answered_late_abandoned;  // when a request names none
};

void add_report_routes(http::Router& router, ApiContext& context, report::Rollups& rollups, ReportSettings settings);

}  // namespace unicc::api
