#include "media/mixer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <vector>

#include "signal.h"

namespace unicc::media {
namespace {

constexpr double kRate = 8000;
constexpr double kLevel = 8000;

// Frame `index` of a continuous sine at `frequency`.
std::vector<std::int16_t> tone_frame(double frequency, std::size_t index, double level = kLevel) {
  std::vector<std::int16_t> frame(Mixer::kFrameSamples);
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const double t = static_cast<double>(index * Mixer::kFrameSamples + n) / kRate;
    frame[n] = static_cast<std::int16_t>(std::lround(level * std::sin(2 * std::numbers::pi * frequency * t)));
  }
  return frame;
}

// Each participant speaks its own tone for `frames` intervals; returns what each heard.
std::map<Mixer::Id, std::vector<std::int16_t>> run(Mixer& mixer, const std::map<Mixer::Id, double>& tones,
                                                   std::size_t frames) {
  std::map<Mixer::Id, std::vector<std::int16_t>> heard;
  for (std::size_t index = 0; index < frames; ++index) {
    for (const auto& [id, frequency] : tones) mixer.put(id, tone_frame(frequency, index));
    mixer.mix([&](Mixer::Id listener, std::span<const std::int16_t> samples) {
      heard[listener].insert(heard[listener].end(), samples.begin(), samples.end());
    });
  }
  return heard;
}

double level_of(const std::vector<std::int16_t>& samples, double frequency) {
  // Past the first frames (priming), over whole 20 ms frames.
  std::span<const std::int16_t> steady(samples.begin() + 4 * Mixer::kFrameSamples, samples.end());
  return testing::tone_amplitude(steady, frequency, kRate);
}

constexpr Mixer::Id kCustomer = 1, kAgent = 2, kSupervisor = 3;
const std::map<Mixer::Id, double> kTones = {{kCustomer, 440}, {kAgent, 1000}, {kSupervisor, 1700}};

TEST(Mixer, InAThreeWayCallEachHearsTheOthersAndNotItself) {
  Mixer mixer;
  for (const auto& [id, _] : kTones) mixer.add(id);
  auto heard = run(mixer, kTones, 50);
  for (const auto& [listener, own] : kTones) {
    for (const auto& [speaker, frequency] : kTones) {
      const double level = level_of(heard[listener], frequency);
      if (speaker == listener) {
        EXPECT_LT(level, kLevel * 0.01) << listener << " hears itself";
      } else {
        EXPECT_NEAR(level, kLevel, kLevel * 0.02) << listener << " hearing " << speaker;
      }
    }
  }
}

TEST(Mixer, AListeningSupervisorHearsBothAndIsHeardByNone) {
  Mixer mixer;
  for (const auto& [id, _] : kTones) mixer.add(id);
  mixer.set_hears(kCustomer, kSupervisor, false);
  mixer.set_hears(kAgent, kSupervisor, false);
  auto heard = run(mixer, kTones, 50);
  EXPECT_NEAR(level_of(heard[kSupervisor], 440), kLevel, kLevel * 0.02);
  EXPECT_NEAR(level_of(heard[kSupervisor], 1000), kLevel, kLevel * 0.02);
  EXPECT_LT(level_of(heard[kCustomer], 1700), kLevel * 0.01);
  EXPECT_LT(level_of(heard[kAgent], 1700), kLevel * 0.01);
  // The customer and the agent still hear each other.
  EXPECT_NEAR(level_of(heard[kCustomer], 1000), kLevel, kLevel * 0.02);
  EXPECT_NEAR(level_of(heard[kAgent], 440), kLevel, kLevel * 0.02);
}

TEST(Mixer, AWhisperReachesTheAgentOnlyAndBargingInReachesBoth) {
  Mixer mixer;
  for (const auto& [id, _] : kTones) mixer.add(id);
  mixer.set_hears(kCustomer, kSupervisor, false);
  auto whisper = run(mixer, kTones, 50);
  EXPECT_NEAR(level_of(whisper[kAgent], 1700), kLevel, kLevel * 0.02);
  EXPECT_LT(level_of(whisper[kCustomer], 1700), kLevel * 0.01);

  mixer.set_hears(kCustomer, kSupervisor, true);
  EXPECT_TRUE(mixer.hears(kCustomer, kSupervisor));
  auto barge = run(mixer, kTones, 50);
  EXPECT_NEAR(level_of(barge[kCustomer], 1700), kLevel, kLevel * 0.02);
}

TEST(Mixer, LoudVoicesSaturateInsteadOfWrappingAround) {
  Mixer mixer;
  mixer.add(1);
  mixer.add(2);
  mixer.add(3);
  const std::vector<std::int16_t> loud(Mixer::kFrameSamples, 30000);
  std::vector<std::int16_t> heard_by_3;
  for (int index = 0; index < 4; ++index) {
    mixer.put(1, loud);
    mixer.put(2, loud);
    mixer.mix([&](Mixer::Id listener, std::span<const std::int16_t> samples) {
      if (listener == 3) heard_by_3.assign(samples.begin(), samples.end());
    });
  }
  ASSERT_EQ(heard_by_3.size(), Mixer::kFrameSamples);
  for (std::int16_t sample : heard_by_3) EXPECT_EQ(sample, INT16_MAX);
}

TEST(Mixer, ASenderStartsAfterPrimingIsSilentWhenDryAndCannotQueueMoreThanTheBound) {
  Mixer mixer;
  mixer.add(1);
  mixer.add(2);
  std::vector<double> heard_levels;  // what 2 hears of 1, per interval
  auto tick = [&] {
    mixer.mix([&](Mixer::Id listener, std::span<const std::int16_t> samples) {
      if (listener == 2) heard_levels.push_back(testing::rms(samples));
    });
  };
  mixer.put(1, tone_frame(440, 0));
  tick();  // one frame waits: not yet primed
  EXPECT_EQ(heard_levels.back(), 0);
  mixer.put(1, tone_frame(440, 1));
  tick();  // two: primed, the first one plays
  EXPECT_GT(heard_levels.back(), kLevel / 2);
  tick();  // the second
  EXPECT_GT(heard_levels.back(), kLevel / 2);
  tick();  // dry: silence, and priming again
  EXPECT_EQ(heard_levels.back(), 0);
  mixer.put(1, tone_frame(440, 2));
  tick();
  EXPECT_EQ(heard_levels.back(), 0);

  // A burst of 20 frames: at most kMaxQueuedFrames are kept (the newest).
  for (std::size_t index = 0; index < 20; ++index) mixer.put(1, tone_frame(440, index));
  std::size_t played = 0;
  for (int interval = 0; interval < 20; ++interval) {
    tick();
    if (heard_levels.back() > 0) ++played;
  }
  EXPECT_EQ(played, Mixer::kMaxQueuedFrames);
}

TEST(Mixer, ALeavingParticipantIsNoLongerHeardOrAskedAbout) {
  Mixer mixer;
  for (const auto& [id, _] : kTones) mixer.add(id);
  mixer.set_hears(kCustomer, kSupervisor, false);
  mixer.remove(kSupervisor);
  EXPECT_FALSE(mixer.contains(kSupervisor));
  EXPECT_FALSE(mixer.hears(kCustomer, kSupervisor));
  std::map<Mixer::Id, double> two = {{kCustomer, 440}, {kAgent, 1000}};
  mixer.put(kSupervisor, tone_frame(1700, 0));  // ignored
  auto heard = run(mixer, two, 30);
  EXPECT_EQ(heard.size(), 2u);
  EXPECT_LT(level_of(heard[kCustomer], 1700), kLevel * 0.01);
  // Back again: heard by everyone, as any new participant.
  mixer.add(kSupervisor);
  EXPECT_TRUE(mixer.hears(kCustomer, kSupervisor));
}

}  // namespace
}  // namespace unicc::media
