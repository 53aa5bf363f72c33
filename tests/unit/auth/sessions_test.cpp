#include "auth/sessions.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace unicc::auth {
namespace {

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test.add_sip_account("1007");
    user = users.create("agent7", "", Role::agent, "1007", "good-password");
  }

  testing::TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  Users users{test.db(), clock};
  LoginThrottle throttle{clock, 3, 10, std::chrono::seconds(60)};
  Sessions sessions{test.db(), users, throttle, clock, 3600};
  User user;
};

TEST_F(SessionsTest, LoginIssuesATokenThatAuthenticates) {
  auto result = sessions.login("agent7", "good-password", "10.0.0.1");
  ASSERT_EQ(result.outcome, LoginOutcome::ok);
  EXPECT_EQ(result.token.size(), 64u);
  EXPECT_EQ(result.expires_at, clock.now_ms() + 3600 * 1000);
  auto who = sessions.authenticate(result.token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->user_id, user.id);
  EXPECT_EQ(who->role, Role::agent);
}

TEST_F(SessionsTest, OnlyTheTokensHashIsStored) {
  auto result = sessions.login("agent7", "good-password", "10.0.0.1");
  soci::session sql(test.db().pool());
  int plain = 0;
  sql << "SELECT COUNT(*) FROM sessions WHERE token_hash = :t", soci::use(result.token), soci::into(plain);
  EXPECT_EQ(plain, 0);
}

TEST_F(SessionsTest, WrongPasswordUnknownUserAndDisabledUserFail) {
  EXPECT_EQ(sessions.login("agent7", "bad-password", "a").outcome, LoginOutcome::bad_credentials);
  EXPECT_EQ(sessions.login("nobody", "good-password", "a").outcome, LoginOutcome::bad_credentials);
  UserChanges disable;
  disable.disabled = true;
  users.update(user.id, disable);
  EXPECT_EQ(sessions.login("agent7", "good-password", "b").outcome, LoginOutcome::bad_credentials);
}

TEST_F(SessionsTest, TokensExpireAndLogoutEndsThem) {
  auto first = sessions.login("agent7", "good-password", "a");
  clock.advance(std::chrono::seconds(3601));
  EXPECT_FALSE(sessions.authenticate(first.token));
  auto second = sessions.login("agent7", "good-password", "a");
  EXPECT_TRUE(sessions.authenticate(second.token));
  sessions.logout(second.token);
  EXPECT_FALSE(sessions.authenticate(second.token));
}

TEST_F(SessionsTest, DisablingAUserEndsTheirSessions) {
  auto result = sessions.login("agent7", "good-password", "a");
  UserChanges disable;
  disable.disabled = true;
  users.update(user.id, disable);
  EXPECT_FALSE(sessions.authenticate(result.token));
}

TEST_F(SessionsTest, ChangingTheExtensionEndsTheirSessions) {
  test.add_sip_account("1008");
  auto result = sessions.login("agent7", "good-password", "a");
  UserChanges move;
  move.extension = "1008";
  users.update(user.id, move);
  EXPECT_FALSE(sessions.authenticate(result.token)) << "the desktop must sign in again for the new phone";
  auto supervisor = sessions.login("agent7", "good-password", "a");
  UserChanges promote_without_phone;
  promote_without_phone.role = Role::supervisor;
  promote_without_phone.extension = "";
  users.update(user.id, promote_without_phone);
  EXPECT_FALSE(sessions.authenticate(supervisor.token));
}

TEST_F(SessionsTest, RepeatedFailuresAreThrottledEvenWithTheRightPassword) {
  for (int i = 0; i < 3; ++i) sessions.login("agent7", "wrong-password", "a");
  auto result = sessions.login("agent7", "good-password", "a");
  EXPECT_EQ(result.outcome, LoginOutcome::throttled);
  EXPECT_EQ(result.retry_after_s, 60);
  clock.advance(std::chrono::seconds(61));
  EXPECT_EQ(sessions.login("agent7", "good-password", "a").outcome, LoginOutcome::ok);
}

TEST_F(SessionsTest, AnotherAddressIsNotLockedOutBySomeoneElsesFailures) {
  for (int i = 0; i < 50; ++i) sessions.login("agent7", "wrong-password", "203.0.113.9");
  EXPECT_EQ(sessions.login("agent7", "good-password", "203.0.113.9").outcome, LoginOutcome::throttled);
  EXPECT_EQ(sessions.login("agent7", "good-password", "10.0.0.1").outcome, LoginOutcome::ok);
}

TEST_F(SessionsTest, GarbageTokensAreRefused) {
  EXPECT_FALSE(sessions.authenticate(""));
  EXPECT_FALSE(sessions.authenticate(std::string(64, 'z')));
  EXPECT_FALSE(sessions.authenticate("' OR 1=1 --"));
}

}  // namespace
}  // namespace unicc::auth
