#pragma once
// GET /api/v1/cdrs — call detail records for supervisors and admins, newest
// first, filtered by time range (from, to: ms since epoch), number (caller,
// dialled or callee), disposition, agent, queue and customer_id, with limit/offset
// paging; and GET /api/v1/cdrs/{id}/recording — the call's recording (WAV, byte
// ranges for seeking) for admins, supervisors, QA and the agent who took the call,
// audited as recording.play; only files inside `recordings_dir` are served.
#include <string>

#include "api/context.h"
#include "call/cdr.h"
#include "http/router.h"

namespace unicc::api {

void add_cdr_routes(http::Router& router, ApiContext& context, call::CdrStore& cdrs, std::string recordings_dir);

}  // namespace unicc::api
