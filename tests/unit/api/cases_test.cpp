// The typical-case library through the router (ApiHarness): who marks, changes and
// deletes cases, who browses and plays them (agents too, read-only), the audit of
// each, the errors, and that a case keeps its recording from the retention.
#include "api/cases.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "call/recording_retention.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class CaseApiTest : public ::testing::Test {
 protected:
  CaseApiTest() {
    std::filesystem::create_directories(recordings);
    add_case_routes(api.router, api.context, cases, cdrs, recordings);
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
    ann = api.login("ann", "ann-password");
    qa = api.login("quinn", "quinn-password");
    sue = api.login("sue", "sue-password");
  }
  ~CaseApiTest() override { std::filesystem::remove_all(dir); }

  // A call that ended a year before the clock, recorded (or not, for "").
  std::int64_t call(const std::string& file) {
    call::Cdr cdr;
    cdr.call_id = "c" + std::to_string(++calls);
    cdr.caller = "13800000000";
    cdr.agent = "1001";
    cdr.started_at = api.clock.now_ms() - 365LL * 24 * 3600 * 1000;
    cdr.answered_at = cdr.started_at + 1000;
    cdr.ended_at = cdr.started_at + 61'000;
    cdr.disposition = "answered";
    if (!file.empty()) {
      cdr.recording_path = recordings + "/" + file;
      std::ofstream(cdr.recording_path, std::ios::binary) << wav;
    }
    cdrs.record(cdr, {});
    api.writer.flush();
    return cdrs.find({}).front().id;
  }

  http::Response mark(std::int64_t cdr_id, const std::string& token, const std::string& kind = "good",
                       const std::string& title = "Calm refund") {
    json body = {{"cdr_id", cdr_id}, {"kind", kind}, {"title", title}, {"category", "billing"}, {"notes", "n"}};
    return api.call("POST", "/api/v1/cases", body.dump(), token);
  }

  json audited(const std::string& action) {
    api.writer.flush();
    return json::parse(api.call("GET", "/api/v1/audit?action=" + action, "", api.admin_token()).body)["items"];
  }
  static std::string error_code(const http::Response& response) {
    return json::parse(response.body)["error"]["code"];
  }

  unicc::testing::ApiHarness api;
  call::CdrStore cdrs{api.writer, api.test.db()};
  call::CaseStore cases{api.writer, api.test.db()};
  std::string dir = unicc::testing::make_temp_dir();
  std::string recordings = dir + "/recordings";
  std::string wav = std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16);
  int calls = 0;
  std::string ann, qa, sue;
};

TEST_F(CaseApiTest, SupervisorsMarkAgentsBrowseAndPlay) {
  auto id = call("c1.wav");
  auto created = mark(id, sue);
  ASSERT_EQ(created.status, 201) << created.body;
  auto typical = json::parse(created.body);
  EXPECT_EQ(typical["kind"], "good");
  EXPECT_EQ(typical["created_by"], "sue");
  EXPECT_EQ(typical["call"]["talk_s"], 60);
  EXPECT_EQ(typical["call"]["agent"], "1001");
  const std::string path = "/api/v1/cases/" + typical["id"].dump();
  EXPECT_EQ(typical["recording"], path + "/recording");
  EXPECT_EQ(mark(id, qa, "bad", "Too slow").status, 201);
  EXPECT_EQ(audited("case.create").size(), 2u);

  auto listed = json::parse(api.call("GET", "/api/v1/cases?kind=good", "", ann).body);
  EXPECT_EQ(listed["total"], 1);
  EXPECT_EQ(listed["items"][0]["title"], "Calm refund");
  EXPECT_EQ(json::parse(api.call("GET", "/api/v1/cases?q=slow", "", ann).body)["total"], 1);
  EXPECT_EQ(json::parse(api.call("GET", "/api/v1/cases?category=billing", "", ann).body)["total"], 2);
  EXPECT_EQ(api.call("GET", path, "", ann).status, 200);

  auto played = api.call("GET", path + "/recording", "", ann);
  ASSERT_EQ(played.status, 200) << played.body;
  EXPECT_EQ(played.body, wav);
  auto plays = audited("case.play");
  ASSERT_EQ(plays.size(), 1u);
  EXPECT_EQ(plays[0]["actor"], "ann");
  EXPECT_EQ(plays[0]["target"], "case:" + typical["id"].dump());

  auto changed = api.call("PATCH", path, R"({"kind":"bad","notes":"on reflection"})", sue);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json::parse(changed.body)["kind"], "bad");
  EXPECT_EQ(json::parse(changed.body)["title"], "Calm refund");
  EXPECT_EQ(json::parse(changed.body)["notes"], "on reflection");
  EXPECT_EQ(audited("case.update").size(), 1u);
  EXPECT_EQ(api.call("DELETE", path, "", sue).status, 204);
  EXPECT_EQ(api.call("GET", path, "", ann).status, 404);
  EXPECT_EQ(audited("case.delete").size(), 1u);
}

TEST_F(CaseApiTest, AgentsAndQaCannotChangeTheLibrary) {
  auto id = call("c1.wav");
  EXPECT_EQ(error_code(mark(id, ann)), "forbidden");
  auto typical = json::parse(mark(id, qa).body);
  const std::string path = "/api/v1/cases/" + typical["id"].dump();
  EXPECT_EQ(api.call("PATCH", path, R"({"title":"x"})", qa).status, 403);
  EXPECT_EQ(api.call("DELETE", path, "", ann).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/cases", "").status, 401);
}

TEST_F(CaseApiTest, BadCasesAreRefused) {
  auto recorded = call("c1.wav");
  auto unrecorded = call("");
  EXPECT_EQ(error_code(mark(recorded, sue, "fine")), "invalid_field");
  EXPECT_EQ(error_code(mark(recorded, sue, "good", "")), "invalid_field");
  EXPECT_EQ(error_code(mark(unrecorded, sue)), "no_recording");
  EXPECT_EQ(mark(unrecorded + 1, sue).status, 404);
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/cases", R"({"kind":"good","title":"t"})", sue)), "missing_field");
  EXPECT_EQ(error_code(api.call("POST", "/api/v1/cases", R"({"cdr_id":1,"kind":"good","title":"t","x":1})", sue)),
            "unknown_field");
  EXPECT_EQ(error_code(api.call("GET", "/api/v1/cases?kind=ok", "", sue)), "invalid_parameter");
  EXPECT_EQ(api.call("PATCH", "/api/v1/cases/99", R"({"title":"x"})", sue).status, 404);
  EXPECT_EQ(api.call("GET", "/api/v1/cases/99/recording", "", ann).status, 404);
}

// "Cases survive the recording retention": the retention passes a case's call by.
TEST_F(CaseApiTest, ACaseKeepsItsRecordingFromTheRetention) {
  auto kept = call("c1.wav");
  auto dropped = call("c2.wav");
  auto typical = json::parse(mark(kept, sue).body);
  call::RecordingRetention::Settings month;
  month.retention_days = 30;
  month.recordings_dir = recordings;
  call::RecordingRetention retention(api.test.db(), api.clock, month);
  EXPECT_EQ(retention.sweep(), 1);
  EXPECT_EQ(api.call("GET", "/api/v1/cases/" + typical["id"].dump() + "/recording", "", ann).status, 200);
  EXPECT_FALSE(std::filesystem::exists(recordings + "/c2.wav"));
  EXPECT_EQ(error_code(mark(dropped, sue)), "no_recording");
}

}  // namespace
}  // namespace unicc::api
