#pragma once
// acd configuration — queues and agents as plain values, and their validation.
//
// The host fills these (from the database, later from REST) and hands them to
// Router::add_queue / add_agent. validate() checks one value on its own and returns
// every problem as a sentence naming the queue or agent; an empty list means valid.
// Checks that need the other queues (unknown overflow queue, duplicate id) are made
// by the Router when the value is added.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace unicc::acd {

// Host-chosen identifiers (database keys); the router maps them to its own slots.
using QueueId = std::uint64_t;
using AgentId = std::uint64_t;
using CallId = std::uint64_t;
using SkillId = std::uint32_t;

inline constexpr int kMinSkillLevel = 1;
inline constexpr int kMaxSkillLevel = 10;
inline constexpr std::size_t kMaxOverflowTiers = 8;

// How a queue picks among its ready agents (docs/acd.md describes each).
enum class Strategy : std::uint8_t {
  kLongestIdle,    // the agent ready for the longest time
  kRoundRobin,     // the agent this queue offered a call to least recently
  kFewestCalls,    // fewest calls answered since login, then longest idle
  kLeastTalkTime,  // least talk time since login, then longest idle
  kRingAll,        // every ready agent rings; the first to answer takes the call
  kLinear,         // a fixed order: QueueConfig::agent_order, then the order agents were added
  kRandom,         // uniformly at random
  kBestSkill,      // highest sum of levels in the queue's skills, then longest idle
};

// The strategies by the names records, the REST API and the configuration file use,
// in the order of the enum: the one list of those names.
inline constexpr std::array<std::pair<std::string_view, Strategy>, 8> kStrategyNames = {{
    {"longest_idle", Strategy::kLongestIdle},
    {"round_robin", Strategy::kRoundRobin},
    {"fewest_calls", Strategy::kFewestCalls},
    {"least_talk_time", Strategy::kLeastTalkTime},
    {"ring_all", Strategy::kRingAll},
    {"linear", Strategy::kLinear},
    {"random", Strategy::kRandom},
    {"best_skill", Strategy::kBestSkill},
}};

// The strategy of a name; nullopt for a name that is none.
std::optional<Strategy> strategy_named(std::string_view name);

struct SkillLevel {
  SkillId skill = 0;
  int level = kMinSkillLevel;  // kMinSkillLevel..kMaxSkillLevel
};

struct SkillRequirement {
  SkillId skill = 0;
  int min_level = kMinSkillLevel;
};

// After a call has waited `after` in this queue it also waits in `queue` (keeping its
// age), so that queue's agents can take it too.
struct OverflowTier {
  std::chrono::seconds after{0};
  QueueId queue = 0;
};

// Where a call goes when it leaves the queue without an agent: maximum wait reached,
// the queue is full, or no agent of the queue is logged in.
struct OverflowTarget {
  enum class Kind : std::uint8_t { kNone, kQueue, kIvrFlow, kVoicemail, kExternalNumber };
  Kind kind = Kind::kNone;
  QueueId queue = 0;        // kQueue: the router moves the call there itself
  std::string destination;  // kIvrFlow: flow name; kVoicemail: box; kExternalNumber: number
};

struct QueueConfig {
  QueueId id = 0;
  std::string name;
  std::vector<SkillRequirement> skills;  // an agent must meet all of them to serve
  std::vector<std::string> groups;       // if not empty, the agent must be in one of them
  Strategy strategy = Strategy::kLongestIdle;
  int priority = 0;  // an agent in several queues serves the higher-priority queue first
  std::chrono::seconds max_wait{0};  // 0: no limit
  std::size_t max_size = 0;          // waiting calls; 0: no limit
  std::chrono::seconds wrap_up{0};
  std::chrono::seconds ring_timeout{20};
  std::chrono::seconds service_level{20};   // answered within this counts as in service level
  std::chrono::seconds announce_every{0};   // position/EWT announcements; 0: only on entry
  std::chrono::seconds last_agent_wait{0};  // hold a returning caller for their last agent; 0: off
  std::chrono::seconds default_handle_time{180};  // for EWT until calls have been handled
  bool prefer_newly_trained = false;  // newly trained agents first, whatever the strategy
  std::string music_on_hold;
  std::vector<AgentId> agent_order;          // kLinear: these first, in this order
  std::vector<OverflowTier> overflow_tiers;  // ascending `after`
  OverflowTarget overflow;
};

struct AgentConfig {
  AgentId id = 0;
  std::string name;
  std::string extension;  // the phone the host rings
  std::vector<SkillLevel> skills;
  std::vector<std::string> groups;
  bool newly_trained = false;
};

std::vector<std::string> validate(const QueueConfig& queue);
std::vector<std::string> validate(const AgentConfig& agent);

}  // namespace unicc::acd
