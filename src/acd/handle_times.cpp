#include "acd/handle_times.h"

namespace unicc::acd {

void HandleTimes::add(std::chrono::milliseconds handle_time) {
  if (count_ == kWindow) {
    sum_ -= recent_[next_];
  } else {
    ++count_;
  }
  recent_[next_] = handle_time.count();
  sum_ += handle_time.count();
  next_ = (next_ + 1) % kWindow;
}

std::chrono::milliseconds HandleTimes::average() const {
  if (count_ == 0) return fallback_;
  return std::chrono::milliseconds(sum_ / static_cast<std::int64_t>(count_));
}

std::optional<std::chrono::seconds> estimate_wait(std::size_t position,
                                                  std::chrono::milliseconds handle_time,
                                                  std::size_t working) {
  if (working == 0) return std::nullopt;
  const std::int64_t ms = static_cast<std::int64_t>(position) * handle_time.count() /
                          static_cast<std::int64_t>(working);
  return std::chrono::seconds((ms + 999) / 1000);
}

}  // namespace unicc::acd
