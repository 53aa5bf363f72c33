#pragma once
// Recording a prompt by phone (docs/ivr.md, Recording a prompt by phone).
//
// ivr::PhoneRecordingCodes — one-time codes an administrator asks for on the Prompts
// page (POST /api/v1/prompts/{name}/phone-code): each binds a prompt name to the
// administrator's own extension for 10 minutes. Only that extension's phone, dialling
// the feature code *77 then the code (then #), may use it, once. Thread-safe.
//
// ivr::PromptRecorder — the calls to *77<code>: it checks the code against the
// calling phone (calls from trunks never qualify), then plays a beep and records
// what the caller says until # (or 4 s of silence after speech, or 120 s; hanging up
// first keeps nothing), stores it in the prompt
// library as an upload would be stored (ivr::PromptLibrary::store: converted, written
// whole), plays it back as calls will hear it, beeps and hangs up. A refused call is
// hung up at once. The file work runs on a thread of its own, never the SIP thread's.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "call/application.h"
#include "call/b2bua.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "ivr/prompt_library.h"
#include "ivr/prompt_source.h"

namespace unicc::ivr {

struct RecordingGrant {
  std::string prompt;     // the library name to record
  std::string extension;  // the only phone that may dial it
  std::string username;   // who asked (the audit's actor)
  std::int64_t user_id = 0;
  std::int64_t expires_at_ms = 0;
};

class PhoneRecordingCodes {
 public:
  static constexpr std::int64_t kValidMs = 10 * 60 * 1000;

  // A new 6-digit code for `grant` (which replaces that user's earlier code).
  std::string issue(RecordingGrant grant, std::int64_t now_ms);
  // The grant of `code` when `extension` is its phone and it has not expired; used up.
  std::optional<RecordingGrant> take(const std::string& code, const std::string& extension, std::int64_t now_ms);
  // Whether take() would give a grant now (nothing used up).
  bool valid(const std::string& code, const std::string& extension, std::int64_t now_ms) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, RecordingGrant> grants_;  // by code
};

// A prompt recorded by phone and stored in the library.
struct RecordedPrompt {
  RecordingGrant grant;
  std::int64_t duration_ms = 0;
  std::int64_t bytes = 0;
};

struct PromptRecorderParts {
  PhoneRecordingCodes& codes;
  PromptSource& prompts;  // plays the recording back; told to forget the old file
  std::string library_dir;
  std::string sounds_dir;
  core::EventLoop& loop;  // the SIP thread's
  const core::Clock& clock;
  // A prompt was stored (for the audit log); on the recorder's own thread.
  std::function<void(const RecordedPrompt&)> saved;
};

class PromptRecorder {
 public:
  static constexpr const char* kFeatureCode = "*77";
  static constexpr std::chrono::seconds kMaxLength{120};
  // The quiet after speech that ends a recording as # does.
  static constexpr std::chrono::seconds kEndAfterSilence{4};

  explicit PromptRecorder(PromptRecorderParts parts);
  ~PromptRecorder();
  PromptRecorder(const PromptRecorder&) = delete;
  PromptRecorder& operator=(const PromptRecorder&) = delete;

  void attach(call::B2bua& calls) { calls_ = &calls; }
  // Whether `dialled` is the feature code (with a code after it, maybe a final #).
  static bool takes(const std::string& dialled);
  bool owns(call::CallId call) const { return sessions_.contains(call); }
  // A call to the feature code is refused before it is answered (403) unless it comes
  // from one of our phones with a valid code for that phone.
  int refusal(const std::string& dialled, const std::string& caller, const std::string& trunk) const;

  // The call::CallApplication events of the calls it owns (CallRunner passes them on).
  void on_answered(const call::AnsweredCall& call);
  void on_dtmf(call::CallId call, char digit);
  void on_play_finished(call::CallId call, std::uint64_t play_id);
  void on_recording_ended(call::CallId call, std::chrono::milliseconds length, bool reached_max);
  void on_ended(call::CallId call);

 private:
  enum class Step { kBeep, kRecording, kSaving, kPlayback, kDone };
  struct Session {
    RecordingGrant grant;
    std::string path;  // the raw recording, beside the library's files
    Step step = Step::kBeep;
    bool finished = false;  // # pressed: keep what was said
  };
  void save(call::CallId call, Session session, std::chrono::milliseconds length);
  void saved(call::CallId call, const std::string& error);
  void end(call::CallId call);

  PromptRecorderParts parts_;
  PromptLibrary library_;
  call::B2bua* calls_ = nullptr;
  std::map<call::CallId, Session> sessions_;  // SIP thread only
  std::shared_ptr<PromptRecorder*> alive_;
  core::EventLoop saver_;
  std::thread saver_thread_;
};

}  // namespace unicc::ivr
