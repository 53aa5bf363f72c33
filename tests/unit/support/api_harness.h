#pragma once
// The foundation's API wired as in `unicc serve`, over a TestDatabase and a fake
// clock, with an admin ("root" / "root-password") and helpers to call routes.
#include <nlohmann/json.hpp>

#include "auth/audit.h"
#include "auth/login_throttle.h"
#include "auth/sessions.h"
#include "api/foundation.h"
#include "http/event_hub.h"
#include "http/router.h"
#include "store/async_writer.h"
#include "support/test_database.h"

namespace unicc::testing {

// An import's report (POST /api/v1/…/import) a line each:
// "3 refused 2002 | password: …", "2 update 2001 display_name enabled".
std::vector<std::string> import_report_lines(const nlohmann::json& report);
// The message of a refused request, after expecting its status and error code.
std::string refusal(const http::Response& response, int status, const std::string& code);

class ApiHarness {
 public:
  ApiHarness();
  ~ApiHarness();

  http::Response call(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& token = "", const std::string& remote = "127.0.0.1");
  // Logs in and returns the token (fails the test otherwise).
  std::string login(const std::string& username, const std::string& password);
  std::string admin_token() { return login("root", "root-password"); }

  TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 100, 10000, metrics};
  auth::Users users{test.db(), clock};
  auth::LoginThrottle throttle{clock, 5, 20, std::chrono::seconds(300)};
  auth::Sessions sessions{test.db(), users, throttle, clock, 3600};
  auth::AuditLog audit{writer, test.db(), clock};
  http::EventHub hub;
  api::ApiContext context{test.db(), users, sessions, audit, hub, metrics, clock, clock.now_ms()};
  http::Router router;
};

}  // namespace unicc::testing
