#pragma once
// LegRecording — a mono recording of what one leg says (a voicemail, an IVR "record"
// step), up to a maximum length.
//
// The owner feeds the leg's decoded 8 kHz samples in arrival order from its media
// thread; the blocks go to the Recorder's thread, which writes the WAV, so the media
// thread never waits for the disk. Once `max_length` worth of samples has been taken,
// the rest is dropped and write() returns false: the owner ends the recording and the
// flow moves on. With `end_after_silence`, write() also returns false once that long
// has been quiet (RMS under kVoiceRms) after the leg was first heard speaking: a
// recording by phone ends when the speaker stops (only packets received count: a
// phone that sends nothing while quiet never ends it this way). finish() (or the destructor) closes the file. Not thread-safe: one
// owner, on one thread; the Recorder must outlive it.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "media/recorder.h"

namespace unicc::media {

class LegRecording {
 public:
  // A block this loud (RMS) or louder is voice.
  static constexpr double kVoiceRms = 300;

  LegRecording(Recorder& recorder, std::string path, std::chrono::milliseconds max_length,
               std::chrono::milliseconds end_after_silence = std::chrono::milliseconds(0));
  ~LegRecording() { finish(); }
  LegRecording(const LegRecording&) = delete;
  LegRecording& operator=(const LegRecording&) = delete;

  // Queues `samples` for the file; false once the maximum length is reached (this
  // block then kept only up to it).
  bool write(std::span<const std::int16_t> samples);
  bool full() const { return frames_ >= max_frames_; }
  // Whether write() returned false for the silence after speech.
  bool ended_by_silence() const { return ended_by_silence_; }
  std::chrono::milliseconds length() const;
  // Idempotent; later writes are dropped.
  void finish();

 private:
  Recorder& recorder_;
  Recorder::RecordingId id_;
  std::int64_t max_frames_;
  std::int64_t frames_ = 0;
  std::int64_t silence_frames_;  // 0: never ends on silence
  std::int64_t quiet_frames_ = 0;  // since the last voice
  bool heard_voice_ = false;
  bool ended_by_silence_ = false;
  bool finished_ = false;
};

}  // namespace unicc::media
