#pragma once
// http::Api — the REST endpoints under /api/v1 that the foundation owns: health,
// login/logout, the current user, users and roles, the audit log; plus /metrics
// and the WebSocket hooks. Later modules add their own routes to the same Router.
//
// Role rules: admin manages users and reads the audit log; supervisors may list
// users; every signed-in user may read /me. Admin and supervisor actions are
// written to the audit log and published to admins on the event stream.
#include <cstdint>
#include <string>

#include "auth/audit.h"
#include "auth/sessions.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "http/event_hub.h"
#include "http/router.h"
#include "http/server.h"
#include "store/database.h"

namespace unicc::http {

struct ApiContext {
  store::Database& db;
  auth::Users& users;
  auth::Sessions& sessions;
  auth::AuditLog& audit;
  EventHub& hub;
  core::Metrics& metrics;
  const core::Clock& clock;
  std::int64_t started_at_ms;
};

void add_api_routes(Router& router, ApiContext& context);
WebSocketHooks websocket_hooks(ApiContext& context);

// Records an admin or supervisor action in the audit log and shows it live to admins.
void record_audit(ApiContext& context, const auth::Principal& actor, const Request& request, std::string action,
                  std::string target, const nlohmann::json& detail);

// The signed-in user of a request; throws HttpError 401 without a valid token.
auth::Principal require_login(const Request& request, auth::Sessions& sessions);
// As require_login, and 403 unless the user's role is one of `allowed`.
auth::Principal require_role(const Request& request, auth::Sessions& sessions,
                             std::initializer_list<auth::Role> allowed);

// A query parameter, "" when absent.
std::string query_param(const Request& request, const char* name);
// A list's ?limit= (1..1000, default 50) and ?offset= (default 0); 400 otherwise.
struct Paging {
  std::int64_t limit;
  std::int64_t offset;
};
Paging paging(const Request& request);

}  // namespace unicc::http
