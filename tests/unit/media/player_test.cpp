#include "media/player.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace unicc::media {
namespace {

// A prompt of `count` samples counting up from `first` in steps that survive G.711.
Prompt ramp(std::size_t count, std::int16_t first = 1000) {
  std::vector<std::int16_t> samples(count);
  for (std::size_t n = 0; n < count; ++n) {
    samples[n] = static_cast<std::int16_t>(first + static_cast<int>(n % 100) * 64);
  }
  return Prompt(std::move(samples));
}

std::vector<std::int16_t> decoded(G711Law law, const PlayerFrame& frame) {
  std::vector<std::int16_t> out(kFrameSamples);
  decode_g711(law, frame.payload, out);
  return out;
}

// Every frame until the player stops giving any (bounded).
std::vector<PlayerFrame> drain(Player& player, std::size_t limit = 1000) {
  std::vector<PlayerFrame> frames;
  while (frames.size() < limit) {
    auto frame = player.next_frame();
    if (!frame) break;
    frames.push_back(*frame);
  }
  return frames;
}

TEST(PlayerTest, PlaysTheSequenceInTwentyMillisecondFramesAndMarksTheLast) {
  Player player(G711Law::kMu);
  player.play({ramp(400), ramp(100)});  // 500 samples: three full frames and a partial one
  const auto frames = drain(player);
  ASSERT_EQ(frames.size(), 4U);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(frames[i].last);
  EXPECT_TRUE(frames[3].last);
  EXPECT_FALSE(player.playing());
  EXPECT_FALSE(player.next_frame());
}

TEST(PlayerTest, FramesCarryThePromptsEncodedInTheLaw) {
  for (G711Law law : {G711Law::kMu, G711Law::kA}) {
    const Prompt first = ramp(240, 1000);
    const Prompt second = ramp(100, -3000);
    Player player(law);
    player.play({first, second});
    const auto frames = drain(player);
    ASSERT_EQ(frames.size(), 3U);
    std::vector<std::int16_t> heard;
    for (const auto& frame : frames) {
      const auto samples = decoded(law, frame);
      heard.insert(heard.end(), samples.begin(), samples.end());
    }
    std::vector<std::int16_t> expected(first.samples().begin(), first.samples().end());
    expected.insert(expected.end(), second.samples().begin(), second.samples().end());
    expected.resize(heard.size(), 0);  // the end padded with silence
    for (std::size_t n = 0; n < heard.size(); ++n) {
      // G.711's quantisation: within about 3% (g711.h).
      ASSERT_NEAR(heard[n], expected[n], std::max(16.0, std::abs(expected[n]) * 0.035)) << "sample " << n;
    }
  }
}

TEST(PlayerTest, ASequenceEndingOnAFrameBoundaryHasNoExtraFrame) {
  Player player(G711Law::kA);
  player.play({ramp(320)});
  const auto frames = drain(player);
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_TRUE(frames[1].last);
}

TEST(PlayerTest, AnEmptySequenceStillFinishesWithOneSilentFrame) {
  Player player(G711Law::kMu);
  player.play({});
  const auto frames = drain(player);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_TRUE(frames[0].last);
  const auto samples = decoded(G711Law::kMu, frames[0]);
  EXPECT_TRUE(std::all_of(samples.begin(), samples.end(), [](std::int16_t s) { return s == 0; }));
}

TEST(PlayerTest, LoopingStartsOverWithoutAGapUntilStopped) {
  Player player(G711Law::kMu);
  const Prompt music = ramp(250);
  player.play({music}, true);
  std::vector<std::int16_t> heard;
  for (int i = 0; i < 10; ++i) {
    const auto frame = player.next_frame();
    ASSERT_TRUE(frame);
    EXPECT_FALSE(frame->last);
    const auto samples = decoded(G711Law::kMu, *frame);
    heard.insert(heard.end(), samples.begin(), samples.end());
  }
  for (std::size_t n = 0; n < heard.size(); ++n) {
    const double expected = music.samples()[n % 250];
    ASSERT_NEAR(heard[n], expected, std::max(16.0, expected * 0.035)) << "sample " << n;
  }
  player.stop();
  EXPECT_FALSE(player.playing());
  EXPECT_FALSE(player.next_frame());
}

TEST(PlayerTest, StopEndsPlayingWithoutALastFrameAndPlayReplaces) {
  Player player(G711Law::kMu);
  player.play({ramp(8000)});
  ASSERT_TRUE(player.next_frame());
  player.stop();
  EXPECT_FALSE(player.next_frame());
  player.play({ramp(160, -5000)});
  const auto frames = drain(player);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_TRUE(frames[0].last);
  EXPECT_NEAR(decoded(G711Law::kMu, frames[0])[0], -5000, 200);
}

TEST(PlayerTest, LoopingNothingPlaysSilence) {
  Player player(G711Law::kMu);
  player.play({Prompt()}, true);
  for (int i = 0; i < 3; ++i) {
    const auto frame = player.next_frame();
    ASSERT_TRUE(frame);
    EXPECT_FALSE(frame->last);
  }
}

}  // namespace
}  // namespace unicc::media
