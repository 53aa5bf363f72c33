#pragma once
// Quality scoring over REST (docs/api.md, docs/quality.md): evaluation forms
// (/api/v1/qa/forms: drafts, publish → version N), evaluations of calls
// (/api/v1/qa/evaluations: score a CDR, search, CSV export, the agent's
// acknowledge or dispute), calibration (/api/v1/qa/calibration?cdr=) and the weekly
// sample (/api/v1/qa/sample). Admins, supervisors and QA inspectors evaluate;
// agents read their own evaluations and forms, and answer their evaluations.
#include "api/context.h"
#include "call/cdr.h"
#include "http/router.h"
#include "qa/evaluations.h"

namespace unicc::api {

void add_qa_routes(http::Router& router, ApiContext& context, qa::FormStore& forms, qa::EvaluationStore& evaluations,
                   call::CdrStore& cdrs);

}  // namespace unicc::api
