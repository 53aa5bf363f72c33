// /api/v1/customers through the router (ApiHarness): create, read, change and find
// customers, the errors and roles, the audit, and a customer's contacts; and the
// contact layer's columns in GET /api/v1/cdrs.
#include "api/customers.h"

#include <gtest/gtest.h>

#include "api/cdrs.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class CustomerApiTest : public ::testing::Test {
 protected:
  CustomerApiTest() {
    add_customer_routes(api.router, api.context, customers);
    add_cdr_routes(api.router, api.context, cdrs, "var/recordings");
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
    agent = api.login("ann", "ann-password");
    qa = api.login("quinn", "quinn-password");
  }

  static json body(const http::Response& response) { return json::parse(response.body); }
  static std::string error_code(const http::Response& response) { return body(response)["error"]["code"]; }

  // Creates a customer as the agent; returns its id.
  std::int64_t create(const json& customer) {
    auto response = api.call("POST", "/api/v1/customers", customer.dump(), agent);
    EXPECT_EQ(response.status, 201) << response.body;
    return body(response).value("id", std::int64_t{0});
  }

  unicc::testing::ApiHarness api;
  crm::CustomerStore customers{api.test.db(), api.writer, api.clock, crm::PhoneNormalizer()};
  call::CdrStore cdrs{api.writer, api.test.db()};
  std::string agent;
  std::string qa;
};

const json kZhang = {{"name", "张三"},          {"phones", {"+86 138 0000 0000"}},
                     {"tags", {"gold"}},         {"birthday", "1990-12-06"},
                     {"fields", {{"plan", "gold"}}}};

TEST_F(CustomerApiTest, CreateReadAndPatch) {
  auto response = api.call("POST", "/api/v1/customers", kZhang.dump(), agent);
  ASSERT_EQ(response.status, 201) << response.body;
  json created = body(response);
  const std::int64_t id = created["id"];
  EXPECT_EQ(created, (json{{"id", id},
                           {"name", "张三"},
                           {"phones", {"+86 138 0000 0000"}},
                           {"email", ""},
                           {"vip", false},
                           {"tags", {"gold"}},
                           {"birthday", "1990-12-06"},
                           {"address", ""},
                           {"notes", ""},
                           {"fields", {{"plan", "gold"}}},
                           {"created_at", api.clock.now_ms()},
                           {"updated_at", api.clock.now_ms()}}));
  const std::string path = "/api/v1/customers/" + std::to_string(id);
  EXPECT_EQ(body(api.call("GET", path, "", qa)), created);

  api.clock.advance(std::chrono::seconds(1));
  response = api.call("PATCH", path, R"({"phones":["13800000000","010 1234 5678"],"vip":true,"birthday":null})",
                      agent);
  ASSERT_EQ(response.status, 200) << response.body;
  json patched = body(response);
  EXPECT_EQ(patched["phones"], json({"13800000000", "010 1234 5678"}));
  EXPECT_EQ(patched["vip"], true);
  EXPECT_EQ(patched["birthday"], "");
  EXPECT_EQ(patched["name"], "张三");
  EXPECT_EQ(patched["updated_at"], api.clock.now_ms());
  EXPECT_EQ(body(api.call("GET", path, "", agent)), patched);

  EXPECT_EQ(api.call("GET", "/api/v1/customers/999", "", agent).status, 404);
  EXPECT_EQ(error_code(api.call("PATCH", "/api/v1/customers/999", R"({"vip":true})", agent)), "not_found");

  auto audit = body(api.call("GET", "/api/v1/audit?action=customer.update", "", api.admin_token()));
  ASSERT_EQ(audit["items"].size(), 1u);
  EXPECT_EQ(audit["items"][0]["actor"], "ann");
  EXPECT_EQ(audit["items"][0]["target"], "customer:" + std::to_string(id));
  EXPECT_EQ(json::parse(audit["items"][0]["detail"].get<std::string>()),
            (json{{"fields", {"phones", "vip", "birthday"}}}));
  EXPECT_EQ(body(api.call("GET", "/api/v1/audit?action=customer.create", "", api.admin_token()))["items"].size(), 1u);
}

TEST_F(CustomerApiTest, FoundByAnySpellingOfAPhoneOrBySearch) {
  const std::int64_t id = create(kZhang);
  create({{"name", "Li Si"}, {"email", "li@example.org"}});
  for (const char* phone : {"%2B86%20138%200000%200000", "008613800000000", "8613800000000", "013800000000",
                            "13800000000"}) {
    auto found = body(api.call("GET", std::string("/api/v1/customers?phone=") + phone, "", agent));
    ASSERT_EQ(found["items"].size(), 1u) << phone;
    EXPECT_EQ(found["items"][0]["id"], id);
    EXPECT_EQ(found["total"], 1);
  }
  EXPECT_EQ(body(api.call("GET", "/api/v1/customers?phone=13900000000", "", agent)),
            (json{{"items", json::array()}, {"total", 0}}));
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/customers?phone=anonymous", "", agent)), "invalid_parameter");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/customers?phone=1380&q=li", "", agent)), "invalid_parameter");

  auto found = body(api.call("GET", "/api/v1/customers?q=example", "", qa));
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["name"], "Li Si");
  auto page = body(api.call("GET", "/api/v1/customers?limit=1&offset=1", "", agent));
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["items"].size(), 1u);
}

TEST_F(CustomerApiTest, BrokenRulesAndConflicts) {
  create(kZhang);
  auto post = [this](const std::string& customer) { return api.call("POST", "/api/v1/customers", customer, agent); };
  auto message = [](const http::Response& response) { return body(response)["error"]["message"].get<std::string>(); };
  auto taken = post(R"({"name":"Other","phones":["013800000000"]})");
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(error_code(taken), "phone_taken");
  EXPECT_NE(message(taken).find("013800000000"), std::string::npos) << message(taken);
  EXPECT_EQ(error_code(post(R"({"phones":["13900000000"]})")), "missing_field");
  for (const char* broken :
       {R"({"name":""})", R"({"name":"x","phones":"13900000000"})", R"({"name":"x","phones":["abc"]})",
        R"({"name":"x","email":"no-at-sign"})", R"({"name":"x","birthday":"1990-13-01"})",
        R"({"name":"x","tags":[1]})", R"({"name":"x","fields":{"plan":1}})", R"({"name":"x","vip":"yes"})"}) {
    auto response = post(broken);
    EXPECT_EQ(response.status, 400) << broken;
    EXPECT_EQ(error_code(response), "invalid_field") << broken;
  }
  EXPECT_NE(message(post(R"({"name":"x","email":"no-at-sign"})")).find("'email'"), std::string::npos);
  EXPECT_EQ(error_code(post(R"({"name":"x","age":3})")), "unknown_field");
  EXPECT_EQ(body(api.call("GET", "/api/v1/customers", "", agent))["total"], 1);
}

TEST_F(CustomerApiTest, QaReadsButDoesNotWrite) {
  const std::int64_t id = create(kZhang);
  const std::string path = "/api/v1/customers/" + std::to_string(id);
  EXPECT_EQ(api.call("POST", "/api/v1/customers", R"({"name":"x"})", qa).status, 403);
  EXPECT_EQ(api.call("PATCH", path, R"({"vip":true})", qa).status, 403);
  EXPECT_EQ(api.call("GET", path, "", qa).status, 200);
  EXPECT_EQ(api.call("GET", path + "/contacts", "", qa).status, 200);
  EXPECT_EQ(api.call("GET", path, "").status, 401);
  EXPECT_EQ(api.call("POST", "/api/v1/customers", R"({"name":"x"})", api.admin_token()).status, 201);
}

TEST_F(CustomerApiTest, ContactsAndTheirCdrColumns) {
  const std::int64_t id = create(kZhang);
  const std::string contacts_path = "/api/v1/customers/" + std::to_string(id) + "/contacts";
  EXPECT_EQ(body(api.call("GET", contacts_path, "", agent)), (json{{"items", json::array()}}));

  call::Cdr cdr;
  cdr.call_id = "c1";
  cdr.direction = "inbound";
  cdr.caller = "+8613800000000";
  cdr.dialled = "4001";
  cdr.callee = "1001";
  cdr.started_at = 1'795'000'000'000;
  cdr.answered_at = cdr.started_at + 4'000;
  cdr.ended_at = cdr.answered_at + 30'000;
  cdr.disposition = "answered";
  cdr.agent = "1001";
  cdr.queue = "sales";
  cdr.customer_id = id;
  cdr.recording_path = "var/recordings/c1.wav";
  cdr.events = R"([{"at":1795000010000,"kind":"hold"}])";
  cdrs.record(cdr, {});
  ASSERT_TRUE(cdrs.wrap_up("c1", "sale", "two items"));

  auto items = body(api.call("GET", contacts_path + "?limit=10", "", agent))["items"];
  ASSERT_EQ(items.size(), 1u);
  const std::int64_t cdr_id = items[0]["cdr_id"];
  EXPECT_EQ(items[0], (json{{"cdr_id", cdr_id},
                            {"call_id", "c1"},
                            {"at", 1'795'000'000'000},
                            {"channel", "voice"},
                            {"direction", "inbound"},
                            {"caller", "+8613800000000"},
                            {"agent", "1001"},
                            {"queue", "sales"},
                            {"disposition", "answered"},
                            {"disposition_code", "sale"},
                            {"notes", "two items"},
                            {"duration_ms", 30'000},
                            {"recording", "/api/v1/cdrs/" + std::to_string(cdr_id) + "/recording"}}));

  const std::string admin = api.admin_token();
  auto rows = body(api.call("GET", "/api/v1/cdrs?agent=1001&queue=sales&customer_id=" + std::to_string(id), "", admin));
  ASSERT_EQ(rows["total"], 1);
  json row = rows["items"][0];
  EXPECT_EQ(row["agent"], "1001");
  EXPECT_EQ(row["queue"], "sales");
  EXPECT_EQ(row["customer_id"], id);
  EXPECT_EQ(row["disposition_code"], "sale");
  EXPECT_EQ(row["notes"], "two items");
  EXPECT_EQ(row["events"], json::parse(cdr.events));
  EXPECT_EQ(body(api.call("GET", "/api/v1/cdrs?agent=1002", "", admin))["total"], 0);
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/cdrs?customer_id=x", "", admin)), "invalid_parameter");

  call::Cdr bare = cdr;
  bare.call_id = "c2";
  bare.customer_id = 0;
  bare.events = "";
  bare.started_at += 100'000;
  cdrs.record(bare, {});
  row = body(api.call("GET", "/api/v1/cdrs?limit=1", "", admin))["items"][0];
  EXPECT_EQ(row["call_id"], "c2");
  EXPECT_EQ(row["customer_id"], nullptr);
  EXPECT_EQ(row["events"], json::array());
}

}  // namespace
}  // namespace unicc::api
