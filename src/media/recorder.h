#pragma once
// Recorder — writes call recordings (8 kHz, 16-bit WAV; stereo, or mono for one leg
// such as a voicemail) on a thread of its own.
//
// Producers such as the RTP thread hand over decoded sample blocks together with their
// position (in frames since the recording began); the recorder thread places each
// block on its channel, fills what nobody sent with silence, and writes the file. Calls
// on this class only queue work, so a producer never waits for the disk; stop() is
// the one call that does. Blocks that arrive after their frames were written (more
// than a second late) are dropped, overlapping blocks replace earlier samples, and a
// full queue drops sample blocks rather than growing without bound. Errors (a file
// that cannot be opened) are logged. Thread-safe.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace unicc::media {

class Recorder {
 public:
  using RecordingId = std::uint64_t;
  enum class Channel : std::uint8_t { kLeft, kRight };
  static constexpr int kSampleRate = 8000;

  Recorder();
  ~Recorder();  // stop()
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Starts a recording into `path` (created or truncated on the recorder thread).
  // A mono recording (channels 1) has only the left channel; blocks for the right
  // one are ignored.
  RecordingId open(std::string path, int channels = 2);
  void write(RecordingId id, Channel channel, std::int64_t first_frame, std::vector<std::int16_t> samples);
  // Ends a recording: the file is padded with silence to `total_frames` and closed.
  void close(RecordingId id, std::int64_t total_frames);
  // Writes everything queued, closes every file and joins the thread; later calls of
  // open/write/close are ignored. Idempotent.
  void stop();

  // Sample blocks dropped because the queue was full.
  std::uint64_t dropped_blocks() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::media
