// Changing and removing queues and agents while calls run. A change is rare next to
// the decisions, so it may look at every agent (or call) of the router once; what it
// must do is leave the state as if the new configuration had always been there:
// memberships, counters and ready sets in step, and the invariant restored (no ready
// agent serves a queue in which a call waits).
#include <fmt/format.h>

#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {

std::vector<std::string> Router::Impl::update_queue(QueueConfig config) {
  std::vector<std::string> errors = validate(config);
  const std::string owner = fmt::format("queue {} '{}'", config.id, config.name);
  const std::uint32_t q = find_queue(config.id);
  if (q == kNoSlot) errors.push_back(fmt::format("{}: unknown queue", owner));
  check_overflow_queues(config, owner, errors);
  // add_queue names only queues added before, so the overflow targets cannot loop; an
  // update may name any queue. The chain was loop-free before, so a loop would have to
  // come back to this queue. (Tiers do not move the call, so they cannot loop.)
  if (q != kNoSlot && config.overflow.kind == OverflowTarget::Kind::kQueue) {
    for (std::uint32_t next = find_queue(config.overflow.queue); next != kNoSlot;
         next = queues_[next].overflow_queue) {
      if (next == q) {
        errors.push_back(fmt::format("{}: the overflow targets lead back to it", owner));
        break;
      }
    }
  }
  if (!errors.empty()) return errors;

  QueueSlot& queue = queues_[q];
  const bool announcements_changed = queue.config.announce_every != config.announce_every;
  queue.config = std::move(config);
  link(q);
  queue.handle_times.set_fallback(queue.config.default_handle_time);
  if (announcements_changed) schedule_announcement(q);
  // The strategy, skills, groups, agent order and preference all go into the ready
  // keys, so the ready set is built again as the agents rejoin.
  queue.ready = ReadyAgents(&ready_epochs_, queue.config.strategy == Strategy::kRandom);
  for (std::uint32_t a = 0; a < agents_.size(); ++a) rejoin(a, q);
  for (std::uint32_t r : refit_calls(q)) route_queue(r);
  overflow_if_nobody_logged_in(q);
  return errors;
}

std::vector<std::string> Router::Impl::update_agent(AgentConfig config) {
  std::vector<std::string> errors = validate(config);
  const std::uint32_t a = find_agent(config.id);
  if (a == kNoSlot) {
    errors.push_back(fmt::format("agent {} '{}': unknown agent", config.id, config.name));
  }
  if (!errors.empty()) return errors;

  AgentSlot& agent = agents_[a];
  agent.config = std::move(config);
  // A ready agent leaves every set under its old epoch; route_agent() below puts it
  // back into the sets of the queues it serves now (or gives it a call).
  leave_ready_sets(a);
  std::vector<std::uint32_t> served_before;
  for (const Membership& m : agent.queues) served_before.push_back(m.queue);
  for (std::uint32_t q = 0; q < queues_.size(); ++q) rejoin(a, q);
  // Callers held for this agent in a queue they no longer serve wait like the others.
  const std::vector<std::uint32_t> held = agent.held;
  for (std::uint32_t c : held) {
    if (!serves(a, calls_[c].home)) unhold(c);
  }
  route_agent(a);
  for (std::uint32_t q : served_before) overflow_if_nobody_logged_in(q);
  return errors;
}

// Refused while anything still points at the queue: a call in it (waiting, held,
// offered or connected), or another queue's tier or overflow target.
Status Router::Impl::remove_queue(QueueId id) {
  const std::uint32_t q = find_queue(id);
  if (q == kNoSlot) return Status::kUnknownQueue;
  QueueSlot& queue = queues_[q];
  const bool has_calls =
      !queue.waiting.empty() || std::any_of(calls_.begin(), calls_.end(), [&](const CallSlot& c) {
        return c.in_use && (c.home == q || c.offer_queue == q);
      });
  const bool named = std::any_of(queues_.begin(), queues_.end(), [&](const QueueSlot& other) {
    return !other.removed &&
           (other.overflow_queue == q ||
            std::find(other.tier_queues.begin(), other.tier_queues.end(), q) !=
                other.tier_queues.end());
  });
  if (has_calls || named) return Status::kWrongState;
  // Its ready set goes with it: agents forget the membership, so leave_ready_sets()
  // no longer counts them out of it.
  for (AgentSlot& agent : agents_) {
    std::erase_if(agent.queues, [&](const Membership& m) { return m.queue == q; });
  }
  queue.removed = true;
  queue.announce_timer = 0;
  queue_index_.erase(id);
  return Status::kOk;
}

// Only logged out: then the agent counts in no queue, is in no ready set and has no
// call, and log_out already let go of the callers held for them. A call that names
// them as last agent finds a slot that serves nothing.
Status Router::Impl::remove_agent(AgentId id) {
  const std::uint32_t a = find_agent(id);
  if (a == kNoSlot) return Status::kUnknownAgent;
  AgentSlot& agent = agents_[a];
  if (agent.state != AgentState::kLoggedOut) return Status::kWrongState;
  agent.queues.clear();
  agent.removed = true;
  agent_index_.erase(id);
  return Status::kOk;
}

// Works out again whether agent `a` serves queue `q`, keeping its round-robin turn
// there; the queue's counters follow. The ready entries are the caller's: the queue's
// set is new (update_queue), or the agent is out of all sets (update_agent).
void Router::Impl::rejoin(std::uint32_t a, std::uint32_t q) {
  AgentSlot& agent = agents_[a];
  std::int64_t last_turn = 0;
  auto old = std::find_if(agent.queues.begin(), agent.queues.end(),
                          [&](const Membership& m) { return m.queue == q; });
  if (old != agent.queues.end()) {
    last_turn = old->last_turn;
    QueueSlot& queue = queues_[q];
    queue.logged_in -= is_logged_in(agent.state);
    queue.working -= is_working(agent.state);
    agent.queues.erase(old);
  }
  join(a, q, last_turn);
}

// The calls whose home is `q` follow its new tiers and maximum wait. Each keeps its
// place (its key does not change) and only the tiers it had reached that are still
// due now; the rest come from its call timer, which is set again. Returns the queues
// to route: `q` and any tier queue a call has just entered.
std::vector<std::uint32_t> Router::Impl::refit_calls(std::uint32_t q) {
  const QueueSlot& home = queues_[q];
  std::vector<std::uint32_t> to_route{q};
  for (std::uint32_t c = 0; c < calls_.size(); ++c) {
    CallSlot& call = calls_[c];
    if (!call.in_use || call.home != q) continue;
    const std::int64_t waited = now_ms() - call.joined_ms;
    std::size_t due = 0;
    while (due < home.tier_queues.size() &&
           waited >= std::chrono::milliseconds(home.config.overflow_tiers[due].after).count()) {
      ++due;
    }
    call.tiers_reached = std::min(call.tiers_reached, due);
    if (call.phase != CallPhase::kWaiting) continue;  // start_waiting() will use the tiers
    const std::vector<std::uint32_t> waited_in = call.in_queues;
    stop_waiting(c);
    start_waiting(c);
    for (std::uint32_t r : call.in_queues) {
      if (std::find(waited_in.begin(), waited_in.end(), r) != waited_in.end()) continue;
      event(CallEventKind::kQueued, c, r);
      to_route.push_back(r);
    }
  }
  return to_route;
}

}  // namespace unicc::acd
