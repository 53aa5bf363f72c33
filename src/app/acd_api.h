#pragma once
// app::add_acd_routes — the ACD's configuration over REST: skills, queues and agents
// (stored by AcdStore, carried into the running router by Telephony).
//   GET    /api/v1/skills                 every skill
//   PUT    /api/v1/skills/{name}          create or replace {"description"}
//   DELETE /api/v1/skills/{name}          refused (409) while a queue or agent uses it
//   GET    /api/v1/queues                 every queue with its live "status"
//   GET    /api/v1/queues/{name}
//   PUT    /api/v1/queues/{name}          create or replace (omitted fields: defaults)
//   PATCH  /api/v1/queues/{name}          change the fields given
//   DELETE /api/v1/queues/{name}          refused (409) while calls wait or queues overflow to it
//   PUT|PATCH|GET|DELETE /api/v1/agents/{extension}   the same for agents; GET adds the
//                                          state and the queues served; DELETE is refused
//                                          while the agent is logged in
// Admins change, supervisors read. A field that cannot be read is a 400 naming it;
// a reference that does not resolve (a skill, an overflow queue) or a change the ACD
// refuses is a 422 listing the problems in "details". Changes are audited and
// published on the event stream ({"type":"queue"|"agent_config"|"skill", "action":
// "saved"|"deleted", ...}).
#include "app/acd_store.h"
#include "app/telephony.h"
#include "http/api.h"

namespace unicc::app {

void add_acd_routes(http::Router& router, http::ApiContext& context, AcdStore& store, Telephony& telephony);

}  // namespace unicc::app
