#pragma once
// TtsCache — spoken prompts from text, rendered once by a text-to-speech program and
// kept on disk, so a flow can just say text.
//
// speak(voice, text, done) answers with the Prompt for `text` spoken in `voice`
// (espeak-ng voices: "cmn" Mandarin, "en" English, ...). The first request for a pair
// runs the program (`PROGRAM -v VOICE -w OUT.wav -f TEXT.txt`: the text goes through a
// file and every argument is passed as is, no shell, so no text is read as an option),
// converts what it wrote to 8 kHz mono and keeps that in the cache folder under the
// SHA-256 of program, voice and text. Later requests, also after a restart, read that
// file without running anything. A cached file that cannot be read is rendered again.
//
// Threading: speak() is thread-safe and returns at once. All work runs on the cache's
// own worker thread, one request after another in order, and a rendering is on disk
// before the next request is looked at, so concurrent requests for one text render
// once. `done` is called ON THE WORKER: it must be quick and must not throw — post the
// result to your own thread. The destructor lets the request under way finish,
// answers every request still queued with an error, and joins the worker.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "media/prompt.h"

namespace unicc::media {

struct TtsSettings {
  std::string cache_dir = "var/tts";  // created when first needed
  std::string program = "espeak-ng";  // any program taking espeak-ng's -v, -w and -f
  std::chrono::milliseconds render_timeout{std::chrono::seconds(30)};
};

struct TtsResult {
  std::optional<Prompt> prompt;  // set on success
  std::string error;             // otherwise why not: bad voice, program failed, ...
};

class TtsCache {
 public:
  using Done = std::function<void(const TtsResult&)>;

  explicit TtsCache(TtsSettings settings);
  ~TtsCache();
  TtsCache(const TtsCache&) = delete;
  TtsCache& operator=(const TtsCache&) = delete;

  void speak(std::string voice, std::string text, Done done);

  // How many times the program has been started: cache hits start none.
  std::uint64_t renders() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::media
