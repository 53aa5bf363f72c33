// /api/v1/voicemails through the foundation's router (ApiHarness): roles, filters,
// the audio file, marking heard, and audited deletion.
#include "api/voicemails.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class VoicemailApiTest : public ::testing::Test {
 protected:
  VoicemailApiTest() {
    add_voicemail_routes(api.router, api.context, voicemails);
    api.users.create("sam", "Sam", auth::Role::supervisor, "", "sam-password");
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    supervisor = api.login("sam", "sam-password");
    agent = api.login("ann", "ann-password");
  }
  ~VoicemailApiTest() override { std::filesystem::remove_all(dir); }

  // Records a message whose audio file holds `audio` ("" = no file) and returns its id.
  std::int64_t leave(const std::string& mailbox, std::int64_t created_at, const std::string& audio = "") {
    call::Voicemail voicemail;
    voicemail.mailbox = mailbox;
    voicemail.caller = "1005";
    voicemail.caller_name = "Eve";
    voicemail.call_id = "c" + std::to_string(created_at);
    voicemail.created_at = created_at;
    voicemail.duration_ms = 3000;
    voicemail.path = dir + "/" + std::to_string(created_at) + ".wav";
    if (!audio.empty()) std::ofstream(voicemail.path, std::ios::binary) << audio;
    EXPECT_TRUE(voicemails.record(voicemail));
    api.writer.flush();
    std::int64_t newest = 0;
    for (const auto& stored : voicemails.find({})) newest = std::max(newest, stored.id);
    return newest;
  }

  static json body(const http::Response& response) { return json::parse(response.body); }
  static std::string error_code(const http::Response& response) { return body(response)["error"]["code"]; }
  static std::string path(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/voicemails/" + std::to_string(id) + rest;
  }

  unicc::testing::ApiHarness api;
  call::VoicemailStore voicemails{api.writer, api.test.db()};
  std::string dir = unicc::testing::make_temp_dir();
  std::string admin = api.admin_token();
  std::string supervisor;
  std::string agent;
};

TEST_F(VoicemailApiTest, ListsNewestFirstFilteredAndPaged) {
  leave("1001", 100);
  leave("1002", 200);
  auto newest = leave("1001", 300);
  auto all = api.call("GET", "/api/v1/voicemails", "", supervisor);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(body(all)["total"], 3);
  ASSERT_EQ(body(all)["items"].size(), 3u);
  json first = body(all)["items"][0];
  EXPECT_EQ(first["id"], newest);
  EXPECT_EQ(first["mailbox"], "1001");
  EXPECT_EQ(first["caller"], "1005");
  EXPECT_EQ(first["caller_name"], "Eve");
  EXPECT_EQ(first["call_id"], "c300");
  EXPECT_EQ(first["created_at"], 300);
  EXPECT_EQ(first["duration_ms"], 3000);
  EXPECT_EQ(first["heard"], false);
  EXPECT_EQ(first["audio"], path(newest, "/audio"));
  EXPECT_FALSE(first.contains("path"));

  auto page = body(api.call("GET", "/api/v1/voicemails?mailbox=1001&limit=1&offset=1", "", admin));
  EXPECT_EQ(page["total"], 2);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["created_at"], 100);

  ASSERT_EQ(api.call("POST", path(newest, "/heard"), "", supervisor).status, 200);
  auto unheard = body(api.call("GET", "/api/v1/voicemails?heard=false", "", admin));
  EXPECT_EQ(unheard["total"], 2);
  auto heard = body(api.call("GET", "/api/v1/voicemails?heard=true", "", admin));
  ASSERT_EQ(heard["items"].size(), 1u);
  EXPECT_EQ(heard["items"][0]["id"], newest);
}

TEST_F(VoicemailApiTest, BadParametersAre400) {
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/voicemails?heard=maybe", "", admin)), "invalid_parameter");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/voicemails?limit=0", "", admin)), "invalid_parameter");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/voicemails?offset=-1", "", admin)), "invalid_parameter");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/voicemails/abc", "", admin)), "invalid_parameter");
}

TEST_F(VoicemailApiTest, OneMessageAndUnknownIds) {
  auto id = leave("1001", 100);
  auto one = api.call("GET", path(id), "", supervisor);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(body(one)["id"], id);
  for (auto [method, rest] : {std::pair{"GET", ""}, {"GET", "/audio"}, {"POST", "/heard"}, {"DELETE", ""}}) {
    auto response = api.call(method, path(id + 1, rest), "", admin);
    EXPECT_EQ(response.status, 404) << method << rest;
    EXPECT_EQ(error_code(response), "not_found");
  }
}

TEST_F(VoicemailApiTest, AudioIsTheWavFileAnd404OnceItIsGone) {
  std::string wav("RIFF\x24\x00\x00\x00WAVEfmt ", 16);
  auto id = leave("1001", 100, wav);
  auto audio = api.call("GET", path(id, "/audio"), "", supervisor);
  ASSERT_EQ(audio.status, 200);
  EXPECT_EQ(audio.content_type, "audio/wav");
  EXPECT_EQ(audio.body, wav);
  std::filesystem::remove(dir + "/100.wav");
  auto gone = api.call("GET", path(id, "/audio"), "", supervisor);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(error_code(gone), "not_found");
}

TEST_F(VoicemailApiTest, MarkingHeardAnswersTheUpdatedMessage) {
  auto id = leave("1001", 100);
  auto marked = api.call("POST", path(id, "/heard"), "", supervisor);
  ASSERT_EQ(marked.status, 200);
  EXPECT_EQ(body(marked)["heard"], true);
  EXPECT_EQ(body(api.call("GET", path(id), "", admin))["heard"], true);
}

TEST_F(VoicemailApiTest, AdminsDeleteMessageAndFileAudited) {
  auto id = leave("1001", 100, "RIFF");
  EXPECT_EQ(error_code(api.call("DELETE", path(id), "", supervisor)), "forbidden");
  auto deleted = api.call("DELETE", path(id), "", admin, "192.0.2.9");
  ASSERT_EQ(deleted.status, 204);
  EXPECT_FALSE(std::filesystem::exists(dir + "/100.wav"));
  EXPECT_EQ(api.call("GET", path(id), "", admin).status, 404);

  api.writer.flush();
  auto audit = body(api.call("GET", "/api/v1/audit?action=voicemail.delete", "", admin))["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["actor"], "root");
  EXPECT_EQ(audit[0]["source"], "192.0.2.9");
  EXPECT_EQ(audit[0]["target"], "voicemail:" + std::to_string(id));
  EXPECT_EQ(json::parse(audit[0]["detail"].get<std::string>())["mailbox"], "1001");
}

TEST_F(VoicemailApiTest, AgentsAndStrangersAreTurnedAway) {
  auto id = leave("1001", 100, "RIFF");
  for (auto [method, rest] : {std::pair{"GET", ""}, {"GET", "/audio"}, {"POST", "/heard"}, {"DELETE", ""}}) {
    EXPECT_EQ(api.call(method, path(id, rest), "", agent).status, 403) << method << rest;
    EXPECT_EQ(api.call(method, path(id, rest)).status, 401) << method << rest;
  }
  EXPECT_EQ(api.call("GET", "/api/v1/voicemails", "", agent).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/voicemails").status, 401);
  EXPECT_TRUE(std::filesystem::exists(dir + "/100.wav"));
}

}  // namespace
}  // namespace unicc::api
