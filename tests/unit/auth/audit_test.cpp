#include "auth/audit.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace unicc::auth {
namespace {

TEST(AuditLog, EntriesAreWrittenThroughTheWriterAndListedNewestFirst) {
  testing::TestDatabase test;
  core::FakeClock clock(1'795'000'000'000);
  core::Metrics metrics;
  store::AsyncWriter writer(test.db(), 10, 100, metrics);
  AuditLog audit(writer, test.db(), clock);
  EXPECT_TRUE(audit.record({0, 0, 7, "sue", "admin", "user.create", "user:8", R"({"role":"agent"})", "10.1.1.1"}));
  clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(audit.record({0, 0, 0, "system", "", "server.start", "", "", ""}));
  writer.flush();
  auto entries = audit.list(10, 0, "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "server.start");
  EXPECT_EQ(entries[0].actor_id, 0);
  EXPECT_EQ(entries[1].actor, "sue");
  EXPECT_EQ(entries[1].actor_id, 7);
  EXPECT_EQ(entries[1].at, 1'795'000'000'000);
  EXPECT_EQ(entries[1].source, "10.1.1.1");
  EXPECT_EQ(entries[1].detail, R"({"role":"agent"})");
  auto filtered = audit.list(10, 0, "user.create");
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].target, "user:8");
}

}  // namespace
}  // namespace unicc::auth
