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

TEST(LegRecordingTest, EndsOnTheSilenceAfterSpeechWhenAsked) {
  const std::string path = scratch_path("leg-recording-silence");
  Recorder recorder;
  LegRecording recording(recorder, path, std::chrono::seconds(10), std::chrono::milliseconds(100));  // 800 samples
  // Quiet before anyone speaks does not end it.
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, 50)));
  EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, 2000)));  // voice
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, 50)));
  EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, -2000)));  // voice again: the count starts over
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, 50)));
  EXPECT_FALSE(recording.ended_by_silence());
  EXPECT_FALSE(recording.write(std::vector<std::int16_t>(160, 50)));  // 100 ms quiet
  EXPECT_TRUE(recording.ended_by_silence());
  EXPECT_FALSE(recording.full());
  EXPECT_FALSE(recording.write(std::vector<std::int16_t>(160, 2000)));
  EXPECT_EQ(recording.length(), std::chrono::milliseconds(420));
  recording.finish();
  recorder.stop();
  std::remove(path.c_str());
}

TEST(LegRecordingTest, NeverEndsOnSilenceUnlessAsked) {
  const std::string path = scratch_path("leg-recording-no-silence");
  Recorder recorder;
  LegRecording recording(recorder, path, std::chrono::seconds(10));
  EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, 2000)));
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(recording.write(std::vector<std::int16_t>(160, 0)));
  EXPECT_FALSE(recording.ended_by_silence());
  recording.finish();
  recorder.stop();
  std::remove(path.c_str());
}

}  // namespace
}  // namespace unicc::media
