#pragma once
// The typical-case library: calls kept as good or bad examples.
// POST /api/v1/cases {cdr_id, kind: good|bad, title, category, notes} — admins,
// supervisors and QA, for a call whose recording can be played (409 otherwise);
// GET /api/v1/cases?kind=&category=&q= (q: in title or notes) and /cases/{id} for
// every signed-in role; PATCH and DELETE for admins and supervisors;
// GET /api/v1/cases/{id}/recording — the call's recording for every role, read-only
// (no download), with byte ranges, audited as case.play. A case pins the recording
// (the retention keeps it). Creating, changing and deleting are audited.
#include <string>

#include "api/context.h"
#include "call/case_store.h"
#include "call/cdr.h"
#include "http/router.h"

namespace unicc::api {

void add_case_routes(http::Router& router, ApiContext& context, call::CaseStore& cases, call::CdrStore& cdrs,
                     std::string recordings_dir);

}  // namespace unicc::api
