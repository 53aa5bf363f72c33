#pragma once
// GET /api/v1/cdrs — call detail records for supervisors and admins, newest
// first, filtered by time range (from, to: ms since epoch), number (caller,
// dialled or callee), disposition, agent, queue and customer_id, with limit/offset
// paging.
#include "auth/sessions.h"
#include "call/cdr.h"
#include "http/router.h"

namespace unicc::api {

void add_cdr_routes(http::Router& router, call::CdrStore& cdrs, auth::Sessions& sessions);

}  // namespace unicc::api
