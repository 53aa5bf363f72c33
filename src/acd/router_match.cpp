// Who gets which call. Both entry points restore the invariant that no ready agent
// serves a queue in which a call waits, looking only at what the change touched.
#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {

// Calls became waiting in the queue: give them to its ready agents.
void Router::Impl::route_queue(std::uint32_t q) {
  QueueSlot& queue = queues_[q];
  while (!queue.waiting.empty() && queue.ready.size() > 0) {
    const std::uint32_t c = queue.waiting.first().call;
    if (routing_[q].strategy == Strategy::kRingAll) {
      offer_to_all(c, q);
    } else {
      offer(c, q, pick_agent(q));
    }
  }
}

// The agent became ready: a caller held for them first, else the best head of the
// queues they serve (queue priority, then the calls' own order). If there is none,
// the agent enters the ready sets of its queues.
void Router::Impl::route_agent(std::uint32_t a) {
  AgentSlot& agent = agents_[a];
  if (agent.state != AgentState::kReady) return;
  if (!agent.held.empty()) {
    auto best = std::min_element(agent.held.begin(), agent.held.end(), [&](auto x, auto y) {
      return calls_[x].key(x) < calls_[y].key(y);
    });
    const std::uint32_t c = *best;
    offer(c, calls_[c].home, a);
    return;
  }
  // Whether queue `q`'s first waiting call goes before `best`'s for this agent. Only
  // queues with waiting calls get here, so most queues cost a look at routing_.
  auto better_head = [&](std::uint32_t q, std::uint32_t best) {
    if (routing_[q].priority != routing_[best].priority) {
      return routing_[q].priority > routing_[best].priority;
    }
    return queues_[q].waiting.first() < queues_[best].waiting.first();
  };
  // Normally one pass; more only when other ready agents of a ring-all queue took
  // its calls.
  while (agent.state == AgentState::kReady) {
    std::uint32_t best_queue = kNoSlot;
    for (const Membership& m : agent.queues) {
      if (routing_[m.queue].waiting_calls == 0) continue;
      if (best_queue == kNoSlot || better_head(m.queue, best_queue)) best_queue = m.queue;
    }
    if (best_queue == kNoSlot) break;
    QueueSlot& queue = queues_[best_queue];
    if (routing_[best_queue].strategy == Strategy::kRingAll) {
      if (ready_epochs_[a] == 0) enter_ready_sets(a);
      route_queue(best_queue);
    } else {
      offer(queue.waiting.first().call, best_queue, a);
    }
  }
  if (agent.state == AgentState::kReady && ready_epochs_[a] == 0) enter_ready_sets(a);
}

std::uint32_t Router::Impl::pick_agent(std::uint32_t q) {
  ReadyAgents& ready = queues_[q].ready;
  if (routing_[q].strategy == Strategy::kRandom) return ready.draw(random_);
  return ready.best();
}

void Router::Impl::reserve(std::uint32_t c, std::uint32_t q, std::uint32_t a) {
  CallSlot& call = calls_[c];
  AgentSlot& agent = agents_[a];
  QueueSlot& queue = queues_[q];
  call.phase = CallPhase::kOffered;
  call.offer_queue = q;
  call.ringing.push_back(a);
  agent.call = c;
  change_state(a, AgentState::kReserved, {});
  for (Membership& m : agent.queues) {
    if (m.queue == q) m.last_turn = ++queue.turns;
  }
  if (call.callback_number.empty()) {
    decide(OfferCall{call.id, agent.config.id, queue.config.id});
  } else {
    decide(CallBack{call.id, agent.config.id, queue.config.id, call.callback_number});
  }
  event(CallEventKind::kOffered, c, q, a);
}

void Router::Impl::start_ring_timer(std::uint32_t c, std::uint32_t q) {
  CallSlot& call = calls_[c];
  call.ring_timer = next_generation();
  timers_.push(Timer{now_ms() + std::chrono::milliseconds(queues_[q].config.ring_timeout).count(),
                     TimerKind::kRing, c, call.ring_timer});
}

void Router::Impl::offer(std::uint32_t c, std::uint32_t q, std::uint32_t a) {
  detach(c);
  reserve(c, q, a);
  start_ring_timer(c, q);
}

void Router::Impl::offer_to_all(std::uint32_t c, std::uint32_t q) {
  detach(c);
  for (std::uint32_t a : queues_[q].ready.all()) reserve(c, q, a);
  start_ring_timer(c, q);
}

}  // namespace unicc::acd
