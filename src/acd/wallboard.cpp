#include "acd/wallboard.h"

#include <ctime>

namespace unicc::acd {

std::optional<double> WallboardQueue::service_level() const {
  const std::int64_t counted = answered + abandoned_after_service_level;
  if (counted == 0) return std::nullopt;
  return static_cast<double>(answered_in_service_level) / static_cast<double>(counted);
}

std::optional<std::int64_t> WallboardQueue::asa_ms() const {
  if (answered == 0) return std::nullopt;
  return answer_wait_ms / answered;
}

std::vector<std::string> WallboardQueue::alerting(std::int64_t now_ms) const {
  std::vector<std::string> out;
  if (alerts.longest_wait_s > 0 && oldest_since_ms > 0 && now_ms - oldest_since_ms > alerts.longest_wait_s * 1000) {
    out.emplace_back("longest_wait");
  }
  if (alerts.waiting > 0 && waiting > alerts.waiting) out.emplace_back("waiting");
  const auto level = service_level();
  if (alerts.service_level_pct > 0 && level && *level * 100 < static_cast<double>(alerts.service_level_pct)) {
    out.emplace_back("service_level");
  }
  return out;
}

Wallboard::Wallboard(const core::Clock& clock) : clock_(clock), day_start_(day_start_ms(clock.now_ms())) {}

std::int64_t Wallboard::day_start_ms(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  local.tm_hour = local.tm_min = local.tm_sec = 0;
  local.tm_isdst = -1;  // midnight's own offset, which a DST change may make differ from now's
  return static_cast<std::int64_t>(std::mktime(&local)) * 1000;
}

void Wallboard::roll_day() {
  const std::int64_t today = day_start_ms(clock_.now_ms());
  if (today == day_start_) return;
  day_start_ = today;
  for (auto& [name, queue] : queues_) {
    auto& f = queue.figures;
    f.answered = f.abandoned = f.answered_in_service_level = f.abandoned_after_service_level = f.answer_wait_ms = 0;
    f.closed = 0;
    changes_.queues.insert(name);
  }
  for (const auto& [extension, count] : handled_) changes_.agents.insert(extension);
  handled_.clear();
}

void Wallboard::set_queue(const std::string& name, const QueueAlerts& alerts) {
  std::lock_guard lock(mutex_);
  auto& queue = queues_[name];
  queue.figures.name = name;
  queue.figures.alerts = alerts;
  changes_.queues.insert(name);
}

void Wallboard::remove_queue(const std::string& name) {
  std::lock_guard lock(mutex_);
  queues_.erase(name);
  changes_.queues.insert(name);
}

void Wallboard::on_queue_event(const QueueCallEvent& event) {
  std::lock_guard lock(mutex_);
  roll_day();
  auto found = queues_.find(event.queue);
  if (found == queues_.end()) return;
  Queue& queue = found->second;
  WallboardQueue& f = queue.figures;
  const std::int64_t threshold_ms = f.alerts.service_level_s * 1000;
  // Events of an earlier day (a replay at start) move no count of today's.
  const bool today = event.at_ms >= day_start_;
  if (event.event == "queued") {
    queue.waiting.emplace(event.call, event.at_ms - event.waited_ms);
  } else if (event.event == "answered") {
    queue.waiting.erase(event.call);
    if (today) {
      ++f.answered;
      f.answer_wait_ms += event.waited_ms;
      if (event.waited_ms <= threshold_ms) ++f.answered_in_service_level;
      if (!event.agent.empty()) {
        ++handled_[event.agent];
        changes_.agents.insert(event.agent);
      }
    }
  } else if (event.event == "abandoned") {
    queue.waiting.erase(event.call);
    if (today) {
      ++f.abandoned;
      if (event.waited_ms > threshold_ms) ++f.abandoned_after_service_level;
    }
  } else if (event.event == "overflowed" || event.event == "callback_requested") {
    queue.waiting.erase(event.call);
  } else if (event.event == "closed") {
    if (today) ++f.closed;
  } else {
    return;  // offered, returned, completed: the call still waits, or has been counted
  }
  changes_.queues.insert(event.queue);
}

void Wallboard::touch_queues_of(const AgentView& agent) {
  for (const auto& name : agent.queues) changes_.queues.insert(name);
}

void Wallboard::on_agent(const AgentView& agent) {
  std::lock_guard lock(mutex_);
  auto [it, added] = agents_.try_emplace(agent.extension, agent);
  if (!added) {
    touch_queues_of(it->second);  // the queues it served before
    it->second = agent;
  }
  touch_queues_of(agent);
  changes_.agents.insert(agent.extension);
}

void Wallboard::remove_agent(const std::string& extension) {
  std::lock_guard lock(mutex_);
  auto found = agents_.find(extension);
  if (found == agents_.end()) return;
  touch_queues_of(found->second);
  agents_.erase(found);
  changes_.agents.insert(extension);
}

std::vector<WallboardQueue> Wallboard::figures(const std::vector<const Queue*>& queues) const {
  std::map<std::string, WallboardQueue> out;
  for (const Queue* queue : queues) {
    WallboardQueue f = queue->figures;
    f.waiting = static_cast<std::int64_t>(queue->waiting.size());
    for (const auto& [call, since] : queue->waiting) {
      if (f.oldest_since_ms == 0 || since < f.oldest_since_ms) f.oldest_since_ms = since;
    }
    out.emplace(f.name, std::move(f));
  }
  for (const auto& [extension, agent] : agents_) {
    for (const auto& name : agent.queues) {
      auto queue = out.find(name);
      if (queue == out.end()) continue;
      WallboardQueue& f = queue->second;
      if (agent.state == "ready") ++f.ready;
      else if (agent.state == "reserved") ++f.reserved;
      else if (agent.state == "on_call") ++f.on_call;
      else if (agent.state == "wrap_up") ++f.wrap_up;
      else if (agent.state == "not_ready") {
        ++f.not_ready;
        ++f.not_ready_reasons[agent.reason];
      }
    }
  }
  std::vector<WallboardQueue> list;
  for (auto& [name, f] : out) list.push_back(std::move(f));
  return list;
}

WallboardAgent Wallboard::agent_figures(const AgentView& agent) const {
  auto handled = handled_.find(agent.extension);
  return {agent, handled == handled_.end() ? 0 : handled->second};
}

std::vector<WallboardQueue> Wallboard::queues() {
  std::lock_guard lock(mutex_);
  roll_day();
  std::vector<const Queue*> all;
  for (const auto& [name, queue] : queues_) all.push_back(&queue);
  return figures(all);
}

std::vector<WallboardQueue> Wallboard::queues(const std::set<std::string>& names) {
  std::lock_guard lock(mutex_);
  roll_day();
  std::vector<const Queue*> some;
  for (const auto& name : names) {
    auto queue = queues_.find(name);
    if (queue != queues_.end()) some.push_back(&queue->second);
  }
  return figures(some);
}

std::vector<WallboardAgent> Wallboard::agents() {
  std::lock_guard lock(mutex_);
  roll_day();
  std::vector<WallboardAgent> out;
  for (const auto& [extension, agent] : agents_) out.push_back(agent_figures(agent));
  return out;
}

std::vector<WallboardAgent> Wallboard::agents(const std::set<std::string>& extensions) {
  std::lock_guard lock(mutex_);
  roll_day();
  std::vector<WallboardAgent> out;
  for (const auto& extension : extensions) {
    auto agent = agents_.find(extension);
    if (agent != agents_.end()) out.push_back(agent_figures(agent->second));
  }
  return out;
}

WallboardChanges Wallboard::take_changes() {
  std::lock_guard lock(mutex_);
  roll_day();
  WallboardChanges out;
  std::swap(out, changes_);
  return out;
}

}  // namespace unicc::acd
