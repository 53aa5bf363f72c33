// SIP bans kept across a restart (call::SipBanStore), on SQLite and PostgreSQL: what
// one run's ban list wrote, the next run's reads back.
#include "call/sip_bans.h"

#include <gtest/gtest.h>

#include "core/metrics.h"
#include "support/test_database.h"

namespace unicc::call {
namespace {

using namespace std::chrono_literals;

class SipBanStoreTest : public ::testing::Test {
 protected:
  ~SipBanStoreTest() override { writer.stop(); }

  // A run of the server: a new ban list over the same database.
  std::unique_ptr<sip::BanList> start() {
    auto bans = std::make_unique<sip::BanList>(clock, sip::BanSettings{3, 4, 60s, 600s});
    stored.attach(*bans, clock.now_ms());
    return bans;
  }

  testing::TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 16, 1000, metrics};
  SipBanStore stored{writer, test.db()};
};

TEST_F(SipBanStoreTest, BansOutliveARestartUntilTheyEndOrAreLifted) {
  auto first = start();
  first->record_success("198.51.100.2", "1001");
  for (int i = 0; i < 4; ++i) first->record_failure("203.0.113.7", "1001");
  for (int i = 0; i < 3; ++i) first->record_failure("203.0.113.8", "");
  ASSERT_TRUE(first->banned("203.0.113.8"));
  first->lift("address", "203.0.113.8");
  writer.flush();

  clock.advance(60s);
  auto second = start();
  EXPECT_TRUE(second->banned("203.0.113.7"));
  EXPECT_FALSE(second->banned("203.0.113.8"));  // lifted before the restart
  EXPECT_TRUE(second->user_banned_from("1001", "203.0.113.99"));
  EXPECT_FALSE(second->user_banned_from("1001", "198.51.100.2"));  // the real phone still works
  const auto listed = second->list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].until_ms, 1'795'000'000'000 + 600'000);

  // Ended by the next start: not put back, and its row is gone.
  clock.advance(541s);
  auto third = start();
  EXPECT_FALSE(third->banned("203.0.113.7"));
  EXPECT_TRUE(third->list().empty());
  soci::session sql(test.db().pool());
  long long rows = -1;
  sql << "SELECT COUNT(*) FROM sip_bans", soci::into(rows);
  EXPECT_EQ(rows, 0);
}

}  // namespace
}  // namespace unicc::call
