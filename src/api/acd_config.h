#pragma once
// api::add_acd_routes — the ACD's configuration over REST: skills, queues and agents
// (stored by AcdStore, carried into the running router through RunningAcd).
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
//   GET    /api/v1/agents/export          every agent as CSV (extension, name, skills, groups)
//   POST   /api/v1/agents/import          CSV; ?dry_run=true reports only (api/csv_import.h)
// Admins change, supervisors read. A field that cannot be read is a 400 naming it;
// a reference that does not resolve (a skill, an overflow queue) or a change the ACD
// refuses is a 422 listing the problems in "details". Changes are audited and
// published on the event stream ({"type":"queue"|"agent_config"|"skill", "action":
// "saved"|"deleted", ...}).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "acd/agent_view.h"
#include "acd/store/acd_store.h"
#include "api/context.h"

namespace unicc::api {

// The running ACD (app::Telephony in `unicc serve`); callable from HTTP threads.
struct RunningAcd {
  // A queue's live figures; nullopt for a queue the ACD does not know.
  std::function<std::optional<acd::QueueView>(const std::string& name)> queue;
  std::function<std::vector<acd::AgentView>()> agents;
  // Each carries a change into the router and returns its problems (none: applied).
  std::function<std::vector<std::string>(const acd_store::QueueRecord& queue,
                                         const std::vector<acd_store::SkillRecord>& skills)>
      apply_queue;
  std::function<std::vector<std::string>(const std::string& name)> remove_queue;
  std::function<std::vector<std::string>(const acd_store::AgentRecord& agent,
                                         const std::vector<acd_store::SkillRecord>& skills)>
      apply_agent;
  std::function<std::vector<std::string>(const std::string& extension)> remove_agent;
  // Whether a shared calendar of that name exists (a queue's `calendar`); empty: none does.
  std::function<bool(const std::string& name)> calendar_exists = {};
};

void add_acd_routes(http::Router& router, ApiContext& context, acd_store::AcdStore& store, RunningAcd running);

}  // namespace unicc::api
