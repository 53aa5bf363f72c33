#include "media/leg_recording.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "wav_reader.h"

namespace unicc::media {
namespace {

std::string scratch_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".wav")).string();
}

TEST(LegRecordingTest, WritesAMonoFileOfWhatTheLegSaid) {
  const std::string path = scratch_path("leg-recording");
  Recorder recorder;
  {
    LegRecording recording(recorder, path, std::chrono::seconds(10));
    EXPECT_TRUE(recording.write(std::vector<std::int16_t>(800, 1200)));
    EXPECT_TRUE(recording.write(std::vector<std::int16_t>(800, -400)));
    EXPECT_EQ(recording.length(), std::chrono::milliseconds(200));
  }
  recorder.stop();
  const auto wav = testing::read_wav(path);
  ASSERT_TRUE(wav.opened);
  EXPECT_EQ(wav.sample_rate, 8000);
  EXPECT_EQ(wav.channels, 1);
  EXPECT_EQ(wav.frames, 1600);
  EXPECT_DOUBLE_EQ(wav.rms(0, 0, 800), 1200.0);
  EXPECT_DOUBLE_EQ(wav.rms(0, 800, 1600), 400.0);
  std::remove(path.c_str());
}

TEST(LegRecordingTest, StopsAtTheMaximumLength) {
  const std::string path = scratch_path("leg-recording-max");
  Recorder recorder;
  LegRecording recording(recorder, path, std::chrono::milliseconds(250));  // 2000 samples
  EXPECT_TRUE(recording.write(std::vector<std::int16_t>(1600, 100)));
  EXPECT_FALSE(recording.write(std::vector<std::int16_t>(1600, 100)));
  EXPECT_TRUE(recording.full());
  EXPECT_FALSE(recording.write(std::vector<std::int16_t>(160, 100)));
  EXPECT_EQ(recording.length(), std::chrono::milliseconds(250));
  recording.finish();
  recorder.stop();
  const auto wav = testing::read_wav(path);
  ASSERT_TRUE(wav.opened);
  EXPECT_EQ(wav.frames, 2000);
  EXPECT_DOUBLE_EQ(wav.rms(0), 100.0);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace unicc::media
