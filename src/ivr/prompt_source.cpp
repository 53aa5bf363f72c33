#include "ivr/prompt_source.h"

#include <filesystem>

namespace unicc::ivr {

// One resolve(): the prompts still to fetch, in order, and what was fetched.
struct PromptSource::Request {
  Prompts prompts;
  std::size_t next = 0;
  ResolvedPrompts result;
  Done done;
};

PromptSource::PromptSource(std::string library_dir, std::string sounds_dir, media::TtsCache& tts)
    : library_dir_(std::move(library_dir)),
      sounds_dir_(std::move(sounds_dir)), tts_(tts), loader_thread_([this] { loader_.run(); }) {}

PromptSource::~PromptSource() {
  // Posted rather than called: run() restarts the loop, so a stop() that came before
  // the thread got there would be forgotten and the join would wait forever.
  loader_.post([this] { loader_.stop(); });
  loader_thread_.join();
}

std::string PromptSource::voice_for(const Prompt& prompt) {
  if (!prompt.voice.empty()) return prompt.voice;
  if (prompt.language.rfind("zh", 0) == 0 || prompt.language == "cmn") return "cmn";
  return "en";
}

void PromptSource::resolve(const Prompts& prompts, Done done) {
  auto request = std::make_shared<Request>();
  request->prompts = prompts;
  request->done = std::move(done);
  next(request);
}

// Fetches the prompts one after another, each step on the thread that produced the
// previous one, so the audio keeps the flow's order.
void PromptSource::next(const std::shared_ptr<Request>& request) {
  if (request->next == request->prompts.size() || !request->result.error.empty()) {
    if (!request->result.error.empty()) request->result.audio.clear();
    return request->done(std::move(request->result));
  }
  const Prompt& prompt = request->prompts[request->next++];
  if (!prompt.file.empty()) {
    {
      std::lock_guard lock(files_mutex_);
      if (auto found = files_.find(prompt.file); found != files_.end()) {
        request->result.audio.push_back(found->second);
        return next(request);
      }
    }
    return loader_.post([this, request, file = prompt.file] { load_file(request, file); });
  }
  tts_.speak(voice_for(prompt), prompt.text, [this, request, text = prompt.text](const media::TtsResult& spoken) {
    if (spoken.prompt) {
      request->result.audio.push_back(*spoken.prompt);
    } else {
      request->result.error = "text \"" + text + "\": " + spoken.error;
    }
    next(request);
  });
}

void PromptSource::forget(const std::string& file) {
  std::lock_guard lock(files_mutex_);
  files_.erase(file);
  ++forgotten_;
}

void PromptSource::load_file(const std::shared_ptr<Request>& request, const std::string& file) {
  std::uint64_t forgotten_before = 0;
  {
    std::lock_guard lock(files_mutex_);
    forgotten_before = forgotten_;
  }
  try {
    std::filesystem::path path = std::filesystem::path(library_dir_) / file;
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) path = std::filesystem::path(sounds_dir_) / file;
    media::Prompt audio = media::load_prompt(path.string());
    {
      std::lock_guard lock(files_mutex_);
      // A forget() during the read may have been about this file: keep nothing stale.
      if (forgotten_ == forgotten_before) files_.insert_or_assign(file, audio);
    }
    request->result.audio.push_back(std::move(audio));
  } catch (const media::PromptError& error) {
    request->result.error = error.what();
  }
  next(request);
}

}  // namespace unicc::ivr
