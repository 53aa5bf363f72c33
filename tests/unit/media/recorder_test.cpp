#include "media/recorder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "wav_reader.h"

namespace unicc::media {
namespace {

using testing::read_wav;

std::string scratch_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".wav")).string();
}

TEST(RecorderTest, PlacesBlocksOnTheirChannelAndFillsGapsWithSilence) {
  const std::string path = scratch_path("recorder-placement");
  Recorder recorder;
  const auto id = recorder.open(path);
  recorder.write(id, Recorder::Channel::kLeft, 0, std::vector<std::int16_t>(800, 1000));
  recorder.write(id, Recorder::Channel::kRight, 1600, std::vector<std::int16_t>(800, -2000));
  recorder.close(id, 4000);
  recorder.stop();

  const auto wav = read_wav(path);
  ASSERT_TRUE(wav.opened);
  EXPECT_EQ(wav.sample_rate, 8000);
  EXPECT_EQ(wav.channels, 2);
  EXPECT_EQ(wav.frames, 4000);
  EXPECT_DOUBLE_EQ(wav.rms(0, 0, 800), 1000.0);
  EXPECT_DOUBLE_EQ(wav.rms(1, 0, 800), 0.0);
  EXPECT_DOUBLE_EQ(wav.rms(0, 800, 4000), 0.0);
  EXPECT_DOUBLE_EQ(wav.rms(1, 1600, 2400), 2000.0);
  EXPECT_DOUBLE_EQ(wav.rms(1, 2400, 4000), 0.0);
  std::remove(path.c_str());
}

TEST(RecorderTest, DropsBlocksForFramesAlreadyWritten) {
  const std::string path = scratch_path("recorder-late");
  Recorder recorder;
  const auto id = recorder.open(path);
  // Three seconds of left audio push the first frames out to disk...
  recorder.write(id, Recorder::Channel::kLeft, 0, std::vector<std::int16_t>(24000, 100));
  // ...so right audio for the first second comes too late; its tail still fits.
  recorder.write(id, Recorder::Channel::kRight, 15000, std::vector<std::int16_t>(2000, 300));
  recorder.close(id, 0);
  recorder.stop();

  const auto wav = read_wav(path);
  ASSERT_TRUE(wav.opened);
  EXPECT_EQ(wav.frames, 24000);
  EXPECT_DOUBLE_EQ(wav.rms(1, 15000, 16000), 0.0);
  EXPECT_DOUBLE_EQ(wav.rms(1, 16000, 17000), 300.0);
  std::remove(path.c_str());
}

TEST(RecorderTest, UnwritablePathIsLoggedNotFatal) {
  Recorder recorder;
  const auto id = recorder.open("/nonexistent-directory/recording.wav");
  recorder.write(id, Recorder::Channel::kLeft, 0, std::vector<std::int16_t>(160, 1));
  recorder.close(id, 160);
  recorder.stop();
  recorder.stop();
  EXPECT_EQ(recorder.dropped_blocks(), 0u);
}

}  // namespace
}  // namespace unicc::media
