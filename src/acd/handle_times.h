#pragma once
// acd estimated wait time (EWT) from recent handle times and the agents working.
//
// HandleTimes keeps the last kWindow handle times (talk + wrap-up) of a queue; until
// the first one it reports the configured default. estimate_wait() assumes the
// working agents free up one after another every handle_time / working on average,
// so the caller at `position` (1 = next) waits position * handle_time / working.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace unicc::acd {

class HandleTimes {
 public:
  static constexpr std::size_t kWindow = 64;

  explicit HandleTimes(std::chrono::milliseconds fallback) : fallback_(fallback) {}
  void set_fallback(std::chrono::milliseconds fallback) { fallback_ = fallback; }
  void add(std::chrono::milliseconds handle_time);
  std::chrono::milliseconds average() const;

 private:
  std::chrono::milliseconds fallback_;
  std::array<std::int64_t, kWindow> recent_{};
  std::size_t count_ = 0;  // how many of recent_ are filled
  std::size_t next_ = 0;   // where the next one goes
  std::int64_t sum_ = 0;
};

// Absent when nobody is working: no estimate can be given.
std::optional<std::chrono::seconds> estimate_wait(std::size_t position,
                                                  std::chrono::milliseconds handle_time,
                                                  std::size_t working);

}  // namespace unicc::acd
