// Deadlines: last-agent holds, overflow tiers and maximum waits (one timer per call,
// for whichever comes first), ring timeouts, wrap-up ends, periodic announcements.
#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {
namespace {

std::int64_t ms(std::chrono::seconds s) { return std::chrono::milliseconds(s).count(); }

}  // namespace

bool Router::Impl::is_current(const Timer& t) const {
  switch (t.kind) {
    case TimerKind::kCall:
      return calls_[t.slot].in_use && calls_[t.slot].call_timer == t.generation;
    case TimerKind::kRing:
      return calls_[t.slot].in_use && calls_[t.slot].ring_timer == t.generation;
    case TimerKind::kWrapUp: return agents_[t.slot].wrap_timer == t.generation;
    case TimerKind::kAnnounce: return queues_[t.slot].announce_timer == t.generation;
  }
  return false;
}

std::optional<std::int64_t> Router::Impl::next_deadline_ms() {
  while (!timers_.empty() && !is_current(timers_.top())) timers_.pop();
  if (timers_.empty()) return std::nullopt;
  return timers_.top().at_ms;
}

void Router::Impl::on_timer() {
  const std::int64_t now = now_ms();
  while (!timers_.empty() && timers_.top().at_ms <= now) {
    const Timer t = timers_.top();
    timers_.pop();
    if (!is_current(t)) continue;
    switch (t.kind) {
      case TimerKind::kCall: on_call_timer(t.slot); break;
      case TimerKind::kRing: on_ring_timeout(t.slot); break;
      case TimerKind::kWrapUp: finish_wrap_up(t.slot); break;
      case TimerKind::kAnnounce: on_announce(t.slot); break;
    }
  }
}

void Router::Impl::schedule_call_timer(std::uint32_t c) {
  CallSlot& call = calls_[c];
  const QueueConfig& config = queues_[call.home].config;
  std::int64_t at = INT64_MAX;
  if (call.phase == CallPhase::kHeld) at = call.hold_until_ms;
  if (call.phase == CallPhase::kWaiting) {
    if (call.tiers_reached < config.overflow_tiers.size()) {
      at = call.joined_ms + ms(config.overflow_tiers[call.tiers_reached].after);
    }
    if (config.max_wait.count() > 0 && call.callback_number.empty()) {
      at = std::min(at, call.joined_ms + ms(config.max_wait));
    }
  }
  if (at == INT64_MAX) {
    call.call_timer = 0;
    return;
  }
  call.call_timer = next_generation();
  timers_.push(Timer{at, TimerKind::kCall, c, call.call_timer});
}

void Router::Impl::on_call_timer(std::uint32_t c) {
  CallSlot& call = calls_[c];
  if (call.phase == CallPhase::kHeld) {
    unhold(c);
    return;
  }
  const QueueConfig& config = queues_[call.home].config;
  const std::int64_t waited = now_ms() - call.joined_ms;
  if (config.max_wait.count() > 0 && call.callback_number.empty() &&
      waited >= ms(config.max_wait)) {
    overflow(c, OverflowReason::kMaxWait);
    return;
  }
  reach_tiers(c);
}

// The call also waits in each tier queue whose time has come, keeping its age.
void Router::Impl::reach_tiers(std::uint32_t c) {
  CallSlot& call = calls_[c];
  const QueueSlot& home = queues_[call.home];
  const std::int64_t waited = now_ms() - call.joined_ms;
  while (call.phase == CallPhase::kWaiting && call.tiers_reached < home.tier_queues.size() &&
         waited >= ms(home.config.overflow_tiers[call.tiers_reached].after)) {
    const std::uint32_t q = home.tier_queues[call.tiers_reached++];
    if (std::find(call.in_queues.begin(), call.in_queues.end(), q) != call.in_queues.end())
      continue;
    call.in_queues.push_back(q);
    add_waiting(q, call.key(c));
    event(CallEventKind::kQueued, c, q);
    route_queue(q);
  }
  if (call.phase == CallPhase::kWaiting) schedule_call_timer(c);
}

// Single offers put the agent not ready; ring-all offers only ring again, since
// putting every agent of the queue away would empty it.
void Router::Impl::on_ring_timeout(std::uint32_t c) {
  CallSlot& call = calls_[c];
  if (routing_[call.offer_queue].strategy == Strategy::kRingAll) {
    std::vector<std::uint32_t> released = release_ringing(c, kNoSlot);
    return_to_head(c);
    route_agents(released);
    return;
  }
  for (std::uint32_t a : call.ringing) {
    AgentSlot& agent = agents_[a];
    decide(StopRinging{call.id, agent.config.id});
    agent.call = kNoSlot;
    agent.pending_not_ready.reset();
    change_state(a, AgentState::kNotReady, kReasonNoAnswer);
  }
  call.ringing.clear();
  return_to_head(c);
}

void Router::Impl::announce(std::uint32_t c) {
  const CallSlot& call = calls_[c];
  if (!call.callback_number.empty()) return;  // the caller is not on the line
  const QueueSlot& queue = queues_[call.home];
  const std::size_t position = queue.waiting.rank(call.key(c)) + 1;
  decide(Announce{call.id, queue.config.id, position,
                  estimate_wait(position, queue.handle_times.average(), queue.working)});
}

// Starts the queue's announcement period from now, or stops it when announce_every is 0.
void Router::Impl::schedule_announcement(std::uint32_t q) {
  QueueSlot& queue = queues_[q];
  queue.announce_timer = 0;
  if (queue.config.announce_every.count() == 0) return;
  queue.announce_timer = next_generation();
  timers_.push(Timer{now_ms() + ms(queue.config.announce_every), TimerKind::kAnnounce, q,
                     queue.announce_timer});
}

void Router::Impl::on_announce(std::uint32_t q) {
  const QueueSlot& queue = queues_[q];
  const auto handle_time = queue.handle_times.average();
  std::size_t position = 0;
  for (const CallKey& key : queue.waiting) {
    ++position;
    const CallSlot& call = calls_[key.call];
    if (call.home != q || !call.callback_number.empty()) continue;
    decide(Announce{call.id, queue.config.id, position,
                    estimate_wait(position, handle_time, queue.working)});
  }
  schedule_announcement(q);
}

}  // namespace unicc::acd
