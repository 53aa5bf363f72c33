#include "api/acd_config.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/agents.h"
#include "http/json_fields.h"
#include "ivr/field_reader.h"

namespace unicc::api {
namespace {

using acd::AgentView;
using acd::QueueView;
using acd_store::agent_from_json;
using acd_store::AgentRecord;
using acd_store::queue_from_json;
using acd_store::QueueRecord;
using acd_store::RecordError;
using acd_store::SkillRecord;
using auth::Role;
using nlohmann::json;

// Names and extensions appear in URLs, flows and the logs: keep them plain.
std::string key_param(http::Request& request, const std::string& param) {
  const std::string& key = request.params[param];
  if (!ivr::valid_plain_name(key)) {
    throw http::HttpError(400, "invalid_parameter", "'" + key + "' is not a valid " + param +
                                                        " (1 to 64 letters, digits, '_', '-' or '.')");
  }
  return key;
}

json parse_body(const std::string& body) { return http::parse_json_object_body(body); }

// The body as the record's JSON, keyed by the URL: PUT replaces the record, PATCH
// changes the fields given in `current`.
json record_body(const http::Request& request, const char* key_field, const std::string& key,
                 const std::optional<json>& current) {
  json given = parse_body(request.body);
  if (given.contains(key_field) && given[key_field] != key) {
    throw http::HttpError(400, "invalid_field", std::string(key_field) + ": must match the URL ('" + key + "')");
  }
  json out = request.method == "PATCH" ? *current : json::object();
  out.update(given);
  out[key_field] = key;
  return out;
}

template <typename Parse>
auto read_record(const json& object, Parse parse) {
  try {
    return parse(object);
  } catch (const RecordError& error) {
    throw http::HttpError(400, "invalid_field", error.what());
  }
}

http::Response problems_response(int status, const std::string& code, const std::string& what,
                                 const std::vector<std::string>& problems) {
  std::string message = what;
  for (std::size_t i = 0; i < problems.size(); ++i) message += (i == 0 ? ": " : "; ") + problems[i];
  return http::json_response(status, {{"error", {{"code", code}, {"message", message}, {"details", problems}}}});
}

json queue_json(const QueueRecord& queue, const std::optional<QueueView>& status) {
  json out = to_json(queue);
  if (status) {
    out["status"] = {{"waiting", status->waiting},       {"logged_in", status->logged_in},
                     {"working", status->working},       {"ready", status->ready},
                     {"handle_time_ms", status->handle_time_ms}};
  }
  return out;
}

// The record with the agent's state, when the ACD has the agent.
json agent_config_json(const AgentRecord& agent, const std::vector<AgentView>& views) {
  json out = to_json(agent);
  for (const auto& view : views) {
    if (view.extension == agent.extension) out.update(agent_json(view));
  }
  return out;
}

struct AcdRoutes : std::enable_shared_from_this<AcdRoutes> {
  AcdRoutes(ApiContext& context, acd_store::AcdStore& store, RunningAcd running)
      : context(context), store(store), running(std::move(running)) {}

  ApiContext& context;
  acd_store::AcdStore& store;
  RunningAcd running;

  auth::Principal change(const http::Request& request) {
    return require_role(request, context.sessions, {Role::admin});
  }
  void read(const http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
  }

  void changed(const auth::Principal& who, const http::Request& request, const std::string& type,
               const std::string& action, const std::string& target, const json& record) {
    record_audit(context, who, request, type + "." + action, target, record);
    context.hub.publish({{"type", type}, {"action", action}, {"record", record}}, kSupervisors);
  }

  // Every handler holds the routes alive: they live as long as the router.
  void add(http::Router& router) {
    auto self = shared_from_this();
    router.add("GET", "/api/v1/skills", [this, self](http::Request& request) {
      read(request);
      json items = json::array();
      for (const auto& skill : store.skills()) items.push_back(to_json(skill));
      return http::json_response(200, {{"items", items}});
    });
    router.add("PUT", "/api/v1/skills/{name}", [this, self](http::Request& request) {
      auto who = change(request);
      SkillRecord skill{0, key_param(request, "name"), ""};
      http::JsonFields fields(request.body, {"name", "description"});
      if (fields.optional_string("name", 64).value_or(skill.name) != skill.name) {
        throw http::HttpError(400, "invalid_field", "name: must match the URL ('" + skill.name + "')");
      }
      skill.description = fields.optional_string("description", 1000).value_or("");
      store.save_skill(skill);
      changed(who, request, "skill", "saved", "skill:" + skill.name, to_json(skill));
      return http::json_response(200, to_json(skill));
    });
    router.add("DELETE", "/api/v1/skills/{name}", [this, self](http::Request& request) {
      auto who = change(request);
      const std::string name = key_param(request, "name");
      auto skills = store.skills();
      if (std::none_of(skills.begin(), skills.end(), [&](const SkillRecord& s) { return s.name == name; })) {
        throw http::HttpError(404, "not_found", "no skill '" + name + "'");
      }
      auto problems = store.delete_skill(name);
      if (!problems.empty()) return problems_response(409, "in_use", "skill '" + name + "' is in use", problems);
      changed(who, request, "skill", "deleted", "skill:" + name, {{"name", name}});
      return http::Response{204, "application/json", "", {}};
    });

    router.add("GET", "/api/v1/queues", [this, self](http::Request& request) {
      read(request);
      json items = json::array();
      for (const auto& queue : store.queues()) items.push_back(queue_json(queue, running.queue(queue.name)));
      return http::json_response(200, {{"items", items}});
    });
    router.add("GET", "/api/v1/queues/{name}", [this, self](http::Request& request) {
      read(request);
      const std::string name = key_param(request, "name");
      auto queue = store.queue(name);
      if (!queue) throw http::HttpError(404, "not_found", "no queue '" + name + "'");
      return http::json_response(200, queue_json(*queue, running.queue(name)));
    });
    for (const char* method : {"PUT", "PATCH"}) {
      router.add(method, "/api/v1/queues/{name}", [this, self](http::Request& request) { return save_queue(request); });
      router.add(method, "/api/v1/agents/{extension}", [this, self](http::Request& request) { return save_agent(request); });
    }
    router.add("DELETE", "/api/v1/queues/{name}", [this, self](http::Request& request) {
      auto who = change(request);
      const std::string name = key_param(request, "name");
      if (!store.queue(name)) throw http::HttpError(404, "not_found", "no queue '" + name + "'");
      auto problems = store.delete_queue(name, [&] { return running.remove_queue(name); });
      if (!problems.empty()) return problems_response(409, "in_use", "queue '" + name + "' cannot be deleted", problems);
      changed(who, request, "queue", "deleted", "queue:" + name, {{"name", name}});
      return http::Response{204, "application/json", "", {}};
    });

    router.add("GET", "/api/v1/agents/{extension}", [this, self](http::Request& request) {
      const std::string extension = key_param(request, "extension");
      require_role_or_own(request, context.sessions, {Role::admin, Role::supervisor}, extension);
      auto agent = store.agent(extension);
      if (!agent) throw http::HttpError(404, "not_found", "no agent with extension " + extension);
      return http::json_response(200, agent_config_json(*agent, running.agents()));
    });
    router.add("DELETE", "/api/v1/agents/{extension}", [this, self](http::Request& request) {
      auto who = change(request);
      const std::string extension = key_param(request, "extension");
      if (!store.agent(extension)) throw http::HttpError(404, "not_found", "no agent with extension " + extension);
      auto problems = store.delete_agent(extension, [&] { return running.remove_agent(extension); });
      if (!problems.empty()) {
        return problems_response(409, "in_use", "agent " + extension + " cannot be deleted", problems);
      }
      changed(who, request, "agent_config", "deleted", "agent:" + extension, {{"extension", extension}});
      return http::Response{204, "application/json", "", {}};
    });
  }

  http::Response save_queue(http::Request& request) {
    auto who = change(request);
    const std::string name = key_param(request, "name");
    auto current = store.queue(name);
    if (request.method == "PATCH" && !current) throw http::HttpError(404, "not_found", "no queue '" + name + "'");
    const std::optional<json> current_json = current ? std::optional<json>(to_json(*current)) : std::nullopt;
    QueueRecord queue = read_record(record_body(request, "name", name, current_json), queue_from_json);
    const auto skills = store.skills();
    auto problems = store.save_queue(queue, [&] { return running.apply_queue(queue, skills); });
    if (!problems.empty()) return problems_response(422, "invalid", "queue '" + name + "' not saved", problems);
    changed(who, request, "queue", "saved", "queue:" + name, to_json(queue));
    return http::json_response(current ? 200 : 201, queue_json(queue, running.queue(name)));
  }

  http::Response save_agent(http::Request& request) {
    auto who = change(request);
    const std::string extension = key_param(request, "extension");
    auto current = store.agent(extension);
    if (request.method == "PATCH" && !current) {
      throw http::HttpError(404, "not_found", "no agent with extension " + extension);
    }
    const std::optional<json> current_json = current ? std::optional<json>(to_json(*current)) : std::nullopt;
    AgentRecord agent = read_record(record_body(request, "extension", extension, current_json), agent_from_json);
    const auto skills = store.skills();
    auto problems = store.save_agent(agent, [&] { return running.apply_agent(agent, skills); });
    if (!problems.empty()) return problems_response(422, "invalid", "agent " + extension + " not saved", problems);
    changed(who, request, "agent_config", "saved", "agent:" + extension, to_json(agent));
    return http::json_response(current ? 200 : 201, agent_config_json(agent, running.agents()));
  }
};

}  // namespace

void add_acd_routes(http::Router& router, ApiContext& context, acd_store::AcdStore& store, RunningAcd running) {
  std::make_shared<AcdRoutes>(context, store, std::move(running))->add(router);
}

}  // namespace unicc::api
