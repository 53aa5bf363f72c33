#include "media/tones.h"

#include <gtest/gtest.h>

#include <cmath>

#include "signal.h"

namespace unicc::media {
namespace {

using std::chrono::milliseconds;
using testing::tone_amplitude;

struct Cadence {
  milliseconds on{0};
  milliseconds off{0};
};

// On and off time measured in 10 ms blocks: a block is "on" when it carries sound.
Cadence measure(const Prompt& prompt) {
  Cadence cadence;
  const auto samples = prompt.samples();
  bool ended = false;
  for (std::size_t block = 0; block + 80 <= samples.size(); block += 80) {
    const bool sounding = testing::rms(samples.subspan(block, 80)) > 100;
    if (sounding && ended) ADD_FAILURE() << "sound again after the silence at " << block;
    ended = ended || !sounding;
    (sounding ? cadence.on : cadence.off) += milliseconds(10);
  }
  return cadence;
}

double level_dbm0(double amplitude) { return 20 * std::log10(amplitude / 22656.0); }

TEST(TonesTest, BeepIsTwoHundredMillisecondsOfOneKilohertz) {
  const Prompt tone = beep();
  EXPECT_EQ(tone.duration(), milliseconds(200));
  EXPECT_EQ(measure(tone).off, milliseconds(0));
  EXPECT_NEAR(level_dbm0(tone_amplitude(tone.samples(), 1000, 8000)), -10, 0.2);
  EXPECT_LT(tone_amplitude(tone.samples(), 900, 8000), 30);
}

TEST(TonesTest, ChineseRingbackIs450HertzOneSecondOnFourOff) {
  const Prompt tone = ringback(ToneRegion::kChina);
  const Cadence cadence = measure(tone);
  EXPECT_EQ(cadence.on, milliseconds(1000));
  EXPECT_EQ(cadence.off, milliseconds(4000));
  const auto on = tone.samples().first(8000);
  EXPECT_NEAR(level_dbm0(tone_amplitude(on, 450, 8000)), -10, 0.2);
  EXPECT_LT(tone_amplitude(on, 425, 8000), 30);
}

TEST(TonesTest, UsRingbackIs440Plus480HertzTwoSecondsOnFourOff) {
  const Prompt tone = ringback(ToneRegion::kUs);
  const Cadence cadence = measure(tone);
  EXPECT_EQ(cadence.on, milliseconds(2000));
  EXPECT_EQ(cadence.off, milliseconds(4000));
  const auto on = tone.samples().first(16000);
  EXPECT_NEAR(level_dbm0(tone_amplitude(on, 440, 8000)), -19, 0.2);
  EXPECT_NEAR(level_dbm0(tone_amplitude(on, 480, 8000)), -19, 0.2);
}

TEST(TonesTest, BusyTonesFollowTheirRegionsCadence) {
  const Cadence china = measure(busy_tone(ToneRegion::kChina));
  EXPECT_EQ(china.on, milliseconds(350));
  EXPECT_EQ(china.off, milliseconds(350));
  const Cadence europe = measure(busy_tone(ToneRegion::kEurope));
  EXPECT_EQ(europe.on, milliseconds(500));
  EXPECT_EQ(europe.off, milliseconds(500));
  const Prompt us = busy_tone(ToneRegion::kUs);
  EXPECT_EQ(measure(us).on, milliseconds(500));
  EXPECT_GT(tone_amplitude(us.samples().first(4000), 620, 8000), 500);
  EXPECT_GT(tone_amplitude(us.samples().first(4000), 480, 8000), 500);
}

}  // namespace
}  // namespace unicc::media
