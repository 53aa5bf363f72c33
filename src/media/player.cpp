#include "media/player.h"

#include <algorithm>

namespace unicc::media {

void Player::play(std::vector<Prompt> prompts, bool loop) {
  prompts_ = std::move(prompts);
  loop_ = loop;
  playing_ = true;
  has_samples_ = std::any_of(prompts_.begin(), prompts_.end(), [](const Prompt& p) { return !p.samples().empty(); });
  prompt_index_ = 0;
  sample_index_ = 0;
}

std::optional<PlayerFrame> Player::next_frame() {
  if (!playing_) return std::nullopt;
  std::array<std::int16_t, kFrameSamples> linear{};
  fill(linear);
  PlayerFrame frame;
  encode_g711(law_, linear, frame.payload);
  if (!loop_ && prompt_index_ == prompts_.size()) {
    frame.last = true;
    playing_ = false;
  }
  return frame;
}

void Player::fill(std::span<std::int16_t> out) {
  std::size_t filled = 0;
  while (filled < out.size() && prompt_index_ < prompts_.size()) {
    const auto samples = prompts_[prompt_index_].samples();
    const std::size_t count = std::min(out.size() - filled, samples.size() - sample_index_);
    const auto piece = samples.subspan(sample_index_, count);
    std::copy(piece.begin(), piece.end(), out.begin() + static_cast<std::ptrdiff_t>(filled));
    filled += count;
    sample_index_ += count;
    if (sample_index_ == samples.size()) {
      sample_index_ = 0;
      ++prompt_index_;
      if (prompt_index_ == prompts_.size() && loop_ && has_samples_) prompt_index_ = 0;
    }
  }
}

}  // namespace unicc::media
