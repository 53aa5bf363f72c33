// AgentLog's queue calls: the answered and abandoned ones are written with their
// waits and read back from a time on (the wallboard's day at start); the others are
// only handed on.
#include "acd/store/agent_log.h"

#include <gtest/gtest.h>

#include "core/metrics.h"
#include "support/test_database.h"

namespace unicc::acd_store {
namespace {

TEST(AgentLogQueueCalls, AnsweredAndAbandonedAreKeptWithTheirWaits) {
  testing::TestDatabase database;
  core::Metrics metrics;
  store::AsyncWriter writer(database.db(), 100, 1000, metrics);
  std::vector<acd::QueueCallEvent> handed;
  AgentLog log(writer, database.db(), {}, [&handed](const acd::QueueCallEvent& event) { handed.push_back(event); });
  log.set_queue(1, "support");
  log.set_agent(7, "1001", "Ann");
  log.on_call_event({acd::CallEventKind::kQueued, 11, 1, std::nullopt, 1'000, 0});
  log.on_call_event({acd::CallEventKind::kAnswered, 11, 1, 7, 9'000, 8'000});
  log.on_call_event({acd::CallEventKind::kAbandoned, 12, 1, std::nullopt, 20'000, 15'000});
  log.on_call_event({acd::CallEventKind::kCompleted, 11, 1, 7, 60'000, 8'000});
  EXPECT_EQ(handed.size(), 4u);

  auto kept = log.queue_calls_since(5'000);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].queue, "support");
  EXPECT_EQ(kept[0].event, "answered");
  EXPECT_EQ(kept[0].call, 11u);
  EXPECT_EQ(kept[0].agent, "1001");
  EXPECT_EQ(kept[0].waited_ms, 8'000);
  EXPECT_EQ(kept[0].at_ms, 9'000);
  EXPECT_EQ(kept[1].event, "abandoned");
  EXPECT_EQ(kept[1].waited_ms, 15'000);
  EXPECT_EQ(log.queue_calls_since(10'000).size(), 1u);
  writer.stop();
}

}  // namespace
}  // namespace unicc::acd_store
