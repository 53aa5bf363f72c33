#include "media/inband_dtmf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <future>
#include <numbers>
#include <string_view>

#include "media/tones.h"
#include "media/tts_cache.h"
#include "signal.h"

namespace unicc::media {
namespace {

using std::chrono::milliseconds;

// The keypad's row and column frequencies (ITU-T Q.23).
ToneSpec key(char digit, milliseconds on, milliseconds off, double level_dbm0) {
  constexpr std::string_view kKeys = "123A456B789C*0#D";
  constexpr double kRows[] = {697, 770, 852, 941};
  constexpr double kColumns[] = {1209, 1336, 1477, 1633};
  const std::size_t index = kKeys.find(digit);
  return {{kRows[index / 4], kColumns[index % 4]}, on, off, level_dbm0};
}

std::vector<std::int16_t> keypresses(std::string_view digits, milliseconds on, milliseconds off, double level_dbm0) {
  std::vector<std::int16_t> out(800, 0);  // 100 ms of silence first
  for (char digit : digits) {
    const Prompt press = make_tone(key(digit, on, off, level_dbm0));
    out.insert(out.end(), press.samples().begin(), press.samples().end());
  }
  return out;
}

// Feeds `samples` as 20 ms RTP payloads of `law`, as the relay will.
std::string detect(const std::vector<std::int16_t>& samples, G711Law law = G711Law::kMu) {
  InbandDtmfDetector detector;
  std::string digits;
  std::array<std::uint8_t, 160> payload;
  for (std::size_t start = 0; start + payload.size() <= samples.size(); start += payload.size()) {
    encode_g711(law, std::span(samples).subspan(start, payload.size()), payload);
    digits += detector.on_payload(law, payload);
  }
  return digits;
}

TEST(InbandDtmfTest, DetectsEveryKeyOnceInPcmuAndPcma) {
  const auto samples = keypresses("1234567890*#ABCD", milliseconds(80), milliseconds(80), -10);
  EXPECT_EQ(detect(samples, G711Law::kMu), "1234567890*#ABCD");
  EXPECT_EQ(detect(samples, G711Law::kA), "1234567890*#ABCD");
}

TEST(InbandDtmfTest, ALongPressIsOneDigitAndARepeatedKeyIsTwo) {
  EXPECT_EQ(detect(keypresses("5", milliseconds(1500), milliseconds(100), -10)), "5");
  EXPECT_EQ(detect(keypresses("55", milliseconds(100), milliseconds(100), -10)), "55");
}

TEST(InbandDtmfTest, DetectsQuietKeysInNoise) {
  auto samples = keypresses("8015#", milliseconds(60), milliseconds(60), -20);
  testing::add_noise(samples, 160);  // about -43 dBm0: 23 dB below the tones
  EXPECT_EQ(detect(samples), "8015#");
}

TEST(InbandDtmfTest, FeedsOfAnySizeGiveTheSameDigits) {
  const auto samples = keypresses("42", milliseconds(80), milliseconds(80), -10);
  InbandDtmfDetector detector;
  std::string digits;
  for (std::size_t start = 0; start < samples.size(); start += 37) {
    digits += detector.on_samples(std::span(samples).subspan(start, std::min<std::size_t>(37, samples.size() - start)));
  }
  EXPECT_EQ(digits, "42");
}

TEST(InbandDtmfTest, ToneTooShortIsNoDigit) {
  EXPECT_EQ(detect(keypresses("7", milliseconds(20), milliseconds(100), -10)), "");
}

TEST(InbandDtmfTest, ASweepThroughTheVoiceBandGivesNoDigit) {
  // 300 Hz to 3400 Hz over five seconds, loud: passes every DTMF frequency.
  std::vector<std::int16_t> sweep(40000);
  double phase = 0;
  for (std::size_t n = 0; n < sweep.size(); ++n) {
    const double frequency = 300 + 3100 * static_cast<double>(n) / static_cast<double>(sweep.size());
    phase += 2 * std::numbers::pi * frequency / 8000;
    sweep[n] = static_cast<std::int16_t>(10000 * std::sin(phase));
  }
  EXPECT_EQ(detect(sweep), "");
}

TEST(InbandDtmfTest, SpeechGivesNoDigit) {
  const auto dir = std::filesystem::temp_directory_path() / ("unicc-dtmf-speech-" + std::to_string(::getpid()));
  std::promise<TtsResult> rendered;
  {
    TtsCache tts({dir.string()});
    tts.speak("en",
              "Thank you for calling. For sales, press one. For support, press two. "
              "Your call is important to us; please stay on the line.",
              [&](const TtsResult& result) { rendered.set_value(result); });
    const TtsResult result = rendered.get_future().get();
    ASSERT_TRUE(result.prompt) << result.error;
    const auto speech = result.prompt->samples();
    EXPECT_GT(speech.size(), 8000U * 3);
    EXPECT_EQ(detect({speech.begin(), speech.end()}), "");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace unicc::media
