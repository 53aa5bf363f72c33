#pragma once
// GET /api/v1/callbacks — the callers who asked a queue to call them back, for admins
// and supervisors: waiting, completed or failed (with why), filtered by state and
// queue, newest first, paged. docs/api.md has the fields.
#include "http/api.h"
#include "http/router.h"
#include "ivr/callback_store.h"

namespace unicc::app {

void add_callback_routes(http::Router& router, http::ApiContext& context, ivr::CallbackStore& callbacks);

}  // namespace unicc::app
