#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace unicc::auth {
namespace {

TEST(LoginThrottle, PerUserAndAddressLimitSlidesWithTheWindow) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 3, 100, std::chrono::seconds(60));
  throttle.record_failure("u", "1.1.1.1");
  clock.advance(std::chrono::seconds(10));
  throttle.record_failure("u", "1.1.1.1");
  throttle.record_failure("u", "1.1.1.1");
  EXPECT_EQ(throttle.retry_after_s("u", "1.1.1.1"), 50);  // first failure leaves the window at t=60
  EXPECT_EQ(throttle.retry_after_s("other", "1.1.1.1"), 0);
  clock.advance(std::chrono::seconds(50));
  EXPECT_EQ(throttle.retry_after_s("u", "1.1.1.1"), 0);
}

TEST(LoginThrottle, FailuresFromOneAddressDoNotLockTheUserOutElsewhere) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 5, 20, std::chrono::seconds(300));
  for (int i = 0; i < 500; ++i) {
    if (throttle.retry_after_s("admin", "6.6.6.6") == 0) throttle.record_failure("admin", "6.6.6.6");
  }
  EXPECT_GT(throttle.retry_after_s("admin", "6.6.6.6"), 0);
  EXPECT_EQ(throttle.retry_after_s("admin", "7.7.7.7"), 0);
  EXPECT_EQ(throttle.retry_after_s("admin", "2001:db8::1"), 0);
}

TEST(LoginThrottle, PerAddressLimitCoversEveryUserName) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 100, 5, std::chrono::seconds(300));
  for (int i = 0; i < 5; ++i) throttle.record_failure("user" + std::to_string(i), "6.6.6.6");
  EXPECT_GT(throttle.retry_after_s("fresh-name", "6.6.6.6"), 0);
  EXPECT_EQ(throttle.retry_after_s("fresh-name", "7.7.7.7"), 0);
}

TEST(LoginThrottle, SuccessClearsTheUsersFailuresFromThatAddressOnly) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 2, 100, std::chrono::seconds(60));
  throttle.record_failure("u", "a");
  throttle.record_failure("u", "b");
  throttle.record_success("u", "a");
  throttle.record_failure("u", "a");
  throttle.record_failure("u", "b");
  EXPECT_EQ(throttle.retry_after_s("u", "a"), 0);
  EXPECT_GT(throttle.retry_after_s("u", "b"), 0);
}

TEST(LoginThrottle, TrustedNetworksAreNeverThrottled) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 2, 3, std::chrono::seconds(60), core::AddressList({"10.9.0.0/16", "::1"}));
  for (int i = 0; i < 50; ++i) {
    throttle.record_failure("admin", "10.9.3.4");
    throttle.record_failure("admin", "::1");
    throttle.record_failure("admin", "10.8.3.4");
  }
  EXPECT_EQ(throttle.retry_after_s("admin", "10.9.3.4"), 0);
  EXPECT_EQ(throttle.retry_after_s("admin", "::1"), 0);
  EXPECT_GT(throttle.retry_after_s("admin", "10.8.3.4"), 0);
}

}  // namespace
}  // namespace unicc::auth
