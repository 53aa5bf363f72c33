#include "media/mixer.h"

#include <algorithm>
#include <vector>

namespace unicc::media {

void Mixer::add(Id id) { participants_.try_emplace(id); }

void Mixer::remove(Id id) {
  participants_.erase(id);
  for (auto& [_, participant] : participants_) participant.deaf_to.erase(id);
}

void Mixer::set_hears(Id listener, Id speaker, bool hears) {
  auto found = participants_.find(listener);
  if (found == participants_.end() || !participants_.contains(speaker)) return;
  if (hears) {
    found->second.deaf_to.erase(speaker);
  } else {
    found->second.deaf_to.insert(speaker);
  }
}

bool Mixer::hears(Id listener, Id speaker) const {
  auto found = participants_.find(listener);
  return found != participants_.end() && listener != speaker && participants_.contains(speaker) &&
         !found->second.deaf_to.contains(speaker);
}

void Mixer::put(Id speaker, std::span<const std::int16_t> samples) {
  auto found = participants_.find(speaker);
  if (found == participants_.end()) return;
  Frame frame{};
  std::copy_n(samples.begin(), std::min(samples.size(), frame.size()), frame.begin());
  auto& queued = found->second.queued;
  queued.push_back(frame);
  if (queued.size() > kMaxQueuedFrames) queued.pop_front();
}

void Mixer::mix(const std::function<void(Id listener, std::span<const std::int16_t> heard)>& out) {
  // This interval's frame of every participant that spoke.
  std::vector<std::pair<Id, Frame>> spoken;
  for (auto& [id, participant] : participants_) {
    if (!participant.primed && participant.queued.size() >= kPrimeFrames) participant.primed = true;
    if (!participant.primed) continue;
    if (participant.queued.empty()) {
      participant.primed = false;  // ran dry: wait for kPrimeFrames again
      continue;
    }
    spoken.emplace_back(id, participant.queued.front());
    participant.queued.pop_front();
  }
  std::array<std::int32_t, kFrameSamples> sum{};
  Frame heard{};
  for (const auto& [listener, participant] : participants_) {
    sum.fill(0);
    for (const auto& [speaker, frame] : spoken) {
      if (speaker == listener || participant.deaf_to.contains(speaker)) continue;
      for (std::size_t n = 0; n < kFrameSamples; ++n) sum[n] += frame[n];
    }
    for (std::size_t n = 0; n < kFrameSamples; ++n) {
      heard[n] = static_cast<std::int16_t>(std::clamp<std::int32_t>(sum[n], INT16_MIN, INT16_MAX));
    }
    out(listener, heard);
  }
}

}  // namespace unicc::media
