#include "api/flows.h"

#include <gtest/gtest.h>

#include "ivr/flow_fixture.h"
#include "ivr/executor.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;
using ivr::testing::action;
using ivr::testing::texts;

// A flow whose greeting says which version of the document it is.
std::string flow_text(const std::string& greeting, const std::string& did = "4000") {
  return R"({
  "name": "main",
  "dids": [")" + did + R"("],
  "start": "hi",
  "nodes": {
    "hi": {"type": "play", "prompt": {"text": ")" + greeting + R"("}, "next": "bye"},
    "bye": {"type": "hangup"}
  }
})";
}

class FlowApiTest : public ::testing::Test {
 protected:
  FlowApiTest() { add_flow_routes(api.router, api.context, store, registry); }

  json body(const http::Response& response) { return json::parse(response.body); }
  http::Response post(const std::string& path, const std::string& text = "") {
    return api.call("POST", path, text, admin);
  }
  http::Response get(const std::string& path) { return api.call("GET", path, "", admin); }
  void publish(const std::string& text) {
    ASSERT_EQ(post("/api/v1/flows", text).status, 201);
    auto published = post("/api/v1/flows/main/publish");
    ASSERT_EQ(published.status, 200) << published.body;
  }
  std::string greeting_now() {
    auto flow = registry.current("main");
    return flow ? std::get<ivr::PlayNode>(flow->node("hi").body).prompt[0].text : "";
  }

  unicc::testing::ApiHarness api;
  ivr::FlowStore store{api.test.db(), api.clock};
  ivr::FlowRegistry registry{store};
  std::string admin = api.admin_token();
};

TEST_F(FlowApiTest, SavingADraftReportsItsProblemsButKeepsIt) {
  auto saved = post("/api/v1/flows", flow_text("Hello"));
  ASSERT_EQ(saved.status, 201) << saved.body;
  EXPECT_EQ(body(saved)["name"], "main");
  EXPECT_EQ(body(saved)["status"], "draft");
  EXPECT_EQ(body(saved)["created_by"], "root");
  EXPECT_EQ(body(saved)["valid"], true);

  auto broken = post("/api/v1/flows", R"({"name": "main", "start": "hi", "nodes": {"hi": {"type": "play"}}})");
  ASSERT_EQ(broken.status, 201);
  EXPECT_EQ(body(broken)["valid"], false);
  EXPECT_EQ(body(broken)["problems"][0]["node"], "hi");
  EXPECT_EQ(post("/api/v1/flows", "[1]").status, 400);
  EXPECT_EQ(body(post("/api/v1/flows", R"({"name": "no spaces"})"))["error"]["code"], "invalid_field");
}

TEST_F(FlowApiTest, ValidationErrorsAre422WithEveryProblem) {
  post("/api/v1/flows", "{\"name\": \"main\",\n \"start\": \"hi\",\n \"nodes\": {\n"
                        "  \"hi\": {\"type\": \"play\", \"next\": \"gone\"}\n }}");
  auto response = post("/api/v1/flows/main/validate");
  ASSERT_EQ(response.status, 422);
  json error = body(response)["error"];
  EXPECT_EQ(error["code"], "invalid_flow");
  EXPECT_EQ(error["message"], "the flow has 2 problem(s)");
  ASSERT_EQ(error["details"].size(), 2u);
  for (const auto& detail : error["details"]) {
    EXPECT_EQ(detail["node"], "hi");
    EXPECT_EQ(detail["line"], 4);
  }
  EXPECT_EQ(error["details"][0]["field"], "prompt");
  EXPECT_EQ(error["details"][1]["field"], "next");
  EXPECT_EQ(error["details"][1]["message"], "no node 'gone'");
  EXPECT_EQ(post("/api/v1/flows/main/publish").status, 422) << "an invalid draft is not published";
  EXPECT_EQ(store.current_version("main"), 0);

  auto body_check = post("/api/v1/flows/main/validate", flow_text("Fixed"));
  EXPECT_EQ(body_check.status, 200) << "a document in the body is validated instead of the draft";
  EXPECT_EQ(body(body_check)["valid"], true);
  EXPECT_EQ(post("/api/v1/flows/other/validate").status, 404);
}

TEST_F(FlowApiTest, PublishingANewVersionLeavesRunningCallsOnTheirVersion) {
  publish(flow_text("Version one"));
  EXPECT_EQ(greeting_now(), "Version one");
  core::FakeClock clock;
  ivr::Executor running(registry.current("main"), clock);
  auto actions = running.start("1001", "4000");
  EXPECT_EQ(texts(action<ivr::PlayPrompts>(actions, 0)), std::vector<std::string>{"Version one"});

  publish(flow_text("Version two"));
  EXPECT_EQ(registry.current("main")->version, 2);
  EXPECT_EQ(greeting_now(), "Version two") << "new calls get version 2 at once";
  EXPECT_EQ(running.flow().version, 1);
  action<ivr::Hangup>(running.handle(ivr::PromptFinished{running.turn()}), 0);
  EXPECT_EQ(running.trace().version, 1);

  api.writer.flush();
  auto audit = body(get("/api/v1/audit?action=flow.publish"))["items"];
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0]["target"], "flow:main");
  EXPECT_EQ(json::parse(audit[0]["detail"].get<std::string>())["version"], 2);
}

TEST_F(FlowApiTest, RollbackGoesToThePreviousOrAGivenVersion) {
  EXPECT_EQ(post("/api/v1/flows/main/rollback").status, 404);
  publish(flow_text("one"));
  EXPECT_EQ(body(post("/api/v1/flows/main/rollback"))["error"]["code"], "no_earlier_version");
  publish(flow_text("two"));
  publish(flow_text("three"));

  auto back = post("/api/v1/flows/main/rollback");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(body(back)["current_version"], 2);
  EXPECT_EQ(greeting_now(), "two");
  EXPECT_EQ(body(post("/api/v1/flows/main/rollback"))["current_version"], 1);
  EXPECT_EQ(greeting_now(), "one");
  EXPECT_EQ(body(post("/api/v1/flows/main/rollback", R"({"version": 3})"))["current_version"], 3);
  EXPECT_EQ(greeting_now(), "three");
  EXPECT_EQ(post("/api/v1/flows/main/rollback", R"({"version": 9})").status, 404);
  EXPECT_EQ(post("/api/v1/flows/main/rollback", R"({"version": "x"})").status, 400);

  api.writer.flush();
  auto audit = body(get("/api/v1/audit?action=flow.rollback"))["items"];
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(json::parse(audit[0]["detail"].get<std::string>()), (json{{"from", 1}, {"to", 3}}));
}

TEST_F(FlowApiTest, ListAndGetByNameAndVersion) {
  publish(flow_text("one"));
  post("/api/v1/flows", flow_text("draft"));
  auto list = body(get("/api/v1/flows"))["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], (json{{"name", "main"},
                           {"dids", {"4000"}},
                           {"current_version", 1},
                           {"latest_version", 1},
                           {"has_draft", true}}));

  auto flow = body(get("/api/v1/flows/main"));
  EXPECT_EQ(flow["current_version"], 1);
  EXPECT_EQ(flow["document"]["nodes"]["hi"]["prompt"]["text"], "one");
  EXPECT_EQ(flow["draft"]["document"]["nodes"]["hi"]["prompt"]["text"], "draft");
  // The text as saved, so a client keeps the author's key order (the parsed document's keys come sorted).
  EXPECT_EQ(flow["draft"]["text"], flow_text("draft"));
  ASSERT_EQ(flow["versions"].size(), 1u);
  EXPECT_EQ(flow["versions"][0]["version"], 1);

  auto version = body(get("/api/v1/flows/main/versions/1"));
  EXPECT_EQ(version["version"], 1);
  EXPECT_EQ(version["current"], true);
  EXPECT_EQ(version["document"]["name"], "main");
  EXPECT_EQ(version["text"], flow_text("one"));
  EXPECT_EQ(get("/api/v1/flows/main/versions/2").status, 404);
  EXPECT_EQ(get("/api/v1/flows/nothing").status, 404);
  EXPECT_EQ(get("/api/v1/flows/main/versions/x").status, 400);
}

TEST_F(FlowApiTest, ANumberBelongsToOneFlow) {
  publish(flow_text("one", "4000"));
  post("/api/v1/flows", R"({"name": "other", "dids": ["4000"], "start": "x", "nodes": {"x": {"type": "hangup"}}})");
  auto response = post("/api/v1/flows/other/publish");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(body(response)["error"]["code"], "did_taken");
}

TEST_F(FlowApiTest, OnlyAdminsAndSupervisorsManageFlows) {
  auto make_user = [&](const std::string& name, const std::string& role, const std::string& extension) {
    api.call("POST", "/api/v1/users",
             json{{"username", name}, {"password", name + "-password"}, {"role", role}, {"extension", extension}}.dump(),
             admin);
    return api.login(name, name + "-password");
  };
  api.test.add_sip_account("1001");
  std::string agent = make_user("ann", "agent", "1001");
  std::string supervisor = make_user("sam", "supervisor", "");
  EXPECT_EQ(api.call("GET", "/api/v1/flows", "", agent).status, 403);
  EXPECT_EQ(api.call("POST", "/api/v1/flows", flow_text("x"), agent).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/flows").status, 401);
  EXPECT_EQ(api.call("POST", "/api/v1/flows", flow_text("x"), supervisor).status, 201);
  EXPECT_EQ(api.call("POST", "/api/v1/flows/main/publish", "", supervisor).status, 200);
}

TEST_F(FlowApiTest, APathologicallyNestedFlowIsRefusedWithACode) {
  std::string deep = R"({"name": "main", "nodes": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto saved = post("/api/v1/flows", deep);
  EXPECT_EQ(saved.status, 400);
  EXPECT_EQ(body(saved)["error"]["code"], "json_too_deep");
  auto validated = post("/api/v1/flows/main/validate", deep);
  ASSERT_EQ(validated.status, 422);
  EXPECT_EQ(body(validated)["error"]["details"][0]["message"], "nested deeper than 64 levels");
  EXPECT_EQ(get("/api/v1/flows/main").status, 404) << "nothing was stored";
}

std::string http_flow_text() {
  return R"({"name": "main", "dids": ["4000"], "start": "ask", "nodes": {
    "ask": {"type": "http", "url": "http://crm.example.com/x?n=${caller}", "next": "bye", "on_error": "bye"},
    "bye": {"type": "hangup"}}})";
}

TEST_F(FlowApiTest, OnlyAdminsSaveOrPublishFlowsThatCallOut) {
  api.call("POST", "/api/v1/users", R"({"username":"sam","password":"sam-password","role":"supervisor"})", admin);
  std::string supervisor = api.login("sam", "sam-password");
  auto refused = api.call("POST", "/api/v1/flows", http_flow_text(), supervisor);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(body(refused)["error"]["code"], "http_node_needs_admin");
  EXPECT_EQ(post("/api/v1/flows", http_flow_text()).status, 201);
  refused = api.call("POST", "/api/v1/flows/main/publish", "", supervisor);
  EXPECT_EQ(refused.status, 403) << "an admin's draft that calls out is still the admin's to publish";
  EXPECT_EQ(body(refused)["error"]["code"], "http_node_needs_admin");
  EXPECT_FALSE(registry.current("main"));
  ASSERT_EQ(post("/api/v1/flows/main/publish").status, 200);
  EXPECT_TRUE(registry.current("main"));

  // A supervisor may publish flows without one, and may not roll back to one that has it.
  ASSERT_EQ(api.call("POST", "/api/v1/flows", flow_text("plain"), supervisor).status, 201);
  ASSERT_EQ(api.call("POST", "/api/v1/flows/main/publish", "", supervisor).status, 200);
  refused = api.call("POST", "/api/v1/flows/main/rollback", "", supervisor);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(greeting_now(), "plain");
}

// The designer's path counts: the traces of the period asked (a day back by default),
// counted for the flow named.
TEST_F(FlowApiTest, PathCountsAreTheTracesOfThePeriodCountedPerExit) {
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> asked;
  add_flow_call_routes(api.router, api.context, store, [&asked](const std::string& flow, std::int64_t from,
                                                                std::int64_t to, std::int64_t) {
    asked.emplace_back(flow, from, to);
    return std::vector<std::string>{
        R"({"flow":"main","version":1,"exit":"queued","steps":[{"node":"hi","exit":"next"},{"node":"bye","exit":""}]})",
        R"({"flow":"main","version":2,"exit":"caller_hung_up","steps":[{"node":"hi","exit":"","note":"caller hung up"}]})"};
  }, {});
  auto counted = get("/api/v1/flows/main/paths?from=1000&to=2000");
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(body(counted), json::parse(R"({"flow":"main","from":1000,"to":2000,"truncated":false,"calls":2,
    "ended":{"caller_hung_up":1,"queued":1},
    "nodes":{"hi":{"entered":2,"hung_up":1,"exits":{"next":1}},"bye":{"entered":1,"hung_up":0,"exits":{}}}})"));
  ASSERT_EQ(get("/api/v1/flows/main/paths").status, 200);
  const std::int64_t now = api.clock.now_ms();
  EXPECT_EQ(asked.back(), std::make_tuple(std::string("main"), now + 1 - 24 * 3600 * 1000, now + 1));
  EXPECT_EQ(get("/api/v1/flows/main/paths?from=2000&to=1000").status, 400);
  EXPECT_EQ(get("/api/v1/flows/main/paths?from=yesterday").status, 400);
  EXPECT_EQ(get("/api/v1/flows/no%20such/paths").status, 400);
  api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
  EXPECT_EQ(api.call("GET", "/api/v1/flows/main/paths", "", api.login("quinn", "quinn-password")).status, 403);
}

// The designer's test call runs the draft (unpublished) on a call to the phone
// asked for, or the caller's own; a flow with problems is not run.
TEST_F(FlowApiTest, ATestCallRunsTheDraftOnACallToAPhone) {
  std::vector<std::pair<std::string, std::string>> rung;  // extension, greeting of the flow run
  int answer = 0;
  add_flow_call_routes(api.router, api.context, store, {},
                       [&](const std::string& extension, std::shared_ptr<const ivr::Flow> flow, std::string& call_id) {
                         rung.emplace_back(extension, std::get<ivr::PlayNode>(flow->node("hi").body).prompt[0].text);
                         EXPECT_EQ(flow->version, 0);  // not counted as a caller's call
                         call_id = "t1@unicc";
                         return answer;
                       });
  publish(flow_text("Published"));
  ASSERT_EQ(post("/api/v1/flows", flow_text("Draft")).status, 201);
  auto called = post("/api/v1/flows/main/test-call", R"({"extension":"1001"})");
  ASSERT_EQ(called.status, 202) << called.body;
  EXPECT_EQ(body(called), json::parse(R"({"flow":"main","extension":"1001","call_id":"t1@unicc"})"));
  EXPECT_EQ(rung, (std::vector<std::pair<std::string, std::string>>{{"1001", "Draft"}}));
  EXPECT_EQ(greeting_now(), "Published");
  api.writer.flush();
  EXPECT_EQ(api.audit.list(10, 0, "flow.test_call", "flow:main").size(), 1u);

  // The admin has no extension of their own to ring.
  EXPECT_EQ(post("/api/v1/flows/main/test-call").status, 400);
  EXPECT_EQ(post("/api/v1/flows/main/test-call", R"({"extension":"front desk"})").status, 400);
  answer = 480;
  auto unreachable = post("/api/v1/flows/main/test-call", R"({"extension":"1009"})");
  EXPECT_EQ(unreachable.status, 409);
  EXPECT_EQ(body(unreachable)["error"]["code"], "cannot_ring");
  ASSERT_EQ(post("/api/v1/flows", R"({"name": "main", "start": "hi", "nodes": {"hi": {"type": "play"}}})").status, 201);
  EXPECT_EQ(post("/api/v1/flows/main/test-call", R"({"extension":"1001"})").status, 422);
  EXPECT_EQ(post("/api/v1/flows/none/test-call", R"({"extension":"1001"})").status, 404);
  EXPECT_EQ(rung.size(), 2u);
}

}  // namespace
}  // namespace unicc::api
