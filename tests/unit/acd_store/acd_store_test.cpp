// AcdStore on a fresh database (SQLite, or PostgreSQL under scripts/with-postgres):
// records read strictly from JSON, saved and read back, references checked, changes
// the running ACD refuses rolled back, and the configuration file's tables seeding
// only what the database does not have.
#include "acd/store/acd_store.h"

#include <gtest/gtest.h>

#include "acd/store/config_tables.h"

#include "core/clock.h"
#include "support/test_database.h"

namespace unicc::acd_store {
namespace {

using nlohmann::json;

class AcdStoreTest : public ::testing::Test {
 protected:
  AcdStoreTest() : store_(database_.db(), clock_) {}

  void add_skill(const std::string& name) {
    SkillRecord skill{0, name, name + " speakers"};
    ASSERT_TRUE(store_.save_skill(skill).empty());
  }

  static AcdStore::Apply accept() {
    return [] { return std::vector<std::string>{}; };
  }

  testing::TestDatabase database_;
  core::FakeClock clock_;
  AcdStore store_;
};

std::string error_of(const json& object, QueueRecord (*parse)(const json&)) {
  try {
    parse(object);
  } catch (const RecordError& error) {
    return error.what();
  }
  return "";
}

TEST(AcdRecordTest, ReadingJsonNamesTheFieldThatIsWrong) {
  EXPECT_EQ(error_of({{"strategy", "best_skill"}}, queue_from_json), "name: is required");
  EXPECT_EQ(error_of({{"name", "sales"}, {"colour", "red"}}, queue_from_json), "colour: unknown field");
  EXPECT_EQ(error_of({{"name", "sales"}, {"skills", {{{"skill", "en"}, {"min_level", 11}}}}}, queue_from_json),
            "skills[0].min_level: must be an integer from 1 to 10");
  EXPECT_EQ(error_of({{"name", "sales"}, {"strategy", "fastest"}}, queue_from_json).substr(0, 21),
            "strategy: must be one");
  EXPECT_EQ(error_of({{"name", "sales"}, {"callback_key", "12"}}, queue_from_json),
            "callback_key: is longer than 1 bytes");
  EXPECT_EQ(error_of({{"name", "sales"},
                      {"overflow_tiers", {{{"after_s", 60}, {"queue", "a"}}, {{"after_s", 30}, {"queue", "b"}}}}},
                     queue_from_json),
            "overflow_tiers[1].after_s: must be later than the tier before");
  EXPECT_EQ(error_of({{"name", "sales"}, {"groups", {"a", "a"}}}, queue_from_json), "groups[1]: 'a' is listed twice");
  EXPECT_EQ(error_of({{"name", "sales"}, {"overflow", {{"queue", "a"}, {"number", "0123"}}}}, queue_from_json),
            "overflow: must name one of queue, flow, voicemail or number");
  EXPECT_EQ(error_of({{"name", "sales"}, {"overflow", {{"flow", "after hours"}}}}, queue_from_json),
            "overflow.flow: must be a flow name: 1-64 letters, digits, '_' or '-'");
  EXPECT_EQ(queue_from_json({{"name", "sales"}, {"overflow", {{"flow", "after-hours"}}}}).overflow_target,
            "after-hours");
  EXPECT_EQ(error_of({{"name", "sales"}, {"overflow", {{"fax", "1"}}}}, queue_from_json), "overflow.fax: unknown field");
  EXPECT_EQ(error_of({{"name", "sales"}, {"callback_attempts", 0}}, queue_from_json),
            "callback_attempts: must be an integer from 1 to 10");
  EXPECT_EQ(error_of({{"name", "sales"}, {"sl_formula", "best"}}, queue_from_json).substr(0, 19),
            "sl_formula: must be");
  EXPECT_EQ(queue_from_json({{"name", "sales"}}).sl_formula, "");  // the reports' default
  EXPECT_EQ(queue_from_json(to_json(queue_from_json({{"name", "sales"}, {"sl_formula", "offered"}}))).sl_formula,
            "offered");

  const QueueRecord queue = queue_from_json({{"name", "sales"}, {"strategy", "best_skill"}, {"wrap_up_s", 15}});
  EXPECT_EQ(queue.strategy, "best_skill");
  EXPECT_EQ(queue.wrap_up_s, 15);
  EXPECT_EQ(queue.ring_timeout_s, 20);  // the default
  EXPECT_EQ(queue_from_json(to_json(queue)).wrap_up_s, 15);
}

TEST_F(AcdStoreTest, QueuesAndAgentsAreSavedAndReadBack) {
  add_skill("english");
  add_skill("billing");
  QueueRecord queue = queue_from_json({{"name", "support"},
                                       {"strategy", "best_skill"},
                                       {"skills", {{{"skill", "english"}, {"min_level", 3}}}},
                                       {"announce_position", true},
                                       {"callback_key", "*"},
                                       {"callback_retry_s", 90},
                                       {"alert_wait_s", 60},
                                       {"alert_service_level_pct", 80}});
  ASSERT_TRUE(store_.save_queue(queue, accept()).empty());
  EXPECT_GT(queue.id, 0);
  AgentRecord agent = agent_from_json(
      {{"extension", "1004"}, {"name", "Li Na"}, {"skills", {{{"skill", "english"}, {"level", 8}}}}, {"groups", {"a"}}});
  ASSERT_TRUE(store_.save_agent(agent, accept()).empty());

  auto stored = store_.queue("support");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->id, queue.id);
  EXPECT_EQ(stored->strategy, "best_skill");
  ASSERT_EQ(stored->skills.size(), 1u);
  EXPECT_EQ(stored->skills[0].skill, "english");
  EXPECT_EQ(stored->skills[0].level, 3);
  EXPECT_TRUE(stored->announce_position);
  EXPECT_EQ(stored->callback_key, "*");
  EXPECT_EQ(stored->callback_attempts, 3);
  EXPECT_EQ(stored->callback_retry_s, 90);
  EXPECT_EQ(stored->alert_wait_s, 60);
  EXPECT_EQ(stored->alert_waiting, 0);
  EXPECT_EQ(stored->alert_service_level_pct, 80);
  EXPECT_THROW(queue_from_json({{"name", "q"}, {"alert_service_level_pct", 101}}), RecordError);
  auto stored_agent = store_.agent("1004");
  ASSERT_TRUE(stored_agent);
  EXPECT_EQ(stored_agent->name, "Li Na");
  EXPECT_EQ(stored_agent->skills[0].level, 8);
  EXPECT_EQ(stored_agent->groups, std::vector<std::string>{"a"});

  // Saving again replaces, and keeps the id.
  queue.strategy = "linear";
  ASSERT_TRUE(store_.save_queue(queue, accept()).empty());
  EXPECT_EQ(store_.queue("support")->strategy, "linear");
  EXPECT_EQ(store_.queue("support")->id, stored->id);
  EXPECT_EQ(store_.queues().size(), 1u);
  EXPECT_EQ(store_.skills().size(), 2u);
}

TEST_F(AcdStoreTest, ReferencesMustResolveAndInUseRecordsStay) {
  QueueRecord queue = queue_from_json({{"name", "sales"}, {"skills", {{{"skill", "french"}}}}});
  EXPECT_EQ(store_.save_queue(queue, accept()), std::vector<std::string>{"skill 'french' does not exist"});
  EXPECT_FALSE(store_.queue("sales"));

  QueueRecord overflowing = queue_from_json({{"name", "sales"}, {"overflow", {{"queue", "nowhere"}}}});
  EXPECT_EQ(store_.save_queue(overflowing, accept()),
            std::vector<std::string>{"overflow queue 'nowhere' does not exist"});

  add_skill("french");
  QueueRecord backup = queue_from_json({{"name", "backup"}});
  ASSERT_TRUE(store_.save_queue(backup, accept()).empty());
  queue = queue_from_json({{"name", "sales"}, {"skills", {{{"skill", "french"}}}}, {"overflow", {{"queue", "backup"}}}});
  ASSERT_TRUE(store_.save_queue(queue, accept()).empty());

  EXPECT_EQ(store_.delete_skill("french"), std::vector<std::string>{"queue 'sales' requires it"});
  EXPECT_EQ(store_.skills().size(), 1u);
  EXPECT_EQ(store_.delete_queue("backup", accept()), std::vector<std::string>{"queue 'sales' overflows to it"});
  EXPECT_TRUE(store_.queue("backup"));

  ASSERT_TRUE(store_.delete_queue("sales", accept()).empty());
  EXPECT_TRUE(store_.delete_skill("french").empty());
  EXPECT_TRUE(store_.delete_queue("backup", accept()).empty());
  EXPECT_TRUE(store_.queues().empty());
  EXPECT_TRUE(store_.skills().empty());
}

TEST(AcdRecordTest, AQueuesCalendarAndClosedTargetAreReadLikeItsOverflow) {
  const QueueRecord queue =
      queue_from_json({{"name", "sales"}, {"calendar", "office"}, {"closed", {{"voicemail", "after-hours"}}}});
  EXPECT_EQ(queue.calendar, "office");
  EXPECT_EQ(queue.closed_kind, "voicemail");
  EXPECT_EQ(queue.closed_target, "after-hours");
  EXPECT_EQ(to_json(queue)["closed"], (json{{"voicemail", "after-hours"}}));
  EXPECT_EQ(to_json(queue_from_json({{"name", "sales"}}))["closed"], json::object()) << "none: told, then released";
  EXPECT_EQ(error_of({{"name", "sales"}, {"calendar", "the office"}}, queue_from_json),
            "calendar: must be a calendar name: 1-64 letters, digits, '_' or '-'");
  EXPECT_EQ(error_of({{"name", "sales"}, {"closed", {{"flow", "a"}, {"queue", "b"}}}}, queue_from_json),
            "closed: must name one of queue, flow, voicemail or number");
  EXPECT_EQ(error_of({{"name", "sales"}, {"closed", {{"flow", "after hours"}}}}, queue_from_json),
            "closed.flow: must be a flow name: 1-64 letters, digits, '_' or '-'");
}

TEST_F(AcdStoreTest, AClosedTargetQueueMustExistAndStays) {
  QueueRecord sales = queue_from_json({{"name", "sales"}, {"calendar", "office"}, {"closed", {{"queue", "nights"}}}});
  EXPECT_EQ(store_.save_queue(sales, accept()), std::vector<std::string>{"closed queue 'nights' does not exist"});
  QueueRecord nights = queue_from_json({{"name", "nights"}});
  ASSERT_TRUE(store_.save_queue(nights, accept()).empty());
  ASSERT_TRUE(store_.save_queue(sales, accept()).empty());
  EXPECT_EQ(store_.queue("sales")->closed_target, "nights");
  EXPECT_EQ(store_.delete_queue("nights", accept()),
            std::vector<std::string>{"queue 'sales' sends its calls to it while closed"});
}

TEST_F(AcdStoreTest, AChangeTheRunningAcdRefusesIsRolledBack) {
  QueueRecord queue = queue_from_json({{"name", "sales"}, {"wrap_up_s", 5}});
  ASSERT_TRUE(store_.save_queue(queue, accept()).empty());
  queue.wrap_up_s = 30;
  auto refuse = [] { return std::vector<std::string>{"calls are waiting"}; };
  EXPECT_EQ(store_.save_queue(queue, refuse), std::vector<std::string>{"calls are waiting"});
  EXPECT_EQ(store_.queue("sales")->wrap_up_s, 5);
  EXPECT_EQ(store_.delete_queue("sales", refuse), std::vector<std::string>{"calls are waiting"});
  EXPECT_TRUE(store_.queue("sales"));

  AgentRecord agent = agent_from_json({{"extension", "1004"}});
  ASSERT_TRUE(store_.save_agent(agent, accept()).empty());
  EXPECT_FALSE(store_.delete_agent("1004", refuse).empty());
  EXPECT_TRUE(store_.agent("1004"));
  EXPECT_TRUE(store_.delete_agent("1004", accept()).empty());
  EXPECT_FALSE(store_.agent("1004"));
}

TEST_F(AcdStoreTest, TheConfigurationFileSeedsOnlyWhatTheDatabaseLacks) {
  ConfigTables file;
  core::parse_config(
      "[[queue]]\nname = \"sales\"\nstrategy = \"round_robin\"\ncomfort_voice = \"cmn\"\n"
      "[[agent]]\nextension = \"1004\"\nname = \"Li Na\"\nqueues = \"sales,support\"\n",
      "t.toml", file.tables());
  store_.seed(file.queues.items, file.agents.items);
  ASSERT_TRUE(store_.queue("sales"));
  EXPECT_EQ(store_.queue("sales")->strategy, "round_robin");
  EXPECT_EQ(store_.queue("sales")->groups, std::vector<std::string>{"sales"});
  EXPECT_EQ(store_.queue("sales")->voice, "cmn");
  EXPECT_EQ(store_.agent("1004")->groups, (std::vector<std::string>{"sales", "support"}));

  // Edited over REST, then the server restarts with the same file: the edit stays.
  QueueRecord edited = *store_.queue("sales");
  edited.strategy = "best_skill";
  ASSERT_TRUE(store_.save_queue(edited, accept()).empty());
  store_.seed(file.queues.items, file.agents.items);
  EXPECT_EQ(store_.queue("sales")->strategy, "best_skill");
  EXPECT_EQ(store_.queues().size(), 1u);
  EXPECT_EQ(store_.agents().size(), 1u);
}

}  // namespace
}  // namespace unicc::acd_store
