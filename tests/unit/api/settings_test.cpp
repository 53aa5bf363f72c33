// /api/v1/settings through the router (ApiHarness) over settings::RunTimeSettings: the
// keys that may change while the server runs, checked as the configuration file's
// values are, stored over the file's (a restart keeps them), handed to their owner at
// once, reset to the file's, admins only, audited.
#include "api/settings.h"

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;
using unicc::testing::refusal;

class SettingsApi : public ::testing::Test {
 protected:
  SettingsApi() {
    file.log.level = "warn";
    file.media.recording_retention_days = 90;
    run_time = std::make_unique<settings::RunTimeSettings>(
        api.test.db(), file, std::vector<std::string>{"log.level", "media.recording_retention_days",
                                                      "outbound.international_callers", "media.record_calls"});
    run_time->on_change([this](const std::string& name, const core::Config& now) {
      applied.push_back(name + "=" + core::show_config_value(*core::config_value(now, name)));
    });
    add_setting_routes(api.router, api.context, *run_time);
  }

  http::Response put(const std::string& name, const std::string& body, const std::string& token = "") {
    return api.call("PUT", "/api/v1/settings/" + name, body, token.empty() ? admin : token);
  }
  json item(const std::string& name) {
    auto response = api.call("GET", "/api/v1/settings", "", admin);
    EXPECT_EQ(response.status, 200) << response.body;
    const json body = json::parse(response.body);
    for (const auto& item : body["items"]) {
      if (item["name"] == name) return item;
    }
    ADD_FAILURE() << "no setting " << name << " in " << response.body;
    return {};
  }

  unicc::testing::ApiHarness api;
  core::Config file;
  std::unique_ptr<settings::RunTimeSettings> run_time;
  std::vector<std::string> applied;
  std::string admin = api.admin_token();
};

TEST_F(SettingsApi, ListsTheChangeableKeysWithTheFilesValueAndDefault) {
  auto response = api.call("GET", "/api/v1/settings", "", admin);
  ASSERT_EQ(response.status, 200) << response.body;
  auto items = json::parse(response.body)["items"];
  ASSERT_EQ(items.size(), 4u) << items.dump();
  auto level = item("log.level");
  EXPECT_EQ(level["value"], "warn");
  EXPECT_EQ(level["file_value"], "warn");
  EXPECT_EQ(level["default"], "\"info\"");
  EXPECT_EQ(level["type"], "string");
  EXPECT_EQ(level["changed"], false);
  EXPECT_TRUE(level["changed_at"].is_null());
  EXPECT_NE(level["meaning"].get<std::string>().find("Lowest level"), std::string::npos) << level.dump();
  EXPECT_EQ(item("media.recording_retention_days")["type"], "integer");
  EXPECT_EQ(item("media.record_calls")["type"], "boolean");
  EXPECT_EQ(item("outbound.international_callers")["value"], json::array());
  EXPECT_EQ(item("outbound.international_callers")["type"], "list");
}

TEST_F(SettingsApi, AChangeIsAppliedAtOnceStoredAuditedAndKeptByARestart) {
  api.clock.set_ms(1'795'000'123'000);
  auto response = put("media.recording_retention_days", R"({"value": 30})");
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = json::parse(response.body);
  EXPECT_EQ(body["value"], 30);
  EXPECT_EQ(body["file_value"], 90);
  EXPECT_EQ(body["changed"], true);
  EXPECT_EQ(body["changed_by"], "root");
  EXPECT_EQ(body["changed_at"], 1'795'000'123'000);
  EXPECT_EQ(applied, std::vector<std::string>{"media.recording_retention_days=30"});
  ASSERT_EQ(put("outbound.international_callers", R"({"value": ["1001", "callback"]})").status, 200);
  EXPECT_EQ(run_time->current().outbound.international_callers, (std::vector<std::string>{"1001", "callback"}));

  // The next start reads the file's values with the changes over them.
  settings::RunTimeSettings restarted(api.test.db(), file, {"media.recording_retention_days", "log.level",
                                                            "outbound.international_callers"});
  EXPECT_EQ(restarted.current().media.recording_retention_days, 30);
  EXPECT_EQ(restarted.current().log.level, "warn");
  EXPECT_EQ(restarted.current().outbound.international_callers, (std::vector<std::string>{"1001", "callback"}));
  EXPECT_EQ(restarted.find("media.recording_retention_days")->changed_by, "root");

  api.writer.flush();
  auto audit = json::parse(
      api.call("GET", "/api/v1/audit?target=setting:media.recording_retention_days", "", admin).body)["items"];
  ASSERT_EQ(audit.size(), 1u) << audit.dump();
  EXPECT_EQ(audit[0]["action"], "setting.change");
  const auto detail = json::parse(audit[0]["detail"].get<std::string>());
  EXPECT_EQ(detail, (json{{"value", 30}, {"was", 90}}));
}

TEST_F(SettingsApi, AResetGoesBackToTheFilesValue) {
  ASSERT_EQ(put("log.level", R"({"value": "debug"})").status, 200);
  auto response = api.call("DELETE", "/api/v1/settings/log.level", "", admin);
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = json::parse(response.body);
  EXPECT_EQ(body["value"], "warn");
  EXPECT_EQ(body["changed"], false);
  EXPECT_EQ(applied, (std::vector<std::string>{"log.level=\"debug\"", "log.level=\"warn\""}));
  // Nothing left to drop: the same answer, nothing applied or audited.
  ASSERT_EQ(api.call("DELETE", "/api/v1/settings/log.level", "", admin).status, 200);
  EXPECT_EQ(applied.size(), 2u);
  settings::RunTimeSettings restarted(api.test.db(), file, {"log.level"});
  EXPECT_EQ(restarted.current().log.level, "warn");
  api.writer.flush();
  auto audit = json::parse(api.call("GET", "/api/v1/audit?target=setting:log.level", "", admin).body)["items"];
  ASSERT_EQ(audit.size(), 2u) << audit.dump();
  EXPECT_EQ(audit[0]["action"], "setting.reset");
}

TEST_F(SettingsApi, AValueTheFileWouldRefuseIsRefusedNamingTheKeyAndChangesNothing) {
  EXPECT_NE(refusal(put("log.level", R"({"value": "loud"})"), 400, "invalid_field").find("log.level: must be one of"),
            std::string::npos);
  EXPECT_EQ(refusal(put("media.recording_retention_days", R"({"value": 40000})"), 400, "invalid_field"),
            "media.recording_retention_days: must be between 0 and 36500");
  EXPECT_EQ(refusal(put("media.recording_retention_days", R"({"value": "30"})"), 400, "invalid_field"),
            "media.recording_retention_days: expected an integer");
  refusal(put("media.recording_retention_days", R"({"value": 2.5})"), 400, "invalid_field");
  refusal(put("media.record_calls", R"({"value": null})"), 400, "invalid_field");
  refusal(put("outbound.international_callers", R"({"value": ["1001", 7]})"), 400, "invalid_field");
  refusal(put("log.level", R"({"value": "debug", "also": 1})"), 400, "unknown_field");
  refusal(put("log.level", R"({})"), 400, "missing_field");
  refusal(put("log.level", R"([1])"), 400, "bad_json");
  refusal(put("log.level", "{\"value\": \"" + std::string(5000, 'a') + "\"}"), 400, "invalid_field");
  // Keys that need a restart, or are no key at all, are not here.
  refusal(put("http.port", R"({"value": 8081})"), 404, "not_found");
  refusal(put("nothing.at_all", R"({"value": 1})"), 404, "not_found");
  EXPECT_TRUE(applied.empty());
  EXPECT_EQ(item("log.level")["value"], "warn");
  EXPECT_EQ(item("media.recording_retention_days")["changed"], false);
}

// Open Settings pages follow changes made elsewhere: admins' streams get each one.
TEST_F(SettingsApi, AdminsStreamsHearEachChangeAndReset) {
  std::vector<json> admin_got, supervisor_got;
  auth::Principal root{1, "root", auth::Role::admin, ""}, sue{2, "sue", auth::Role::supervisor, ""};
  api.hub.subscribe(root, [&](const http::EventHub::Text& text) { admin_got.push_back(json::parse(*text)); });
  api.hub.subscribe(sue, [&](const http::EventHub::Text& text) { supervisor_got.push_back(json::parse(*text)); });
  ASSERT_EQ(put("log.level", R"({"value": "debug"})").status, 200);
  ASSERT_EQ(api.call("DELETE", "/api/v1/settings/log.level", "", admin).status, 200);
  ASSERT_EQ(api.call("DELETE", "/api/v1/settings/log.level", "", admin).status, 200);  // nothing to drop
  std::vector<json> settings;
  for (const auto& event : admin_got) {
    if (event["type"] == "setting") settings.push_back(event["record"]);
  }
  ASSERT_EQ(settings.size(), 2u) << json(admin_got).dump();
  EXPECT_EQ((std::pair{settings[0]["value"], settings[0]["changed"]}), (std::pair{json("debug"), json(true)}));
  EXPECT_EQ((std::pair{settings[1]["value"], settings[1]["changed"]}), (std::pair{json("warn"), json(false)}));
  for (const auto& event : supervisor_got) EXPECT_NE(event["type"], "setting") << event.dump();
}

TEST_F(SettingsApi, OnlyAdminsSeeOrChangeSettings) {
  api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
  const std::string sue = api.login("sue", "sue-password");
  refusal(api.call("GET", "/api/v1/settings", "", sue), 403, "forbidden");
  refusal(put("log.level", R"({"value": "debug"})", sue), 403, "forbidden");
  refusal(api.call("DELETE", "/api/v1/settings/log.level", "", sue), 403, "forbidden");
  refusal(api.call("GET", "/api/v1/settings"), 401, "unauthorized");
  EXPECT_TRUE(applied.empty());
}

TEST_F(SettingsApi, AStoredValueTheKeyNoLongerAcceptsIsSkippedAtStart) {
  {
    soci::session sql(api.test.db().pool());
    sql << "INSERT INTO settings (name, value, changed_by, changed_at) VALUES"
           " ('media.recording_retention_days', '99999', 'old', 1),"
           " ('log.level', '{\"not\": \"a value\"}', 'old', 1),"
           " ('http.port', '9', 'old', 1),"
           " ('media.record_calls', 'false', 'old', 1)";
  }
  settings::RunTimeSettings restarted(api.test.db(), file, {"media.recording_retention_days", "log.level",
                                                            "media.record_calls"});
  EXPECT_EQ(restarted.current().media.recording_retention_days, 90);
  EXPECT_EQ(restarted.current().log.level, "warn");
  EXPECT_EQ(restarted.current().http.port, file.http.port);
  EXPECT_FALSE(restarted.current().media.record_calls);
  EXPECT_FALSE(restarted.find("log.level")->changed);
}

TEST(RunTimeSettings, OnlyKeysOfTheConfigurationMayBeListed) {
  unicc::testing::TestDatabase test;
  EXPECT_THROW(settings::RunTimeSettings(test.db(), core::Config{}, {"log.colour"}), std::invalid_argument);
}

}  // namespace
}  // namespace unicc::api
