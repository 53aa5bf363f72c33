#pragma once
// api::ApiContext and the helpers every endpoint module shares: who is signed in
// (require_login, require_role), paging, and record_audit for admin and supervisor
// actions. Stateless functions over the context's objects; callable from any HTTP
// thread because those objects are thread-safe.
#include <cstdint>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/audit.h"
#include "auth/sessions.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "http/event_hub.h"
#include "http/router.h"
#include "store/database.h"

namespace unicc::api {

struct ApiContext {
  store::Database& db;
  auth::Users& users;
  auth::Sessions& sessions;
  auth::AuditLog& audit;
  http::EventHub& hub;
  core::Metrics& metrics;
  const core::Clock& clock;
  std::int64_t started_at_ms;
};

// Records an admin or supervisor action in the audit log and shows it live to admins.
void record_audit(ApiContext& context, const auth::Principal& actor, const http::Request& request,
                  std::string action, std::string target, const nlohmann::json& detail);
// An audit entry as GET /api/v1/audit and the event stream show it.
nlohmann::json audit_json(const auth::AuditEntry& entry);

// The signed-in user of a request; throws HttpError 401 without a valid token.
auth::Principal require_login(const http::Request& request, auth::Sessions& sessions);
// As require_login, and 403 unless the user's role is one of `allowed` or the user
// answers calls on `extension` (an agent acting on their own phone).
auth::Principal require_role_or_own(const http::Request& request, auth::Sessions& sessions,
                                    std::initializer_list<auth::Role> allowed, const std::string& extension);
// As require_login, and 403 unless the user's role is one of `allowed`.
auth::Principal require_role(const http::Request& request, auth::Sessions& sessions,
                             std::initializer_list<auth::Role> allowed);

// A query parameter, "" when absent.
std::string query_param(const http::Request& request, const char* name);
// A list's ?limit= (1..1000, default 50) and ?offset= (default 0); 400 otherwise.
struct Paging {
  std::int64_t limit;
  std::int64_t offset;
};
Paging paging(const http::Request& request);

}  // namespace unicc::api
