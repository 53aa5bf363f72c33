// GET /api/v1/cdrs/{id}/recording through the router (ApiHarness): the WAV whole and
// in byte ranges, who may hear and who may download it, the audit of each playback
// and download, a recording the retention deleted, and what is never served (no
// recording, a file gone, a path outside the recordings folder); the search by talk
// time and recording.
#include "api/cdrs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class RecordingApiTest : public ::testing::Test {
 protected:
  RecordingApiTest() {
    std::filesystem::create_directories(recordings);
    add_cdr_routes(api.router, api.context, cdrs, recordings);
    api.test.add_sip_account("1001");
    api.test.add_sip_account("1002");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    api.users.create("bob", "Bob", auth::Role::agent, "1002", "bob-password");
    api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
    ann = api.login("ann", "ann-password");
    bob = api.login("bob", "bob-password");
    qa = api.login("quinn", "quinn-password");
  }
  ~RecordingApiTest() override { std::filesystem::remove_all(dir); }

  // A call agent 1001 took, recorded at `path` ("" = not recorded); returns its id.
  std::int64_t call_recorded_at(const std::string& path, const std::string& events = "[]") {
    call::Cdr cdr;
    cdr.events = events;
    cdr.call_id = "c" + std::to_string(++calls);
    cdr.caller = "13800000000";
    cdr.started_at = 1000 * calls;
    cdr.answered_at = cdr.started_at + 1;
    cdr.ended_at = cdr.started_at + 2;
    cdr.disposition = "answered";
    cdr.agent = "1001";
    cdr.recording_path = path;
    cdrs.record(cdr, {});
    api.writer.flush();
    return cdrs.find({}).front().id;
  }

  http::Response play(std::int64_t id, const std::string& token, const std::string& range = "",
                      const std::string& query = "") {
    http::Request request;
    request.method = "GET";
    request.path = "/api/v1/cdrs/" + std::to_string(id) + "/recording";
    request.query = http::parse_query(query);
    request.remote_address = "192.0.2.7";
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    if (!range.empty()) request.headers["range"] = range;
    return api.router.dispatch(request);
  }

  json plays(const std::string& action = "recording.play") {
    api.writer.flush();
    auto response = api.call("GET", "/api/v1/audit?action=" + action, "", api.admin_token());
    return json::parse(response.body)["items"];
  }
  static std::string error_code(const http::Response& response) {
    return json::parse(response.body)["error"]["code"];
  }

  unicc::testing::ApiHarness api;
  call::CdrStore cdrs{api.writer, api.test.db()};
  std::string dir = unicc::testing::make_temp_dir();
  std::string recordings = dir + "/recordings";
  std::string wav = std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16);
  int calls = 0;
  std::string ann, bob, qa;
};

TEST_F(RecordingApiTest, TheWholeFileThenRangesAuditedOncePerPlayback) {
  std::ofstream(recordings + "/c1.wav", std::ios::binary) << wav;
  auto id = call_recorded_at(recordings + "/c1.wav");

  auto whole = play(id, qa);
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.content_type, "audio/wav");
  EXPECT_EQ(whole.body, wav);
  EXPECT_NE(std::find(whole.headers.begin(), whole.headers.end(),
                      std::pair<std::string, std::string>{"Accept-Ranges", "bytes"}),
            whole.headers.end());

  auto seek = play(id, qa, "bytes=4-7");
  ASSERT_EQ(seek.status, 206);
  EXPECT_EQ(seek.body, wav.substr(4, 4));
  EXPECT_NE(std::find(seek.headers.begin(), seek.headers.end(),
                      std::pair<std::string, std::string>{"Content-Range", "bytes 4-7/16"}),
            seek.headers.end());
  EXPECT_EQ(play(id, qa, "bytes=-4").body, wav.substr(12));

  auto past = play(id, qa, "bytes=16-");
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(error_code(past), "range_not_satisfiable");

  auto replay = play(id, qa, "bytes=0-");
  EXPECT_EQ(replay.status, 206);

  // The whole file and the range from 0 are playbacks; the seeks and the 416 are not.
  auto audited = plays();
  ASSERT_EQ(audited.size(), 2u);
  EXPECT_EQ(audited[0]["actor"], "quinn");
  EXPECT_EQ(audited[0]["target"], "cdr:" + std::to_string(id));
  EXPECT_EQ(audited[0]["source"], "192.0.2.7");
  EXPECT_EQ(json::parse(audited[0]["detail"].get<std::string>())["call_id"], "c1");
}

TEST_F(RecordingApiTest, AgentsHearTheirOwnCallsOnly) {
  std::ofstream(recordings + "/c1.wav", std::ios::binary) << wav;
  auto id = call_recorded_at(recordings + "/c1.wav");
  EXPECT_EQ(play(id, ann).status, 200);
  EXPECT_EQ(play(id, api.admin_token()).status, 200);
  EXPECT_EQ(error_code(play(id, bob)), "forbidden");
  // Agents cannot tell a call that does not exist from someone else's.
  EXPECT_EQ(error_code(play(id + 1, bob)), "forbidden");
  EXPECT_EQ(error_code(play(id + 1, ann)), "forbidden");
  EXPECT_EQ(play(id, "").status, 401);
  EXPECT_EQ(plays().size(), 2u);
}

// An agent who transferred the call (or brought someone in) talked on it too.
TEST_F(RecordingApiTest, AnAgentWhoPassedTheCallOnHearsItToo) {
  std::ofstream(recordings + "/c1.wav", std::ios::binary) << wav;
  auto transferred = call_recorded_at(recordings + "/c1.wav",
                                      R"([{"at":1,"kind":"transfer","mode":"blind","from":"1002","to":"1001"}])");
  EXPECT_EQ(play(transferred, bob).status, 200);
  auto failed = call_recorded_at(recordings + "/c1.wav", R"([{"at":1,"kind":"transfer_failed","to":"1002"}])");
  EXPECT_EQ(error_code(play(failed, bob)), "forbidden");  // rung, never talked
}

TEST_F(RecordingApiTest, NoCallNoRecordingOrAFileGoneIs404) {
  auto unrecorded = call_recorded_at("");
  std::ofstream(recordings + "/c2.wav", std::ios::binary) << wav;
  auto gone = call_recorded_at(recordings + "/c2.wav");
  std::filesystem::remove(recordings + "/c2.wav");
  for (auto id : {unrecorded, gone, gone + 1}) {
    auto response = play(id, qa);
    EXPECT_EQ(response.status, 404) << id;
    EXPECT_EQ(error_code(response), "not_found") << id;
  }
  EXPECT_EQ(play(unrecorded, ann).status, 404);  // the agent's own call
  EXPECT_EQ(plays().size(), 0u);
}

TEST_F(RecordingApiTest, NothingOutsideTheRecordingsFolderIsServed) {
  std::ofstream(dir + "/unicc.db", std::ios::binary) << "secret";
  std::filesystem::create_symlink(dir + "/unicc.db", recordings + "/link.wav");
  for (const std::string& path : {dir + "/unicc.db", recordings + "/../unicc.db", recordings + "/link.wav",
                                   std::string("/etc/passwd")}) {
    auto response = play(call_recorded_at(path), api.admin_token());
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body.find("secret"), std::string::npos);
  }
}

TEST_F(RecordingApiTest, AdminsAndSupervisorsDownloadOthersOnlyPlay) {
  std::ofstream(recordings + "/c1.wav", std::ios::binary) << wav;
  auto id = call_recorded_at(recordings + "/c1.wav");
  api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
  auto sue = api.login("sue", "sue-password");

  auto copy = play(id, sue, "", "download=1");
  ASSERT_EQ(copy.status, 200) << copy.body;
  EXPECT_EQ(copy.body, wav);
  EXPECT_NE(std::find(copy.headers.begin(), copy.headers.end(),
                      std::pair<std::string, std::string>{"Content-Disposition", "attachment; filename=\"call-" +
                                                                                     std::to_string(id) + ".wav\""}),
            copy.headers.end());
  EXPECT_EQ(play(id, api.admin_token(), "", "download=1").status, 200);
  EXPECT_EQ(error_code(play(id, qa, "", "download=1")), "forbidden");
  EXPECT_EQ(error_code(play(id, ann, "", "download=1")), "forbidden");  // even the agent's own call
  EXPECT_EQ(error_code(play(id, sue, "", "download=yes")), "invalid_parameter");
  EXPECT_EQ(play(id, qa, "", "download=0").status, 200);

  auto downloads = plays("recording.download");
  ASSERT_EQ(downloads.size(), 2u);
  EXPECT_EQ(downloads[1]["actor"], "sue");
  EXPECT_EQ(plays().size(), 1u);  // qa's download=0
}

TEST_F(RecordingApiTest, ARecordingTheRetentionDeletedIsSaidSo) {
  auto id = call_recorded_at(recordings + "/c1.wav");
  soci::session sql(api.test.db().pool());
  sql << "UPDATE cdrs SET recording_deleted_at = 1795000000000 WHERE id = :id", soci::use(id);

  auto response = play(id, qa);
  EXPECT_EQ(response.status, 410);
  EXPECT_EQ(error_code(response), "recording_deleted");
  EXPECT_NE(json::parse(response.body)["error"]["message"].get<std::string>().find("2026-11-18"), std::string::npos)
      << response.body;
  auto listed = json::parse(api.call("GET", "/api/v1/cdrs", "", qa).body)["items"][0];
  EXPECT_EQ(listed["recording"], "deleted");
  EXPECT_EQ(listed["recording_deleted_at"], 1795000000000);
}

TEST_F(RecordingApiTest, CallsAreFoundByTalkTimeAndRecording) {
  std::ofstream(recordings + "/c1.wav", std::ios::binary) << wav;
  call_recorded_at(recordings + "/c1.wav");  // talks for 1 ms: 0 s
  call::Cdr longer;
  longer.call_id = "long";
  longer.started_at = 50'000;
  longer.answered_at = 60'000;
  longer.ended_at = 125'500;  // 65 s
  longer.disposition = "answered";
  cdrs.record(longer, {});
  auto ids = [this](const std::string& query) {
    auto response = api.call("GET", "/api/v1/cdrs?" + query, "", qa);
    EXPECT_EQ(response.status, 200) << query << " " << response.body;
    const json body = json::parse(response.body);
    std::vector<std::string> out;
    for (const auto& item : body["items"]) out.push_back(item["call_id"]);
    return out;
  };
  EXPECT_EQ(ids("min_duration=60"), std::vector<std::string>{"long"});
  EXPECT_EQ(ids("max_duration=64"), std::vector<std::string>{"c1"});
  EXPECT_EQ(ids("min_duration=65&max_duration=65"), std::vector<std::string>{"long"});
  EXPECT_EQ(ids("has_recording=true"), std::vector<std::string>{"c1"});
  EXPECT_EQ(ids("has_recording=false"), std::vector<std::string>{"long"});
  auto listed = json::parse(api.call("GET", "/api/v1/cdrs?has_recording=true", "", qa).body)["items"][0];
  EXPECT_EQ(listed["recording"], "available");
  EXPECT_EQ(listed["recording_deleted_at"], nullptr);
  EXPECT_EQ(api.call("GET", "/api/v1/cdrs?has_recording=yes", "", qa).status, 400);
  EXPECT_EQ(api.call("GET", "/api/v1/cdrs?min_duration=-1", "", qa).status, 400);
  EXPECT_EQ(api.call("GET", "/api/v1/cdrs", "", ann).status, 403);
}

}  // namespace
}  // namespace unicc::api
