#include "auth/audit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "support/held_writer.h"
#include "support/test_database.h"

namespace unicc::auth {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  testing::TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 10, 100, metrics};
  AuditLog audit{writer, test.db(), clock};
};

TEST_F(AuditLogTest, EntriesAreWrittenThroughTheWriterAndListedNewestFirst) {
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
  EXPECT_EQ(audit.list(10, 0, "", "user:8").size(), 1u);
  EXPECT_TRUE(audit.list(10, 0, "", "user:9").empty());
}

// The API answers after record(): an entry is committed before it returns, even
// while the writer is behind, so a kill -9 after the answer cannot lose it.
TEST_F(AuditLogTest, RecordReturnsOnlyOnceTheEntryIsCommitted) {
  testing::HeldWriter held(writer);
  auto recording = std::async(std::launch::async, [this] {
    return audit.record({0, 0, 7, "sue", "admin", "queue.saved", "queue:support", "{}", "10.1.1.1"});
  });
  EXPECT_EQ(recording.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  held.release();
  EXPECT_TRUE(recording.get());
  soci::session sql(test.db().pool());
  long long n = 0;
  sql << "SELECT COUNT(*) FROM audit_log WHERE action = 'queue.saved'", soci::into(n);
  EXPECT_EQ(n, 1);
}

TEST_F(AuditLogTest, RecordSaysWhenTheEntryWasNotKept) {
  writer.stop();
  EXPECT_FALSE(audit.record({0, 0, 7, "sue", "admin", "late", "", "{}", ""}));
}

}  // namespace
}  // namespace unicc::auth
