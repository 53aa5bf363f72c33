#include "api/foundation.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "http/json_fields.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using http::Response;

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    for (const char* extension : {"1001", "1002", "1003"}) api.test.add_sip_account(extension);
  }

  json body(const Response& response) { return json::parse(response.body); }
  std::string error_code(const Response& response) { return body(response)["error"]["code"]; }

  std::string make_user(const std::string& name, const std::string& role, const std::string& extension = "") {
    auto response = api.call(
        "POST", "/api/v1/users",
        json{{"username", name}, {"password", name + "-password"}, {"role", role}, {"extension", extension}}.dump(),
        api.admin_token());
    EXPECT_EQ(response.status, 201) << response.body;
    return api.login(name, name + "-password");
  }

  testing::ApiHarness api;
};

TEST_F(ApiTest, HealthNeedsNoLogin) {
  auto response = api.call("GET", "/api/v1/health");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(body(response)["status"], "ok");
  EXPECT_EQ(body(response)["database"], "ok");
}

TEST_F(ApiTest, HealthDetailsCarryEveryMetricForAdminsAndSupervisors) {
  api.metrics.gauge("unicc_queue_depth_test", "A test gauge").set(7);
  auto response = api.call("GET", "/api/v1/health/details", "", api.admin_token());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body(response)["status"], "ok");
  EXPECT_EQ(body(response)["metrics"]["unicc_queue_depth_test"], 7);
  EXPECT_EQ(api.call("GET", "/api/v1/health/details").status, 401);
  api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password-1");
  EXPECT_EQ(api.call("GET", "/api/v1/health/details", "", api.login("quinn", "quinn-password-1")).status, 403);
}

TEST_F(ApiTest, LoginReturnsTokenAndUser) {
  auto response = api.call("POST", "/api/v1/login", R"({"username":"root","password":"root-password"})");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(body(response)["user"]["role"], "admin");
  EXPECT_EQ(body(response)["token"].get<std::string>().size(), 64u);
  EXPECT_EQ(body(response)["expires_at"], api.clock.now_ms() + 3600 * 1000);
  EXPECT_FALSE(body(response)["user"].contains("password_hash"));
}

TEST_F(ApiTest, LoginMistakesGetClearErrors) {
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/login", R"({"username":"root","password":"nope"})")),
            "invalid_credentials");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/login", R"({"username":"root"})")), "missing_field");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/login", R"({"username":"root","password":1})")), "invalid_field");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/login", R"({"username":"root","password":"x","otp":1})")),
            "unknown_field");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/login", "not json")), "bad_json");
}

TEST_F(ApiTest, FailedLoginsAreRateLimitedPerUserAndPerAddress) {
  for (int i = 0; i < 5; ++i) api.call("POST", "/api/v1/login", R"({"username":"root","password":"wrong"})");
  auto response = api.call("POST", "/api/v1/login", R"({"username":"root","password":"root-password"})");
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(error_code(response), "too_many_attempts");
  ASSERT_FALSE(response.headers.empty());
  EXPECT_EQ(response.headers[0].first, "Retry-After");
  // A guessing address is stopped across user names.
  for (int i = 0; i < 20; ++i) {
    api.call("POST", "/api/v1/login",
             json{{"username", "guess" + std::to_string(i)}, {"password", "x"}}.dump(), "", "203.0.113.9");
  }
  EXPECT_EQ(api.call("POST", "/api/v1/login", R"({"username":"other","password":"x"})", "", "203.0.113.9").status,
            429);
  api.clock.advance(std::chrono::seconds(301));
  EXPECT_EQ(api.call("POST", "/api/v1/login", R"({"username":"root","password":"root-password"})").status, 200);
}

TEST_F(ApiTest, EndpointsCheckTokensAndRoles) {
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/users")), "unauthorized");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/users", "", std::string(64, 'a'))), "unauthorized");
  std::string agent = make_user("ann", "agent", "1001");
  std::string supervisor = make_user("sam", "supervisor");
  std::string qa = make_user("quinn", "qa");
  EXPECT_EQ(api.call("GET", "/api/v1/users", "", agent).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/users", "", qa).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/users", "", supervisor).status, 200);
  EXPECT_EQ(api.call("POST", "/api/v1/users", R"({"username":"x1","password":"password1","role":"agent"})",
                     supervisor).status,
            403);
  EXPECT_EQ(api.call("GET", "/api/v1/audit", "", supervisor).status, 403);
  // A configuration record's trail, beside the record in the console, but nothing else.
  EXPECT_EQ(api.call("GET", "/api/v1/audit?target=queue:support", "", supervisor).status, 200);
  EXPECT_EQ(api.call("GET", "/api/v1/audit?target=customer:1", "", supervisor).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/audit?target=queue:", "", supervisor).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/audit?target=queue:support", "", agent).status, 403);
  auto me = api.call("GET", "/api/v1/me", "", agent);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(body(me)["username"], "ann");
  EXPECT_EQ(body(me)["role"], "agent");
  EXPECT_EQ(body(me)["extension"], "1001");
}

TEST_F(ApiTest, AdminManagesUsersAndEveryActionIsAudited) {
  std::string admin = api.admin_token();
  auto created = api.call("POST", "/api/v1/users",
                          R"({"username":"lin","password":"password-9","role":"agent","display_name":"林","extension":"1001"})",
                          admin,
                          "192.0.2.7");
  ASSERT_EQ(created.status, 201) << created.body;
  std::int64_t id = body(created)["id"];
  EXPECT_EQ(body(created)["display_name"], "林");
  EXPECT_EQ(body(created)["extension"], "1001");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/users",
                                R"({"username":"lin","password":"password-9","role":"agent","extension":"1002"})",
                                admin)),
            "username_taken");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/users", R"({"username":"x2","password":"password-9","role":"god"})",
                                admin)),
            "invalid_field");
  auto updated = api.call("PATCH", "/api/v1/users/" + std::to_string(id), R"({"role":"supervisor"})", admin);
  ASSERT_EQ(updated.status, 200);
  EXPECT_EQ(body(updated)["role"], "supervisor");
  EXPECT_EQ(body(updated)["extension"], "1001");
  EXPECT_EQ(error_code(api.call("PATCH", "/api/v1/users/999", R"({"role":"qa"})", admin)), "not_found");
  EXPECT_EQ(error_code(api.call("PATCH", "/api/v1/users/abc", R"({"role":"qa"})", admin)), "invalid_parameter");

  api.writer.flush();
  auto audit = api.call("GET", "/api/v1/audit?action=user.create", "", admin);
  ASSERT_EQ(audit.status, 200);
  auto items = body(audit)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["actor"], "root");
  EXPECT_EQ(items[0]["source"], "192.0.2.7");
  EXPECT_EQ(items[0]["target"], "user:" + std::to_string(id));
  EXPECT_EQ(items[0]["at"], api.clock.now_ms());
  EXPECT_EQ(json::parse(items[0]["detail"].get<std::string>())["extension"], "1001");
  auto updates = body(api.call("GET", "/api/v1/audit?action=user.update", "", admin))["items"];
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(json::parse(updates[0]["detail"].get<std::string>())["role"], "supervisor");
}

TEST_F(ApiTest, AnAdminCannotLockThemselvesOut) {
  std::string admin = api.admin_token();
  auto me = body(api.call("GET", "/api/v1/me", "", admin));
  auto response = api.call("PATCH", "/api/v1/users/" + std::to_string(me["id"].get<int>()), R"({"disabled":true})",
                           admin);
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(error_code(response), "cannot_demote_self");
}

TEST_F(ApiTest, LogoutEndsTheToken) {
  std::string admin = api.admin_token();
  EXPECT_EQ(api.call("POST", "/api/v1/logout", "", admin).status, 204);
  EXPECT_EQ(api.call("GET", "/api/v1/me", "", admin).status, 401);
}

TEST_F(ApiTest, PagingParametersAreValidated) {
  std::string admin = api.admin_token();
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/users?limit=0", "", admin)), "invalid_parameter");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/users?limit=5000", "", admin)), "invalid_parameter");
  EXPECT_EQ(body(api.call("GET", "/api/v1/users?limit=1&offset=0", "", admin))["items"].size(), 1u);
}

TEST_F(ApiTest, MetricsAreExposedAsPrometheusText) {
  auto response = api.call("GET", "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type.rfind("text/plain", 0), 0u);
  EXPECT_NE(response.body.find("unicc_store_write_queue"), std::string::npos);
}

TEST_F(ApiTest, WebSocketHooksGreetAndAnswerPing) {
  auto hooks = websocket_hooks(api.context, api.router);
  EXPECT_FALSE(hooks.authenticate("bogus"));
  const http::WebSocketPeer peer{api.admin_token(), "127.0.0.1"};
  auto who = hooks.authenticate(peer.token);
  ASSERT_TRUE(who);
  EXPECT_EQ(json::parse(hooks.hello(*who))["user"]["username"], "root");
  auto answer = [&](const std::string& text) { return json::parse(hooks.on_message(*who, peer, text)); };
  EXPECT_EQ(answer(R"({"type":"ping","id":7})"), (json{{"type", "pong"}, {"id", 7}}));
  EXPECT_EQ(answer("{")["error"]["code"], "bad_json");
  EXPECT_EQ(answer(R"({"type":"dance","id":"x"})"), (json{{"type", "error"}, {"id", "x"},
                                                          {"error", {{"code", "unknown_type"},
                                                                     {"message", "unknown message type 'dance'"}}}}));
  EXPECT_EQ(answer(std::string(100000, '['))["error"]["code"], "json_too_deep");
}

// The desktop's commands over its stream: any REST call, with the stream's token and
// its rights, answered as over HTTP.
TEST_F(ApiTest, RestCallsOverTheEventStreamAreAnsweredAsOverHttp) {
  auto hooks = websocket_hooks(api.context, api.router);
  const http::WebSocketPeer admin{api.admin_token(), "127.0.0.1"};
  const http::WebSocketPeer agent{make_user("ann", "agent", "1001"), "127.0.0.1"};
  auto answer = [&](const http::WebSocketPeer& peer, const json& message) {
    return json::parse(hooks.on_message(*hooks.authenticate(peer.token), peer, message.dump()));
  };
  json me = answer(admin, {{"type", "request"}, {"id", 3}, {"method", "GET"}, {"path", "/api/v1/me"}});
  EXPECT_EQ((std::tuple{me["type"], me["id"], me["status"], me["body"]["username"]}),
            (std::tuple{json("response"), json(3), json(200), json("root")}));
  json page = answer(admin, {{"type", "request"}, {"method", "GET"}, {"path", "/api/v1/users?limit=1"}});
  EXPECT_EQ(page["body"]["items"].size(), 1u);
  json created = answer(admin, {{"type", "request"}, {"method", "POST"}, {"path", "/api/v1/users"},
                                {"body", {{"username", "bob"}, {"password", "bob-password-1"}, {"role", "qa"}}}});
  EXPECT_EQ(created["status"], 201) << created;
  json refused = answer(agent, {{"type", "request"}, {"method", "GET"}, {"path", "/api/v1/audit"}});
  EXPECT_EQ((std::pair{refused["status"], refused["body"]["error"]["code"]}), (std::pair{json(403), json("forbidden")}));
  json bad_body = answer(admin, {{"type", "request"}, {"method", "POST"}, {"path", "/api/v1/users"}, {"body", 5}});
  EXPECT_EQ(bad_body["status"], 400);
  for (const json& wrong : {json{{"type", "request"}, {"method", "TRACE"}, {"path", "/api/v1/me"}},
                            json{{"type", "request"}, {"method", "GET"}, {"path", "/metrics"}},
                            json{{"type", "request"}, {"method", "GET"}, {"path", "/api/v1/" + std::string(3000, 'a')}}}) {
    EXPECT_EQ(answer(admin, wrong)["error"]["code"], "invalid_field") << wrong;
  }
  EXPECT_EQ(answer(admin, {{"type", "request"}, {"path", "/api/v1/me"}})["error"]["code"], "missing_field");
}

TEST_F(ApiTest, OverDeepAndOverLargeBodiesAreRefusedWithCodes) {
  std::string admin = api.admin_token();
  std::string deep = R"({"username":"x","password":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto response = api.call("POST", "/api/v1/login", deep);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "json_too_deep");
  std::string large = R"({"display_name":")" + std::string(http::kMaxJsonBodyBytes, 'a') + R"("})";
  response = api.call("PATCH", "/api/v1/users/1", large, admin);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(error_code(response), "body_too_large");
  // 64 levels are still read (and refused for what they are, not for their depth).
  std::string at_limit = R"({"username":"x","password":)" + std::string(63, '[') + std::string(63, ']') + "}";
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/login", at_limit)), "invalid_field");
}

TEST_F(ApiTest, WeakPasswordsAre422) {
  std::string admin = api.admin_token();
  auto response = api.call("POST", "/api/v1/users", R"({"username":"kim","password":"1234567890","role":"qa"})",
                           admin);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(error_code(response), "weak_password");
  auto created = api.call("POST", "/api/v1/users", R"({"username":"kim","password":"kim-is-here-7","role":"qa"})",
                          admin);
  ASSERT_EQ(created.status, 201);
  response = api.call("PATCH", "/api/v1/users/" + std::to_string(body(created)["id"].get<int>()),
                      R"({"password":"unicc-demo"})", admin);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(error_code(response), "weak_password");
}

// The server closes a stream when the hub revokes it; here the revocations are counted.
TEST_F(ApiTest, LogoutDisableAndRoleChangeRevokeOpenEventStreams) {
  std::string admin = api.admin_token();
  auto created = body(api.call("POST", "/api/v1/users",
                               R"({"username":"vic","password":"vic-password","role":"supervisor"})", admin));
  std::string path = "/api/v1/users/" + std::to_string(created["id"].get<int>());
  std::map<std::string, int> revoked;
  auto open_stream = [&](const std::string& name, const std::string& token) {
    auto who = api.sessions.authenticate(token);
    ASSERT_TRUE(who);
    api.hub.subscribe(*who, [](const http::EventHub::Text&) {}, token, [&revoked, name] { ++revoked[name]; });
  };
  std::string first = api.login("vic", "vic-password"), second = api.login("vic", "vic-password");
  open_stream("admin", admin);
  open_stream("first", first);
  open_stream("second", second);

  EXPECT_EQ(api.call("POST", "/api/v1/logout", "", first).status, 204);
  EXPECT_EQ(revoked, (std::map<std::string, int>{{"first", 1}}));
  EXPECT_EQ(api.call("PATCH", path, R"({"display_name":"Vic"})", admin).status, 200);
  EXPECT_EQ(revoked, (std::map<std::string, int>{{"first", 1}})) << "a new display name changes no rights";
  EXPECT_EQ(api.call("PATCH", path, R"({"disabled":true})", admin).status, 200);
  EXPECT_EQ(revoked, (std::map<std::string, int>{{"first", 1}, {"second", 1}}));

  EXPECT_EQ(api.call("PATCH", path, R"({"disabled":false})", admin).status, 200);
  open_stream("third", api.login("vic", "vic-password"));
  EXPECT_EQ(api.call("PATCH", path, R"({"role":"qa"})", admin).status, 200);
  EXPECT_EQ(revoked["third"], 1);
  open_stream("fourth", api.login("vic", "vic-password"));
  EXPECT_EQ(api.call("PATCH", path, R"({"extension":"1002"})", admin).status, 200);
  EXPECT_EQ(revoked["fourth"], 1) << "a desktop signs in again for its new phone";
  EXPECT_EQ(revoked.count("admin"), 0u);
}

TEST_F(ApiTest, ExtensionsFollowTheRulesWithClearErrors) {
  std::string admin = api.admin_token();
  auto create = [&](const std::string& name, const std::string& role, const json& extension) {
    json user{{"username", name}, {"password", name + "-password"}, {"role", role}};
    if (!extension.is_discarded()) user["extension"] = extension;
    return api.call("POST", "/api/v1/users", user.dump(), admin);
  };
  auto refused = [&](const Response& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(error_code(response), code) << response.body;
    return body(response)["error"]["message"].get<std::string>();
  };
  const json absent = json::value_t::discarded;
  EXPECT_NE(refused(create("ann", "agent", absent), 400, "invalid_field").find("extension"), std::string::npos);
  EXPECT_NE(refused(create("ann", "agent", ""), 400, "invalid_field").find("extension"), std::string::npos);
  EXPECT_NE(refused(create("ann", "agent", nullptr), 400, "invalid_field").find("extension"), std::string::npos);
  EXPECT_NE(refused(create("ann", "agent", "10-01"), 400, "invalid_field").find("extension"), std::string::npos);
  EXPECT_NE(refused(create("ann", "agent", 1001), 400, "invalid_field").find("extension"), std::string::npos);
  EXPECT_EQ(refused(create("ann", "agent", "4711"), 400, "invalid_field"),
            "field 'extension': there is no SIP account 4711");
  auto ann = create("ann", "agent", "1001");
  ASSERT_EQ(ann.status, 201) << ann.body;
  refused(create("bea", "agent", "1001"), 409, "extension_taken");

  auto sam = create("sam", "supervisor", absent);
  ASSERT_EQ(sam.status, 201) << sam.body;
  EXPECT_EQ(body(sam)["extension"], "");
  std::string sam_path = "/api/v1/users/" + std::to_string(body(sam)["id"].get<int>());
  refused(api.call("PATCH", sam_path, R"({"extension":"1001"})", admin), 409, "extension_taken");
  EXPECT_EQ(body(api.call("PATCH", sam_path, R"({"extension":"1002"})", admin))["extension"], "1002");
  EXPECT_EQ(body(api.call("PATCH", sam_path, R"({"extension":null})", admin))["extension"], "");
  std::string ann_path = "/api/v1/users/" + std::to_string(body(ann)["id"].get<int>());
  refused(api.call("PATCH", ann_path, R"({"extension":""})", admin), 400, "invalid_field");
  refused(api.call("PATCH", sam_path, R"({"role":"agent"})", admin), 400, "invalid_field");
  auto listed = body(api.call("GET", "/api/v1/users", "", admin))["items"];
  std::map<std::string, std::string> extensions;
  for (const auto& user : listed) extensions[user["username"]] = user["extension"];
  EXPECT_EQ(extensions, (std::map<std::string, std::string>{{"root", ""}, {"ann", "1001"}, {"sam", ""}}));
  auto login = api.call("POST", "/api/v1/login", R"({"username":"ann","password":"ann-password"})");
  EXPECT_EQ(body(login)["user"]["extension"], "1001");
}

}  // namespace
}  // namespace unicc::api
