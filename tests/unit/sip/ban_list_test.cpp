#include "sip/ban_list.h"

#include <gtest/gtest.h>

namespace unicc::sip {
namespace {

using namespace std::chrono_literals;

class BanListTest : public ::testing::Test {
 protected:
  core::FakeClock clock{1'795'000'000'000};
  BanList bans{clock, BanSettings{3, 4, 60s, 30s}};
};

TEST_F(BanListTest, FailuresOutsideTheWindowDoNotAddUp) {
  bans.record_failure("203.0.113.7", "1001");
  bans.record_failure("203.0.113.7", "1001");
  clock.advance(61s);
  bans.record_failure("203.0.113.7", "1001");
  EXPECT_FALSE(bans.banned("203.0.113.7"));
  EXPECT_TRUE(bans.list().empty());
}

TEST_F(BanListTest, BansAreListedAndAnAdminCanLiftThem) {
  for (int i = 0; i < 3; ++i) bans.record_failure("203.0.113.7", "");
  ASSERT_TRUE(bans.banned("203.0.113.7"));
  auto listed = bans.list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].kind, "address");
  EXPECT_EQ(listed[0].key, "203.0.113.7");
  EXPECT_EQ(listed[0].failures, 3);
  EXPECT_EQ(listed[0].until_ms - listed[0].since_ms, 30'000);
  EXPECT_FALSE(bans.lift("user", "203.0.113.7"));
  EXPECT_TRUE(bans.lift("address", "203.0.113.7"));
  EXPECT_FALSE(bans.banned("203.0.113.7"));
  EXPECT_FALSE(bans.lift("address", "203.0.113.7"));
  // Lifted means forgotten: it takes the full count again.
  bans.record_failure("203.0.113.7", "");
  EXPECT_FALSE(bans.banned("203.0.113.7"));
}

TEST_F(BanListTest, TrunkAddressesAreNeverBanned) {
  bans.exempt("198.51.100.1");
  for (int i = 0; i < 10; ++i) bans.record_failure("198.51.100.1", "");
  EXPECT_FALSE(bans.banned("198.51.100.1"));
}

TEST_F(BanListTest, AUserBanSparesTheAddressesItAuthenticatedFrom) {
  bans.record_success("192.0.2.50", "1001");
  for (int i = 0; i < 4; ++i) bans.record_failure("203.0.113." + std::to_string(i), "1001");
  EXPECT_TRUE(bans.user_banned_from("1001", "203.0.113.99"));
  EXPECT_FALSE(bans.user_banned_from("1001", "192.0.2.50"));
  EXPECT_FALSE(bans.user_banned_from("1002", "203.0.113.99"));
  clock.advance(31s);
  EXPECT_FALSE(bans.user_banned_from("1001", "203.0.113.99"));
}

}  // namespace
}  // namespace unicc::sip
