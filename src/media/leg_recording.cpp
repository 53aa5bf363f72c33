#include "media/leg_recording.h"

#include <algorithm>
#include <vector>

namespace unicc::media {

LegRecording::LegRecording(Recorder& recorder, std::string path, std::chrono::milliseconds max_length)
    : recorder_(recorder),
      id_(recorder.open(std::move(path), 1)),
      max_frames_(max_length.count() * Recorder::kSampleRate / 1000) {}

bool LegRecording::write(std::span<const std::int16_t> samples) {
  if (finished_ || full()) return false;
  const auto kept = static_cast<std::size_t>(std::min<std::int64_t>(max_frames_ - frames_, std::ssize(samples)));
  const auto taken = samples.first(kept);
  recorder_.write(id_, Recorder::Channel::kLeft, frames_, std::vector<std::int16_t>(taken.begin(), taken.end()));
  frames_ += static_cast<std::int64_t>(kept);
  return !full();
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
