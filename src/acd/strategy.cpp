#include "acd/strategy.h"

namespace unicc::acd {

ReadyKey ready_key(Strategy strategy, const AgentFacts& f, std::uint32_t agent) {
  ReadyKey key;
  key.tier = f.preferred ? 0 : 1;
  key.agent = agent;
  switch (strategy) {
    case Strategy::kLongestIdle:
    case Strategy::kRingAll:
      key.secondary = f.idle_since_ms;
      key.arrives_in_order = true;
      break;
    case Strategy::kRoundRobin:
      // Never-offered agents (turn 0) go first, in the fixed order.
      key.primary = f.last_turn;
      key.secondary = f.linear_rank;
      break;
    case Strategy::kFewestCalls:
      key.primary = f.calls_handled;
      key.secondary = f.idle_since_ms;
      key.arrives_in_order = true;
      break;
    case Strategy::kLeastTalkTime:
      key.primary = f.talk_ms;
      key.secondary = f.idle_since_ms;
      break;
    case Strategy::kLinear: key.primary = f.linear_rank; break;
    case Strategy::kRandom: break;
    case Strategy::kBestSkill:
      key.primary = -f.skill_score;
      key.secondary = f.idle_since_ms;
      break;
  }
  return key;
}

}  // namespace unicc::acd
