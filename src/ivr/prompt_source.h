#pragma once
// ivr::PromptSource — turns a flow's prompts (files and text) into audio a call can
// play, without blocking the thread that asks.
//
// Files are read relative to the prompt library's folder, else the sounds folder
// (ivr/prompt_library.h), on a worker thread of the source's own and kept in memory
// after the first read (prompts are few and shared by every call) until forget(). Text is spoken by the TTS cache, which renders each (voice, text) once. A
// prompt without a voice uses its language ("zh" → cmn) or English. resolve()
// answers once, on the worker or TTS thread, with every prompt in order or with the
// first error (the file or text that failed, and why). Thread-safe.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/event_loop.h"
#include "ivr/flow.h"
#include "media/prompt.h"
#include "media/tts_cache.h"

namespace unicc::ivr {

struct ResolvedPrompts {
  std::vector<media::Prompt> audio;
  std::string error;  // "" when every prompt was found
};

class PromptSource {
 public:
  using Done = std::function<void(ResolvedPrompts)>;

  PromptSource(std::string library_dir, std::string sounds_dir, media::TtsCache& tts);
  ~PromptSource();
  PromptSource(const PromptSource&) = delete;
  PromptSource& operator=(const PromptSource&) = delete;

  void resolve(const Prompts& prompts, Done done);
  // Reads `file` again when next asked for: an upload replaced or removed it.
  void forget(const std::string& file);

  // The espeak-ng voice a prompt is read with.
  static std::string voice_for(const Prompt& prompt);

 private:
  struct Request;
  void next(const std::shared_ptr<Request>& request);
  void load_file(const std::shared_ptr<Request>& request, const std::string& file);

  const std::string library_dir_;
  const std::string sounds_dir_;
  media::TtsCache& tts_;
  std::mutex files_mutex_;
  std::map<std::string, media::Prompt> files_;
  std::uint64_t forgotten_ = 0;  // forget() calls so far
  core::EventLoop loader_;  // reads files; run by loader_thread_, joined in the destructor
  std::thread loader_thread_;
};

}  // namespace unicc::ivr
