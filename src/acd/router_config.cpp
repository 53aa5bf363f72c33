// Adding queues and agents: validation against what is there, and the memberships
// (which agent serves which queue) computed here, when the configuration changes,
// rather than at each decision.
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

// The queues named by the overflow tiers and target must be there (naming the queue
// itself is validate()'s error).
void Router::Impl::check_overflow_queues(const QueueConfig& config, const std::string& owner,
                                         std::vector<std::string>& errors) const {
  for (const OverflowTier& tier : config.overflow_tiers) {
    if (tier.queue != config.id && find_queue(tier.queue) == kNoSlot) {
      errors.push_back(fmt::format("{}: overflow tier queue {} is unknown", owner, tier.queue));
    }
  }
  if (config.overflow.kind == OverflowTarget::Kind::kQueue && config.overflow.queue != config.id &&
      find_queue(config.overflow.queue) == kNoSlot) {
    errors.push_back(fmt::format("{}: overflow queue {} is unknown", owner, config.overflow.queue));
  }
}

std::vector<std::string> Router::Impl::add_queue(QueueConfig config) {
  std::vector<std::string> errors = validate(config);
  const std::string owner = fmt::format("queue {} '{}'", config.id, config.name);
  if (queue_index_.count(config.id)) errors.push_back(fmt::format("{}: the id is taken", owner));
  check_overflow_queues(config, owner, errors);
  if (!errors.empty()) return errors;

  const auto q = static_cast<std::uint32_t>(queues_.size());
  queues_.emplace_back(std::move(config), &ready_epochs_);
  routing_.emplace_back();
  queue_index_[queues_[q].config.id] = q;
  link(q);
  for (std::uint32_t a = 0; a < agents_.size(); ++a) join(a, q);
  schedule_announcement(q);
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

// Resolves the ids the queue's config names (overflow queues, fixed agent order) once,
// so that decisions use slots, and copies what they read of the config to routing_.
void Router::Impl::link(std::uint32_t q) {
  QueueSlot& queue = queues_[q];
  QueueRouting& routing = routing_[q];
  routing.priority = queue.config.priority;
  routing.strategy = queue.config.strategy;
  routing.prefer_newly_trained = queue.config.prefer_newly_trained;
  queue.tier_queues.clear();
  for (const OverflowTier& tier : queue.config.overflow_tiers) {
    queue.tier_queues.push_back(find_queue(tier.queue));
  }
  queue.overflow_queue = queue.config.overflow.kind == OverflowTarget::Kind::kQueue
                             ? find_queue(queue.config.overflow.queue)
                             : kNoSlot;
  queue.fixed_rank.clear();
  for (std::size_t i = 0; i < queue.config.agent_order.size(); ++i) {
    queue.fixed_rank.emplace(queue.config.agent_order[i], static_cast<std::int64_t>(i));
  }
}

// Makes the agent a member of the queue if it may serve it. `last_turn` keeps the
// agent's round-robin place when a membership is worked out again.
void Router::Impl::join(std::uint32_t a, std::uint32_t q, std::int64_t last_turn) {
  AgentSlot& agent = agents_[a];
  QueueSlot& queue = queues_[q];
  if (agent.removed || queue.removed) return;
  std::optional<std::int64_t> score = skill_score(agent.config, queue.config);
  if (!score) return;
  Membership m;
  m.queue = q;
  m.skill_score = static_cast<std::int32_t>(*score);
  m.last_turn = last_turn;
  auto fixed = queue.fixed_rank.find(agent.config.id);
  m.linear_rank = static_cast<std::uint32_t>(
      fixed != queue.fixed_rank.end() ? fixed->second : queue.config.agent_order.size() + a);
  if (agent.state != AgentState::kLoggedOut) ++queue.logged_in;
  if (agent.state != AgentState::kLoggedOut && agent.state != AgentState::kNotReady) {
    ++queue.working;
  }
  // An agent in its other queues' ready sets belongs in this one too, under the same
  // epoch (update_agent takes the agent out of the sets before it rejoins).
  if (ready_epochs_[a] != 0) {
    queue.ready.add(ready_key(routing_[q].strategy, facts(agent, m), a), ready_epochs_[a]);
  }
  agent.queues.push_back(m);
}

bool Router::Impl::serves(std::uint32_t a, std::uint32_t q) const {
  const std::vector<Membership>& queues = agents_[a].queues;
  return std::any_of(queues.begin(), queues.end(),
                     [&](const Membership& m) { return m.queue == q; });
}

}  // namespace unicc::acd
