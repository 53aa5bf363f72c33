#include "api/flows.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/documents.h"
#include "core/json_limits.h"
#include "http/json_fields.h"
#include "ivr/check.h"
#include "ivr/field_reader.h"
#include "ivr/path_counts.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

struct FlowRoutes {
  ApiContext& context;
  ivr::FlowStore& flows;
  ivr::FlowRegistry& registry;
  const call::NumberStore* numbers = nullptr;
  const calendar::CalendarStore* calendars = nullptr;

  auth::Principal allow(const http::Request& request) {
    return require_role(request, context.sessions, {Role::admin, Role::supervisor});
  }

  static std::string name_param(http::Request& request) {
    std::string name = request.params["name"];
    if (!ivr::valid_id(name)) throw http::HttpError(400, "invalid_parameter", "'" + name + "' is not a flow name");
    return name;
  }

  static http::Response invalid(const ivr::FlowCheck& check) {
    json details = json::array();
    for (const auto& problem : check.problems) details.push_back(ivr::to_json(problem));
    return http::json_response(
        422, {{"error",
               {{"code", "invalid_flow"},
                {"message", "the flow has " + std::to_string(check.problems.size()) + " problem(s)"},
                {"details", details}}}});
  }

  // An http node makes the server send requests where the flow says; a flow that
  // has one can reach internal services, so only admins may save or publish it.
  static bool calls_out(const json& document) {
    auto nodes = document.find("nodes");
    if (!document.is_object() || nodes == document.end() || !nodes->is_object()) return false;
    for (const auto& [id, node] : nodes->items()) {
      if (node.is_object() && node.value("type", json()) == "http") return true;
    }
    return false;
  }

  static void require_admin_for_calls_out(const auth::Principal& who, const json& document) {
    if (who.role != Role::admin && calls_out(document)) {
      throw http::HttpError(403, "http_node_needs_admin",
                            "only an admin may save, publish or roll back to a flow with an http node");
    }
  }

  ivr::StoredFlow draft_of(const std::string& name) {
    auto draft = flows.draft(name);
    if (!draft) throw http::HttpError(404, "not_found", "flow '" + name + "' has no draft");
    return *draft;
  }

  // A document checked for what a draft needs: a JSON object with a valid name.
  static std::string draft_name(const json& document) {
    if (!document.is_object()) throw http::HttpError(400, "bad_json", "the body must be a flow document (a JSON object)");
    auto name = document.find("name");
    if (name == document.end() || !name->is_string() || !ivr::valid_id(name->get<std::string>())) {
      throw http::HttpError(400, "invalid_field", "field 'name' must be 1-64 letters, digits, '_' or '-'");
    }
    return name->get<std::string>();
  }

  // Another published flow already answering one of `flow`'s numbers.
  void check_dids(const ivr::Flow& flow) {
    for (const auto& did : flow.dids) {
      auto owner = registry.for_did(did);
      if (owner && owner->name != flow.name) {
        throw http::HttpError(409, "did_taken", "number " + did + " is answered by flow '" + owner->name + "'");
      }
      if (auto record = numbers ? numbers->find(did) : std::nullopt) {
        throw http::HttpError(409, "did_taken",
                              "number " + did + " is pointed at " + record->target + " (Administration › Numbers)");
      }
    }
  }

  http::Response save(http::Request& request) {
    auto who = allow(request);
    auto document = http::parse_json_body(request.body);
    std::string name = draft_name(document);
    require_admin_for_calls_out(who, document);
    auto stored = flows.save_draft(name, request.body, who.username);
    auto check = ivr::check_flow(request.body);
    json problems = json::array();
    for (const auto& problem : check.problems) problems.push_back(ivr::to_json(problem));
    json out = document_version_json(stored, false);
    out["valid"] = check.ok();
    out["problems"] = problems;
    return http::json_response(201, out);
  }

  http::Response validate(http::Request& request) {
    allow(request);
    std::string name = name_param(request);
    std::string document = request.body.empty() ? draft_of(name).document : request.body;
    auto check = ivr::check_flow(document);
    if (!check.ok()) return invalid(check);
    if (check.flow->name != name) {
      throw http::HttpError(400, "invalid_field", "the document is named '" + check.flow->name + "', not '" + name + "'");
    }
    return http::json_response(200, {{"name", name}, {"valid", true}});
  }

  http::Response publish(http::Request& request) {
    auto who = allow(request);
    std::string name = name_param(request);
    auto draft = draft_of(name);
    require_admin_for_calls_out(who, core::parse_json(draft.document).value);
    auto check = ivr::check_flow(draft.document);
    if (!check.ok()) return invalid(check);
    check.problems = ivr::check_calendars(*check.flow, draft.document, [this](const std::string& calendar) {
      return calendars && calendars->find(calendar) != nullptr;
    });
    if (!check.problems.empty()) return invalid(check);
    check_dids(*check.flow);
    ivr::StoredFlow published;
    try {
      published = flows.publish(name, who.username);
    } catch (const ivr::FlowStoreError& error) {
      throw http::HttpError(404, "not_found", error.what());  // the draft was published meanwhile
    }
    registry.refresh(name);
    record_audit(context, who, request, "flow.publish", "flow:" + name, {{"version", published.version}});
    return http::json_response(200, document_version_json(published, false));
  }

  http::Response rollback(http::Request& request) {
    auto who = allow(request);
    std::string name = name_param(request);
    std::int64_t current = flows.current_version(name);
    if (current == 0) throw http::HttpError(404, "not_found", "flow '" + name + "' has no published version");
    std::int64_t target = 0;
    if (!request.body.empty()) {
      http::JsonFields fields(request.body, {"version"});
      target = fields.optional_int("version", 1, INT64_MAX).value_or(0);
    }
    if (target == 0) {
      for (const auto& version : flows.versions(name)) {
        if (target == 0 && version.version < current) target = version.version;
      }
      if (target == 0) {
        throw http::HttpError(409, "no_earlier_version", "flow '" + name + "' has no version before " +
                                                             std::to_string(current));
      }
    }
    auto stored = flows.version(name, target);
    if (!stored) throw http::HttpError(404, "not_found", "flow '" + name + "' has no version " + std::to_string(target));
    require_admin_for_calls_out(who, core::parse_json(stored->document).value);
    auto check = ivr::check_flow(stored->document);
    if (check.ok()) check_dids(*check.flow);
    flows.set_current(name, target, who.username);
    registry.refresh(name);
    record_audit(context, who, request, "flow.rollback", "flow:" + name, {{"from", current}, {"to", target}});
    return http::json_response(200, {{"name", name}, {"current_version", target}});
  }

  http::Response list(http::Request& request) {
    allow(request);
    json items = json::array();
    for (const auto& flow : flows.list()) {
      auto current = registry.current(flow.name);
      items.push_back({{"name", flow.name},
                       {"dids", current ? json(current->dids) : json::array()},
                       {"current_version", flow.current_version},
                       {"latest_version", flow.latest_version},
                       {"has_draft", flow.has_draft}});
    }
    return http::json_response(200, {{"items", items}});
  }

  http::Response get(http::Request& request) {
    allow(request);
    return http::json_response(200, document_overview(flows, name_param(request), "flow"));
  }

  http::Response get_version(http::Request& request) {
    allow(request);
    std::string name = name_param(request);
    std::int64_t version = http::int_param("version", request.params["version"], 1, INT64_MAX);
    auto stored = flows.version(name, version);
    if (!stored) throw http::HttpError(404, "not_found", "flow '" + name + "' has no version " + std::to_string(version));
    json out = document_version_json(*stored, true);
    out["current"] = flows.current_version(name) == version;
    return http::json_response(200, out);
  }
};

}  // namespace

void add_flow_routes(http::Router& router, ApiContext& context, ivr::FlowStore& flows,
                     ivr::FlowRegistry& registry, const call::NumberStore* numbers,
                     const calendar::CalendarStore* calendars) {
  auto routes = std::make_shared<FlowRoutes>(FlowRoutes{context, flows, registry, numbers, calendars});
  auto bind = [routes](http::Response (FlowRoutes::*handler)(http::Request&)) {
    return [routes, handler](http::Request& request) { return ((*routes).*handler)(request); };
  };
  router.add("GET", "/api/v1/flows", bind(&FlowRoutes::list));
  router.add("POST", "/api/v1/flows", bind(&FlowRoutes::save));
  router.add("GET", "/api/v1/flows/{name}", bind(&FlowRoutes::get));
  router.add("GET", "/api/v1/flows/{name}/versions/{version}", bind(&FlowRoutes::get_version));
  router.add("POST", "/api/v1/flows/{name}/validate", bind(&FlowRoutes::validate));
  router.add("POST", "/api/v1/flows/{name}/publish", bind(&FlowRoutes::publish));
  router.add("POST", "/api/v1/flows/{name}/rollback", bind(&FlowRoutes::rollback));
}

void add_flow_call_routes(http::Router& router, ApiContext& context, ivr::FlowStore& flows, FlowTraces traces,
                          FlowTestCall test_call) {
  // Enough for weeks of a busy flow; beyond it the answer says it counted the newest only.
  constexpr std::int64_t kMostTraces = 200'000;
  constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
  router.add("GET", "/api/v1/flows/{name}/paths", [&context, traces](http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    const std::string name = FlowRoutes::name_param(request);
    const std::string from_text = query_param(request, "from");
    const std::string to_text = query_param(request, "to");
    const std::int64_t to = to_text.empty() ? context.clock.now_ms() + 1 : http::int_param("to", to_text, 1, INT64_MAX);
    const std::int64_t from = from_text.empty() ? to - kDayMs : http::int_param("from", from_text, 0, INT64_MAX);
    if (from >= to) throw http::HttpError(400, "invalid_parameter", "from must be before to");
    const auto found = traces(name, from, to, kMostTraces + 1);
    ivr::PathCounts counts;
    const std::size_t counted = std::min<std::size_t>(found.size(), kMostTraces);
    for (std::size_t i = 0; i < counted; ++i) counts.add(name, found[i]);
    json body = ivr::to_json(counts);
    body["flow"] = name;
    body["from"] = from;
    body["to"] = to;
    body["truncated"] = found.size() > counted;
    return http::json_response(200, body);
  });

  router.add("POST", "/api/v1/flows/{name}/test-call", [&context, &flows, test_call](http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin, Role::supervisor});
    const std::string name = FlowRoutes::name_param(request);
    http::JsonFields fields(request.body.empty() ? "{}" : request.body, {"extension"});
    const std::string extension = fields.optional_string("extension", 16).value_or(who.extension);
    if (extension.empty()) {
      throw http::HttpError(400, "invalid_field", "extension: say which phone to ring (you have no extension)");
    }
    if (extension.find_first_not_of("0123456789") != std::string::npos || extension.size() < 2) {
      throw http::HttpError(400, "invalid_field", "extension: must be 2 to 16 digits");
    }
    // The draft, or the current version while there is none.
    std::optional<ivr::StoredFlow> document = flows.draft(name);
    if (!document) {
      if (auto current = flows.current_version(name)) document = flows.version(name, current);
    }
    if (!document) throw http::HttpError(404, "not_found", "no flow '" + name + "'");
    FlowRoutes::require_admin_for_calls_out(who, core::parse_json(document->document).value);
    auto check = ivr::check_flow(document->document);
    if (!check.ok()) return FlowRoutes::invalid(check);
    std::string call_id;
    const int code = test_call(extension, check.flow, call_id);
    if (code != 0) {
      throw http::HttpError(409, "cannot_ring",
                            "extension " + extension + " cannot be rung (SIP " + std::to_string(code) + ")");
    }
    record_audit(context, who, request, "flow.test_call", "flow:" + name,
                 {{"extension", extension}, {"version", document->version}, {"call_id", call_id}});
    return http::json_response(202, {{"flow", name}, {"extension", extension}, {"call_id", call_id}});
  });
}

}  // namespace unicc::api
