#include "media/outgoing_stream.h"

#include <gtest/gtest.h>

namespace unicc::media {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(OutgoingStreamTest, FirstSourceKeepsItsNumbering) {
  OutgoingStream stream(0x1234);
  const auto now = Clock::now();
  const auto first = stream.next(7, 100, 5000, now);
  EXPECT_EQ(first.sequence, 100);
  EXPECT_EQ(first.timestamp, 5000u);
  // A gap and a late packet pass through as they are.
  EXPECT_EQ(stream.next(7, 103, 5480, now).sequence, 103);
  EXPECT_EQ(stream.next(7, 102, 5320, now).sequence, 102);
  EXPECT_EQ(stream.ssrc(), 0x1234u);
}

TEST(OutgoingStreamTest, NewSourceContinuesTheSequenceAndAdvancesTimeByTheWallClock) {
  OutgoingStream stream(1);
  const auto start = Clock::now();
  stream.next(7, 65534, 1000, start);
  stream.next(7, 65535, 1160, start + 20ms);
  const auto switched = stream.next(99, 4000, 777777, start + 60ms);
  EXPECT_EQ(switched.sequence, 0);                // 65535 + 1, wrapped
  EXPECT_EQ(switched.timestamp, 1160u + 320u);    // 40 ms at 8 kHz
  const auto after = stream.next(99, 4001, 777777 + 160, start + 80ms);
  EXPECT_EQ(after.sequence, 1);
  EXPECT_EQ(after.timestamp, 1160u + 320u + 160u);
}

TEST(OutgoingStreamTest, InterruptionRebasesTheSameSource) {
  OutgoingStream stream(1);
  const auto start = Clock::now();
  stream.next(7, 10, 0, start);
  stream.interrupt();  // packets 11..59 withheld
  const auto resumed = stream.next(7, 60, 8000, start + 1s);
  EXPECT_EQ(resumed.sequence, 11);
  EXPECT_EQ(resumed.timestamp, 8000u);
}

TEST(OutgoingStreamTest, ImmediateSwitchStillAdvancesTheTimestamp) {
  OutgoingStream stream(1);
  const auto now = Clock::now();
  const auto last = stream.next(7, 10, 500, now);
  const auto next = stream.next(8, 90, 0, now);
  EXPECT_EQ(next.sequence, last.sequence + 1);
  EXPECT_GT(next.timestamp, last.timestamp);
}

}  // namespace
}  // namespace unicc::media
