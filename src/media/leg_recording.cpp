#include "media/leg_recording.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace unicc::media {

LegRecording::LegRecording(Recorder& recorder, std::string path, std::chrono::milliseconds max_length,
                           std::chrono::milliseconds end_after_silence)
    : recorder_(recorder),
      id_(recorder.open(std::move(path), 1)),
      max_frames_(max_length.count() * Recorder::kSampleRate / 1000),
      silence_frames_(end_after_silence.count() * Recorder::kSampleRate / 1000) {}

bool LegRecording::write(std::span<const std::int16_t> samples) {
  if (finished_ || full() || ended_by_silence_) return false;
  const auto kept = static_cast<std::size_t>(std::min<std::int64_t>(max_frames_ - frames_, std::ssize(samples)));
  const auto taken = samples.first(kept);
  recorder_.write(id_, Recorder::Channel::kLeft, frames_, std::vector<std::int16_t>(taken.begin(), taken.end()));
  frames_ += static_cast<std::int64_t>(kept);
  if (silence_frames_ > 0 && !taken.empty()) {
    double energy = 0;
    for (std::int16_t sample : taken) energy += static_cast<double>(sample) * sample;
    if (std::sqrt(energy / static_cast<double>(taken.size())) >= kVoiceRms) {
      heard_voice_ = true;
      quiet_frames_ = 0;
    } else if (heard_voice_) {
      quiet_frames_ += std::ssize(taken);
      ended_by_silence_ = quiet_frames_ >= silence_frames_;
    }
  }
  return !full() && !ended_by_silence_;
}

std::chrono::milliseconds LegRecording::length() const {
  return std::chrono::milliseconds(frames_ * 1000 / Recorder::kSampleRate);
}

void LegRecording::finish() {
  if (finished_) return;
  finished_ = true;
  recorder_.close(id_, frames_);
}

}  // namespace unicc::media
