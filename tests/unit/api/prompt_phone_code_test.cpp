// POST /api/v1/prompts/{name}/phone-code (ApiHarness) over ivr::PhoneRecordingCodes: a
// one-time code to record a prompt from the admin's own phone (*77<code>#), for admins
// with an extension only, audited; the code is good once, for that extension only,
// until it expires, and asking again replaces the user's earlier code.
#include <gtest/gtest.h>

#include "api/prompts.h"
#include "ivr/phone_recording.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class PromptPhoneCode : public ::testing::Test {
 protected:
  void SetUp() override {
    add_prompt_routes(api.router, api.context, library, {[](const std::string&) {}, tts, &codes});
    api.test.add_sip_account("1001");
    api.test.add_sip_account("1003");
    api.users.create("ada", "Ada", auth::Role::admin, "1001", "ada-password");
    api.users.create("sue", "Sue", auth::Role::supervisor, "1003", "sue-password");
  }
  http::Response ask(const std::string& name, const std::string& token) {
    return api.call("POST", "/api/v1/prompts/" + name + "/phone-code", "", token);
  }

  unicc::testing::ApiHarness api;
  std::string dir = unicc::testing::make_temp_dir();
  ivr::PromptLibrary library{dir + "/prompts", dir + "/sounds"};
  media::TtsCache tts{media::TtsSettings{dir + "/tts", "espeak-ng"}};
  ivr::PhoneRecordingCodes codes;
};

TEST_F(PromptPhoneCode, AnAdminGetsACodeForTheirOwnPhoneOnceAndAudited) {
  const std::string ada = api.login("ada", "ada-password");
  auto response = ask("welcome", ada);
  ASSERT_EQ(response.status, 201) << response.body;
  json body = json::parse(response.body);
  const std::string code = body["code"];
  EXPECT_EQ(code.size(), 6u);
  EXPECT_EQ(body["dial"], "*77" + code + "#");
  EXPECT_EQ(body["extension"], "1001");
  EXPECT_EQ(body["prompt"], "welcome");
  EXPECT_EQ(body["expires_at"], api.clock.now_ms() + 10 * 60 * 1000);

  // Another phone cannot use it, and does not use it up.
  EXPECT_FALSE(codes.take(code, "1003", api.clock.now_ms()));
  auto grant = codes.take(code, "1001", api.clock.now_ms());
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->prompt, "welcome");
  EXPECT_EQ(grant->username, "ada");
  EXPECT_FALSE(codes.take(code, "1001", api.clock.now_ms()));  // once

  api.writer.flush();
  auto audit = json::parse(api.call("GET", "/api/v1/audit?action=prompt.phone_code", "", api.admin_token()).body)["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["actor"], "ada");
  EXPECT_EQ(audit[0]["target"], "prompt:welcome");
}

TEST_F(PromptPhoneCode, ACodeExpiresAndANewOneReplacesTheOld) {
  const std::string ada = api.login("ada", "ada-password");
  const std::string first = json::parse(ask("welcome", ada).body)["code"];
  const std::string second = json::parse(ask("goodbye", ada).body)["code"];
  EXPECT_FALSE(codes.take(first, "1001", api.clock.now_ms()));
  EXPECT_FALSE(codes.take(second, "1001", api.clock.now_ms() + 10 * 60 * 1000));
  EXPECT_FALSE(codes.take(second, "1001", api.clock.now_ms()));  // gone once expired
}

TEST_F(PromptPhoneCode, OnlyAdminsWithAnExtensionGetCodesForValidNames) {
  EXPECT_EQ(ask("welcome", api.login("sue", "sue-password")).status, 403);
  EXPECT_EQ(ask("welcome", "").status, 401);
  auto root = ask("welcome", api.admin_token());  // root has no extension
  EXPECT_EQ(root.status, 409) << root.body;
  EXPECT_EQ(json::parse(root.body)["error"]["code"], "no_extension");
  EXPECT_EQ(ask("bad.name", api.login("ada", "ada-password")).status, 400);
}

}  // namespace
}  // namespace unicc::api
