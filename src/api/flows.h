#pragma once
// /api/v1/flows — IVR call flows over REST, for admins and supervisors: save a
// draft, validate it (422 with every problem), publish it as the next version,
// roll back to an earlier version, list, and read by name or version. Publishing
// and rolling back are audited and refresh the registry that new calls read, so
// calls already running keep the version they started with. docs/api.md has the
// endpoints, docs/ivr.md the document format.
#include "api/context.h"
#include "http/router.h"
#include "ivr/flow_store.h"
#include "ivr/registry.h"

namespace unicc::api {

void add_flow_routes(http::Router& router, ApiContext& context, ivr::FlowStore& flows,
                     ivr::FlowRegistry& registry);

}  // namespace unicc::api
