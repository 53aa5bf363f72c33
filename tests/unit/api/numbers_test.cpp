// /api/v1/numbers through the router (ApiHarness) over call::NumberStore: one list of
// every number (the file's [[did]] entries, the published flows' dids, the table),
// changes by admins only, checked (number form, target exists, no other owner: 409
// naming it), in the database and in memory before the answer, audited.
#include "api/numbers.h"

#include <gtest/gtest.h>

#include "api/flows.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;
using unicc::testing::refusal;

std::string flow_text(const std::string& name, const std::string& did) {
  return R"({"name": ")" + name + R"(", "dids": [")" + did + R"("], "start": "bye",
             "nodes": {"bye": {"type": "hangup"}}})";
}

class NumbersApi : public ::testing::Test {
 protected:
  NumbersApi() {
    dids.push_back({"5000-5009", "1001"});
    add_flow_routes(api.router, api.context, flow_store, registry, &numbers);
    add_number_routes(api.router, api.context, numbers, {dids, registry, acd});
    api.test.add_sip_account("1001");
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
    acd_store::QueueRecord queue;
    queue.name = "sales";
    EXPECT_TRUE(acd.save_queue(queue, [] { return std::vector<std::string>{}; }).empty());
    EXPECT_EQ(api.call("POST", "/api/v1/flows", flow_text("main", "4000"), admin).status, 201);
    EXPECT_EQ(api.call("POST", "/api/v1/flows/main/publish", "", admin).status, 200);
  }

  http::Response put(const std::string& number, const json& body, const std::string& token = "") {
    return api.call("PUT", "/api/v1/numbers/" + number, body.dump(), token.empty() ? admin : token);
  }
  json items() {
    auto response = api.call("GET", "/api/v1/numbers", "", admin);
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body)["items"];
  }

  unicc::testing::ApiHarness api;
  std::vector<core::DidConfig> dids;
  ivr::FlowStore flow_store{api.test.db(), api.clock};
  ivr::FlowRegistry registry{flow_store};
  acd_store::AcdStore acd{api.test.db(), api.clock};
  call::NumberStore numbers{api.test.db()};
  std::string admin = api.admin_token();
};

TEST_F(NumbersApi, OneListShowsEveryNumberWithItsTargetAndSource) {
  ASSERT_EQ(put("6000", {{"target", "queue:sales"}, {"description", "Sales line"}}).status, 201);
  json list = items();
  ASSERT_EQ(list.size(), 3u) << list.dump();
  EXPECT_EQ(list[0]["number"], "4000");
  EXPECT_EQ(list[0]["target"], "flow:main");
  EXPECT_EQ(list[0]["source"], "flow");
  EXPECT_EQ(list[0]["flow"], "main");
  EXPECT_EQ(list[1]["number"], "5000-5009");
  EXPECT_EQ(list[1]["target"], "extension:1001");
  EXPECT_EQ(list[1]["source"], "config");
  EXPECT_EQ(list[2]["number"], "6000");
  EXPECT_EQ(list[2]["target"], "queue:sales");
  EXPECT_EQ(list[2]["source"], "database");
  EXPECT_EQ(list[2]["description"], "Sales line");
  EXPECT_EQ(list[2]["updated_by"], "root");
  // Supervisors read; agents and strangers do not.
  EXPECT_EQ(api.call("GET", "/api/v1/numbers", "", api.login("sue", "sue-password")).status, 200);
  EXPECT_EQ(api.call("GET", "/api/v1/numbers").status, 401);
}

TEST_F(NumbersApi, AChangeIsInMemoryAndInTheDatabaseBeforeTheAnswer) {
  ASSERT_EQ(put("6000", {{"target", "queue:sales"}}).status, 201);
  ASSERT_TRUE(numbers.find("6000"));
  EXPECT_EQ(numbers.find("6000")->target, "queue:sales");
  auto changed = put("6000", {{"target", "flow:main"}, {"description", "now the menu"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(numbers.find("6000")->target, "flow:main");
  call::NumberStore restarted(api.test.db());
  restarted.load();
  ASSERT_EQ(restarted.all().size(), 1u);
  EXPECT_EQ(restarted.all()[0].target, "flow:main");
  EXPECT_EQ(restarted.all()[0].description, "now the menu");

  ASSERT_EQ(api.call("DELETE", "/api/v1/numbers/6000", "", admin).status, 204);
  EXPECT_FALSE(numbers.find("6000"));
  restarted.load();
  EXPECT_TRUE(restarted.all().empty());
  refusal(api.call("DELETE", "/api/v1/numbers/6000", "", admin), 404, "not_found");
}

// A queue a number points at cannot be deleted: its calls would find nothing.
TEST_F(NumbersApi, AQueueANumberPointsAtIsNotDeleted) {
  ASSERT_EQ(put("6000", {{"target", "queue:sales"}}).status, 201);
  ASSERT_EQ(put("6001", {{"target", "queue:sales"}}).status, 201);
  const auto nothing_to_apply = [] { return std::vector<std::string>{}; };
  EXPECT_EQ(acd.delete_queue("sales", nothing_to_apply),
            (std::vector<std::string>{"number 6000 points at it", "number 6001 points at it"}));
  EXPECT_TRUE(acd.queue("sales"));
  ASSERT_EQ(api.call("DELETE", "/api/v1/numbers/6000", "", admin).status, 204);
  ASSERT_EQ(api.call("DELETE", "/api/v1/numbers/6001", "", admin).status, 204);
  EXPECT_TRUE(acd.delete_queue("sales", nothing_to_apply).empty());
  EXPECT_FALSE(acd.queue("sales"));
}

TEST_F(NumbersApi, EveryChangeIsAudited) {
  ASSERT_EQ(put("6000", {{"target", "queue:sales"}}).status, 201);
  ASSERT_EQ(put("6000", {{"target", "extension:1001"}}).status, 200);
  ASSERT_EQ(api.call("DELETE", "/api/v1/numbers/6000", "", admin).status, 204);
  api.writer.flush();
  auto audit = json::parse(api.call("GET", "/api/v1/audit?target=number:6000", "", admin).body)["items"];
  ASSERT_EQ(audit.size(), 3u) << audit.dump();
  // Newest first.
  EXPECT_EQ(audit[0]["action"], "number.delete");
  EXPECT_EQ(json::parse(audit[0]["detail"].get<std::string>())["was"]["target"], "extension:1001");
  EXPECT_EQ(audit[1]["action"], "number.update");
  EXPECT_EQ(json::parse(audit[1]["detail"].get<std::string>())["target"], "extension:1001");
  EXPECT_EQ(json::parse(audit[1]["detail"].get<std::string>())["was"]["target"], "queue:sales");
  EXPECT_EQ(audit[2]["actor"], "root");
}

TEST_F(NumbersApi, OnlyAnAdminChangesNumbers) {
  const std::string sue = api.login("sue", "sue-password");
  refusal(put("6000", {{"target", "queue:sales"}}, sue), 403, "forbidden");
  refusal(api.call("DELETE", "/api/v1/numbers/6000", "", sue), 403, "forbidden");
  EXPECT_TRUE(numbers.all().empty());
}

TEST_F(NumbersApi, ABadNumberOrTargetIsRefusedNamingTheField) {
  EXPECT_EQ(refusal(put("60a0", {{"target", "queue:sales"}}), 400, "invalid_field"),
            "number: must be 1-32 digits, '+', '*' or '#'");
  EXPECT_EQ(refusal(put(std::string(33, '1'), {{"target", "queue:sales"}}), 400, "invalid_field"),
            "number: must be 1-32 digits, '+', '*' or '#'");
  EXPECT_EQ(refusal(put("6000", {{"target", "desk:sales"}}), 400, "invalid_field"),
            "target: must be flow:<name>, queue:<name> or extension:<extension>");
  EXPECT_EQ(refusal(put("6000", {{"target", "queue:nobody"}}), 400, "invalid_field"),
            "target: queue 'nobody' does not exist");
  EXPECT_EQ(refusal(put("6000", {{"target", "flow:draft-only"}}), 400, "invalid_field"),
            "target: flow 'draft-only' is not published");
  EXPECT_EQ(refusal(put("6000", {{"target", "extension:1999"}}), 400, "invalid_field"),
            "target: there is no SIP account 1999");
  refusal(put("6000", {{"description", "no target"}}), 400, "missing_field");
  refusal(put("6000", {{"target", "queue:sales"}, {"colour", "red"}}), 400, "unknown_field");
  EXPECT_TRUE(numbers.all().empty());
}

TEST_F(NumbersApi, ANumberAnotherOwnerAnswersIsAConflictNamingTheOwner) {
  EXPECT_EQ(refusal(put("4000", {{"target", "queue:sales"}}), 409, "number_owned_by_flow"),
            "number: 4000 is answered by flow 'main' (its dids)");
  EXPECT_EQ(refusal(put("5003", {{"target", "queue:sales"}}), 409, "number_owned_by_config"),
            "number: 5003 is a [[did]] of the configuration file (5000-5009)");
  EXPECT_EQ(refusal(put("1001", {{"target", "queue:sales"}}), 409, "number_is_extension"),
            "number: 1001 is an extension's own number");
  refusal(api.call("DELETE", "/api/v1/numbers/4000", "", admin), 409, "number_owned_by_flow");
  EXPECT_TRUE(numbers.all().empty());
  // The other way round: a flow cannot claim a number of the table.
  ASSERT_EQ(put("6000", {{"target", "queue:sales"}}).status, 201);
  ASSERT_EQ(api.call("POST", "/api/v1/flows", flow_text("other", "6000"), admin).status, 201);
  refusal(api.call("POST", "/api/v1/flows/other/publish", "", admin), 409, "did_taken");
  EXPECT_FALSE(registry.current("other"));
}

}  // namespace
}  // namespace unicc::api
