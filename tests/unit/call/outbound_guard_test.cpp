#include "call/outbound_guard.h"

#include <gtest/gtest.h>

namespace unicc::call {
namespace {

using namespace std::chrono_literals;

TEST(OutboundGuardTest, InternationalAndPremiumOnlyForListedCallers) {
  core::FakeClock clock;
  core::OutboundConfig policy;
  policy.international_callers = {"1001"};
  OutboundGuard guard(clock, policy);
  EXPECT_EQ(guard.admit("1002", "0044201234567"), "international");
  EXPECT_EQ(guard.admit("1002", "+44201234567"), "international");
  EXPECT_EQ(guard.admit("ivr", "0044201234567"), "international");
  EXPECT_EQ(guard.admit("1001", "0044201234567"), "");
  EXPECT_EQ(guard.admit("1001", "9001234"), "premium");
  EXPECT_EQ(guard.admit("1002", "19005550100"), "premium");
  EXPECT_EQ(guard.admit("1002", "5550100"), "");
}

TEST(OutboundGuardTest, StarListsEveryone) {
  core::FakeClock clock;
  core::OutboundConfig policy;
  policy.premium_callers = {"*"};
  OutboundGuard guard(clock, policy);
  EXPECT_EQ(guard.admit("callback", "9001234"), "");
  EXPECT_EQ(guard.admit("callback", "001234"), "international");
}

TEST(OutboundGuardTest, RatePerCallerSlidesWithTheMinute) {
  core::FakeClock clock;
  core::OutboundConfig policy;
  policy.calls_per_minute_per_caller = 3;
  policy.concurrent_per_caller = 100;
  OutboundGuard guard(clock, policy);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(guard.admit("1001", "5550100"), "");
    guard.ended("1001");
    clock.advance(10s);
  }
  EXPECT_EQ(guard.admit("1001", "5550100"), "rate");
  EXPECT_EQ(guard.admit("1002", "5550100"), "") << "another caller has its own budget";
  clock.advance(31s);  // the first call is now more than a minute old
  EXPECT_EQ(guard.admit("1001", "5550100"), "");
  EXPECT_EQ(guard.admit("1001", "5550100"), "rate");
}

TEST(OutboundGuardTest, GlobalRateCapsAllCallersTogether) {
  core::FakeClock clock;
  core::OutboundConfig policy;
  policy.calls_per_minute = 2;
  OutboundGuard guard(clock, policy);
  EXPECT_EQ(guard.admit("1001", "5550100"), "");
  EXPECT_EQ(guard.admit("1002", "5550100"), "");
  EXPECT_EQ(guard.admit("1003", "5550100"), "rate");
  clock.advance(61s);
  EXPECT_EQ(guard.admit("1003", "5550100"), "");
}

TEST(OutboundGuardTest, ConcurrentCallsAreCountedUntilTheyEnd) {
  core::FakeClock clock;
  core::OutboundConfig policy;
  policy.concurrent_per_caller = 2;
  policy.concurrent = 3;
  OutboundGuard guard(clock, policy);
  EXPECT_EQ(guard.admit("1001", "5550100"), "");
  EXPECT_EQ(guard.admit("1001", "5550101"), "");
  EXPECT_EQ(guard.admit("1001", "5550102"), "concurrent");
  EXPECT_EQ(guard.admit("1002", "5550103"), "");
  EXPECT_EQ(guard.admit("1003", "5550104"), "concurrent") << "the global cap";
  guard.ended("1001");
  EXPECT_EQ(guard.admit("1001", "5550102"), "");
  guard.ended("1009");  // never admitted: no effect on the counts
  EXPECT_EQ(guard.admit("1003", "5550104"), "concurrent");
}

TEST(OutboundGuardTest, ARefusalIsAskedWithoutCountingTheCall) {
  core::FakeClock clock;
  core::OutboundConfig policy;
  policy.calls_per_minute_per_caller = 1;
  OutboundGuard guard(clock, policy);
  EXPECT_EQ(guard.refusal("1001", "0044201234567"), "international");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(guard.refusal("1001", "5550100"), "");
  EXPECT_EQ(guard.admit("1001", "5550100"), "") << "the checks counted nothing";
  EXPECT_EQ(guard.refusal("1001", "5550100"), "rate");
  EXPECT_EQ(guard.refusal("1002", "5550100"), "");
  clock.advance(61s);
  EXPECT_EQ(guard.refusal("1001", "5550100"), "");
}

}  // namespace
}  // namespace unicc::call
