#pragma once
// Internal to the acd module. How each Strategy orders a queue's ready agents.
//
// A queue keeps its ready agents by ReadyKey (ready_agents.h); the smallest key is
// the agent to offer the next call to (kRandom instead draws among the preferred tier,
// kRingAll offers to all). The key is computed when the agent becomes ready and does
// not change while it stays ready, because everything it is made of (idle time,
// counts, last turn) only changes while the agent is reserved, on a call or away.
#include <cstdint>

#include "acd/config.h"

namespace unicc::acd {

// Ordered by tier, primary, secondary, agent; laid out in 24 bytes because queues
// keep many of them.
struct ReadyKey {
  std::uint8_t tier = 0;  // 0: newly trained agent on a queue that prefers them
  // Keys of one tier and primary reach a queue in ascending order, because their
  // secondary is the time the agent became ready, and ReadyAgents should append them
  // to a run instead of sifting them into a heap (ready_agents.h says where that
  // pays). Not part of the order.
  bool arrives_in_order = false;
  std::uint32_t agent = 0;  // agent slot; makes keys unique
  std::int64_t primary = 0;
  std::int64_t secondary = 0;
  bool operator<(const ReadyKey& o) const {
    if (tier != o.tier) return tier < o.tier;
    if (primary != o.primary) return primary < o.primary;
    if (secondary != o.secondary) return secondary < o.secondary;
    return agent < o.agent;
  }
};

// What a strategy may look at, for one agent in one queue.
struct AgentFacts {
  bool preferred = false;          // newly trained, on a queue that prefers them
  std::int64_t idle_since_ms = 0;  // when the agent last became ready
  std::int64_t calls_handled = 0;  // since login
  std::int64_t talk_ms = 0;        // since login
  std::int64_t skill_score = 0;    // sum of the agent's levels in the queue's skills
  std::int64_t linear_rank = 0;    // place in the queue's fixed order
  std::int64_t last_turn = 0;      // when this queue last offered the agent a call
};

ReadyKey ready_key(Strategy strategy, const AgentFacts& facts, std::uint32_t agent);

// The order of waiting calls: returned after no answer first, then higher priority,
// then earlier arrival; `sequence` breaks ties.
struct CallKey {
  std::int64_t returned_rank = 0;  // 0 returned, 1 otherwise
  std::int64_t negative_priority = 0;
  std::int64_t arrived_ms = 0;
  std::uint64_t sequence = 0;
  std::uint32_t call = 0;  // call slot
  auto operator<=>(const CallKey&) const = default;
};

}  // namespace unicc::acd
