#pragma once
// app::add_agent_routes — agents' states over REST, for the agent desktop and the
// supervisor:
//   GET  /api/v1/agents                      every configured agent and its state
//   POST /api/v1/agents/{extension}/state    {"state": "ready" | "not_ready" | "logged_out",
//                                             "reason": "..."} (reason for not_ready)
// Admins and supervisors only, for now (agents' own sign-in is not tied to their
// extension yet). Changes are audited and published on the event stream as
// {"type":"agent",...} to supervisors and admins.
#include <functional>
#include <string>
#include <vector>

#include "app/telephony.h"
#include "http/api.h"

namespace unicc::app {

struct AgentControl {
  std::function<std::vector<AgentView>()> list;
  // "" or why not (see Telephony::set_agent_state).
  std::function<std::string(const std::string& extension, const std::string& state, const std::string& reason)>
      set_state;
};

void add_agent_routes(http::Router& router, http::ApiContext& context, AgentControl control);

}  // namespace unicc::app
