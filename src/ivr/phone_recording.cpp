#include "ivr/phone_recording.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <spdlog/spdlog.h>

#include "core/random.h"
#include "media/prompt.h"
#include "media/tones.h"

namespace unicc::ivr {
namespace {

constexpr std::uint64_t kRecorderBeepPlay = 1;
constexpr std::uint64_t kRecorderPlaybackPlay = 2;
constexpr std::uint64_t kRecorderDonePlay = 3;
// A recording shorter than this is taken for a slip (# at once): nothing is stored.
constexpr std::chrono::milliseconds kShortestRecording{300};
// How long the saver waits for the recorder's thread to finish the file.
constexpr std::chrono::milliseconds kRecordingFileWait{3000};

// The code after the feature code: digits, without a final '#'.
std::string recording_code_of(const std::string& dialled) {
  std::string code = dialled.substr(std::string(PromptRecorder::kFeatureCode).size());
  if (!code.empty() && code.back() == '#') code.pop_back();
  return code;
}

// The recorder writes on a thread of its own: the file is complete once it holds the
// recording's length (16 bytes a millisecond after the 44-byte header).
std::string read_recording(const std::string& path, std::chrono::milliseconds length) {
  const auto wanted = static_cast<std::uintmax_t>(44 + length.count() * 16);
  const auto deadline = std::chrono::steady_clock::now() + kRecordingFileWait;
  std::error_code error;
  while (std::filesystem::file_size(path, error) < wanted || error) {
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string PhoneRecordingCodes::issue(RecordingGrant grant, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  std::erase_if(grants_, [&](const auto& entry) {
    return entry.second.expires_at_ms <= now_ms || entry.second.username == grant.username;
  });
  grant.expires_at_ms = now_ms + kValidMs;
  std::string code;
  do {
    unsigned char bytes[4];
    core::random_bytes(bytes, sizeof bytes);
    const std::uint32_t value = (std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
                                 std::uint32_t{bytes[2]} << 8 | bytes[3]) % 900000 + 100000;
    code = std::to_string(value);
  } while (grants_.contains(code));
  grants_[code] = std::move(grant);
  return code;
}

std::optional<RecordingGrant> PhoneRecordingCodes::take(const std::string& code, const std::string& extension,
                                                        std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = grants_.find(code);
  if (it == grants_.end() || it->second.extension != extension) return std::nullopt;
  if (it->second.expires_at_ms <= now_ms) {
    grants_.erase(it);
    return std::nullopt;
  }
  RecordingGrant grant = std::move(it->second);
  grants_.erase(it);
  return grant;
}

bool PhoneRecordingCodes::valid(const std::string& code, const std::string& extension, std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  auto it = grants_.find(code);
  return it != grants_.end() && it->second.extension == extension && it->second.expires_at_ms > now_ms;
}

PromptRecorder::PromptRecorder(PromptRecorderParts parts)
    : parts_(std::move(parts)),
      library_(parts_.library_dir, parts_.sounds_dir),
      alive_(std::make_shared<PromptRecorder*>(this)),
      saver_thread_([this] { saver_.run(); }) {}

PromptRecorder::~PromptRecorder() {
  *alive_ = nullptr;
  saver_.post([this] { saver_.stop(); });
  saver_thread_.join();
}

bool PromptRecorder::takes(const std::string& dialled) {
  const std::string prefix = kFeatureCode;
  if (!dialled.starts_with(prefix)) return false;
  const std::string code = recording_code_of(dialled);
  return !code.empty() && code.size() <= 16 && code.find_first_not_of("0123456789") == std::string::npos;
}

int PromptRecorder::refusal(const std::string& dialled, const std::string& caller, const std::string& trunk) const {
  // Only our own phones: a trunk's caller is whoever the carrier says.
  if (trunk.empty() && parts_.codes.valid(recording_code_of(dialled), caller, parts_.clock.now_ms())) return 0;
  spdlog::warn("{} dialled the prompt-recording code {}: refused (no such code for this phone)", caller, dialled);
  return 403;
}

void PromptRecorder::on_answered(const call::AnsweredCall& call) {
  // Only our own phones: a trunk's caller is whoever the carrier says.
  std::optional<RecordingGrant> grant;
  if (call.trunk.empty() && call.origin == call::AnsweredCall::Origin::kIncoming) {
    grant = parts_.codes.take(recording_code_of(call.dialled), call.caller, parts_.clock.now_ms());
  }
  if (!grant) {
    spdlog::warn("call {}: {} dialled the prompt-recording code {}: refused (no such code for this phone)",
                 call.call_id, call.caller, call.dialled);
    calls_->hang_up(call.id);
    return;
  }
  std::error_code ignored;
  std::filesystem::create_directories(parts_.library_dir, ignored);
  Session session{*grant, (std::filesystem::path(parts_.library_dir) / (".phone-" + std::to_string(call.id) + ".wav")).string(),
                  Step::kBeep};
  spdlog::info("call {}: {} records the prompt '{}' by phone", call.call_id, call.caller, grant->prompt);
  sessions_.emplace(call.id, std::move(session));
  calls_->play(call.id, {media::beep()}, false, false, kRecorderBeepPlay);
}

void PromptRecorder::on_dtmf(call::CallId call, char digit) {
  auto it = sessions_.find(call);
  if (it == sessions_.end() || it->second.step != Step::kRecording || digit != '#') return;
  it->second.finished = true;
  calls_->stop_recording(call);
}

void PromptRecorder::on_play_finished(call::CallId call, std::uint64_t play_id) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return;
  Session& session = it->second;
  if (play_id == kRecorderBeepPlay && session.step == Step::kBeep) {
    session.step = Step::kRecording;
    calls_->record(call, session.path, kMaxLength, kEndAfterSilence);
  } else if (play_id == kRecorderPlaybackPlay && session.step == Step::kPlayback) {
    session.step = Step::kDone;
    calls_->play(call, {media::beep()}, false, false, kRecorderDonePlay);
  } else if (play_id == kRecorderDonePlay) {
    calls_->hang_up(call);
  }
}

void PromptRecorder::on_recording_ended(call::CallId call, std::chrono::milliseconds length, bool reached_max) {
  auto it = sessions_.find(call);
  if (it == sessions_.end() || it->second.step != Step::kRecording) return;
  it->second.step = Step::kSaving;
  if (!(it->second.finished || reached_max) || length < kShortestRecording) {
    spdlog::warn("prompt '{}' by phone: {} ms recorded, nothing stored", it->second.grant.prompt, length.count());
    std::error_code ignored;
    std::filesystem::remove(it->second.path, ignored);  // a few bytes; the recorder has let go
    calls_->hang_up(call);
    return;
  }
  save(call, it->second, length);
}

// On the saver thread: the recording into the library, as an upload; then back on the
// SIP thread, played back.
void PromptRecorder::save(call::CallId call, Session session, std::chrono::milliseconds length) {
  saver_.post([this, call, session = std::move(session), length, alive = alive_, loop = &parts_.loop] {
    std::string error;
    try {
      const std::string audio = read_recording(session.path, length);
      LibraryPrompt stored = library_.store(session.grant.prompt, audio);
      if (parts_.saved) parts_.saved(RecordedPrompt{session.grant, stored.duration_ms, stored.bytes});
    } catch (const std::exception& failure) {
      error = failure.what();
    }
    std::error_code ignored;
    std::filesystem::remove(session.path, ignored);
    loop->post([alive, call, error] {
      if (PromptRecorder* self = *alive) self->saved(call, error);
    });
  });
}

void PromptRecorder::saved(call::CallId call, const std::string& error) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return;  // hung up meanwhile: stored all the same
  const std::string file = it->second.grant.prompt + ".wav";
  if (!error.empty()) {
    spdlog::error("prompt '{}' by phone not stored: {}", it->second.grant.prompt, error);
    calls_->hang_up(call);
    return;
  }
  parts_.prompts.forget(file);
  it->second.step = Step::kPlayback;
  parts_.prompts.resolve({Prompt{file, "", "", ""}}, [alive = alive_, loop = &parts_.loop, call](ResolvedPrompts got) {
    loop->post([alive, call, got = std::move(got)]() mutable {
      PromptRecorder* self = *alive;
      if (!self || !self->owns(call)) return;
      self->calls_->play(call, std::move(got.audio), false, false, kRecorderPlaybackPlay);
    });
  });
}

void PromptRecorder::on_ended(call::CallId call) {
  auto it = sessions_.find(call);
  if (it == sessions_.end()) return;
  // Hung up before #: nothing is kept (the recorder's thread lets go of the file).
  if (it->second.step == Step::kRecording || it->second.step == Step::kBeep) {
    std::error_code ignored;
    std::filesystem::remove(it->second.path, ignored);
  }
  sessions_.erase(it);
}

}  // namespace unicc::ivr
