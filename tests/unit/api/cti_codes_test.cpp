// /api/v1/cti/codes through the router (ApiHarness) over call::CtiCodeStore: the lists
// seeded from the configuration on the first start only, read by any signed-in user,
// replaced by an admin (validated, in the database before the answer, audited with
// what changed, sent to every signed-in user's event stream).
#include "api/cti_codes.h"

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class CtiCodesApi : public ::testing::Test {
 protected:
  CtiCodesApi() {
    configured.dispositions = {{"sold", "Sold", "已成交"}, {"no-sale", "No sale", "No sale"}};
    codes.seed(configured);
    add_cti_code_routes(api.router, api.context, codes);
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
  }

  json get(const std::string& token) {
    auto response = api.call("GET", "/api/v1/cti/codes", "", token);
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body);
  }
  http::Response put(const json& body, const std::string& token) {
    return api.call("PUT", "/api/v1/cti/codes", body.dump(), token);
  }
  // The error message of a refused PUT by the admin (its code must be invalid_field).
  std::string refusal(const json& body) {
    auto response = put(body, api.admin_token());
    EXPECT_EQ(response.status, 400) << response.body;
    auto error = json::parse(response.body)["error"];
    EXPECT_EQ(error["code"], "invalid_field") << response.body;
    return error["message"];
  }
  static json lists(json dispositions, json reasons) {
    return {{"dispositions", std::move(dispositions)}, {"not_ready_reasons", std::move(reasons)}};
  }
  static json code(const std::string& code, const std::string& en, const std::string& zh = "") {
    json label = {{"en", en}};
    if (!zh.empty()) label["zh-CN"] = zh;
    return {{"code", code}, {"label", label}};
  }

  unicc::testing::ApiHarness api;
  core::CtiConfig configured;
  call::CtiCodeStore codes{api.test.db()};
};

TEST_F(CtiCodesApi, AnySignedInUserReadsTheListsWithTheirLabels) {
  json body = get(api.login("ann", "ann-password"));
  EXPECT_EQ(body["dispositions"], json::parse(R"([{"code":"sold","label":{"en":"Sold","zh-CN":"已成交"}},
                                                  {"code":"no-sale","label":{"en":"No sale","zh-CN":"No sale"}}])"));
  ASSERT_EQ(body["not_ready_reasons"].size(), 6u);
  EXPECT_EQ(body["not_ready_reasons"][0], json::parse(R"({"code":"break","label":{"en":"Break","zh-CN":"休息"}})"));
  EXPECT_EQ(api.call("GET", "/api/v1/cti/codes").status, 401);
}

TEST_F(CtiCodesApi, TheConfigurationSeedsOnlyADatabaseWithoutCodes) {
  ASSERT_EQ(put(lists({code("sold", "Sold")}, {code("training", "Training", "培训")}), api.admin_token()).status, 200);
  // A restart with other lists in the file: the database's stay.
  call::CtiCodeStore restarted(api.test.db());
  core::CtiConfig other;
  other.dispositions = {{"refund", "Refund", "退款"}};
  restarted.seed(other);
  ASSERT_EQ(restarted.lists().dispositions.size(), 1u);
  EXPECT_EQ(restarted.lists().dispositions[0].code, "sold");
  ASSERT_EQ(restarted.lists().not_ready_reasons.size(), 1u);
  EXPECT_EQ(restarted.lists().not_ready_reasons[0].zh, "培训");
  EXPECT_FALSE(restarted.has_disposition("refund"));
  EXPECT_TRUE(restarted.has_disposition("sold"));
}

TEST_F(CtiCodesApi, AnAdminReplacesBothListsAndEverySignedInStreamHearsIt) {
  std::vector<json> agent_got, admin_got;
  auth::Principal agent{2, "ann", auth::Role::agent, "1001"}, admin{1, "root", auth::Role::admin, ""};
  api.hub.subscribe(agent, [&](const http::EventHub::Text& text) { agent_got.push_back(json::parse(*text)); });
  api.hub.subscribe(admin, [&](const http::EventHub::Text& text) { admin_got.push_back(json::parse(*text)); });

  const json wanted = lists({code("no-sale", "No sale, at last", "未成交"), code("sold", "Sold", "已成交"),
                             code("refund", "Refund")},
                            {code("break", "Break", "休息"), code("coaching", "Coaching", "辅导")});
  auto response = put(wanted, api.admin_token());
  ASSERT_EQ(response.status, 200) << response.body;
  json record = json::parse(response.body);
  EXPECT_EQ(record["dispositions"][2], json::parse(R"({"code":"refund","label":{"en":"Refund","zh-CN":"Refund"}})"));
  EXPECT_EQ(get(api.login("ann", "ann-password")), record);
  EXPECT_TRUE(codes.has_disposition("refund"));
  EXPECT_FALSE(codes.has_disposition("other"));
  // In the database before the answer: a store opened now reads it.
  call::CtiCodeStore reread(api.test.db());
  reread.seed(configured);
  EXPECT_EQ(reread.lists().not_ready_reasons[1].code, "coaching");

  const json event = {{"type", "cti_codes"}, {"record", record}};
  EXPECT_NE(std::find(agent_got.begin(), agent_got.end(), event), agent_got.end());
  EXPECT_NE(std::find(admin_got.begin(), admin_got.end(), event), admin_got.end());

  api.writer.flush();
  auto audit = json::parse(api.call("GET", "/api/v1/audit?action=cti_codes.update", "", api.admin_token()).body)["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["target"], "cti_codes");
  EXPECT_EQ(json::parse(audit[0]["detail"].get<std::string>()), json::parse(R"({
      "dispositions_added":["refund"],"dispositions_relabelled":["no-sale"],
      "dispositions_reordered":["no-sale","sold","refund"],
      "not_ready_reasons_added":["coaching"],
      "not_ready_reasons_removed":["lunch","meeting","training","after_call_work","other"]})"));
}

TEST_F(CtiCodesApi, OnlyAnAdminReplacesTheLists) {
  const json body = lists({code("sold", "Sold")}, {code("break", "Break")});
  EXPECT_EQ(put(body, api.login("sue", "sue-password")).status, 403);
  EXPECT_EQ(put(body, api.login("ann", "ann-password")).status, 403);
  EXPECT_EQ(put(body, "").status, 401);
  EXPECT_EQ(get(api.admin_token())["dispositions"].size(), 2u);
}

TEST_F(CtiCodesApi, ARefusedListNamesTheFieldAndChangesNothing) {
  const json ok = code("break", "Break");
  EXPECT_EQ(refusal(lists({code("sold", "Sold"), code("x", "X"), code("Bad Code", "B")}, {ok})),
            "dispositions[2].code: must be 1-32 characters of a-z, 0-9, _ and -");
  EXPECT_EQ(refusal(lists({code(std::string(33, 'a'), "A")}, {ok})),
            "dispositions[0].code: must be 1-32 characters of a-z, 0-9, _ and -");
  EXPECT_EQ(refusal(lists({code("sold", "Sold")}, {ok, code("break", "Again")})),
            "not_ready_reasons[1].code: 'break' is listed twice");
  EXPECT_EQ(refusal(lists({code("sold", "")}, {ok})), "dispositions[0].label.en: must not be empty");
  EXPECT_EQ(refusal(lists({{{"code", "sold"}, {"label", {{"zh-CN", "已成交"}}}}}, {ok})),
            "dispositions[0].label.en: is required");
  EXPECT_EQ(refusal(lists({code("sold", "Sold", std::string(65, 'x'))}, {ok})),
            "dispositions[0].label.zh-CN: is longer than 64 characters");
  std::string sixty_four_chinese;
  for (int i = 0; i < 64; ++i) sixty_four_chinese += "培";
  EXPECT_EQ(put(lists({code("sold", "Sold", sixty_four_chinese)}, {ok}), api.admin_token()).status, 200);
  EXPECT_EQ(refusal(lists({{{"code", "sold"}, {"label", {{"en", "Sold"}}}, {"colour", "red"}}}, {ok})),
            "dispositions[0].colour: unknown field");
  EXPECT_EQ(refusal(lists({{{"code", "sold"}, {"label", {{"en", "Sold"}, {"fr", "Vendu"}}}}}, {ok})),
            "dispositions[0].label.fr: unknown field");
  EXPECT_EQ(refusal({{"dispositions", json::array({code("sold", "Sold")})}}), "not_ready_reasons: is required");
  json too_many = json::array();
  for (int i = 0; i < 51; ++i) too_many.push_back(code("c" + std::to_string(i), "C"));
  EXPECT_EQ(refusal(lists(too_many, {ok})), "dispositions: must have 1 to 50 codes");
  EXPECT_EQ(refusal(lists(json::array(), {ok})), "dispositions: must have 1 to 50 codes");
  json extra = lists({code("sold", "Sold")}, {ok});
  extra["extra"] = 1;
  EXPECT_EQ(refusal(extra), "extra: unknown field");
  EXPECT_EQ(refusal(lists({code("sold", "Sold")}, {{{"code", 7}, {"label", {{"en", "Seven"}}}}})),
            "not_ready_reasons[0].code: must be a string");

  json unchanged = get(api.admin_token());
  EXPECT_EQ(unchanged["dispositions"][0]["label"]["zh-CN"], sixty_four_chinese);
  EXPECT_EQ(unchanged["not_ready_reasons"].size(), 1u);
}

}  // namespace
}  // namespace unicc::api
