// /api/v1/qa through the router (ApiHarness): forms drafted and published, a call
// scored (the CDR's facts copied, total and grade), who sees and answers what, the
// search and its CSV export, calibration across inspectors, the weekly sample, and
// bad input refused naming the field.
#include "api/qa.h"

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

const char* kForm = R"({
  "name": "basic",
  "title": {"en": "Basic", "zh-CN": "基础"},
  "sections": [{"id": "all", "title": "All", "items": [
    {"id": "greeting", "label": "Greeting", "max": 20},
    {"id": "solution", "label": "Solution", "max": 80},
    {"id": "privacy", "label": {"en": "Privacy", "zh-CN": "隐私"}, "kind": "pass_fail", "max": 10, "critical": true}
  ]}]
})";

class QaApiTest : public ::testing::Test {
 protected:
  QaApiTest() {
    add_qa_routes(api.router, api.context, forms, evaluations, cdrs);
    api.test.add_sip_account("1001");
    api.test.add_sip_account("1002");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    api.users.create("bob", "Bob", auth::Role::agent, "1002", "bob-password");
    api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
    api.users.create("sam", "Sam", auth::Role::supervisor, "", "sam-password");
    ann = api.login("ann", "ann-password");
    bob = api.login("bob", "bob-password");
    qa = api.login("quinn", "quinn-password");
    sam = api.login("sam", "sam-password");
    EXPECT_EQ(api.call("POST", "/api/v1/qa/forms", kForm, qa).status, 201);
    EXPECT_EQ(api.call("POST", "/api/v1/qa/forms/basic/publish", "", qa).status, 200);
  }

  std::int64_t add_call(const std::string& agent) {
    call::Cdr cdr;
    cdr.call_id = "c" + std::to_string(++calls);
    cdr.direction = "inbound";
    cdr.caller = "13800000000";
    cdr.started_at = api.clock.now_ms() - 100'000;
    cdr.answered_at = cdr.started_at + 5'000;
    cdr.ended_at = cdr.started_at + 65'000;
    cdr.disposition = "answered";
    cdr.agent = agent;
    cdrs.record(cdr, {});
    api.writer.flush();
    return cdrs.find({}).front().id;
  }

  static json answers(double greeting, double solution, bool privacy) {
    return {{"greeting", {{"score", greeting}}}, {"solution", {{"score", solution}}}, {"privacy", {{"passed", privacy}}}};
  }

  http::Response evaluate(std::int64_t cdr, const std::string& token, json answers_given, json extra = json::object()) {
    json body = {{"cdr_id", cdr}, {"form", "basic"}, {"answers", std::move(answers_given)}};
    body.update(extra);
    return api.call("POST", "/api/v1/qa/evaluations", body.dump(), token);
  }

  static json body(const http::Response& response) { return json::parse(response.body); }
  static std::string error_code(const http::Response& response) { return body(response)["error"]["code"]; }

  unicc::testing::ApiHarness api;
  call::CdrStore cdrs{api.writer, api.test.db()};
  qa::FormStore forms{api.test.db(), api.clock};
  qa::EvaluationStore evaluations{api.test.db(), api.writer, api.clock};
  int calls = 0;
  std::string ann, bob, qa, sam;
};

TEST_F(QaApiTest, AnInspectorScoresACallFromItsCdr) {
  const auto call = add_call("1001");
  auto created = evaluate(call, qa, answers(15, 60, true),
                          {{"qa_type", "complaint"},
                           {"business_type", "账单争议"},
                           {"comment", "好"},
                           {"marks", json::parse(R"([{"at_ms": 30000, "text": "late"}, {"at_ms": 1000, "text": "hi"}])")}});
  ASSERT_EQ(created.status, 201) << created.body;
  json e = body(created);
  EXPECT_TRUE(e["serial"].get<std::string>().starts_with("QA-"));
  EXPECT_EQ(e["agent"], "1001");
  EXPECT_EQ(e["inspector"], "quinn");
  EXPECT_EQ(e["call_id"], "c1");
  EXPECT_EQ(e["form_version"], 1);
  EXPECT_EQ(e["total"], 77.3);  // 15 + 60 + 10 of 110
  EXPECT_EQ(e["grade"], "B");
  EXPECT_EQ(e["call_duration_ms"], 60000);
  EXPECT_EQ(e["marks"][0]["text"], "hi");  // by time in the recording
  EXPECT_EQ(e["items"].size(), 3u);
  EXPECT_EQ(e["business_type"], "账单争议");
  api.writer.flush();
  auto audit = body(api.call("GET", "/api/v1/audit?action=qa.evaluate", "", api.admin_token()))["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["actor"], "quinn");
}

TEST_F(QaApiTest, ACriticalFailureZeroesTheScore) {
  auto created = evaluate(add_call("1001"), qa, answers(20, 80, false));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body(created)["total"], 0.0);
  EXPECT_EQ(body(created)["grade"], "D");
  EXPECT_EQ(body(created)["critical_failed"], true);
}

TEST_F(QaApiTest, BadInputIsRefusedNamingTheField) {
  const auto call = add_call("1001");
  auto too_high = evaluate(call, qa, answers(25, 60, true));
  EXPECT_EQ(too_high.status, 400);
  EXPECT_NE(body(too_high)["error"]["message"].get<std::string>().find("answers.greeting.score"), std::string::npos);
  EXPECT_EQ(evaluate(call, qa, answers(1, 1, true), {{"qa_type", "fun"}}).status, 400);
  EXPECT_EQ(evaluate(call, qa, answers(1, 1, true), {{"marks", json::parse(R"([{"at_ms": 999999, "text": "x"}])")}}).status,
            400);
  EXPECT_EQ(evaluate(call + 50, qa, answers(1, 1, true)).status, 404);
  EXPECT_EQ(evaluate(add_call(""), qa, answers(1, 1, true)).status, 422);
  EXPECT_EQ(evaluate(call, qa, answers(1, 1, true), {{"form", "nope"}}).status, 404);
  EXPECT_EQ(evaluate(call, ann, answers(1, 1, true)).status, 403);
  ASSERT_EQ(evaluate(call, qa, answers(1, 1, true)).status, 201);
  auto again = evaluate(call, qa, answers(1, 1, true));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "already_evaluated");

  auto bad_form = api.call("POST", "/api/v1/qa/forms", R"({"name": "bad", "title": "Bad", "sections": []})", qa);
  ASSERT_EQ(bad_form.status, 201);
  EXPECT_EQ(body(bad_form)["valid"], false);
  EXPECT_EQ(body(bad_form)["problem"]["field"], "sections");
  auto refused = api.call("POST", "/api/v1/qa/forms/bad/publish", "", qa);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(error_code(refused), "invalid_form");
  EXPECT_EQ(body(refused)["error"]["field"], "sections");
}

TEST_F(QaApiTest, AgentsSeeTheirOwnAndAnswerOnce) {
  const auto ann_eval = body(evaluate(add_call("1001"), qa, answers(20, 80, true)))["id"].get<std::int64_t>();
  evaluate(add_call("1002"), qa, answers(20, 80, true));
  auto mine = body(api.call("GET", "/api/v1/qa/evaluations?agent=1002", "", ann));
  ASSERT_EQ(mine["items"].size(), 1u);  // the agent filter is theirs whatever they ask
  EXPECT_EQ(mine["items"][0]["agent"], "1001");
  const std::string path = "/api/v1/qa/evaluations/" + std::to_string(ann_eval);
  EXPECT_EQ(api.call("GET", path, "", bob).status, 404);
  EXPECT_EQ(api.call("GET", path, "", ann).status, 200);
  EXPECT_EQ(api.call("POST", path + "/acknowledge", "", qa).status, 403);
  EXPECT_EQ(api.call("POST", path + "/dispute", R"({"reason": ""})", ann).status, 400);
  auto disputed = api.call("POST", path + "/dispute", R"({"reason": "客户先挂断"})", ann);
  ASSERT_EQ(disputed.status, 200) << disputed.body;
  EXPECT_EQ(body(disputed)["status"], "disputed");
  EXPECT_EQ(body(disputed)["response"], "客户先挂断");
  EXPECT_EQ(error_code(api.call("POST", path + "/acknowledge", "", ann)), "already_answered");
  api.writer.flush();
  EXPECT_EQ(body(api.call("GET", "/api/v1/audit?action=qa.dispute", "", api.admin_token()))["items"].size(), 1u);
}

TEST_F(QaApiTest, SearchFiltersAndCsvExport) {
  evaluate(add_call("1001"), qa, answers(20, 80, true), {{"comment", "=cmd, \"quoted\"\n二行"}});
  evaluate(add_call("1002"), sam, answers(0, 40, true));
  auto by_grade = body(api.call("GET", "/api/v1/qa/evaluations?grade=A", "", sam));
  ASSERT_EQ(by_grade["total"], 1);
  EXPECT_EQ(by_grade["items"][0]["agent"], "1001");
  EXPECT_EQ(body(api.call("GET", "/api/v1/qa/evaluations?inspector=sam", "", qa))["total"], 1);
  EXPECT_EQ(api.call("GET", "/api/v1/qa/evaluations?status=odd", "", qa).status, 400);
  EXPECT_EQ(body(api.call("GET", "/api/v1/qa/evaluations?min_total=50", "", qa))["total"], 1);
  EXPECT_EQ(body(api.call("GET", "/api/v1/qa/evaluations?max_total=50", "", qa))["items"][0]["agent"], "1002");
  EXPECT_EQ(api.call("GET", "/api/v1/qa/evaluations?min_total=101", "", qa).status, 400);
  const std::string first = by_grade["items"][0]["serial"];
  EXPECT_EQ(body(api.call("GET", "/api/v1/qa/evaluations?serial_from=" + first + "&serial_to=" + first, "", qa))["total"], 1);
  EXPECT_EQ(body(api.call("GET", "/api/v1/qa/evaluations?serial_from=" + first, "", qa))["total"], 2);

  auto csv = api.call("GET", "/api/v1/qa/evaluations?format=csv&agent=1001", "", qa);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBFserial,"));
  EXPECT_NE(csv.body.find(",\"'=cmd, \"\"quoted\"\"\n二行\"\r\n"), std::string::npos) << csv.body;
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\r'), 2);  // header and one row
}

TEST_F(QaApiTest, CalibrationShowsTheSpread) {
  const auto call = add_call("1001");
  evaluate(call, qa, answers(20, 80, true));   // 100
  evaluate(call, sam, answers(10, 60, true));  // 72.7
  auto admin = api.admin_token();
  evaluate(call, admin, answers(20, 70, true));  // 90.9
  auto result = api.call("GET", "/api/v1/qa/calibration?cdr=" + std::to_string(call), "", sam);
  ASSERT_EQ(result.status, 200) << result.body;
  json c = body(result);
  ASSERT_EQ(c["evaluations"].size(), 3u);
  EXPECT_EQ(c["evaluations"][0]["inspector"], "quinn");
  EXPECT_EQ(c["total"]["count"], 3);
  EXPECT_EQ(c["total"]["spread"], 27.3);
  EXPECT_EQ(c["total"]["min"], 72.7);
  EXPECT_EQ(c["items"][0]["item"], "greeting");
  EXPECT_EQ(c["items"][0]["spread"], 10.0);
  EXPECT_EQ(api.call("GET", "/api/v1/qa/calibration?cdr=" + std::to_string(call), "", ann).status, 403);
}

TEST_F(QaApiTest, TheWeeklySampleIsTheSameForEveryInspector) {
  for (int i = 0; i < 5; ++i) add_call("1001");
  add_call("1002");
  auto first = api.call("GET", "/api/v1/qa/sample?per_agent=2", "", qa);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(body(first)["items"].size(), 3u);
  EXPECT_EQ(body(first)["items"], body(api.call("GET", "/api/v1/qa/sample?per_agent=2", "", sam))["items"]);
  EXPECT_EQ(api.call("GET", "/api/v1/qa/sample?week=2026-50", "", qa).status, 400);
  EXPECT_EQ(api.call("GET", "/api/v1/qa/sample", "", ann).status, 403);
}

}  // namespace
}  // namespace unicc::api
