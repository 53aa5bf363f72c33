#include "report/agent_states.h"

#include <algorithm>

#include "report/rollups.h"

namespace unicc::report {

std::vector<std::pair<std::int64_t, std::int64_t>> split_by_interval(std::int64_t from, std::int64_t until) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (std::int64_t at = from; at < until;) {
    const std::int64_t start = interval_start_of(at);
    const std::int64_t end = std::min(until, start + kRollupMs);
    out.emplace_back(start, end - at);
    at = end;
  }
  return out;
}

AgentStateTracker::AgentStateTracker(std::function<void(const StateSpan&)> ended) : ended_(std::move(ended)) {}

void AgentStateTracker::on_agent(const acd::AgentView& agent) {
  const std::string reason = agent.state == "not_ready" ? agent.reason : "";
  std::lock_guard lock(mutex_);
  auto it = current_.find(agent.extension);
  if (it != current_.end()) {
    Current& now = it->second;
    // A change of something else (name, queues) is not the end of a state.
    if (now.state == agent.state && now.reason == reason) return;
    if (agent.since_ms > now.since && ended_) {
      ended_(StateSpan{agent.extension, now.state, now.reason, now.since, agent.since_ms});
    }
    current_.erase(it);
  }
  if (agent.state == "logged_out" || agent.state.empty()) return;
  current_.emplace(agent.extension, Current{agent.state, reason, agent.since_ms});
}

}  // namespace unicc::report
