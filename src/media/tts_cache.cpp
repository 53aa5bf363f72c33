#include "media/tts_cache.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "core/random.h"
#include "media/run_program.h"

namespace unicc::media {
namespace {

// Longer texts belong in recorded prompts; the bound keeps one request from holding
// the worker for minutes.
constexpr std::size_t kMaxTextBytes = 4000;

bool valid_voice(const std::string& voice) {
  return !voice.empty() && voice.size() <= 64 && voice.front() != '-' &&
         std::all_of(voice.begin(), voice.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '+' || c == '.';
         });
}

// Scratch files of one rendering, gone however it ends.
struct RemoveOnExit {
  std::vector<std::string> paths;
  ~RemoveOnExit() {
    std::error_code ignored;
    for (const std::string& path : paths) std::filesystem::remove(path, ignored);
  }
};

struct Request {
  std::string voice;
  std::string text;
  TtsCache::Done done;
};

}  // namespace

struct TtsCache::Impl {
  TtsSettings settings;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Request> queue;
  bool stopping = false;
  std::atomic<std::uint64_t> renders{0};
  std::thread worker;

  void run() {
    for (;;) {
      Request request;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return stopping || !queue.empty(); });
        if (stopping) break;
        request = std::move(queue.front());
        queue.pop_front();
      }
      request.done(produce(request.voice, request.text));
    }
    answer_all_waiting({std::nullopt, "text-to-speech stopped before rendering"});
  }

  // Until none is left: a callback may itself make another request.
  void answer_all_waiting(const TtsResult& result) {
    for (;;) {
      std::deque<Request> unanswered;
      {
        std::lock_guard lock(mutex);
        unanswered.swap(queue);
      }
      if (unanswered.empty()) return;
      for (const Request& request : unanswered) request.done(result);
    }
  }

  TtsResult produce(const std::string& voice, const std::string& text) {
    if (!valid_voice(voice)) return {std::nullopt, "text-to-speech: bad voice name \"" + voice + "\""};
    if (text.empty() || text.size() > kMaxTextBytes) {
      return {std::nullopt, "text-to-speech: text must be 1 to " + std::to_string(kMaxTextBytes) + " bytes"};
    }
    // The program is part of the key: another renderer makes other audio.
    const std::string key = core::sha256_hex(settings.program + '\n' + voice + '\n' + text);
    const std::filesystem::path base = std::filesystem::path(settings.cache_dir) / key;
    const std::string cached = base.string() + ".wav";
    std::error_code ignored;
    if (std::filesystem::exists(cached, ignored)) {
      try {
        return {load_prompt(cached), {}};
      } catch (const PromptError&) {
        // A damaged cache file: render it again below.
      }
    }
    try {
      return {render(base, voice, text), {}};
    } catch (const std::exception& error) {  // PromptError, or std::filesystem's with the path
      return {std::nullopt, error.what()};
    }
  }

  // Runs the program, converts its output to 8 kHz mono and stores that as the cache file.
  Prompt render(const std::filesystem::path& base, const std::string& voice, const std::string& text) {
    std::filesystem::create_directories(settings.cache_dir);
    const std::string text_path = base.string() + ".txt";
    const std::string raw_path = base.string() + ".raw.wav";
    const RemoveOnExit scratch{{text_path, raw_path}};
    {
      std::ofstream text_file(text_path, std::ios::binary | std::ios::trunc);
      text_file << text;
      if (!text_file.flush()) throw PromptError("text-to-speech: cannot write " + text_path);
    }
    ++renders;
    const ProgramOutcome outcome =
        run_program({settings.program, "-v", voice, "-w", raw_path, "-f", text_path}, base.string() + ".log",
                    settings.render_timeout);
    if (!outcome.succeeded) throw PromptError("text-to-speech: " + outcome.error);
    Prompt prompt = load_prompt(raw_path);
    save_prompt(prompt, base.string() + ".wav");
    return prompt;
  }
};

TtsCache::TtsCache(TtsSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

TtsCache::~TtsCache() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  impl_->worker.join();
}

void TtsCache::speak(std::string voice, std::string text, Done done) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.push_back({std::move(voice), std::move(text), std::move(done)});
  }
  impl_->wake.notify_one();
}

std::uint64_t TtsCache::renders() const { return impl_->renders; }

}  // namespace unicc::media
