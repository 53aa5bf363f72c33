#pragma once
// /api/v1/callbacks — the callers who asked a queue to call them back, for admins and
// supervisors: GET lists them (waiting, completed, failed with why, or cancelled;
// filtered by state and queue, newest first, paged); DELETE /{id} takes back a
// waiting request (audited). docs/api.md has the fields.
#include <functional>
#include <string>

#include "api/context.h"
#include "http/router.h"
#include "contact/callback_store.h"

namespace unicc::api {

// Takes back the waiting request made by the call with this SIP Call-ID, for this
// user: "" or why not.
using CancelCallback = std::function<std::string(const std::string& call_id, const std::string& by)>;

void add_callback_routes(http::Router& router, ApiContext& context, contact::CallbackStore& callbacks,
                         CancelCallback cancel);

}  // namespace unicc::api
