#pragma once
// report::AgentStateTracker — the agent state log as spans of time for the reports
// (docs/metrics.md, "Agent time per state"): fed every agent change the ACD reports
// (its `changed`, the wallboard's feed), it hands each state that ends — agent, state,
// not-ready reason, start and end — to `ended`, which report::Rollups turns into
// 15-minute roll-ups through the async writer. Logged-out time is not a span.
// Thread-safe: only in memory, nothing here waits for the database.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "acd/agent_view.h"

namespace unicc::report {

// One stretch of an agent in one state: [from, until), ms since the epoch. `reason` is
// the not-ready reason ("" for the other states).
struct StateSpan {
  std::string agent;
  std::string state;  // ready, reserved, on_call, wrap_up, not_ready
  std::string reason;
  std::int64_t from = 0;
  std::int64_t until = 0;
};

// [from, until) cut at the 15-minute intervals it spans (aligned to the epoch):
// (interval start, ms of the span in it), in order; empty when until <= from.
std::vector<std::pair<std::int64_t, std::int64_t>> split_by_interval(std::int64_t from, std::int64_t until);

class AgentStateTracker {
 public:
  explicit AgentStateTracker(std::function<void(const StateSpan&)> ended);

  void on_agent(const acd::AgentView& agent);

 private:
  struct Current {
    std::string state;
    std::string reason;
    std::int64_t since = 0;
  };
  const std::function<void(const StateSpan&)> ended_;
  std::mutex mutex_;
  std::map<std::string, Current> current_;  // by extension: logged-in agents
};

}  // namespace unicc::report
