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

TEST_F(BanListTest, TheObserverHearsBansBeginAndAdminsLiftThem) {
  std::vector<std::pair<Ban, bool>> heard;
  bans.set_observer([&](const Ban& ban, bool in_force) { heard.emplace_back(ban, in_force); });
  bans.record_success("198.51.100.2", "1001");  // the real phone
  for (int i = 0; i < 4; ++i) bans.record_failure("203.0.113.7", "1001");
  ASSERT_EQ(heard.size(), 2u);  // the address at its 3rd failure, the user at its 4th
  EXPECT_EQ(heard[0].first.kind, "address");
  EXPECT_EQ(heard[0].first.key, "203.0.113.7");
  EXPECT_TRUE(heard[0].second);
  EXPECT_EQ(heard[1].first.kind, "user");
  EXPECT_EQ(heard[1].first.allowed, std::vector<std::string>{"198.51.100.2"});
  EXPECT_EQ(heard[1].first.until_ms, clock.now_ms() + 30'000);
  ASSERT_TRUE(bans.lift("user", "1001"));
  ASSERT_EQ(heard.size(), 3u);
  EXPECT_EQ(heard[2].first.key, "1001");
  EXPECT_FALSE(heard[2].second);
  clock.advance(31s);  // bans that run out are not told
  bans.record_failure("203.0.113.9", "");
  EXPECT_EQ(heard.size(), 3u);
}

TEST_F(BanListTest, RestoredBansHoldUntilTheirEndAndKeepTheUsersKnownAddresses) {
  const std::int64_t now = clock.now_ms();
  bans.exempt("192.0.2.1");
  bans.restore(Ban{"address", "203.0.113.7", now - 5'000, now + 10'000, 20, {}});
  bans.restore(Ban{"user", "1001", now - 5'000, now + 10'000, 50, {"198.51.100.2"}});
  bans.restore(Ban{"address", "203.0.113.8", now - 50'000, now - 1, 20, {}});  // over
  bans.restore(Ban{"address", "192.0.2.1", now, now + 10'000, 20, {}});        // a trunk
  EXPECT_TRUE(bans.banned("203.0.113.7"));
  EXPECT_FALSE(bans.banned("203.0.113.8"));
  EXPECT_FALSE(bans.banned("192.0.2.1"));
  EXPECT_TRUE(bans.user_banned_from("1001", "203.0.113.99"));
  EXPECT_FALSE(bans.user_banned_from("1001", "198.51.100.2"));
  ASSERT_EQ(bans.list().size(), 2u);
  EXPECT_EQ(bans.list()[0].failures, 20);
  clock.advance(11s);
  EXPECT_FALSE(bans.banned("203.0.113.7"));
  EXPECT_FALSE(bans.user_banned_from("1001", "203.0.113.99"));
}

}  // namespace
}  // namespace unicc::sip
