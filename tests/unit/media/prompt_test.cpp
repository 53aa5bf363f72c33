#include "media/prompt.h"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "signal.h"

namespace unicc::media {
namespace {

using testing::sine;
using testing::tone_amplitude;

class PromptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("unicc-prompt-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes interleaved float frames in `format`.
  std::string write(const std::string& name, int rate, int channels, int format, const std::vector<float>& frames) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* file = sf_open(path(name).c_str(), SFM_WRITE, &info);
    EXPECT_NE(file, nullptr) << sf_strerror(nullptr);
    sf_writef_float(file, frames.data(), static_cast<sf_count_t>(frames.size()) / channels);
    sf_close(file);
    return path(name);
  }

  std::filesystem::path dir_;
};

std::span<const std::int16_t> middle(const Prompt& prompt) {
  return prompt.samples().subspan(prompt.samples().size() / 4, prompt.samples().size() / 2);
}

TEST_F(PromptTest, LoadsAn8kMonoFileSampleForSample) {
  std::vector<std::int16_t> original(8000);
  for (std::size_t n = 0; n < original.size(); ++n) original[n] = static_cast<std::int16_t>(n * 7 % 20000 - 10000);
  std::vector<float> frames(original.begin(), original.end());
  for (float& frame : frames) frame /= 32768.0F;
  const Prompt prompt = load_prompt(write("mono8k.wav", 8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, frames));
  ASSERT_EQ(prompt.samples().size(), original.size());
  EXPECT_TRUE(std::equal(original.begin(), original.end(), prompt.samples().begin()));
  EXPECT_EQ(prompt.duration(), std::chrono::seconds(1));
}

TEST_F(PromptTest, Loads16kFilesAt8kWithTheToneKept) {
  const Prompt prompt =
      load_prompt(write("mono16k.wav", 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, sine(1000, 0.5, 16000, 2.0)));
  EXPECT_NEAR(static_cast<double>(prompt.samples().size()), 16000, 2);
  EXPECT_NEAR(tone_amplitude(middle(prompt), 1000, 8000), 0.5 * 32768, 200);
}

TEST_F(PromptTest, MixesStereoDownToMono) {
  const auto left = sine(1000, 0.4, 16000, 1.0);
  const auto right = sine(600, 0.4, 16000, 1.0);
  std::vector<float> frames;
  for (std::size_t n = 0; n < left.size(); ++n) frames.insert(frames.end(), {left[n], right[n]});
  const Prompt prompt = load_prompt(write("stereo16k.wav", 16000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16, frames));
  EXPECT_NEAR(static_cast<double>(prompt.samples().size()), 8000, 2);
  EXPECT_NEAR(tone_amplitude(middle(prompt), 1000, 8000), 0.2 * 32768, 100);
  EXPECT_NEAR(tone_amplitude(middle(prompt), 600, 8000), 0.2 * 32768, 100);
}

TEST_F(PromptTest, LoadsOtherRatesAndSampleFormats) {
  const Prompt prompt =
      load_prompt(write("float22k.wav", 22050, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT, sine(440, 0.25, 22050, 1.0)));
  EXPECT_NEAR(static_cast<double>(prompt.samples().size()), 8000, 2);
  EXPECT_NEAR(tone_amplitude(middle(prompt), 440, 8000), 0.25 * 32768, 100);
}

TEST_F(PromptTest, MissingOrBrokenFilesThrowNamingThePath) {
  const std::string missing = path("no-such-prompt.wav");
  try {
    load_prompt(missing);
    FAIL() << "loaded a missing file";
  } catch (const PromptError& error) {
    EXPECT_NE(std::string(error.what()).find(missing), std::string::npos) << error.what();
  }
  const std::string text = path("not-audio.wav");
  std::ofstream(text) << "this is not a wav file";
  EXPECT_THROW(load_prompt(text), PromptError);
}

TEST_F(PromptTest, RefusesAudioLongerThanTheLimit) {
  // At 100 Hz the limit is a small file: 30 minutes and 2 seconds of silence. Only
  // the header is read before the refusal.
  const int rate = 100;
  const std::string too_long = write("too-long.wav", rate, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16,
                                     std::vector<float>((kMaxPromptLength.count() + 2) * rate, 0.0F));
  try {
    load_prompt(too_long);
    FAIL() << "loaded more than the limit";
  } catch (const PromptError& error) {
    EXPECT_NE(std::string(error.what()).find("longer than 30 minutes"), std::string::npos) << error.what();
  }
}

TEST_F(PromptTest, SavedPromptsLoadBackUnchanged) {
  const Prompt original(std::vector<std::int16_t>{1, -2, 300, -32768, 32767});
  save_prompt(original, path("saved.wav"));
  const Prompt loaded = load_prompt(path("saved.wav"));
  EXPECT_TRUE(std::ranges::equal(loaded.samples(), original.samples()));
  EXPECT_FALSE(std::filesystem::exists(path("saved.wav.partial")));
  EXPECT_THROW(save_prompt(original, path("no-such-dir/saved.wav")), PromptError);
}

}  // namespace
}  // namespace unicc::media
