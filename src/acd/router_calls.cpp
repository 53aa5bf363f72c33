// A call's life in the router: enter a queue (or overflow, or wait for the last
// agent), wait, be offered, be answered or returned to the head, end.
#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {

void Router::Impl::event(CallEventKind kind, std::uint32_t c, std::uint32_t q, std::uint32_t a, bool busy) {
  if (!observer_ || q == kNoSlot) return;  // an agent's outbound call is no queue's
  const CallSlot& call = calls_[c];
  CallEvent e{kind,         call.id,         queues_[q].config.id,
              std::nullopt, clock_.now_ms(), now_ms() - call.arrived_ms, busy};
  if (a != kNoSlot) e.agent = agents_[a].config.id;
  observer_->on_call_event(e);
}

std::uint32_t Router::Impl::new_call(const CallRequest& request, std::uint32_t q) {
  std::uint32_t c;
  if (free_calls_.empty()) {
    c = static_cast<std::uint32_t>(calls_.size());
    calls_.emplace_back();
  } else {
    c = free_calls_.back();
    free_calls_.pop_back();
  }
  CallSlot& call = calls_[c];
  call.id = request.call;
  call.in_use = true;
  call.home = q;
  call.priority = request.priority;
  call.arrived_ms = now_ms();
  call.sequence = ++sequence_;
  if (request.last_agent) call.last_agent = find_agent(*request.last_agent);
  call_index_[request.call] = c;
  return c;
}

void Router::Impl::free_call(std::uint32_t c) {
  CallSlot& call = calls_[c];
  call_index_.erase(call.id);
  // Keep the vectors' capacity for the next call in this slot.
  std::vector<std::uint32_t> in_queues = std::move(call.in_queues),
                             ringing = std::move(call.ringing);
  in_queues.clear();
  ringing.clear();
  call = CallSlot{};
  call.in_queues = std::move(in_queues);
  call.ringing = std::move(ringing);
  free_calls_.push_back(c);
}

// The call arrives at queue `q` (new, or moved there by an overflow). Returns false
// if it overflowed onwards instead.
bool Router::Impl::enter_queue(std::uint32_t c, std::uint32_t q) {
  CallSlot& call = calls_[c];
  QueueSlot& queue = queues_[q];
  call.home = q;
  call.joined_ms = now_ms();
  call.tiers_reached = 0;
  event(CallEventKind::kQueued, c, q);
  const bool on_the_line = call.callback_number.empty();
  if (on_the_line && queue.config.max_size > 0 && queue.waiting.size() >= queue.config.max_size) {
    overflow(c, OverflowReason::kQueueFull);
    return false;
  }
  if (on_the_line && queue.logged_in == 0 && queue.config.overflow.kind != OverflowTarget::Kind::kNone) {
    overflow(c, OverflowReason::kNoAgents);
    return false;
  }
  if (queue.config.last_agent_wait.count() > 0 && call.last_agent != kNoSlot) {
    AgentSlot& last = agents_[call.last_agent];
    const bool last_serves = serves(call.last_agent, q);
    if (last_serves && last.state == AgentState::kReady) {
      offer(c, q, call.last_agent);
      return true;
    }
    if (last_serves && last.state != AgentState::kLoggedOut) {
      call.phase = CallPhase::kHeld;
      call.held_for = call.last_agent;
      call.hold_until_ms =
          now_ms() + std::chrono::milliseconds(queue.config.last_agent_wait).count();
      last.held.push_back(c);
      schedule_call_timer(c);
      return true;
    }
  }
  wait_and_route(c);
  return true;
}

// Every change to a queue's waiting set goes through these two, so that the count in
// QueueRouting, which route_agent() reads, stays in step.
void Router::Impl::add_waiting(std::uint32_t q, const CallKey& key) {
  RankedSet<CallKey>& waiting = queues_[q].waiting;
  waiting.insert(key);
  routing_[q].waiting_calls = static_cast<std::uint32_t>(waiting.size());
}

void Router::Impl::remove_waiting(std::uint32_t q, const CallKey& key) {
  RankedSet<CallKey>& waiting = queues_[q].waiting;
  waiting.erase(key);
  routing_[q].waiting_calls = static_cast<std::uint32_t>(waiting.size());
}

void Router::Impl::start_waiting(std::uint32_t c) {
  CallSlot& call = calls_[c];
  const QueueSlot& home = queues_[call.home];
  call.phase = CallPhase::kWaiting;
  call.in_queues.clear();
  call.in_queues.push_back(call.home);
  for (std::size_t i = 0; i < call.tiers_reached; ++i) {
    if (std::find(call.in_queues.begin(), call.in_queues.end(), home.tier_queues[i]) ==
        call.in_queues.end()) {
      call.in_queues.push_back(home.tier_queues[i]);
    }
  }
  const CallKey key = call.key(c);
  for (std::uint32_t q : call.in_queues) add_waiting(q, key);
  schedule_call_timer(c);
}

void Router::Impl::wait_and_route(std::uint32_t c) {
  start_waiting(c);
  const std::vector<std::uint32_t> queues = calls_[c].in_queues;
  for (std::uint32_t q : queues) route_queue(q);
  if (calls_[c].phase == CallPhase::kWaiting) announce(c);
}

void Router::Impl::stop_waiting(std::uint32_t c) {
  CallSlot& call = calls_[c];
  const CallKey key = call.key(c);
  for (std::uint32_t q : call.in_queues) remove_waiting(q, key);
  call.in_queues.clear();
  call.call_timer = 0;
}

// Takes the call out of wherever it waits, so it can be offered or leave.
void Router::Impl::detach(std::uint32_t c) {
  CallSlot& call = calls_[c];
  if (call.phase == CallPhase::kWaiting) stop_waiting(c);
  if (call.phase == CallPhase::kHeld) {
    std::erase(agents_[call.held_for].held, c);
    call.held_for = kNoSlot;
    call.call_timer = 0;
  }
}

void Router::Impl::unhold(std::uint32_t c) {
  detach(c);
  wait_and_route(c);
}

void Router::Impl::return_to_head(std::uint32_t c) {
  CallSlot& call = calls_[c];
  call.returned = true;
  call.ring_timer = 0;
  event(CallEventKind::kReturned, c, call.home);
  call.offer_queue = kNoSlot;
  wait_and_route(c);
}

void Router::Impl::overflow(std::uint32_t c, OverflowReason reason) {
  CallSlot& call = calls_[c];
  const std::uint32_t from = call.home;
  const QueueSlot& queue = queues_[from];
  detach(c);
  decide(Overflow{call.id, queue.config.id, queue.config.overflow, reason});
  event(CallEventKind::kOverflowed, c, from, kNoSlot, reason != OverflowReason::kMaxWait);
  if (queue.overflow_queue != kNoSlot) {
    call.returned = false;
    enter_queue(c, queue.overflow_queue);
  } else {
    free_call(c);
  }
}

Status Router::Impl::enqueue(const CallRequest& request, std::string callback_number) {
  std::uint32_t q = find_queue(request.queue);
  if (q == kNoSlot) return Status::kUnknownQueue;
  if (call_index_.count(request.call)) return Status::kDuplicateCall;
  const std::uint32_t c = new_call(request, q);
  calls_[c].callback_number = std::move(callback_number);
  enter_queue(c, q);
  return Status::kOk;
}

// The slots of `id` and `agent_id`, if the call is ringing that agent.
Status Router::Impl::find_ringing(CallId id, AgentId agent_id, std::uint32_t& c,
                                  std::uint32_t& a) const {
  c = find_call(id);
  a = find_agent(agent_id);
  if (c == kNoSlot) return Status::kUnknownCall;
  if (a == kNoSlot) return Status::kUnknownAgent;
  const CallSlot& call = calls_[c];
  if (call.phase != CallPhase::kOffered ||
      std::find(call.ringing.begin(), call.ringing.end(), a) == call.ringing.end()) {
    return Status::kWrongState;
  }
  return Status::kOk;
}

Status Router::Impl::answered(CallId id, AgentId agent_id) {
  std::uint32_t c, a;
  if (Status s = find_ringing(id, agent_id, c, a); s != Status::kOk) return s;
  CallSlot& call = calls_[c];
  std::vector<std::uint32_t> released = release_ringing(c, a);
  call.ringing.clear();
  call.ring_timer = 0;
  call.phase = CallPhase::kConnected;
  call.agent = a;
  AgentSlot& agent = agents_[a];
  agent.answered_ms = now_ms();
  agent.served_queue = call.offer_queue;
  change_state(a, AgentState::kOnCall, {});
  event(CallEventKind::kAnswered, c, call.offer_queue, a);
  route_agents(released);
  return Status::kOk;
}

Status Router::Impl::offer_failed(CallId id, AgentId agent_id, std::string reason) {
  std::uint32_t c, a;
  if (Status s = find_ringing(id, agent_id, c, a); s != Status::kOk) return s;
  CallSlot& call = calls_[c];
  if (call.home == kNoSlot) return Status::kWrongState;  // an outbound call has no queue to return to
  std::erase(call.ringing, a);
  agents_[a].call = kNoSlot;
  agents_[a].pending_not_ready.reset();
  change_state(a, AgentState::kNotReady, reason);
  if (call.ringing.empty()) return_to_head(c);
  return Status::kOk;
}

Status Router::Impl::end_call(CallId id) {
  std::uint32_t c = find_call(id);
  if (c == kNoSlot) return Status::kUnknownCall;
  CallSlot& call = calls_[c];
  switch (call.phase) {
    case CallPhase::kWaiting:
    case CallPhase::kHeld:
      detach(c);
      event(CallEventKind::kAbandoned, c, call.home);
      free_call(c);
      break;
    case CallPhase::kOffered: {
      std::vector<std::uint32_t> released = release_ringing(c, kNoSlot);
      event(CallEventKind::kAbandoned, c, call.offer_queue);
      free_call(c);
      route_agents(released);
      break;
    }
    case CallPhase::kConnected: {
      const std::uint32_t a = call.agent;
      event(CallEventKind::kCompleted, c, call.offer_queue, a);
      agents_[a].wrap_call = call.id;
      agents_[a].call = kNoSlot;
      free_call(c);
      after_call(a);
      break;
    }
  }
  return Status::kOk;
}

Status Router::Impl::request_callback(CallId id, std::string number) {
  std::uint32_t c = find_call(id);
  if (c == kNoSlot) return Status::kUnknownCall;
  if (number.empty()) return Status::kInvalid;
  CallSlot& call = calls_[c];
  if (call.phase != CallPhase::kWaiting && call.phase != CallPhase::kHeld) {
    return Status::kWrongState;
  }
  call.callback_number = std::move(number);
  event(CallEventKind::kCallbackRequested, c, call.home);
  schedule_call_timer(c);
  return Status::kOk;
}

}  // namespace unicc::acd
