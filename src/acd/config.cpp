#include "acd/config.h"

#include <fmt/format.h>

#include <set>

namespace unicc::acd {
namespace {

bool level_in_range(int level) { return level >= kMinSkillLevel && level <= kMaxSkillLevel; }

template <typename Skill>
void check_skills(const std::vector<Skill>& skills, int Skill::*level, std::string_view what,
                  const std::string& owner, std::vector<std::string>& errors) {
  std::set<SkillId> seen;
  for (const Skill& s : skills) {
    if (!level_in_range(s.*level)) {
      errors.push_back(fmt::format("{}: skill {} has {} {}, not {}..{}", owner, s.skill, what,
                                   s.*level, kMinSkillLevel, kMaxSkillLevel));
    }
    if (!seen.insert(s.skill).second) {
      errors.push_back(fmt::format("{}: skill {} is listed twice", owner, s.skill));
    }
  }
}

void check_tiers(const QueueConfig& q, const std::string& owner, std::vector<std::string>& errors) {
  if (q.overflow_tiers.size() > kMaxOverflowTiers) {
    errors.push_back(fmt::format("{}: {} overflow tiers, at most {}", owner,
                                 q.overflow_tiers.size(), kMaxOverflowTiers));
  }
  std::chrono::seconds previous{0};
  for (std::size_t i = 0; i < q.overflow_tiers.size(); ++i) {
    const OverflowTier& tier = q.overflow_tiers[i];
    if (tier.after <= previous) {
      errors.push_back(
          fmt::format("{}: overflow tier {} starts after {} s; tiers need "
                      "increasing waits above 0 s",
                      owner, i + 1, tier.after.count()));
    }
    if (q.max_wait.count() > 0 && tier.after >= q.max_wait) {
      errors.push_back(
          fmt::format("{}: overflow tier {} starts after {} s, not before the "
                      "maximum wait of {} s",
                      owner, i + 1, tier.after.count(), q.max_wait.count()));
    }
    if (tier.queue == q.id) {
      errors.push_back(fmt::format("{}: overflow tier {} names the queue itself", owner, i + 1));
    }
    previous = tier.after;
  }
}

void check_target(const QueueConfig& q, const std::string& owner,
                  std::vector<std::string>& errors) {
  using Kind = OverflowTarget::Kind;
  const OverflowTarget& t = q.overflow;
  if (t.kind == Kind::kNone) {
    if (q.max_wait.count() > 0) {
      errors.push_back(fmt::format("{}: a maximum wait needs an overflow target", owner));
    }
    if (q.max_size > 0) {
      errors.push_back(fmt::format("{}: a maximum size needs an overflow target", owner));
    }
  } else if (t.kind == Kind::kQueue) {
    if (t.queue == q.id) errors.push_back(fmt::format("{}: overflows to itself", owner));
  } else if (t.destination.empty()) {
    errors.push_back(fmt::format("{}: the overflow target needs a destination", owner));
  }
}

}  // namespace

std::optional<Strategy> strategy_named(std::string_view name) {
  for (const auto& [known, strategy] : kStrategyNames) {
    if (known == name) return strategy;
  }
  return std::nullopt;
}

std::vector<std::string> validate(const QueueConfig& q) {
  std::vector<std::string> errors;
  const std::string owner = fmt::format("queue {} '{}'", q.id, q.name);
  if (q.name.empty()) errors.push_back(fmt::format("{}: the name is empty", owner));
  check_skills(q.skills, &SkillRequirement::min_level, "minimum level", owner, errors);
  auto negative = [&](std::chrono::seconds value, std::string_view what) {
    if (value.count() < 0) errors.push_back(fmt::format("{}: {} is negative", owner, what));
  };
  negative(q.max_wait, "the maximum wait");
  negative(q.wrap_up, "the wrap-up time");
  negative(q.announce_every, "the announcement interval");
  negative(q.last_agent_wait, "the last-agent wait");
  if (q.ring_timeout.count() <= 0)
    errors.push_back(fmt::format("{}: the ring timeout must be above 0 s", owner));
  if (q.service_level.count() <= 0)
    errors.push_back(fmt::format("{}: the service-level threshold must be above 0 s", owner));
  if (q.default_handle_time.count() <= 0)
    errors.push_back(fmt::format("{}: the default handle time must be above 0 s", owner));
  check_tiers(q, owner, errors);
  check_target(q, owner, errors);
  return errors;
}

std::vector<std::string> validate(const AgentConfig& a) {
  std::vector<std::string> errors;
  const std::string owner = fmt::format("agent {} '{}'", a.id, a.name);
  if (a.name.empty()) errors.push_back(fmt::format("{}: the name is empty", owner));
  if (a.extension.empty()) errors.push_back(fmt::format("{}: the extension is empty", owner));
  check_skills(a.skills, &SkillLevel::level, "level", owner, errors);
  return errors;
}

}  // namespace unicc::acd
