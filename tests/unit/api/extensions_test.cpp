// /api/v1/extensions over a real database (ApiHarness): accounts created, renamed,
// disabled and given a new password by an admin, each audited without the password,
// the SIP side told at once; the phones registered to each; weak passwords, bad
// extensions, duplicates and roles refused. The CSV export (no passwords) and import:
// a dry run reporting each line and changing nothing, a real run all or nothing.
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

  json post_csv(const std::string& path, const std::string& csv, const std::string& token) {
    auto response = api.call("POST", path, csv, token);
    last_status = response.status;
    return json::parse(response.body);
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

TEST_F(ExtensionsApi, TheExportListsEveryAccountWithoutPasswords) {
  call("POST", "/api/v1/extensions", {{"extension", "2001"}, {"display_name", "前台, 王芳"}, {"password", "Blue-Heron-4821"}},
       admin);
  call("POST", "/api/v1/extensions", {{"extension", "2002"}, {"password", "Green-Finch-7730"}}, admin);
  call("PATCH", "/api/v1/extensions/2002", {{"enabled", false}}, admin);
  auto response = api.call("GET", "/api/v1/extensions/export", "", api.login("sue", "sue-password"));
  ASSERT_EQ(response.status, 200) << "supervisors read";
  EXPECT_EQ(response.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(response.body,
            "\xEF\xBB\xBF"
            "extension,display_name,enabled,password\r\n"
            "2001,\"前台, 王芳\",true,\r\n"
            "2002,,false,\r\n");
  EXPECT_EQ(post_csv("/api/v1/extensions/import", response.body, admin)["summary"],
            (json{{"create", 0}, {"update", 0}, {"unchanged", 2}, {"refused", 0}}))
      << "the export imports as it is";
}

TEST_F(ExtensionsApi, ADryRunReportsEachLineAndChangesNothing) {
  call("POST", "/api/v1/extensions", {{"extension", "2001"}, {"display_name", "Lobby"}, {"password", "Blue-Heron-4821"}},
       admin);
  changes.clear();
  const std::string csv =
      "extension,display_name,password,enabled\n"
      "2001,\"Lobby, east\",,\n"
      "2002,\"张伟 \"\"Wei\"\"\",Green-Finch-7730,false\n"
      "2003,Spare,password123,\n"
      "20x4,Bad,Green-Finch-7730,maybe\n"
      "2005,,,\n"
      "2002,Again,Green-Finch-7730,\n";
  json report = post_csv("/api/v1/extensions/import?dry_run=true", csv, admin);
  ASSERT_EQ(last_status, 200) << report;
  EXPECT_EQ(report["dry_run"], true);
  EXPECT_EQ(report["applied"], false);
  const std::string weak = auth::password_problem("2003", "password123", auth::PasswordRule::strong);
  EXPECT_EQ(unicc::testing::import_report_lines(report), (std::vector<std::string>{
                                      "2 update 2001 display_name",
                                      "3 create 2002",
                                      "4 refused 2003 | password: " + weak,
                                      "5 refused 20x4 | extension: 2 to 16 digits | enabled: true or false (empty: unchanged)",
                                      "6 refused 2005 | password: a new extension needs one",
                                      "7 refused 2002 | extension: given on line 3 already",
                                  }));
  EXPECT_EQ(report["summary"], (json{{"create", 1}, {"update", 1}, {"unchanged", 0}, {"refused", 4}}));

  json refused = post_csv("/api/v1/extensions/import", csv, admin);
  EXPECT_EQ(last_status, 400);
  EXPECT_EQ(refused["error"]["code"], "invalid_import");
  EXPECT_EQ(refused["error"]["message"].get<std::string>().substr(0, 46), "nothing imported: line 4, password: " + weak.substr(0, 10));
  EXPECT_EQ(refused["error"]["details"]["lines"].size(), 6u);

  json list = call("GET", "/api/v1/extensions", nullptr, admin);
  ASSERT_EQ(list["items"].size(), 1u) << "neither the dry run nor the refused run changed anything";
  EXPECT_EQ(list["items"][0]["display_name"], "Lobby");
  EXPECT_TRUE(changes.empty());
}

TEST_F(ExtensionsApi, AGoodImportAppliesEveryLineAndIsAudited) {
  call("POST", "/api/v1/extensions", {{"extension", "2001"}, {"password", "Blue-Heron-4821"}}, admin);
  call("POST", "/api/v1/extensions", {{"extension", "2009"}, {"password", "Blue-Heron-4821"}}, admin);
  changes.clear();
  json report = post_csv("/api/v1/extensions/import",
                         "extension,display_name,enabled,password\r\n"
                         "2001,前台,false,\r\n"
                         "2002,\"Li, Na\",,Green-Finch-7730\r\n"
                         "2009,,,Red-Kite-5512\r\n",
                         admin);
  ASSERT_EQ(last_status, 200) << report;
  EXPECT_EQ(report["applied"], true);
  EXPECT_EQ(unicc::testing::import_report_lines(report), (std::vector<std::string>{"2 update 2001 display_name enabled",
                                                            "3 create 2002", "4 update 2009 password"}));
  json list = call("GET", "/api/v1/extensions", nullptr, admin);
  ASSERT_EQ(list["items"].size(), 3u);
  EXPECT_EQ((std::tuple{list["items"][0]["display_name"], list["items"][0]["enabled"], list["items"][1]["display_name"]}),
            (std::tuple{json("前台"), json(false), json("Li, Na")}));
  EXPECT_EQ(ha1("2002"), sip::digest_ha1(sip::DigestAlgorithm::kMd5, "2002", "unicc.test", "Green-Finch-7730"));
  EXPECT_EQ(ha1("2009"), sip::digest_ha1(sip::DigestAlgorithm::kMd5, "2009", "unicc.test", "Red-Kite-5512"));
  EXPECT_EQ(changes, (std::vector<std::string>{"2001 disabled", "2002"})) << "one reload, and the disabled one's phones";

  const auto trail = api.audit.list(10, 0, "", "extension:2009");
  ASSERT_FALSE(trail.empty());
  EXPECT_EQ(json::parse(trail[0].detail), (json{{"password", "reset"}, {"via", "import"}}));
  const auto created = api.audit.list(10, 0, "extension.create", "extension:2002");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].detail.find("Green-Finch"), std::string::npos) << "the password is never audited";
  EXPECT_EQ(api.audit.list(10, 0, "extension.import").size(), 1u);
}

TEST_F(ExtensionsApi, MalformedUploadsAndOtherRolesAreRefused) {
  auto refusal = [&](const std::string& csv) {
    json answer = post_csv("/api/v1/extensions/import?dry_run=true", csv, admin);
    return std::to_string(last_status) + " " + answer["error"]["code"].get<std::string>() + " " +
           answer["error"]["message"].get<std::string>();
  };
  EXPECT_EQ(refusal(""), "400 invalid_csv line 1: no header (the columns' names)");
  EXPECT_EQ(refusal("extension,pin\n2001,1\n"),
            "400 invalid_csv line 1: unknown column 'pin' (the columns are extension, display_name, enabled, password)");
  EXPECT_EQ(refusal("display_name\nLobby\n"), "400 invalid_csv line 1: the column 'extension' is missing");
  EXPECT_EQ(refusal("extension,display_name\n2001\n"), "400 invalid_csv line 2: 1 fields, the header has 2");
  EXPECT_EQ(refusal("extension,display_name\n2001,\"Lobby\n"), "400 invalid_csv line 2: a quoted field is not closed");
  std::string many = "extension\n";
  for (int i = 0; i <= 5000; ++i) many += std::to_string(10000 + i) + "\n";
  EXPECT_EQ(refusal(many), "413 body_too_large more than 5000 records besides the header");
  post_csv("/api/v1/extensions/import?dry_run=maybe", "extension\n2001\n", admin);
  EXPECT_EQ(last_status, 400);
  post_csv("/api/v1/extensions/import?dry_run=true", "extension\n2001\n", api.login("sue", "sue-password"));
  EXPECT_EQ(last_status, 403) << "supervisors do not import";
}

}  // namespace
}  // namespace unicc::api
