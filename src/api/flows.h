#pragma once
// /api/v1/flows — IVR call flows over REST, for admins and supervisors: save a
// draft, validate it (422 with every problem), publish it as the next version,
// roll back to an earlier version, list, and read by name or version. Publishing
// and rolling back are audited and refresh the registry that new calls read, so
// calls already running keep the version they started with. docs/api.md has the
// endpoints, docs/ivr.md the document format.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/context.h"
#include "calendar/calendar_store.h"
#include "call/numbers.h"
#include "http/router.h"
#include "ivr/flow_store.h"
#include "ivr/registry.h"

namespace unicc::api {

// `numbers`: the run-time numbers a flow's dids must not take (409 did_taken).
// Publishing refuses a schedule node naming a calendar `calendars` does not have (422,
// as other problems); without a store every named calendar is missing.
void add_flow_routes(http::Router& router, ApiContext& context, ivr::FlowStore& flows,
                     ivr::FlowRegistry& registry, const call::NumberStore* numbers = nullptr,
                     const calendar::CalendarStore* calendars = nullptr);

// The IVR traces of the calls started in [from, to) that went through a flow, at
// most `limit`, newest first (call::CdrStore::ivr_traces).
using FlowTraces = std::function<std::vector<std::string>(const std::string& flow, std::int64_t from_ms,
                                                          std::int64_t to_ms, std::int64_t limit)>;

// Rings `extension` and runs `flow` on the call once answered (Telephony::test_flow):
// 0 with the call's Call-ID, or the SIP status why the extension cannot be rung.
using FlowTestCall =
    std::function<int(const std::string& extension, std::shared_ptr<const ivr::Flow> flow, std::string& call_id)>;

// What the designer asks of real calls: GET /api/v1/flows/{name}/paths?from=&to= (the
// calls per node and exit in a period, ivr/path_counts.h) and POST
// /api/v1/flows/{name}/test-call (the draft run on a call to a phone, unpublished).
void add_flow_call_routes(http::Router& router, ApiContext& context, ivr::FlowStore& flows, FlowTraces traces,
                          FlowTestCall test_call);

}  // namespace unicc::api
