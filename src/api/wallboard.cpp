#include "api/wallboard.h"

#include <map>
#include <set>

namespace unicc::api {
namespace {

using acd::WallboardAgent;
using acd::WallboardQueue;
using nlohmann::json;

json wallboard_agent_json(const WallboardAgent& agent) {
  return {{"extension", agent.agent.extension}, {"name", agent.agent.name},   {"state", agent.agent.state},
          {"reason", agent.agent.reason},       {"since", agent.agent.since_ms}, {"queues", agent.agent.queues},
          {"handled", agent.handled}};
}

json current_call_json(const contact::ContactView& call) {
  return {{"call_id", call.session_id}, {"state", call.state},           {"caller", call.caller},
          {"caller_name", call.caller_name}, {"customer_id", call.customer_id}, {"queue", call.queue},
          {"since", call.since_ms},     {"state_since", call.state_since_ms}};
}

template <class T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

}  // namespace

json wallboard_queue_json(const WallboardQueue& queue, std::int64_t now_ms) {
  json reasons = json::object();
  for (const auto& [reason, count] : queue.not_ready_reasons) reasons[reason] = count;
  return {{"name", queue.name},
          {"waiting", queue.waiting},
          {"oldest_since", queue.oldest_since_ms == 0 ? json(nullptr) : json(queue.oldest_since_ms)},
          {"longest_wait_ms", queue.oldest_since_ms == 0 ? 0 : now_ms - queue.oldest_since_ms},
          {"answered", queue.answered},
          {"abandoned", queue.abandoned},
          {"answered_in_service_level", queue.answered_in_service_level},
          {"abandoned_after_service_level", queue.abandoned_after_service_level},
          {"closed", queue.closed},
          {"service_level", optional_json(queue.service_level())},
          {"asa_ms", optional_json(queue.asa_ms())},
          {"service_level_s", queue.alerts.service_level_s},
          {"alerts",
           {{"wait_s", queue.alerts.longest_wait_s},
            {"waiting", queue.alerts.waiting},
            {"service_level_pct", queue.alerts.service_level_pct}}},
          {"alerting", queue.alerting(now_ms)},
          {"agents",
           {{"ready", queue.ready},
            {"reserved", queue.reserved},
            {"on_call", queue.on_call},
            {"wrap_up", queue.wrap_up},
            {"not_ready", queue.not_ready},
            {"not_ready_reasons", reasons}}}};
}

namespace {

// An agent's view: the queues they serve.
json own_queues(acd::Wallboard& wallboard, const std::string& extension, std::int64_t now) {
  json queues = json::array();
  for (const auto& agent : wallboard.agents(std::set<std::string>{extension})) {
    const std::set<std::string> served(agent.agent.queues.begin(), agent.agent.queues.end());
    for (const auto& queue : wallboard.queues(served)) queues.push_back(wallboard_queue_json(queue, now));
  }
  return queues;
}

}  // namespace

void add_wallboard_routes(http::Router& router, ApiContext& context, acd::Wallboard& wallboard,
                          std::function<std::vector<contact::ContactView>()> live_calls,
                          std::function<std::string(std::int64_t customer_id)> customer_name) {
  router.add("GET", "/api/v1/wallboard", [&context, &wallboard, live_calls, customer_name](http::Request& request) {
    const auth::Principal who = require_login(request, context.sessions);
    const std::int64_t now = context.clock.now_ms();
    if (who.role != auth::Role::admin && who.role != auth::Role::supervisor) {
      if (who.role != auth::Role::agent || who.extension.empty()) {
        throw http::HttpError(403, "forbidden", "the wallboard is for supervisors, and agents' own queues");
      }
      return http::json_response(200, {{"queues", own_queues(wallboard, who.extension, now)}, {"agents", json::array()},
                                       {"at", now}});
    }
    std::map<std::string, const contact::ContactView*> call_of_agent;
    const auto calls = live_calls();
    for (const auto& call : calls) {
      if (!call.agent.empty() && call.state != "ended") call_of_agent[call.agent] = &call;
    }
    json queues = json::array(), agents = json::array();
    for (const auto& queue : wallboard.queues()) queues.push_back(wallboard_queue_json(queue, now));
    for (const auto& agent : wallboard.agents()) {
      json item = wallboard_agent_json(agent);
      auto call = call_of_agent.find(agent.agent.extension);
      item["call"] = call == call_of_agent.end() ? json(nullptr) : current_call_json(*call->second);
      if (call != call_of_agent.end() && call->second->customer_id != 0) {
        item["call"]["customer_name"] = customer_name(call->second->customer_id);
      }
      agents.push_back(std::move(item));
    }
    return http::json_response(200, {{"queues", queues}, {"agents", agents}, {"at", now}});
  });
}

WallboardFeed::WallboardFeed(http::EventHub& hub, acd::Wallboard& wallboard, const core::Clock& clock,
                             std::chrono::milliseconds interval)
    : hub_(hub), wallboard_(wallboard), clock_(clock), interval_(interval), worker_([this] { run(); }) {}

WallboardFeed::~WallboardFeed() { stop(); }

void WallboardFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void WallboardFeed::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    flush();
    lock.lock();
  }
}

void WallboardFeed::flush() {
  // One flush at a time, so figures of one queue never go out older after newer.
  std::lock_guard flushing(flushing_);
  const acd::WallboardChanges changes = wallboard_.take_changes();
  if (changes.empty()) return;
  const std::int64_t now = clock_.now_ms();
  json queues = json::array(), agents = json::array(), removed_queues = json::array(),
       removed_agents = json::array();
  std::set<std::string> kept;
  const auto changed_queues = wallboard_.queues(changes.queues);
  for (const auto& queue : changed_queues) {
    queues.push_back(wallboard_queue_json(queue, now));
    kept.insert(queue.name);
  }
  for (const auto& name : changes.queues) {
    if (!kept.count(name)) removed_queues.push_back(name);
  }
  kept.clear();
  for (const auto& agent : wallboard_.agents(changes.agents)) {
    agents.push_back(wallboard_agent_json(agent));
    kept.insert(agent.agent.extension);
  }
  for (const auto& extension : changes.agents) {
    if (!kept.count(extension)) removed_agents.push_back(extension);
  }
  hub_.publish({{"type", "wallboard"},
                {"queues", queues},
                {"agents", agents},
                {"removed_queues", removed_queues},
                {"removed_agents", removed_agents},
                {"at", now}},
               {auth::Role::admin, auth::Role::supervisor});
  if (queues.empty()) return;
  // Agents: each changed queue to those who serve it.
  std::map<std::string, std::set<std::string>> serving;
  for (const auto& agent : wallboard_.agents()) {
    for (const auto& queue : agent.agent.queues) serving[queue].insert(agent.agent.extension);
  }
  for (std::size_t i = 0; i < changed_queues.size(); ++i) {
    const auto& extensions = serving[changed_queues[i].name];
    if (extensions.empty()) continue;
    hub_.publish_to({{"type", "wallboard"}, {"queues", json::array({queues[i]})}, {"at", now}},
                    [&extensions](const auth::Principal& who) {
                      return who.role == auth::Role::agent && extensions.count(who.extension) > 0;
                    });
  }
}

}  // namespace unicc::api
