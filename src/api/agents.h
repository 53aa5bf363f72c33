#pragma once
// api::add_agent_routes — agents' states over REST, for the agent desktop and the
// supervisor:
//   GET  /api/v1/agents                      every configured agent, its state, skills and groups
//   POST /api/v1/agents/{extension}/state    {"state": "ready" | "not_ready" | "logged_out",
//                                             "reason": "..."} (reason for not_ready)
//   GET  /api/v1/agents/{extension}/states   its state changes, newest first (?limit=)
// Admins and supervisors for any agent; an agent for their own extension (the
// desktop). Changes made here are audited; every change (the ACD's own too) reaches
// the event stream as agent_event() to supervisors, admins and the agent.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acd/agent_view.h"
#include "api/context.h"

namespace unicc::api {

struct AgentControl {
  std::function<std::vector<acd::AgentView>()> list;
  // "" or why not (see Telephony::set_agent_state).
  std::function<std::string(const std::string& extension, const std::string& state, const std::string& reason)>
      set_state;
  std::function<std::vector<acd::AgentStateChange>(const std::string& extension, std::int64_t limit)> history;
};

void add_agent_routes(http::Router& router, ApiContext& context, AgentControl control);

// An agent and its state, the one shape of every answer and event that shows one
// (here and in the configuration routes, api/acd_config.h):
// {"extension","name","state","reason","since","queues"}.
nlohmann::json agent_json(const acd::AgentView& agent);
// agent_json() with "type":"agent".
nlohmann::json agent_event(const acd::AgentView& agent);
// {"type":"queue_call","queue","event","call","agent","waited_ms","at"}
nlohmann::json queue_call_event(const acd::QueueCallEvent& event);
inline const std::set<auth::Role> kSupervisors = {auth::Role::admin, auth::Role::supervisor};

}  // namespace unicc::api
