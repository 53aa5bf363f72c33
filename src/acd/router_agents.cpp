// The agent state machine: every change goes through change_state(), which keeps the
// queues' ready sets and staffing counts in step and records the change.
#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {

AgentFacts Router::Impl::facts(const AgentSlot& agent, const Membership& m) const {
  AgentFacts f;
  f.preferred = agent.config.newly_trained && routing_[m.queue].prefer_newly_trained;
  f.idle_since_ms = agent.idle_since_ms;
  f.calls_handled = agent.calls_handled;
  f.talk_ms = agent.talk_ms;
  f.skill_score = m.skill_score;
  f.linear_rank = m.linear_rank;
  f.last_turn = m.last_turn;
  return f;
}

void Router::Impl::enter_ready_sets(std::uint32_t a) {
  const AgentSlot& agent = agents_[a];
  ready_epochs_[a] = ++epochs_;
  for (const Membership& m : agent.queues) {
    queues_[m.queue].ready.add(ready_key(routing_[m.queue].strategy, facts(agent, m), a),
                               epochs_);
  }
}

void Router::Impl::leave_ready_sets(std::uint32_t a) {
  if (ready_epochs_[a] == 0) return;  // never entered: took a call at once
  ready_epochs_[a] = 0;
  for (const Membership& m : agents_[a].queues) queues_[m.queue].ready.left();
}

void Router::Impl::change_state(std::uint32_t a, AgentState to, std::string_view reason) {
  AgentSlot& agent = agents_[a];
  const AgentState from = agent.state;
  if (from == AgentState::kReady && to != AgentState::kReady) leave_ready_sets(a);
  const int logged_in = int(is_logged_in(to)) - int(is_logged_in(from));
  const int working = int(is_working(to)) - int(is_working(from));
  if (logged_in != 0 || working != 0) {
    for (const Membership& m : agent.queues) {
      QueueSlot& queue = queues_[m.queue];
      queue.logged_in += logged_in;
      queue.working += working;
    }
  }
  agent.state = to;
  agent.reason = to == AgentState::kNotReady ? std::string(reason) : std::string();

  const std::int64_t wall = clock_.now_ms();
  if (observer_) {
    AgentStateRecord record{
        agent.config.id, from, to, agent.reason, wall, wall - agent.since_wall_ms, std::nullopt};
    if (to == AgentState::kReserved || to == AgentState::kOnCall)
      record.call = calls_[agent.call].id;
    if (to == AgentState::kWrapUp) record.call = agent.wrap_call;
    observer_->on_agent_state(record);
  }
  agent.since_wall_ms = wall;
}

// The agent joins its queues' ready sets only if route_agent() finds no call for it:
// in a busy center most agents take a waiting call at once, and skipping the sets
// then saves an entry (and a stale entry later) in every queue they serve.
void Router::Impl::become_ready(std::uint32_t a) {
  agents_[a].idle_since_ms = now_ms();
  change_state(a, AgentState::kReady, {});
}

void Router::Impl::route_agents(const std::vector<std::uint32_t>& agents) {
  for (std::uint32_t a : agents) route_agent(a);
}

// Ends the handle time (talk + wrap-up) of the agent's last call and records it.
void Router::Impl::end_handle_time(std::uint32_t a) {
  AgentSlot& agent = agents_[a];
  agent.wrap_timer = 0;
  if (agent.served_queue == kNoSlot) return;
  queues_[agent.served_queue].handle_times.add(
      std::chrono::milliseconds(now_ms() - agent.answered_ms));
  agent.served_queue = kNoSlot;
}

void Router::Impl::after_call(std::uint32_t a) {
  AgentSlot& agent = agents_[a];
  ++agent.calls_handled;
  agent.talk_ms += now_ms() - agent.answered_ms;
  const auto wrap_up = wrap_up_after(agent);
  if (wrap_up.count() == 0) {
    finish_wrap_up(a);
    return;
  }
  change_state(a, AgentState::kWrapUp, {});
  agent.wrap_timer = next_generation();
  timers_.push(Timer{now_ms() + std::chrono::milliseconds(wrap_up).count(), TimerKind::kWrapUp, a,
                     agent.wrap_timer});
}

void Router::Impl::finish_wrap_up(std::uint32_t a) {
  AgentSlot& agent = agents_[a];
  end_handle_time(a);
  if (agent.pending_not_ready) {
    change_state(a, AgentState::kNotReady, *agent.pending_not_ready);
    agent.pending_not_ready.reset();
    return;
  }
  become_ready(a);
  route_agent(a);
}

// Stops every ring of `call` but `except`'s. The agents go back to ready keeping
// their place (it was not their fault), unless they asked for not ready meanwhile.
// They are returned, not routed: the caller decides what happens to the call first.
std::vector<std::uint32_t> Router::Impl::release_ringing(std::uint32_t c, std::uint32_t except) {
  CallSlot& call = calls_[c];
  std::vector<std::uint32_t> released;
  for (std::uint32_t a : call.ringing) {
    if (a == except) continue;
    AgentSlot& agent = agents_[a];
    decide(StopRinging{call.id, agent.config.id});
    agent.call = kNoSlot;
    if (agent.pending_not_ready) {
      change_state(a, AgentState::kNotReady, *agent.pending_not_ready);
      agent.pending_not_ready.reset();
    } else {
      change_state(a, AgentState::kReady, {});
      enter_ready_sets(a);  // so that the call, if it returns to its queue, rings them again
      released.push_back(a);
    }
  }
  std::erase_if(call.ringing, [&](std::uint32_t a) { return a != except; });
  return released;
}

void Router::Impl::overflow_if_nobody_logged_in(std::uint32_t q) {
  QueueSlot& queue = queues_[q];
  if (queue.logged_in > 0 || queue.config.overflow.kind == OverflowTarget::Kind::kNone) return;
  std::vector<std::uint32_t> stranded;
  for (const CallKey& key : queue.waiting) {
    const CallSlot& call = calls_[key.call];
    if (call.home != q || !call.callback_number.empty()) continue;  // waits for the next login
    bool served_elsewhere =
        std::any_of(call.in_queues.begin(), call.in_queues.end(),
                    [&](std::uint32_t other) { return queues_[other].logged_in > 0; });
    if (!served_elsewhere) stranded.push_back(key.call);
  }
  for (std::uint32_t c : stranded) overflow(c, OverflowReason::kNoAgents);
}

Status Router::Impl::log_in(AgentId id) {
  std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  AgentSlot& agent = agents_[a];
  if (agent.state != AgentState::kLoggedOut) return Status::kWrongState;
  agent.calls_handled = 0;
  agent.talk_ms = 0;
  change_state(a, AgentState::kNotReady, kReasonLogin);
  return Status::kOk;
}

Status Router::Impl::log_out(AgentId id) {
  std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  AgentSlot& agent = agents_[a];
  if (agent.state == AgentState::kLoggedOut) return Status::kOk;
  if (agent.state == AgentState::kReserved || agent.state == AgentState::kOnCall) {
    return Status::kWrongState;
  }
  end_handle_time(a);
  agent.pending_not_ready.reset();
  change_state(a, AgentState::kLoggedOut, {});
  // Callers held for this agent stop waiting for them.
  const std::vector<std::uint32_t> held = agent.held;
  for (std::uint32_t c : held) unhold(c);
  for (const Membership& m : agents_[a].queues) overflow_if_nobody_logged_in(m.queue);
  return Status::kOk;
}

Status Router::Impl::set_ready(AgentId id) {
  std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  AgentSlot& agent = agents_[a];
  switch (agent.state) {
    case AgentState::kReady: return Status::kOk;
    case AgentState::kReserved:
    case AgentState::kOnCall:
      agent.pending_not_ready.reset();  // "ready after this call" cancels a pending break
      return Status::kOk;
    case AgentState::kLoggedOut: return Status::kWrongState;
    case AgentState::kNotReady:
    case AgentState::kWrapUp: break;
  }
  end_handle_time(a);
  become_ready(a);
  route_agent(a);
  return Status::kOk;
}

Status Router::Impl::set_not_ready(AgentId id, std::string reason) {
  std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  AgentSlot& agent = agents_[a];
  switch (agent.state) {
    case AgentState::kLoggedOut: return Status::kWrongState;
    case AgentState::kReserved:
    case AgentState::kOnCall: agent.pending_not_ready = std::move(reason); return Status::kOk;
    case AgentState::kReady:
    case AgentState::kNotReady:
    case AgentState::kWrapUp: break;
  }
  end_handle_time(a);
  change_state(a, AgentState::kNotReady, reason);
  return Status::kOk;
}

}  // namespace unicc::acd
