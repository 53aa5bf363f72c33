// An agent's own outbound calls (click-to-dial) and the end of a wrap-up on the
// agent's word. An outbound call is a call slot in no queue (home and offer_queue are
// kNoSlot): it reserves the agent and puts them on a call like an offer and an answer
// do, so the agent's states, their log and their handle time read as for queue calls,
// while no queue counts it, waits it or hears of it.
#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {

Status Router::Impl::dial_out(CallId id, AgentId agent_id) {
  const std::uint32_t a = find_agent(agent_id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  if (call_index_.count(id)) return Status::kDuplicateCall;
  AgentSlot& agent = agents_[a];
  switch (agent.state) {
    case AgentState::kLoggedOut:
    case AgentState::kReserved:
    case AgentState::kOnCall: return Status::kWrongState;
    case AgentState::kNotReady: agent.pending_not_ready = agent.reason; break;
    case AgentState::kWrapUp: end_handle_time(a); break;  // the last call's handle time ends here
    case AgentState::kReady: break;
  }
  const std::uint32_t c = new_call(CallRequest{id, 0, 0, std::nullopt}, kNoSlot);
  CallSlot& call = calls_[c];
  call.phase = CallPhase::kOffered;
  call.ringing.push_back(a);
  agent.call = c;
  change_state(a, AgentState::kReserved, {});
  return Status::kOk;
}

Status Router::Impl::end_wrap_up(AgentId agent_id) {
  const std::uint32_t a = find_agent(agent_id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  if (agents_[a].state != AgentState::kWrapUp) return Status::kWrongState;
  finish_wrap_up(a);
  return Status::kOk;
}

// After a queue call, that queue's wrap-up; after an outbound call, the longest of
// the agent's queues', so an agent's outbound calls leave the time their queue
// calls do.
std::chrono::seconds Router::Impl::wrap_up_after(const AgentSlot& agent) const {
  if (agent.served_queue != kNoSlot) return queues_[agent.served_queue].config.wrap_up;
  std::chrono::seconds longest{0};
  for (const Membership& m : agent.queues) longest = std::max(longest, queues_[m.queue].config.wrap_up);
  return longest;
}

}  // namespace unicc::acd
