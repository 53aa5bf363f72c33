#include "core/clock.h"

#include <gtest/gtest.h>

#include "core/random.h"

namespace unicc::core {
namespace {

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(1000);
  auto steady = clock.steady_now();
  EXPECT_EQ(clock.now_ms(), 1000);
  clock.advance(std::chrono::milliseconds(250));
  EXPECT_EQ(clock.now_ms(), 1250);
  EXPECT_EQ(clock.steady_now() - steady, std::chrono::milliseconds(250));
}

TEST(SystemClock, IsNearTheSystemTime) {
  SystemClock clock;
  EXPECT_GT(clock.now_ms(), 1'600'000'000'000);
}

TEST(Random, TokensAreHexAndDistinct) {
  std::string a = random_hex(32), b = random_hex(32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Random, Sha256MatchesTheKnownDigest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace unicc::core
