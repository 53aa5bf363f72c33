#include "media/tts_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <mutex>

#include "signal.h"

namespace unicc::media {
namespace {

class TtsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("unicc-tts-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  TtsSettings settings() const { return {dir_.string()}; }

  static TtsResult speak(TtsCache& cache, const std::string& voice, const std::string& text) {
    std::promise<TtsResult> answer;
    cache.speak(voice, text, [&](const TtsResult& result) { answer.set_value(result); });
    return answer.get_future().get();
  }

  std::size_t cached_files() const {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) count += entry.path().extension() == ".wav";
    return count;
  }

  std::filesystem::path dir_;
};

void expect_speech(const TtsResult& result) {
  ASSERT_TRUE(result.prompt) << result.error;
  EXPECT_GT(result.prompt->duration(), std::chrono::milliseconds(500));
  EXPECT_GT(testing::rms(result.prompt->samples()), 300);
}

TEST_F(TtsCacheTest, RendersMandarinAndEnglishOnceAndThenReadsTheCache) {
  TtsCache cache(settings());
  expect_speech(speak(cache, "cmn", "您好，欢迎致电客服中心。"));
  expect_speech(speak(cache, "en", "Welcome to the service center."));
  EXPECT_EQ(cache.renders(), 2U);
  EXPECT_EQ(cached_files(), 2U);

  const TtsResult again = speak(cache, "en", "Welcome to the service center.");
  expect_speech(again);
  EXPECT_EQ(cache.renders(), 2U);
  // The same text in another voice is another prompt.
  expect_speech(speak(cache, "cmn", "Welcome to the service center."));
  EXPECT_EQ(cache.renders(), 3U);
}

TEST_F(TtsCacheTest, TheCacheOutlivesTheProcessThatFilledIt) {
  Prompt first;
  {
    TtsCache cache(settings());
    const TtsResult result = speak(cache, "en", "Press one for sales.");
    ASSERT_TRUE(result.prompt) << result.error;
    first = *result.prompt;
  }
  TtsCache restarted(settings());
  const TtsResult result = speak(restarted, "en", "Press one for sales.");
  ASSERT_TRUE(result.prompt) << result.error;
  EXPECT_EQ(restarted.renders(), 0U);
  EXPECT_TRUE(std::ranges::equal(result.prompt->samples(), first.samples()));
}

TEST_F(TtsCacheTest, ConcurrentRequestsForOneTextRenderOnce) {
  TtsCache cache(settings());
  constexpr int kRequests = 8;
  std::mutex mutex;
  std::vector<TtsResult> results;
  std::promise<void> all_answered;
  for (int i = 0; i < kRequests; ++i) {
    cache.speak("cmn", "请稍候，正在为您转接。", [&](const TtsResult& result) {
      std::lock_guard lock(mutex);
      results.push_back(result);
      if (results.size() == kRequests) all_answered.set_value();
    });
  }
  all_answered.get_future().wait();
  EXPECT_EQ(cache.renders(), 1U);
  for (const TtsResult& result : results) expect_speech(result);
}

TEST_F(TtsCacheTest, ReportsBadVoicesTextsAndPrograms) {
  TtsCache cache(settings());
  const TtsResult unknown = speak(cache, "xx-no-such-voice", "hello");
  EXPECT_FALSE(unknown.prompt);
  EXPECT_NE(unknown.error.find("espeak-ng"), std::string::npos) << unknown.error;
  EXPECT_NE(speak(cache, "--help", "hello").error.find("bad voice"), std::string::npos);
  EXPECT_FALSE(speak(cache, "en", "").prompt);
  EXPECT_FALSE(std::filesystem::exists(dir_) && cached_files() != 0);

  TtsSettings missing = settings();
  missing.program = "unicc-no-such-tts-program";
  TtsCache broken(missing);
  const TtsResult result = speak(broken, "en", "hello");
  EXPECT_FALSE(result.prompt);
  EXPECT_NE(result.error.find("cannot start"), std::string::npos) << result.error;
}

TEST_F(TtsCacheTest, StoppingAnswersEveryRequestStillQueued) {
  std::mutex mutex;
  std::vector<TtsResult> results;
  {
    TtsCache cache(settings());
    for (int i = 0; i < 5; ++i) {
      cache.speak("en", "Queued request number " + std::to_string(i), [&](const TtsResult& result) {
        std::lock_guard lock(mutex);
        results.push_back(result);
      });
    }
  }
  ASSERT_EQ(results.size(), 5U);
  for (const TtsResult& result : results) EXPECT_TRUE(result.prompt || !result.error.empty());
  EXPECT_NE(results.back().error.find("stopped"), std::string::npos);
}

TEST_F(TtsCacheTest, TextThatLooksLikeAnOptionIsSpokenNotObeyed) {
  TtsCache cache(settings());
  // As argv this would ask espeak-ng to write its voice list and speak nothing.
  expect_speech(speak(cache, "en", "--voices and -w /tmp/x are just words here"));
}

}  // namespace
}  // namespace unicc::media
