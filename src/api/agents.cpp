#include "api/agents.h"

#include <nlohmann/json.hpp>

#include "http/json_fields.h"

namespace unicc::api {
namespace {

using acd::AgentStateChange;
using acd::AgentView;
using acd::QueueCallEvent;

nlohmann::json change_json(const AgentStateChange& change) {
  return {{"from", change.from}, {"to", change.to}, {"reason", change.reason}, {"at", change.at_ms},
          {"previous_ms", change.previous_ms}};
}

const AgentView* find(const std::vector<AgentView>& agents, const std::string& extension) {
  for (const auto& agent : agents) {
    if (agent.extension == extension) return &agent;
  }
  return nullptr;
}

}  // namespace

nlohmann::json agent_json(const AgentView& agent) {
  return {{"extension", agent.extension}, {"name", agent.name},         {"state", agent.state},
          {"reason", agent.reason},       {"since", agent.since_ms}, {"queues", agent.queues}};
}

void add_agent_routes(http::Router& router, ApiContext& context, AgentControl control) {
  router.add("GET", "/api/v1/agents", [&context, control](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    nlohmann::json items = nlohmann::json::array();
    for (const auto& agent : control.list()) {
      nlohmann::json item = agent_json(agent);
      nlohmann::json& skills = item["skills"] = nlohmann::json::array();
      for (const auto& [skill, level] : agent.skills) skills.push_back({{"skill", skill}, {"level", level}});
      item["groups"] = agent.groups;
      items.push_back(std::move(item));
    }
    return http::json_response(200, {{"items", items}});
  });

  router.add("POST", "/api/v1/agents/{extension}/state", [&context, control](http::Request& request) {
    auto who = require_role_or_own(request, context.sessions, {auth::Role::admin, auth::Role::supervisor},
                                   request.params.at("extension"));
    http::JsonFields fields(request.body, {"state", "reason"});
    const std::string state = fields.required_string("state", 32);
    const std::string reason = fields.optional_string("reason", 200).value_or("");
    if (state != "ready" && state != "not_ready" && state != "logged_out") {
      throw http::HttpError(400, "invalid_field", "state: must be ready, not_ready or logged_out");
    }
    const std::string& extension = request.params.at("extension");
    const std::string problem = control.set_state(extension, state, reason);
    if (problem == "unknown agent") throw http::HttpError(404, "not_found", "no agent with extension " + extension);
    if (!problem.empty()) throw http::HttpError(409, "conflict", "agent " + extension + ": " + problem);
    const auto agents = control.list();
    const AgentView* agent = find(agents, extension);
    nlohmann::json body = agent ? agent_json(*agent) : nlohmann::json::object();
    record_audit(context, who, request, "agent.state", "agent:" + extension, {{"state", state}, {"reason", reason}});
    return http::json_response(200, body);
  });

  router.add("GET", "/api/v1/agents/{extension}/states", [&context, control](http::Request& request) {
    require_role_or_own(request, context.sessions, {auth::Role::admin, auth::Role::supervisor},
                        request.params.at("extension"));
    const std::string& extension = request.params.at("extension");
    if (!find(control.list(), extension)) throw http::HttpError(404, "not_found", "no agent with extension " + extension);
    auto limit = request.query.find("limit");
    const std::int64_t count = limit == request.query.end() ? 50 : http::int_param("limit", limit->second, 1, 1000);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& change : control.history(extension, count)) items.push_back(change_json(change));
    return http::json_response(200, {{"items", items}});
  });
}

nlohmann::json agent_event(const AgentView& agent) {
  nlohmann::json event = agent_json(agent);
  event["type"] = "agent";
  return event;
}

nlohmann::json queue_call_event(const QueueCallEvent& event) {
  return {{"type", "queue_call"}, {"queue", event.queue}, {"event", event.event},         {"call", event.call},
          {"agent", event.agent}, {"waited_ms", event.waited_ms}, {"at", event.at_ms}};
}

}  // namespace unicc::api
