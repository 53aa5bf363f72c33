#pragma once
// core::Clock — the one source of time. Routing, timers, throttles and reports ask a
// Clock instead of the system so tests can drive time with FakeClock.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace unicc::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in milliseconds since the Unix epoch (for stored timestamps).
  virtual std::int64_t now_ms() const = 0;
  // Monotonic time for measuring intervals; never goes backwards.
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

// The real clock.
class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
  std::chrono::steady_clock::time_point steady_now() const override;
};

// A clock that moves only when told to; safe to read from several threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1'700'000'000'000) : now_ms_(start_ms) {}
  std::int64_t now_ms() const override { return now_ms_.load(); }
  std::chrono::steady_clock::time_point steady_now() const override;
  void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }
  void set_ms(std::int64_t ms) { now_ms_ = ms; }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace unicc::core
