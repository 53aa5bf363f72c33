#pragma once
// Prompt — audio ready to be played into a call: 8 kHz, 16-bit linear, mono.
//
// A Prompt is immutable and shares its samples, so one loaded greeting or music-on-hold
// file plays on any number of calls without a copy, and copying a Prompt is cheap.
//
// load_prompt() reads any PCM file libsndfile reads (WAV and others; 8/16/24/32-bit
// or float samples; any rate; mono, stereo or more), mixes the channels to mono and
// resamples to 8 kHz with a proper low-pass (resample.h). It reads the disk and costs
// CPU: call it off the media threads, when a flow is loaded or through TtsCache.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace unicc::media {

inline constexpr int kPromptSampleRate = 8000;

class Prompt {
 public:
  Prompt() : samples_(std::make_shared<const std::vector<std::int16_t>>()) {}
  explicit Prompt(std::vector<std::int16_t> samples)
      : samples_(std::make_shared<const std::vector<std::int16_t>>(std::move(samples))) {}

  std::span<const std::int16_t> samples() const { return *samples_; }
  std::chrono::milliseconds duration() const {
    return std::chrono::milliseconds(static_cast<std::int64_t>(samples_->size()) * 1000 / kPromptSampleRate);
  }

 private:
  std::shared_ptr<const std::vector<std::int16_t>> samples_;
};

// A file that cannot be read as audio; what() names the file and the reason.
class PromptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Longest audio load_prompt() takes (hold music loops; a longer file is a mistake or
// an attack on memory: its samples would all be held for every call to share).
inline constexpr std::chrono::seconds kMaxPromptLength{30 * 60};

// Throws PromptError when `path` is missing, unreadable, not audio, or longer than
// kMaxPromptLength.
Prompt load_prompt(const std::string& path);

// How long the audio in `path` plays, from its header; nullopt when it is not audio
// libsndfile reads.
std::optional<std::chrono::milliseconds> audio_length(const std::string& path);

// `prompt` as the bytes of an 8 kHz 16-bit mono WAV file (to send over HTTP).
std::string wav_bytes(const Prompt& prompt);

// Writes `prompt` to `path` as an 8 kHz 16-bit mono WAV, atomically: into a temporary
// file beside it, then renamed, so a reader never sees half a file. Throws PromptError.
void save_prompt(const Prompt& prompt, const std::string& path);

}  // namespace unicc::media
