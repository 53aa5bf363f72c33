#include "media/resample.h"

#include <gtest/gtest.h>

#include "signal.h"

namespace unicc::media {
namespace {

using testing::sine;
using testing::tone_amplitude;

// The middle of the output: leaves out the filter's start-up and tail.
std::span<const float> middle(const std::vector<float>& samples) {
  return std::span<const float>(samples).subspan(samples.size() / 4, samples.size() / 2);
}

TEST(ResampleTest, DownTo8kKeepsAOneKilohertzToneAndItsLevel) {
  const auto out = resample(sine(1000, 0.5, 16000, 1.0), 16000, 8000);
  EXPECT_NEAR(static_cast<double>(out.size()), 8000, 2);
  EXPECT_NEAR(tone_amplitude(middle(out), 1000, 8000), 0.5, 0.005);
  // The energy stayed at 1 kHz: nothing moved to another frequency.
  EXPECT_NEAR(testing::rms(middle(out)), 0.5 / std::sqrt(2.0), 0.005);
}

TEST(ResampleTest, DownTo8kRemovesWhatLiesAboveFourKilohertz) {
  const auto out = resample(sine(5000, 0.5, 16000, 1.0), 16000, 8000);
  // Dropping every other sample would fold 5 kHz onto 3 kHz at full level.
  EXPECT_LT(tone_amplitude(middle(out), 3000, 8000), 0.5 / 1000);
  EXPECT_LT(testing::rms(middle(out)), 0.5 / 1000);
}

TEST(ResampleTest, ConvertsTheRatesTextToSpeechProduces) {
  for (int rate : {11025, 22050, 44100, 48000}) {
    const auto out = resample(sine(440, 0.3, rate, 1.0), rate, 8000);
    EXPECT_NEAR(static_cast<double>(out.size()), 8000, 2) << rate;
    EXPECT_NEAR(tone_amplitude(middle(out), 440, 8000), 0.3, 0.005) << rate;
  }
}

TEST(ResampleTest, SameRateIsACopyAndBadRatesThrow) {
  const auto in = sine(1000, 0.5, 8000, 0.1);
  EXPECT_EQ(resample(in, 8000, 8000), in);
  EXPECT_THROW(resample(in, 0, 8000), std::invalid_argument);
}

}  // namespace
}  // namespace unicc::media
