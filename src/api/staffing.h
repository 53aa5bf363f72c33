#pragma once
// Staffing (WFM) over REST (docs/api.md, docs/metrics.md), for supervisors and admins:
//   POST /api/v1/staffing/erlang     agents needed for one interval's calls (Erlang C,
//                                    or Erlang A with the callers' patience), with the
//                                    figures for a few agents fewer and more
//   GET  /api/v1/staffing/forecast   calls per interval for the coming week from the
//                                    queue calls on record, its accuracy on a held-back
//                                    week, and with a handle time and a target the
//                                    agents each interval needs
// Input is bounded so every search ends (wfm::kMaxAgents); a bad field is 400 naming it.
#include "api/context.h"
#include "http/router.h"

namespace unicc::api {

void add_staffing_routes(http::Router& router, ApiContext& context);

}  // namespace unicc::api
