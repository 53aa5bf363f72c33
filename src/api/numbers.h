#pragma once
// The numbers (DIDs) unicc answers, in one list, and the ones changed at run time.
//   GET    /api/v1/numbers           admin, supervisor: every number with its target
//                                    and where the mapping comes from: "config" (a
//                                    [[did]] entry, maybe a range "4000-4099"),
//                                    "flow" (a published flow's dids) or "database"
//                                    (call::NumberStore, changed here)
//   PUT    /api/v1/numbers/{number}  admin: points a number at "flow:<name>" (a
//                                    published flow), "queue:<name>" or
//                                    "extension:<ext>"; 409 number_owned_by_flow /
//                                    number_owned_by_config / number_is_extension
//                                    when another owner answers it; audited as
//                                    number.update (target "number:<number>")
//   DELETE /api/v1/numbers/{number}  admin: audited as number.delete; calls to it
//                                    are then not found (404)
// A change applies to the next call (calls read the store's in-memory copy).
#include <vector>

#include "acd/store/acd_store.h"
#include "api/context.h"
#include "call/numbers.h"
#include "core/config.h"
#include "http/router.h"
#include "ivr/registry.h"

namespace unicc::api {

struct NumberOwners {
  const std::vector<core::DidConfig>& config_dids;
  const ivr::FlowRegistry& flows;
  acd_store::AcdStore& acd;
};

void add_number_routes(http::Router& router, ApiContext& context, call::NumberStore& numbers, NumberOwners owners);

}  // namespace unicc::api
