// Adding queues and agents: validation against what is there, and the memberships
// (which agent serves which queue) computed once here rather than at each decision.
#include <fmt/format.h>

#include <algorithm>

#include "acd/router_impl.h"

namespace unicc::acd {
namespace {

// The sum of the agent's levels in the queue's skills, or nothing if the agent may
// not serve the queue (a skill missing or too low, or not in the queue's groups).
std::optional<std::int64_t> skill_score(const AgentConfig& agent, const QueueConfig& queue) {
  if (!queue.groups.empty()) {
    bool in_group = std::any_of(agent.groups.begin(), agent.groups.end(), [&](const auto& g) {
      return std::find(queue.groups.begin(), queue.groups.end(), g) != queue.groups.end();
    });
    if (!in_group) return std::nullopt;
  }
  std::int64_t score = 0;
  for (const SkillRequirement& need : queue.skills) {
    auto has = std::find_if(agent.skills.begin(), agent.skills.end(),
                            [&](const SkillLevel& s) { return s.skill == need.skill; });
    if (has == agent.skills.end() || has->level < need.min_level) return std::nullopt;
    score += has->level;
  }
  return score;
}

}  // namespace

std::vector<std::string> Router::Impl::add_queue(QueueConfig config) {
  std::vector<std::string> errors = validate(config);
  const std::string owner = fmt::format("queue {} '{}'", config.id, config.name);
  if (queue_index_.count(config.id)) errors.push_back(fmt::format("{}: the id is taken", owner));
  for (const OverflowTier& tier : config.overflow_tiers) {
    if (tier.queue != config.id && find_queue(tier.queue) == kNoSlot) {
      errors.push_back(fmt::format("{}: overflow tier queue {} is unknown", owner, tier.queue));
    }
  }
  if (config.overflow.kind == OverflowTarget::Kind::kQueue && config.overflow.queue != config.id &&
      find_queue(config.overflow.queue) == kNoSlot) {
    errors.push_back(fmt::format("{}: overflow queue {} is unknown", owner, config.overflow.queue));
  }
  if (!errors.empty()) return errors;

  const auto q = static_cast<std::uint32_t>(queues_.size());
  QueueSlot& queue = queues_.emplace_back(std::move(config), &ready_epochs_);
  queue_index_[queue.config.id] = q;
  for (const OverflowTier& tier : queue.config.overflow_tiers) {
    queue.tier_queues.push_back(find_queue(tier.queue));
  }
  if (queue.config.overflow.kind == OverflowTarget::Kind::kQueue) {
    queue.overflow_queue = find_queue(queue.config.overflow.queue);
  }
  for (std::size_t i = 0; i < queue.config.agent_order.size(); ++i) {
    queue.fixed_rank.emplace(queue.config.agent_order[i], static_cast<std::int64_t>(i));
  }
  for (std::uint32_t a = 0; a < agents_.size(); ++a) join(a, q);
  if (queue.config.announce_every.count() > 0) {
    timers_.push(Timer{now_ms() + std::chrono::milliseconds(queue.config.announce_every).count(),
                       TimerKind::kAnnounce, q, 0});
  }
  return errors;
}

std::vector<std::string> Router::Impl::add_agent(AgentConfig config) {
  std::vector<std::string> errors = validate(config);
  if (agent_index_.count(config.id)) {
    errors.push_back(fmt::format("agent {} '{}': the id is taken", config.id, config.name));
  }
  if (!errors.empty()) return errors;
  const auto a = static_cast<std::uint32_t>(agents_.size());
  agents_.emplace_back().config = std::move(config);
  ready_epochs_.push_back(0);
  agent_index_[agents_[a].config.id] = a;
  for (std::uint32_t q = 0; q < queues_.size(); ++q) join(a, q);
  return errors;
}

void Router::Impl::join(std::uint32_t a, std::uint32_t q) {
  AgentSlot& agent = agents_[a];
  QueueSlot& queue = queues_[q];
  std::optional<std::int64_t> score = skill_score(agent.config, queue.config);
  if (!score) return;
  Membership m;
  m.queue = q;
  m.skill_score = *score;
  auto fixed = queue.fixed_rank.find(agent.config.id);
  m.linear_rank = fixed != queue.fixed_rank.end()
                      ? fixed->second
                      : static_cast<std::int64_t>(queue.config.agent_order.size() + a);
  if (agent.state != AgentState::kLoggedOut) ++queue.logged_in;
  if (agent.state != AgentState::kLoggedOut && agent.state != AgentState::kNotReady) {
    ++queue.working;
  }
  if (agent.state == AgentState::kReady) {
    queue.ready.add(ready_key(queue.config.strategy, facts(agent, m), a), ready_epochs_[a]);
  }
  agent.queues.push_back(m);
}

}  // namespace unicc::acd
