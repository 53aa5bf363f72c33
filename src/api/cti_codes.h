#pragma once
// The agent desktop's code lists: the dispositions a wrap-up picks from and the
// reasons for not being ready, each code with its label per language
// ({"en": ..., "zh-CN": ...}), in the database (call::CtiCodeStore).
//   GET /api/v1/cti/codes   any signed-in user
//   PUT /api/v1/cti/codes   admin: replaces both lists at once, audited as
//                           cti_codes.update (target "cti_codes") with what changed,
//                           and sent to every signed-in user's event stream as
//                           {"type":"cti_codes","record":{...}} so desktops follow.
#include "api/context.h"
#include "call/cti_codes.h"
#include "http/router.h"

namespace unicc::api {

void add_cti_code_routes(http::Router& router, ApiContext& context, call::CtiCodeStore& codes);

}  // namespace unicc::api
