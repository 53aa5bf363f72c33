// GET /api/v1/cti/codes through the router (ApiHarness): the configured lists with
// their labels per language, for any signed-in user.
#include "api/cti_codes.h"

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

TEST(CtiCodesApi, AnySignedInUserReadsTheListsWithTheirLabels) {
  unicc::testing::ApiHarness api;
  core::CtiConfig codes;
  codes.dispositions = {{"sold", "Sold", "已成交"}, {"no-sale", "No sale", "No sale"}};
  add_cti_code_routes(api.router, api.context, codes);
  api.test.add_sip_account("1001");
  api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");

  auto response = api.call("GET", "/api/v1/cti/codes", "", api.login("ann", "ann-password"));
  ASSERT_EQ(response.status, 200) << response.body;
  json body = json::parse(response.body);
  EXPECT_EQ(body["dispositions"], json::parse(R"([{"code":"sold","label":{"en":"Sold","zh-CN":"已成交"}},
                                                  {"code":"no-sale","label":{"en":"No sale","zh-CN":"No sale"}}])"));
  ASSERT_EQ(body["not_ready_reasons"].size(), 6u);
  EXPECT_EQ(body["not_ready_reasons"][0], json::parse(R"({"code":"break","label":{"en":"Break","zh-CN":"休息"}})"));
  EXPECT_EQ(api.call("GET", "/api/v1/cti/codes").status, 401);
}

}  // namespace
}  // namespace unicc::api
