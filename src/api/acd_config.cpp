#include "api/acd_config.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/agents.h"
#include "api/csv_import.h"
#include "core/text.h"
#include "http/json_fields.h"
#include "ivr/field_reader.h"
#include "ivr/flow.h"

namespace unicc::api {
namespace {

using acd::AgentView;
using acd::QueueView;
using acd_store::agent_from_json;
using acd_store::AgentRecord;
using acd_store::queue_from_json;
using acd_store::QueueRecord;
using acd_store::RecordError;
using acd_store::SkillLevelRecord;
using acd_store::SkillRecord;
using auth::Role;
using nlohmann::json;

constexpr const char* kPlainName = "1 to 64 letters, digits, '_', '-' or '.'";

// Names and extensions appear in URLs, flows and the logs: keep them plain.
std::string key_param(http::Request& request, const std::string& param) {
  const std::string& key = request.params[param];
  if (!ivr::valid_plain_name(key)) {
    throw http::HttpError(400, "invalid_parameter",
                          "'" + key + "' is not a valid " + param + " (" + kPlainName + ")");
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

// The agents' CSV: skills as "english:7;sales:3", groups as "vip;sales".
const std::vector<std::string> kAgentCsvColumns = {"extension", "name", "skills", "groups"};

std::string agents_csv(const std::vector<AgentRecord>& agents) {
  std::string lines = http::csv_line(kAgentCsvColumns);
  for (const auto& agent : agents) {
    std::string skills, groups;
    for (const auto& skill : agent.skills) {
      skills += (skills.empty() ? "" : ";") + skill.skill + ":" + std::to_string(skill.level);
    }
    for (const auto& group : agent.groups) groups += (groups.empty() ? "" : ";") + group;
    lines += http::csv_line({agent.extension, agent.name, skills, groups});
  }
  return lines;
}

// A record of the agents' CSV as the agent's JSON over the current record (null: a new
// agent; the columns not in the CSV keep their values), for agent_from_json to check.
json agent_import_json(const CsvUpload& upload, const http::CsvRecord& record, const AgentRecord* current,
                       ImportLine& line) {
  json object = current ? to_json(*current) : json{{"extension", line.extension}};
  if (upload.has("name")) object["name"] = upload.field(record, "name");
  if (upload.has("skills")) {
    json skills = json::array();
    core::for_each_item(upload.field(record, "skills"), ';', [&](std::string_view item) {
      if (item.empty()) return;
      const auto need = ivr::parse_skill_need(std::string(item));
      if (need) skills.push_back({{"skill", need->skill}, {"level", need->level}});
      else line.refuse("skills", "'" + std::string(item) + "' is not a skill (name or name:level 1-10)");
    });
    object["skills"] = skills;
  }
  if (upload.has("groups")) {
    json groups = json::array();
    core::for_each_item(upload.field(record, "groups"), ';', [&](std::string_view group) {
      if (!group.empty()) groups.push_back(std::string(group));
    });
    object["groups"] = groups;
  }
  return object;
}

// One record of an import: its report line, and the agent it would save.
ImportLine read_agent_record(const CsvUpload& upload, const http::CsvRecord& record, const AgentRecord* current,
                             const std::set<std::string>& skills, AgentRecord& agent) {
  ImportLine line{record.line, upload.field(record, "extension")};
  if (!ivr::valid_plain_name(line.extension)) line.refuse("extension", kPlainName);
  const json object = agent_import_json(upload, record, current, line);
  if (line.action == "refused") return line;
  try {
    agent = agent_from_json(object);
  } catch (const RecordError& error) {
    // The field's path ("skills[1].level") names the CSV column it came from.
    line.refuse(error.field().substr(0, error.field().find_first_of("[.")), error.what());
    return line;
  }
  for (const auto& skill : agent.skills) {
    if (!skills.contains(skill.skill)) line.refuse("skills", "skill '" + skill.skill + "' does not exist");
  }
  if (line.action == "refused") return line;
  if (!current) {
    line.action = "create";
    return line;
  }
  const json before = to_json(*current), after = to_json(agent);
  for (const char* field : {"name", "skills", "groups"}) {
    if (before[field] != after[field]) line.changes.push_back(field);
  }
  line.action = line.changes.empty() ? "unchanged" : "update";
  return line;
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
    // Before /agents/{extension}, which would take "export" for an extension.
    router.add("GET", "/api/v1/agents/export", [this, self](http::Request& request) {
      read(request);
      return http::csv_response(agents_csv(store.agents()), "agents.csv");
    });
    router.add("POST", "/api/v1/agents/import", [this, self](http::Request& request) { return import_agents(request); });
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

  http::Response import_agents(http::Request& request) {
    auto who = change(request);
    const CsvUpload upload(request.body, kAgentCsvColumns, {"extension"});
    std::map<std::string, AgentRecord> agents;
    for (auto& agent : store.agents()) agents[agent.extension] = agent;
    const auto skills = store.skills();
    std::set<std::string> skill_names;
    for (const auto& skill : skills) skill_names.insert(skill.name);
    std::vector<ImportLine> lines;
    std::vector<AgentRecord> writes;
    for (const auto& record : upload.records()) {
      auto found = agents.find(upload.field(record, "extension"));
      AgentRecord agent;
      lines.push_back(
          read_agent_record(upload, record, found == agents.end() ? nullptr : &found->second, skill_names, agent));
      if (lines.back().action == "create" || lines.back().action == "update") writes.push_back(std::move(agent));
    }
    refuse_repeated(lines);
    return answer_import(request, lines, [&]() -> std::optional<http::Response> {
      // Each agent is saved and carried into the ACD as one PUT would; if the ACD
      // refuses one, those saved before it are put back as they were.
      for (std::size_t i = 0; i < writes.size(); ++i) {
        AgentRecord& agent = writes[i];
        auto problems = store.save_agent(agent, [&] { return running.apply_agent(agent, skills); });
        if (problems.empty()) continue;
        for (std::size_t k = i; k-- > 0;) restore_agent(writes[k].extension, agents, skills);
        return problems_response(422, "invalid", "agent " + agent.extension + " not saved; nothing imported",
                                 problems);
      }
      for (const auto& agent : writes) {
        changed(who, request, "agent_config", "saved", "agent:" + agent.extension, to_json(agent));
      }
      record_audit(context, who, request, "agent_config.import", "agents", {{"records", writes.size()}});
      return std::nullopt;
    });
  }

  // Puts an agent back as `before` had it (removing one it did not have).
  void restore_agent(const std::string& extension, std::map<std::string, AgentRecord>& before,
                     const std::vector<SkillRecord>& skills) {
    auto found = before.find(extension);
    const auto problems =
        found == before.end()
            ? store.delete_agent(extension, [&] { return running.remove_agent(extension); })
            : store.save_agent(found->second, [&] { return running.apply_agent(found->second, skills); });
    for (const auto& problem : problems) spdlog::error("agents import: agent {} not restored: {}", extension, problem);
  }

  http::Response save_queue(http::Request& request) {
    auto who = change(request);
    const std::string name = key_param(request, "name");
    auto current = store.queue(name);
    if (request.method == "PATCH" && !current) throw http::HttpError(404, "not_found", "no queue '" + name + "'");
    const std::optional<json> current_json = current ? std::optional<json>(to_json(*current)) : std::nullopt;
    QueueRecord queue = read_record(record_body(request, "name", name, current_json), queue_from_json);
    if (!queue.calendar.empty() && !(running.calendar_exists && running.calendar_exists(queue.calendar))) {
      throw http::HttpError(400, "invalid_field", "calendar: no calendar is named '" + queue.calendar + "'");
    }
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
