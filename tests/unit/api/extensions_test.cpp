// /api/v1/extensions over a real database (ApiHarness): accounts created, renamed,
// disabled and given a new password by an admin, each audited without the password,
// the SIP side told at once; the phones registered to each; weak passwords, bad
// extensions, duplicates and roles refused.
#include "api/extensions.h"

#include <gtest/gtest.h>

#include "call/sip_accounts.h"
#include "sip/digest.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class ExtensionsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    add_extension_routes(api.router, api.context, "unicc.test",
                         {[this] { return registered; },
                          [this](const std::string& extension, bool disabled) {
                            changes.push_back(extension + (disabled ? " disabled" : ""));
                          }});
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
    admin = api.admin_token();
  }

  json call(const std::string& method, const std::string& path, const json& body, const std::string& token) {
    auto response = api.call(method, path, body.is_null() ? "" : body.dump(), token);
    last_status = response.status;
    return response.body.empty() ? json() : json::parse(response.body);
  }

  std::string ha1(const std::string& extension) {
    for (const auto& account : call::load_sip_accounts(api.test.db(), "unicc.test")) {
      if (account.user == extension) return account.ha1_md5;
    }
    return "";
  }

  unicc::testing::ApiHarness api;
  std::string admin;
  std::map<std::string, std::vector<sip::Binding>, std::less<>> registered;
  std::vector<std::string> changes;
  int last_status = 0;
};

TEST_F(ExtensionsApi, AnAdminCreatesAnExtensionThatCanAuthenticateAtOnce) {
  json created = call("POST", "/api/v1/extensions",
                      {{"extension", "2001"}, {"display_name", "前台"}, {"password", "Blue-Heron-4821"}}, admin);
  ASSERT_EQ(last_status, 201) << created;
  EXPECT_EQ((std::tuple{created["extension"], created["display_name"], created["enabled"], created["registered"]}),
            (std::tuple{json("2001"), json("前台"), json(true), json(false)}));
  EXPECT_EQ(ha1("2001"), sip::digest_ha1(sip::DigestAlgorithm::kMd5, "2001", "unicc.test", "Blue-Heron-4821"));
  EXPECT_EQ(changes, std::vector<std::string>{"2001"});
  api.writer.flush();
  const auto audit = api.audit.list(10, 0, "extension.create");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].target, "extension:2001");
  EXPECT_EQ(audit[0].detail.find("Blue-Heron"), std::string::npos) << "the password is never audited";

  call("POST", "/api/v1/extensions", {{"extension", "2001"}, {"password", "Another-Pass-9137"}}, admin);
  EXPECT_EQ(last_status, 409);
}

TEST_F(ExtensionsApi, BadExtensionsWeakPasswordsAndOtherRolesAreRefused) {
  for (const char* extension : {"1", "20-01", "12345678901234567", "abc"}) {
    json refused = call("POST", "/api/v1/extensions", {{"extension", extension}, {"password", "Blue-Heron-4821"}},
                        admin);
    EXPECT_EQ(refused["error"]["code"], "invalid_field") << extension;
    EXPECT_EQ(last_status, 400) << extension;
  }
  for (const char* password : {"short1", "2002200220", "password123", "demo2002"}) {
    json refused = call("POST", "/api/v1/extensions", {{"extension", "2002"}, {"password", password}}, admin);
    EXPECT_EQ(last_status, 422) << password;
    EXPECT_EQ(refused["error"]["code"], "weak_password") << password;
  }
  call("POST", "/api/v1/extensions", {{"extension", "2002"}, {"password", "Blue-Heron-4821"}, {"pin", 1}}, admin);
  EXPECT_EQ(last_status, 400) << "an unknown field";
  const std::string sue = api.login("sue", "sue-password");
  call("POST", "/api/v1/extensions", {{"extension", "2002"}, {"password", "Blue-Heron-4821"}}, sue);
  EXPECT_EQ(last_status, 403);
  call("GET", "/api/v1/extensions", nullptr, sue);
  EXPECT_EQ(last_status, 200) << "supervisors read";
  call("GET", "/api/v1/extensions", nullptr, "");
  EXPECT_EQ(last_status, 401);
  EXPECT_TRUE(changes.empty());
}

TEST_F(ExtensionsApi, ThePhonesRegisteredToEachAreShown) {
  call("POST", "/api/v1/extensions", {{"extension", "2001"}, {"password", "Blue-Heron-4821"}}, admin);
  registered["2001"] = {sip::Binding{"sip:2001@192.0.2.7:5062", sip::Endpoint{sip::Transport::kUdp, "192.0.2.7", 5062},
                                     api.clock.now_ms() + 3'600'000, "reg-1", 2, "Yealink SIP-T46U"}};
  json list = call("GET", "/api/v1/extensions", nullptr, admin);
  ASSERT_EQ(last_status, 200) << list;
  json mine;
  for (const auto& item : list["items"]) {
    if (item["extension"] == "2001") mine = item;
  }
  ASSERT_FALSE(mine.is_null()) << list;
  EXPECT_EQ(mine["registered"], true);
  ASSERT_EQ(mine["registrations"].size(), 1u);
  EXPECT_EQ(mine["registrations"][0]["address"], "UDP 192.0.2.7:5062");
  EXPECT_EQ(mine["registrations"][0]["user_agent"], "Yealink SIP-T46U");
}

TEST_F(ExtensionsApi, APasswordResetOrADisableTakesEffectAtOnce) {
  call("POST", "/api/v1/extensions", {{"extension", "2001"}, {"password", "Blue-Heron-4821"}}, admin);
  json changed = call("PATCH", "/api/v1/extensions/2001", {{"password", "Green-Finch-7730"}}, admin);
  ASSERT_EQ(last_status, 200) << changed;
  EXPECT_EQ(ha1("2001"), sip::digest_ha1(sip::DigestAlgorithm::kMd5, "2001", "unicc.test", "Green-Finch-7730"));
  changed = call("PATCH", "/api/v1/extensions/2001", {{"enabled", false}, {"display_name", "Spare"}}, admin);
  ASSERT_EQ(last_status, 200) << changed;
  EXPECT_EQ((std::tuple{changed["enabled"], changed["display_name"]}), (std::tuple{json(false), json("Spare")}));
  EXPECT_EQ(ha1("2001"), "") << "a disabled account cannot authenticate";
  EXPECT_EQ(changes, (std::vector<std::string>{"2001", "2001", "2001 disabled"}));
  api.writer.flush();
  const auto audit = api.audit.list(10, 0, "extension.update");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(json::parse(audit[1].detail), (json{{"password", "reset"}}));
  call("PATCH", "/api/v1/extensions/2001", {{"password", "short"}}, admin);
  EXPECT_EQ(last_status, 422);
  call("PATCH", "/api/v1/extensions/2999", {{"enabled", true}}, admin);
  EXPECT_EQ(last_status, 404);
}

}  // namespace
}  // namespace unicc::api
