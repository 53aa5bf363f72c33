#pragma once
// acd agent states and the record of each change.
//
// An agent is in exactly one state. The Router records every change (who, from, to,
// why, when, how long the previous state lasted) and hands the record to its
// Observer; occupancy and adherence reports are computed from these records.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "acd/config.h"

namespace unicc::acd {

enum class AgentState : std::uint8_t {
  kLoggedOut,
  kReady,
  kNotReady,  // with a reason code (the agent's, or an automatic one below)
  kReserved,  // a call is ringing on the agent's phone
  kOnCall,
  kWrapUp,
};

std::string_view to_string(AgentState state);

// Reason codes the router sets itself.
inline constexpr std::string_view kReasonLogin = "login";
inline constexpr std::string_view kReasonNoAnswer = "no-answer";

struct AgentStateRecord {
  AgentId agent = 0;
  AgentState from = AgentState::kLoggedOut;
  AgentState to = AgentState::kLoggedOut;
  std::string reason;            // kNotReady only
  std::int64_t at_ms = 0;        // wall clock, ms since the Unix epoch
  std::int64_t previous_ms = 0;  // how long `from` lasted
  std::optional<CallId> call;    // kReserved, kOnCall, kWrapUp: the call concerned
};

}  // namespace unicc::acd
