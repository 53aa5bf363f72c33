#include "api/foundation.h"

#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/json_limits.h"
#include "http/json_fields.h"
#include "unicc/version.h"

namespace unicc::api {
namespace {

using auth::Role;
using http::HttpError;
using http::int_param;
using http::json_response;
using http::JsonFields;
using http::Request;
using http::Response;
using nlohmann::json;

json user_json(const auth::User& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"display_name", user.display_name},
          {"role", auth::role_name(user.role)},
          {"extension", user.extension},
          {"disabled", user.disabled},
          {"created_at", user.created_at},
          {"updated_at", user.updated_at}};
}

[[noreturn]] void rethrow_user_error(const auth::UserError& error) {
  int status = 400;
  if (error.code() == "username_taken" || error.code() == "extension_taken") status = 409;
  if (error.code() == "not_found") status = 404;
  if (error.code() == "weak_password") status = 422;
  throw HttpError(status, error.code(), error.what());
}

Role role_field(const std::string& text) {
  auto role = auth::parse_role(text);
  if (!role) throw HttpError(400, "invalid_field", "field 'role' must be one of admin, supervisor, agent, qa");
  return *role;
}

// "" and null both mean "no extension".
std::optional<std::string> extension_field(const JsonFields& fields) {
  if (fields.is_null("extension")) return "";
  return fields.optional_string("extension", 16);
}

Response login(ApiContext& context, Request& request) {
  JsonFields fields(request.body, {"username", "password"});
  std::string username = fields.required_string("username", 64);
  std::string password = fields.required_string("password", 256);
  auto result = context.sessions.login(username, password, request.remote_address);
  if (result.outcome == auth::LoginOutcome::throttled) {
    HttpError error(429, "too_many_attempts",
                    "too many failed logins; try again in " + std::to_string(result.retry_after_s) + " s");
    error.headers.emplace_back("Retry-After", std::to_string(result.retry_after_s));
    throw error;
  }
  if (result.outcome != auth::LoginOutcome::ok) {
    spdlog::warn("failed login for '{}' from {}", username, request.remote_address);
    throw HttpError(401, "invalid_credentials", "wrong user name or password");
  }
  if (result.user.role == Role::admin || result.user.role == Role::supervisor) {
    record_audit(context, {result.user.id, result.user.username, result.user.role, result.user.extension}, request, "login",
                 "user:" + std::to_string(result.user.id), json::object());
  }
  return json_response(200, {{"token", result.token}, {"expires_at", result.expires_at}, {"user", user_json(result.user)}});
}

Response create_user(ApiContext& context, Request& request) {
  auto actor = require_role(request, context.sessions, {Role::admin});
  JsonFields fields(request.body, {"username", "password", "role", "display_name", "extension"});
  std::string username = fields.required_string("username", 64);
  std::string password = fields.required_string("password", 256);
  Role role = role_field(fields.required_string("role", 32));
  std::string display_name = fields.optional_string("display_name", 200).value_or("");
  std::string extension = extension_field(fields).value_or("");
  try {
    auto user = context.users.create(username, display_name, role, extension, password);
    record_audit(context, actor, request, "user.create", "user:" + std::to_string(user.id),
                 {{"username", user.username}, {"role", auth::role_name(user.role)}, {"extension", user.extension}});
    return json_response(201, user_json(user));
  } catch (const auth::UserError& error) {
    rethrow_user_error(error);
  }
}

Response update_user(ApiContext& context, Request& request) {
  auto actor = require_role(request, context.sessions, {Role::admin});
  std::int64_t id = int_param("id", request.params["id"], 1, INT64_MAX);
  JsonFields fields(request.body, {"display_name", "role", "password", "disabled", "extension"});
  auth::UserChanges changes;
  changes.display_name = fields.optional_string("display_name", 200);
  if (auto role = fields.optional_string("role", 32)) changes.role = role_field(*role);
  changes.password = fields.optional_string("password", 256);
  changes.disabled = fields.optional_bool("disabled");
  changes.extension = extension_field(fields);
  if (id == actor.user_id && (changes.disabled.value_or(false) || (changes.role && *changes.role != Role::admin))) {
    throw HttpError(409, "cannot_demote_self", "an admin cannot disable or demote their own account");
  }
  try {
    auto user = context.users.update(id, changes);
    // The database no longer knows the user's tokens; their open streams end with them.
    if (changes.ends_sessions()) context.hub.revoke_user(id);
    json detail = json::object();
    if (changes.display_name) detail["display_name"] = *changes.display_name;
    if (changes.role) detail["role"] = auth::role_name(*changes.role);
    if (changes.password) detail["password"] = "changed";
    if (changes.disabled) detail["disabled"] = *changes.disabled;
    if (changes.extension) detail["extension"] = *changes.extension;
    record_audit(context, actor, request, "user.update", "user:" + std::to_string(id), detail);
    return json_response(200, user_json(user));
  } catch (const auth::UserError& error) {
    rethrow_user_error(error);
  }
}

Response get_user(ApiContext& context, Request& request) {
  auto who = require_login(request, context.sessions);
  std::int64_t id = int_param("id", request.params["id"], 1, INT64_MAX);
  if (id != who.user_id && who.role != Role::admin && who.role != Role::supervisor) {
    throw HttpError(403, "forbidden", "your role may not read other users");
  }
  auto user = context.users.find(id);
  if (!user) throw HttpError(404, "not_found", "no user with id " + std::to_string(id));
  return json_response(200, user_json(*user));
}

Response list_users(ApiContext& context, Request& request) {
  require_role(request, context.sessions, {Role::admin, Role::supervisor});
  auto page = paging(request);
  json items = json::array();
  for (const auto& user : context.users.list(page.limit, page.offset)) items.push_back(user_json(user));
  return json_response(200, {{"items", items}, {"total", context.users.count()}});
}

// The records whose trail a supervisor reads beside the record in the console (they
// read the records themselves); the log at large stays the admins'.
bool supervisor_reads_trail(const std::string& target) {
  for (std::string_view kind : {"user:", "agent:", "queue:", "skill:", "flow:", "extension:", "prompt:"}) {
    if (target.starts_with(kind) && target.size() > kind.size()) return true;
  }
  return false;
}

Response list_audit(ApiContext& context, Request& request) {
  auto query = [&](const char* name) { return request.query.count(name) ? request.query.at(name) : std::string(); };
  const bool one_record = supervisor_reads_trail(query("target"));
  require_role(request, context.sessions,
               one_record ? std::initializer_list<Role>{Role::admin, Role::supervisor} : std::initializer_list<Role>{Role::admin});
  auto page = paging(request);
  json items = json::array();
  for (const auto& entry : context.audit.list(page.limit, page.offset, query("action"), query("target"))) {
    items.push_back(audit_json(entry));
  }
  return json_response(200, {{"items", items}});
}

nlohmann::json health_json(ApiContext& context) {
  bool database_ok = true;
  try {
    soci::session sql(context.db.pool());
    int one = 0;
    sql << "SELECT 1", soci::into(one);
  } catch (const std::exception& error) {
    spdlog::error("health check: database unreachable: {}", error.what());
    database_ok = false;
  }
  return {{"status", database_ok ? "ok" : "degraded"},
          {"version", kVersion},
          {"database", database_ok ? "ok" : "unreachable"},
          {"uptime_s", (context.clock.now_ms() - context.started_at_ms) / 1000}};
}

Response health(ApiContext& context) {
  nlohmann::json body = health_json(context);
  return json_response(body["status"] == "ok" ? 200 : 503, body);
}

// The health page's figures: the health check, and every series /metrics has now.
Response health_details(ApiContext& context, Request& request) {
  require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
  nlohmann::json body = health_json(context);
  body["metrics"] = context.metrics.values();
  return json_response(200, body);
}

}  // namespace

void add_foundation_routes(http::Router& router, ApiContext& context) {
  auto bind = [&context](Response (*handler)(ApiContext&, Request&)) {
    return [&context, handler](Request& request) { return handler(context, request); };
  };
  router.add("GET", "/api/v1/health", [&context](Request&) { return health(context); });
  router.add("GET", "/api/v1/health/details", bind(health_details));
  router.add("GET", "/metrics", [&context](Request&) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = context.metrics.render();
    return response;
  });
  router.add("POST", "/api/v1/login", bind(login));
  router.add("POST", "/api/v1/logout", [&context](Request& request) {
    require_login(request, context.sessions);
    std::string token = request.header("authorization").substr(7);
    context.sessions.logout(token);
    context.hub.revoke_token(token);
    return Response{204, "application/json", "", {}};
  });
  router.add("GET", "/api/v1/me", [&context](Request& request) {
    auto who = require_login(request, context.sessions);
    auto user = context.users.find(who.user_id);
    if (!user) throw HttpError(401, "unauthorized", "the user no longer exists");
    return json_response(200, user_json(*user));
  });
  router.add("GET", "/api/v1/users", bind(list_users));
  router.add("POST", "/api/v1/users", bind(create_user));
  router.add("GET", "/api/v1/users/{id}", bind(get_user));
  router.add("PATCH", "/api/v1/users/{id}", bind(update_user));
  router.add("GET", "/api/v1/audit", bind(list_audit));
}

namespace {

json stream_error(const std::string& code, const std::string& why) {
  return json{{"type", "error"}, {"error", {{"code", code}, {"message", why}}}};
}

constexpr std::size_t kMaxStreamPath = 2048;

// A REST call sent over the event stream, dispatched as if it came over HTTP with
// the stream's token.
json stream_request(const http::Router& router, const http::WebSocketPeer& peer, const json& message) {
  auto method = message.find("method");
  auto target = message.find("path");
  if (method == message.end() || !method->is_string() || target == message.end() || !target->is_string()) {
    return stream_error("missing_field", "a request needs 'method' and 'path' strings");
  }
  static const std::set<std::string> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};
  const std::string& path_and_query = target->get_ref<const std::string&>();
  if (!kMethods.contains(method->get<std::string>())) {
    return stream_error("invalid_field", "method: GET, POST, PUT, PATCH or DELETE");
  }
  http::Request request;
  request.method = method->get<std::string>();
  const auto question = path_and_query.find('?');
  if (path_and_query.size() > kMaxStreamPath || !path_and_query.starts_with("/api/v1/") ||
      !http::percent_decode(path_and_query.substr(0, question), request.path)) {
    return stream_error("invalid_field", "path: a path under /api/v1/ of at most 2048 characters");
  }
  if (question != std::string::npos) request.query = http::parse_query(path_and_query.substr(question + 1));
  if (auto body = message.find("body"); body != message.end() && !body->is_null()) request.body = body->dump();
  request.headers["authorization"] = "Bearer " + peer.token;
  request.headers["content-type"] = "application/json";
  request.remote_address = peer.remote_address;
  const http::Response response = router.dispatch(request);
  json answer{{"type", "response"}, {"status", response.status}, {"body", nullptr}};
  if (response.content_type.starts_with("application/json") && !response.body.empty()) {
    answer["body"] = json::parse(response.body, nullptr, false);
  }
  return answer;
}

}  // namespace

http::WebSocketHooks websocket_hooks(ApiContext& context, const http::Router& router) {
  http::WebSocketHooks hooks;
  hooks.authenticate = [&context](const std::string& token) { return context.sessions.authenticate(token); };
  hooks.hello = [&context](const auth::Principal& who) {
    return json{{"type", "hello"},
                {"user", {{"id", who.user_id}, {"username", who.username}, {"role", auth::role_name(who.role)}}},
                {"server_time", context.clock.now_ms()}}
        .dump();
  };
  hooks.on_message = [&router](const auth::Principal&, const http::WebSocketPeer& peer, const std::string& text) {
    auto parsed = core::parse_json(text);
    if (parsed.failure == core::JsonFailure::too_deep) return stream_error("json_too_deep", parsed.message).dump();
    const json& message = parsed.value;
    if (!parsed.ok() || !message.is_object()) return stream_error("bad_json", "messages must be JSON objects").dump();
    auto type = message.find("type");
    if (type == message.end() || !type->is_string()) {
      return stream_error("missing_field", "field 'type' is required").dump();
    }
    json answer;
    if (*type == "ping") {
      answer = {{"type", "pong"}};
    } else if (*type == "request") {
      answer = stream_request(router, peer, message);
    } else {
      answer = stream_error("unknown_type", "unknown message type '" + type->get<std::string>() + "'");
    }
    if (auto id = message.find("id"); id != message.end() && (id->is_number_integer() || id->is_string())) {
      answer["id"] = *id;
    }
    return answer.dump();
  };
  return hooks;
}

}  // namespace unicc::api
