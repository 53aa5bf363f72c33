#pragma once
// call::RecordingRetention — deletes call recordings older than the retention
// (media.recording_retention_days) and notes on each CDR when (recording_deleted_at),
// so the API says "deleted" rather than a file gone. Recordings pinned by a typical
// case (call::CaseStore) or a QA evaluation (qa::EvaluationStore) are kept.
//
// sweep() does one bounded pass, at the clock's time; start() runs passes on a
// thread of its own, never the SIP thread: every `interval`, at once again while a
// pass filled its batch, and at once after set_retention_days (the console's
// settings). A retention of 0 days keeps everything.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdint>
#include <string>
#include <thread>

#include "core/clock.h"
#include "store/database.h"

namespace unicc::call {

class RecordingRetention {
 public:
  struct Settings {
    std::int64_t retention_days = 0;
    std::string recordings_dir;
    std::int64_t batch = 500;
    std::chrono::milliseconds interval = std::chrono::minutes(10);
  };
  RecordingRetention(store::Database& db, const core::Clock& clock, Settings settings);
  ~RecordingRetention() { stop(); }
  RecordingRetention(const RecordingRetention&) = delete;
  RecordingRetention& operator=(const RecordingRetention&) = delete;

  // Deletes at most `batch` recordings of calls that ended before now - retention;
  // returns how many it deleted.
  std::int64_t sweep();
  void start();
  void stop();
  // A new retention (0 to 36500 days) for the passes from now on; any thread.
  void set_retention_days(std::int64_t days);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  Settings settings_;
  std::atomic<std::int64_t> retention_days_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool changed_ = false;  // under mutex_: a pass is due at once
  std::jthread thread_;
};

}  // namespace unicc::call
