#pragma once
// LegRecording — a mono recording of what one leg says (a voicemail, an IVR "record"
// step), up to a maximum length.
//
// The owner feeds the leg's decoded 8 kHz samples in arrival order from its media
// thread; the blocks go to the Recorder's thread, which writes the WAV, so the media
// thread never waits for the disk. Once `max_length` worth of samples has been taken,
// the rest is dropped and write() returns false: the owner ends the recording and the
// flow moves on. finish() (or the destructor) closes the file. Not thread-safe: one
// owner, on one thread; the Recorder must outlive it.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "media/recorder.h"

namespace unicc::media {

class LegRecording {
 public:
  LegRecording(Recorder& recorder, std::string path, std::chrono::milliseconds max_length);
  ~LegRecording() { finish(); }
  LegRecording(const LegRecording&) = delete;
  LegRecording& operator=(const LegRecording&) = delete;

  // Queues `samples` for the file; false once the maximum length is reached (this
  // block then kept only up to it).
  bool write(std::span<const std::int16_t> samples);
  bool full() const { return frames_ >= max_frames_; }
  std::chrono::milliseconds length() const;
  // Idempotent; later writes are dropped.
  void finish();

 private:
  Recorder& recorder_;
  Recorder::RecordingId id_;
  std::int64_t max_frames_;
  std::int64_t frames_ = 0;
  bool finished_ = false;
};

}  // namespace unicc::media
