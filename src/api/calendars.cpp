#include "api/calendars.h"

#include <nlohmann/json.hpp>

#include "api/agents.h"
#include "core/json_limits.h"
#include "http/json_fields.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

std::string calendar_name_param(http::Request& request) {
  std::string name = request.params["name"];
  if (!calendar::valid_name(name)) {
    throw http::HttpError(400, "invalid_parameter", "'" + name + "' is not a calendar name");
  }
  return name;
}

// The flows whose published versions name `name` in a schedule node ("flow 'main' v3").
std::vector<std::string> flow_users(ivr::FlowStore& flows, const std::string& name) {
  std::vector<std::string> users;
  for (const auto& flow : flows.list()) {
    for (const auto& listed : flows.versions(flow.name)) {
      auto stored = flows.version(flow.name, listed.version);
      if (!stored) continue;
      auto parsed = core::parse_json(stored->document);
      const json& nodes = parsed.value.is_object() ? parsed.value.value("nodes", json::object()) : json::object();
      if (!nodes.is_object()) continue;
      for (const auto& [id, node] : nodes.items()) {
        if (node.is_object() && node.value("type", json()) == "schedule" && node.value("calendar", json()) == name) {
          users.push_back("flow '" + flow.name + "' v" + std::to_string(listed.version) + " (node " + id + ")");
          break;
        }
      }
    }
  }
  return users;
}

}  // namespace

void add_calendar_routes(http::Router& router, ApiContext& context, calendar::CalendarStore& calendars,
                         ivr::FlowStore& flows, CalendarQueueUsers queue_users) {
  auto record = [&context](const calendar::StoredCalendar& stored) {
    json out = calendar::to_json(*stored.calendar);
    out["status"] = calendar::to_json(calendar::decide(*stored.calendar, context.clock.now_ms()));
    out["updated_at"] = stored.updated_at;
    out["updated_by"] = stored.updated_by;
    return out;
  };
  auto users = [&flows, queue_users](const std::string& name) {
    auto out = flow_users(flows, name);
    if (queue_users) {
      for (auto& queue : queue_users(name)) out.push_back(std::move(queue));
    }
    return out;
  };

  router.add("GET", "/api/v1/calendars", [&context, &calendars, record](http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    json items = json::array();
    for (const auto& [name, ignored] : *calendars.snapshot()) {
      if (auto stored = calendars.stored(name)) items.push_back(record(*stored));
    }
    return http::json_response(200, {{"items", items}});
  });

  router.add("GET", "/api/v1/calendars/{name}", [&context, &calendars, record, users](http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    const std::string name = calendar_name_param(request);
    auto stored = calendars.stored(name);
    if (!stored) throw http::HttpError(404, "not_found", "no calendar '" + name + "'");
    json out = record(*stored);
    out["used_by"] = users(name);
    return http::json_response(200, out);
  });

  router.add("PUT", "/api/v1/calendars/{name}", [&context, &calendars, record](http::Request& request) {
    const auto who = require_role(request, context.sessions, {Role::admin});
    const std::string name = calendar_name_param(request);
    json body = http::parse_json_object_body(request.body);
    if (!body.contains("name")) body["name"] = name;
    if (body["name"] != name) throw http::HttpError(400, "invalid_field", "name: must match the URL ('" + name + "')");
    calendar::Calendar parsed;
    try {
      parsed = calendar::from_json(body);
    } catch (const calendar::FieldError& error) {
      throw http::HttpError(400, "invalid_field", error.what());
    }
    auto before = calendars.stored(name);
    const bool created = calendars.save(parsed, who.username);
    // The audit entry: a new calendar's time zone, description and number of holidays;
    // for a replaced one, which of its fields changed.
    json detail = {{"time_zone", parsed.zone_name}};
    if (before) {
      const json old = calendar::to_json(*before->calendar), now = calendar::to_json(parsed);
      json fields = json::array();
      for (const char* field : {"description", "time_zone", "hours", "holidays"}) {
        if (old[field] != now[field]) fields.push_back(field);
      }
      detail["changed"] = fields;
    } else {
      detail["description"] = parsed.description;
      detail["holidays"] = parsed.holidays.size();
    }
    record_audit(context, who, request, created ? "calendar.created" : "calendar.updated", "calendar:" + name, detail);
    json out = record(*calendars.stored(name));
    context.hub.publish({{"type", "calendar"}, {"action", created ? "created" : "updated"}, {"record", out}},
                        kSupervisors);
    return http::json_response(created ? 201 : 200, out);
  });

  router.add("DELETE", "/api/v1/calendars/{name}", [&context, &calendars, users](http::Request& request) {
    const auto who = require_role(request, context.sessions, {Role::admin});
    const std::string name = calendar_name_param(request);
    if (!calendars.find(name)) throw http::HttpError(404, "not_found", "no calendar '" + name + "'");
    const auto used = users(name);
    if (!used.empty()) {
      std::string message = "calendar '" + name + "' is in use";
      for (std::size_t i = 0; i < used.size(); ++i) message += (i == 0 ? ": " : "; ") + used[i];
      return http::json_response(409, {{"error", {{"code", "in_use"}, {"message", message}, {"details", used}}}});
    }
    calendars.remove(name);
    record_audit(context, who, request, "calendar.deleted", "calendar:" + name, {{"name", name}});
    context.hub.publish({{"type", "calendar"}, {"action", "deleted"}, {"record", {{"name", name}}}}, kSupervisors);
    return http::Response{204, "application/json", "", {}};
  });
}

}  // namespace unicc::api
