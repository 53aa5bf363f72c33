// /api/v1/agents/export and /import over a real database (ApiHarness, AcdStore) and a
// fake running ACD: the CSV as exported (skills "english:7;sales:3", groups), a dry run
// reporting each line and changing nothing, a real run saving every agent into the
// store and the ACD and auditing each, and an ACD refusal putting back those saved
// before it.
#include <gtest/gtest.h>

#include "api/acd_config.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class AgentsImport : public ::testing::Test {
 protected:
  void SetUp() override {
    add_acd_routes(api.router, api.context, store,
                   {[](const std::string&) { return std::nullopt; },
                    [] { return std::vector<acd::AgentView>{}; },
                    [](const acd_store::QueueRecord&, const std::vector<acd_store::SkillRecord>&) {
                      return std::vector<std::string>{};
                    },
                    [](const std::string&) { return std::vector<std::string>{}; },
                    [this](const acd_store::AgentRecord& agent, const std::vector<acd_store::SkillRecord>&) {
                      applied.push_back(agent.extension + " " + agent.name);
                      if (agent.extension == refuse) return std::vector<std::string>{"the router refuses it"};
                      return std::vector<std::string>{};
                    },
                    [this](const std::string& extension) {
                      applied.push_back("removed " + extension);
                      return std::vector<std::string>{};
                    }});
    admin = api.admin_token();
    for (const char* skill : {"english", "sales", "mandarin"}) call("PUT", std::string("/api/v1/skills/") + skill, "{}");
    call("PUT", "/api/v1/agents/1001", R"({"name":"Li Na","skills":[{"skill":"english","level":7}],"groups":["vip"],
         "auto_answer":true})");
    applied.clear();
  }

  json call(const std::string& method, const std::string& path, const std::string& body) {
    auto response = api.call(method, path, body, admin);
    last_status = response.status;
    return response.body.empty() ? json() : json::parse(response.body);
  }

  unicc::testing::ApiHarness api;
  acd_store::AcdStore store{api.test.db(), api.clock};
  std::string admin;
  std::string refuse;
  std::vector<std::string> applied;
  int last_status = 0;
};

TEST_F(AgentsImport, TheExportHasSkillsWithLevelsAndGroups) {
  call("PUT", "/api/v1/agents/1002", R"({"name":"王芳, 客服","skills":[{"skill":"mandarin","level":9},
       {"skill":"sales","level":3}],"groups":["vip","night"]})");
  auto response = api.call("GET", "/api/v1/agents/export", "", admin);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(response.body,
            "\xEF\xBB\xBF"
            "extension,name,skills,groups\r\n"
            "1001,Li Na,english:7,vip\r\n"
            "1002,\"王芳, 客服\",mandarin:9;sales:3,vip;night\r\n");
  applied.clear();
  json report = call("POST", "/api/v1/agents/import", response.body);
  ASSERT_EQ(last_status, 200) << report;
  EXPECT_EQ(report["summary"], (json{{"create", 0}, {"update", 0}, {"unchanged", 2}, {"refused", 0}}))
      << "the export imports as it is";
  EXPECT_TRUE(applied.empty());
}

TEST_F(AgentsImport, ADryRunReportsEachLineAndChangesNothing) {
  const std::string csv =
      "extension,name,skills,groups\n"
      "1001,Li Na,english:8;sales:3,vip\n"
      "1002,张伟,mandarin:9,\n"
      "1003,Bad level,english:11,\n"
      "1004,Unknown skill,cooking:5,\n"
      "10 05,Bad extension,,\n"
      "1006,Group twice,,a;a\n"
      "1002,Again,,\n";
  json report = call("POST", "/api/v1/agents/import?dry_run=true", csv);
  ASSERT_EQ(last_status, 200) << report;
  EXPECT_EQ(unicc::testing::import_report_lines(report),
            (std::vector<std::string>{
                "2 update 1001 skills",
                "3 create 1002",
                "4 refused 1003 | skills: 'english:11' is not a skill (name or name:level 1-10)",
                "5 refused 1004 | skills: skill 'cooking' does not exist",
                "6 refused 10 05 | extension: 1 to 64 letters, digits, '_', '-' or '.'",
                "7 refused 1006 | groups: groups[1]: 'a' is listed twice",
                "8 refused 1002 | extension: given on line 3 already",
            }));
  json refused = call("POST", "/api/v1/agents/import", csv);
  EXPECT_EQ(last_status, 400);
  EXPECT_EQ(refused["error"]["code"], "invalid_import");
  EXPECT_EQ(refused["error"]["message"].get<std::string>().substr(0, 36), "nothing imported: line 4, skills: 'e");

  EXPECT_TRUE(applied.empty());
  EXPECT_EQ(store.agents().size(), 1u);
  EXPECT_EQ(store.agent("1001")->skills[0].level, 7);
}

TEST_F(AgentsImport, AGoodImportSavesEveryAgentAndKeepsTheColumnsNotGiven) {
  json report = call("POST", "/api/v1/agents/import",
                     "extension,skills,name\r\n"
                     "1001,english:8;sales:3,Li Na\r\n"
                     "1002,mandarin:9,\"张伟 \"\"Wei\"\"\"\r\n");
  ASSERT_EQ(last_status, 200) << report;
  EXPECT_EQ(report["applied"], true);
  EXPECT_EQ(applied, (std::vector<std::string>{"1001 Li Na", "1002 张伟 \"Wei\""}));
  const auto agent = store.agent("1001");
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->skills.size(), 2u);
  EXPECT_EQ(agent->groups, std::vector<std::string>{"vip"}) << "no groups column: the groups stay";
  EXPECT_TRUE(agent->auto_answer) << "a field the CSV does not have stays";
  EXPECT_EQ(store.agent("1002")->skills[0].skill, "mandarin");
  const auto trail = api.audit.list(10, 0, "agent_config.saved", "agent:1002");
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(api.audit.list(10, 0, "agent_config.import").size(), 1u);
}

TEST_F(AgentsImport, WhenTheAcdRefusesAnAgentThoseSavedBeforeArePutBack) {
  refuse = "1003";
  json refused = call("POST", "/api/v1/agents/import",
                      "extension,name\n"
                      "1001,Renamed\n"
                      "1002,New\n"
                      "1003,Refused\n");
  EXPECT_EQ(last_status, 422) << refused;
  EXPECT_EQ(refused["error"]["code"], "invalid");
  EXPECT_EQ(applied, (std::vector<std::string>{"1001 Renamed", "1002 New", "1003 Refused", "removed 1002",
                                               "1001 Li Na"}));
  ASSERT_EQ(store.agents().size(), 1u);
  EXPECT_EQ(store.agent("1001")->name, "Li Na");
  EXPECT_TRUE(api.audit.list(10, 0, "agent_config.import").empty());
}

}  // namespace
}  // namespace unicc::api
