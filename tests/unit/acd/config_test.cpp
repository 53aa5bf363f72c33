// Validation of queue and agent configuration.
#include "acd/config.h"

#include <gtest/gtest.h>

#include "acd/router.h"
#include "core/clock.h"

namespace unicc::acd {
namespace {

using std::chrono::seconds;

QueueConfig valid_queue() {
  QueueConfig q;
  q.id = 1;
  q.name = "support";
  q.skills = {{1, 3}};
  return q;
}

bool mentions(const std::vector<std::string>& errors, std::string_view words) {
  for (const std::string& e : errors) {
    if (e.find(words) != std::string::npos) return true;
  }
  return false;
}

TEST(QueueConfigValidation, AcceptsAPlainQueue) { EXPECT_TRUE(validate(valid_queue()).empty()); }

TEST(QueueConfigValidation, NamesEachProblem) {
  QueueConfig q = valid_queue();
  q.name.clear();
  q.skills = {{1, 11}, {1, 2}};
  q.ring_timeout = seconds(0);
  q.max_wait = seconds(60);
  q.overflow_tiers = {{seconds(30), 2}, {seconds(20), 3}, {seconds(90), 4}};
  std::vector<std::string> errors = validate(q);
  EXPECT_TRUE(mentions(errors, "name is empty"));
  EXPECT_TRUE(mentions(errors, "minimum level 11"));
  EXPECT_TRUE(mentions(errors, "skill 1 is listed twice"));
  EXPECT_TRUE(mentions(errors, "ring timeout"));
  EXPECT_TRUE(mentions(errors, "overflow tier 2 starts after 20 s"));
  EXPECT_TRUE(mentions(errors, "tier 3 starts after 90 s, not before the maximum wait"));
  EXPECT_TRUE(mentions(errors, "maximum wait needs an overflow target"));
  EXPECT_EQ(errors.size(), 7u);
  for (const std::string& e : errors) EXPECT_EQ(e.rfind("queue 1 ''", 0), 0u) << e;
}

TEST(QueueConfigValidation, OverflowTargetsNeedWhereToGo) {
  QueueConfig q = valid_queue();
  q.overflow = {OverflowTarget::Kind::kVoicemail, 0, ""};
  EXPECT_TRUE(mentions(validate(q), "needs a destination"));
  q.overflow = {OverflowTarget::Kind::kQueue, 1, ""};
  EXPECT_TRUE(mentions(validate(q), "overflows to itself"));
}

TEST(AgentConfigValidation, ChecksLevelsAndContact) {
  AgentConfig a{7, "Ann", "", {{1, 0}, {2, 10}}, {}, false};
  std::vector<std::string> errors = validate(a);
  EXPECT_TRUE(mentions(errors, "extension is empty"));
  EXPECT_TRUE(mentions(errors, "skill 1 has level 0"));
  EXPECT_EQ(errors.size(), 2u);
}

TEST(RouterConfiguration, RefusesUnknownOverflowQueuesAndTakenIds) {
  core::FakeClock clock;
  Router router(clock);
  QueueConfig q = valid_queue();
  q.overflow_tiers = {{seconds(30), 9}};
  EXPECT_TRUE(mentions(router.add_queue(q), "overflow tier queue 9 is unknown"));
  EXPECT_FALSE(router.queue_status(1));  // nothing added
  q.overflow_tiers.clear();
  EXPECT_TRUE(router.add_queue(q).empty());
  EXPECT_TRUE(mentions(router.add_queue(q), "the id is taken"));
  AgentConfig a{1, "Ann", "1001", {}, {}, false};
  EXPECT_TRUE(router.add_agent(a).empty());
  EXPECT_TRUE(mentions(router.add_agent(a), "the id is taken"));
}

TEST(StrategyNamesTest, EveryStrategyHasOneNameAndOtherNamesNone) {
  for (std::size_t i = 0; i < kStrategyNames.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kStrategyNames[i].second), i);  // in the enum's order
    EXPECT_EQ(strategy_named(kStrategyNames[i].first), kStrategyNames[i].second);
  }
  EXPECT_EQ(strategy_named("best_skill"), Strategy::kBestSkill);
  EXPECT_EQ(strategy_named("Longest_Idle"), std::nullopt);
  EXPECT_EQ(strategy_named(""), std::nullopt);
}

}  // namespace
}  // namespace unicc::acd
