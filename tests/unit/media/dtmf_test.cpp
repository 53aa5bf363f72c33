#include "media/dtmf.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace unicc::media {
namespace {

std::array<std::uint8_t, 4> event_payload(std::uint8_t event, bool end, std::uint16_t duration) {
  return {event, static_cast<std::uint8_t>((end ? 0x80 : 0x00) | 10), static_cast<std::uint8_t>(duration >> 8),
          static_cast<std::uint8_t>(duration)};
}

// What a phone sends for one key press: updates every 20 ms, then the end three times.
std::string send_key_press(DtmfDetector& detector, std::uint8_t event, std::uint32_t timestamp,
                           std::chrono::milliseconds* duration = nullptr) {
  std::string reported;
  const std::uint16_t final_duration = 800;  // 100 ms at 8 kHz
  for (std::uint16_t elapsed = 160; elapsed < final_duration; elapsed += 160) {
    if (detector.on_packet(timestamp, event_payload(event, false, elapsed))) reported += '?';
  }
  for (int copy = 0; copy < 3; ++copy) {
    if (const auto digit = detector.on_packet(timestamp, event_payload(event, true, final_duration))) {
      reported += digit->digit;
      if (duration != nullptr) *duration = digit->duration;
    }
  }
  return reported;
}

TEST(DtmfDetectorTest, ReportsATripleEndOnceWithItsDuration) {
  DtmfDetector detector;
  std::chrono::milliseconds duration{0};
  EXPECT_EQ(send_key_press(detector, 5, 1000, &duration), "5");
  EXPECT_EQ(duration, std::chrono::milliseconds(100));
}

TEST(DtmfDetectorTest, MapsEveryDigit) {
  DtmfDetector detector;
  std::string digits;
  for (std::uint8_t event = 0; event < 16; ++event) {
    digits += send_key_press(detector, event, 1000u + event * 2000u);
  }
  EXPECT_EQ(digits, "0123456789*#ABCD");
}

TEST(DtmfDetectorTest, RepeatedKeyIsReportedEachTime) {
  DtmfDetector detector;
  EXPECT_EQ(send_key_press(detector, 1, 8000), "1");
  EXPECT_EQ(send_key_press(detector, 1, 16000), "1");
}

TEST(DtmfDetectorTest, IgnoresOtherEventsAndShortPayloads) {
  DtmfDetector detector;
  EXPECT_EQ(send_key_press(detector, 16, 1000), "");  // hook flash
  const std::array<std::uint8_t, 3> short_payload = {1, 0x80, 0};
  EXPECT_FALSE(detector.on_packet(3000, short_payload));
}

TEST(DtmfDetectorTest, UsesTheNegotiatedClockRate) {
  DtmfDetector detector(16000);
  const auto digit = detector.on_packet(0, event_payload(11, true, 1600));
  ASSERT_TRUE(digit);
  EXPECT_EQ(digit->digit, '#');
  EXPECT_EQ(digit->duration, std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace unicc::media
