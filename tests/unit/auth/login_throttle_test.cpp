#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace unicc::auth {
namespace {

TEST(LoginThrottle, PerUserLimitSlidesWithTheWindow) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 3, 100, std::chrono::seconds(60));
  throttle.record_failure("u", "1.1.1.1");
  clock.advance(std::chrono::seconds(10));
  throttle.record_failure("u", "1.1.1.1");
  throttle.record_failure("u", "1.1.1.1");
  EXPECT_EQ(throttle.retry_after_s("u", "2.2.2.2"), 50);  // first failure leaves the window at t=60
  EXPECT_EQ(throttle.retry_after_s("other", "2.2.2.2"), 0);
  clock.advance(std::chrono::seconds(50));
  EXPECT_EQ(throttle.retry_after_s("u", "2.2.2.2"), 0);
}

TEST(LoginThrottle, PerAddressLimitCoversEveryUserName) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 100, 5, std::chrono::seconds(300));
  for (int i = 0; i < 5; ++i) throttle.record_failure("user" + std::to_string(i), "6.6.6.6");
  EXPECT_GT(throttle.retry_after_s("fresh-name", "6.6.6.6"), 0);
  EXPECT_EQ(throttle.retry_after_s("fresh-name", "7.7.7.7"), 0);
}

TEST(LoginThrottle, SuccessClearsTheUsersFailures) {
  core::FakeClock clock(0);
  LoginThrottle throttle(clock, 2, 100, std::chrono::seconds(60));
  throttle.record_failure("u", "a");
  throttle.record_success("u");
  throttle.record_failure("u", "a");
  EXPECT_EQ(throttle.retry_after_s("u", "a"), 0);
}

}  // namespace
}  // namespace unicc::auth
