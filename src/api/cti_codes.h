#pragma once
// GET /api/v1/cti/codes — the agent desktop's code lists for any signed-in user: the
// dispositions a wrap-up picks from and the reasons for not being ready, each code
// with its label per language ({"en": ..., "zh-CN": ...}). The lists come from the
// configuration file's [[disposition]] and [[not_ready_reason]] tables
// (core::CtiConfig, which also answers whether a code is known).
#include "api/context.h"
#include "core/config.h"
#include "http/router.h"

namespace unicc::api {

void add_cti_code_routes(http::Router& router, ApiContext& context, core::CtiConfig codes);

}  // namespace unicc::api
