#include "api/context.h"

#include <algorithm>

#include "http/json_fields.h"

namespace unicc::api {

using http::HttpError;
using http::Request;
using nlohmann::json;

nlohmann::json audit_json(const auth::AuditEntry& entry) {
  return {{"id", entry.id},         {"at", entry.at},         {"actor", entry.actor},
          {"actor_role", entry.actor_role}, {"action", entry.action}, {"target", entry.target},
          {"detail", entry.detail}, {"source", entry.source}};
}

std::string query_param(const Request& request, const char* name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

Paging paging(const Request& request) {
  const std::string limit = query_param(request, "limit"), offset = query_param(request, "offset");
  return {limit.empty() ? 50 : http::int_param("limit", limit, 1, 1000),
          offset.empty() ? 0 : http::int_param("offset", offset, 0, INT64_MAX)};
}

void record_audit(ApiContext& context, const auth::Principal& actor, const Request& request, std::string action,
                  std::string target, const json& detail) {
  auth::AuditEntry entry;
  entry.at = context.clock.now_ms();
  entry.actor_id = actor.user_id;
  entry.actor = actor.username;
  entry.actor_role = std::string(auth::role_name(actor.role));
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.detail = detail.dump();
  entry.source = request.remote_address;
  context.hub.publish({{"type", "audit"}, {"entry", audit_json(entry)}}, {auth::Role::admin});
  context.audit.record(std::move(entry));
}

auth::Principal require_login(const Request& request, auth::Sessions& sessions) {
  std::string authorization = request.header("authorization");
  if (authorization.rfind("Bearer ", 0) != 0) {
    throw HttpError(401, "unauthorized", "this request needs 'Authorization: Bearer <token>' from POST /api/v1/login");
  }
  auto who = sessions.authenticate(authorization.substr(7));
  if (!who) throw HttpError(401, "unauthorized", "the token is invalid or has expired");
  return *who;
}

namespace {

bool has_role(const auth::Principal& who, std::initializer_list<auth::Role> allowed) {
  return std::find(allowed.begin(), allowed.end(), who.role) != allowed.end();
}

[[noreturn]] void forbid(const auth::Principal& who) {
  throw HttpError(403, "forbidden", "your role (" + std::string(auth::role_name(who.role)) + ") may not do this");
}

}  // namespace

auth::Principal require_role(const Request& request, auth::Sessions& sessions,
                             std::initializer_list<auth::Role> allowed) {
  auto who = require_login(request, sessions);
  if (!has_role(who, allowed)) forbid(who);
  return who;
}

auth::Principal require_role_or_own(const Request& request, auth::Sessions& sessions,
                                    std::initializer_list<auth::Role> allowed, const std::string& extension) {
  auto who = require_login(request, sessions);
  if (!has_role(who, allowed) && (who.extension.empty() || who.extension != extension)) forbid(who);
  return who;
}

}  // namespace unicc::api
