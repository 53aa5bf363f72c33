// The ACD's tables in the configuration file ([[queue]], [[agent]]) read through
// core::parse_config as AcdStore's records: values, the groups that tie agents to
// queues, problems named by file, line and key, and their documentation.
#include "acd/store/config_tables.h"

#include <gtest/gtest.h>

#include "support/documented_keys.h"

namespace unicc::acd_store {
namespace {

std::vector<std::string> problems_of(const std::string& text) {
  ConfigTables tables;
  try {
    core::parse_config(text, "t.toml", tables.tables());
  } catch (const core::ConfigError& error) {
    return error.problems();
  }
  return {};
}

TEST(ConfigTables, QueuesAndAgentsAreReadAsRecords) {
  ConfigTables tables;
  core::parse_config(R"(
[http]
port = 9090
[[queue]]
name = "sales"
strategy = "round_robin"
comfort_voice = "cmn"
[[queue]]
name = "support"
ring = "1002"
[[agent]]
extension = "1004"
name = "Li Na"
queues = "sales,support,sales"
)", "t.toml", tables.tables());
  ASSERT_EQ(tables.queues.items.size(), 2u);
  const QueueRecord& sales = tables.queues.items[0];
  EXPECT_EQ(sales.name, "sales");
  EXPECT_EQ(sales.strategy, "round_robin");
  EXPECT_EQ(sales.voice, "cmn");
  EXPECT_EQ(sales.groups, std::vector<std::string>{"sales"});
  EXPECT_EQ(sales.ring_timeout_s, QueueRecord{}.ring_timeout_s);
  EXPECT_EQ(tables.queues.items[1].ring, "1002");
  ASSERT_EQ(tables.agents.items.size(), 1u);
  EXPECT_EQ(tables.agents.items[0].extension, "1004");
  EXPECT_EQ(tables.agents.items[0].name, "Li Na");
  EXPECT_EQ(tables.agents.items[0].groups, (std::vector<std::string>{"sales", "support"}));
}

TEST(ConfigTables, ProblemsNameFileLineAndKey) {
  const auto problems = problems_of(
      "[[queue]]\nname = \"sales\"\nstrategy = \"fastest\"\n"
      "[[queue]]\nring_timeout_s = 1\ncolour = \"red\"\n"
      "[[agent]]\nextension = \"10x\"\n"
      "[http]\nprot = 1\n");
  ASSERT_EQ(problems.size(), 7u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0],
            "t.toml:3: queue[1].strategy: must be one of \"longest_idle\", \"round_robin\", \"fewest_calls\", "
            "\"least_talk_time\", \"ring_all\", \"linear\", \"random\", \"best_skill\"");
  EXPECT_EQ(problems[1], "t.toml:4: queue[2].name: is required");
  EXPECT_EQ(problems[2], "t.toml:5: queue[2].ring_timeout_s: must be between 5 and 300");
  EXPECT_EQ(problems[3], "t.toml:6: queue[2].colour: unknown key");
  EXPECT_EQ(problems[4], "t.toml:7: agent[1].queues: is required");
  EXPECT_EQ(problems[5], "t.toml:8: agent[1].extension: must be digits (0-9, *, #, +)");
  EXPECT_EQ(problems[6], "t.toml:10: http.prot: unknown key");
}

TEST(ConfigTables, ATableInsteadOfAnArrayIsAnError) {
  EXPECT_EQ(problems_of("[agent]\nextension = \"1004\"\n"),
            std::vector<std::string>{"t.toml:1: agent: expected [[agent]] tables"});
}

// docs/configuration.md must document every key with its real default.
TEST(ConfigTables, DocumentationListsEveryKeyWithItsDefault) {
  ConfigTables tables;
  for (const core::TableArray* table : tables.tables()) {
    EXPECT_EQ(testing::undocumented_keys(table->keys()), std::vector<std::string>{}) << table->name();
  }
}

}  // namespace
}  // namespace unicc::acd_store
