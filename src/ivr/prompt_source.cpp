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

PromptSource::PromptSource(std::string sounds_dir, media::TtsCache& tts)
    : sounds_dir_(std::move(sounds_dir)), tts_(tts), loader_thread_([this] { loader_.run(); }) {}

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

void PromptSource::load_file(const std::shared_ptr<Request>& request, const std::string& file) {
  try {
    media::Prompt audio = media::load_prompt((std::filesystem::path(sounds_dir_) / file).string());
    {
      std::lock_guard lock(files_mutex_);
      files_.emplace(file, audio);
    }
    request->result.audio.push_back(std::move(audio));
  } catch (const media::PromptError& error) {
    request->result.error = error.what();
  }
  next(request);
}

}  // namespace unicc::ivr
