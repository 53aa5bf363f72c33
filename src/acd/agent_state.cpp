#include "acd/agent_state.h"

namespace unicc::acd {

std::string_view to_string(AgentState state) {
  switch (state) {
    case AgentState::kLoggedOut: return "logged-out";
    case AgentState::kReady: return "ready";
    case AgentState::kNotReady: return "not-ready";
    case AgentState::kReserved: return "reserved";
    case AgentState::kOnCall: return "on-call";
    case AgentState::kWrapUp: return "wrap-up";
  }
  return "unknown";
}

}  // namespace unicc::acd
