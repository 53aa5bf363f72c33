#pragma once
// core::Timers — one-shot timers on one thread, behind an interface so that tests
// fire them by a FakeClock instead of waiting. The SIP transactions, the B2BUA and
// the contact layer take their timers from it; LoopTimers runs them on an EventLoop.
//
// start() and cancel() are called on the thread the timers fire on; cancelling a
// timer that already fired or was cancelled does nothing.
#include <chrono>
#include <cstdint>
#include <functional>

#include "core/event_loop.h"

namespace unicc::core {

class Timers {
 public:
  using TimerId = std::uint64_t;
  virtual ~Timers() = default;
  virtual TimerId start(std::chrono::milliseconds after, std::function<void()> fire) = 0;
  virtual void cancel(TimerId id) = 0;
};

// Timers on an EventLoop (the SIP thread's).
class LoopTimers final : public Timers {
 public:
  explicit LoopTimers(EventLoop& loop) : loop_(loop) {}
  TimerId start(std::chrono::milliseconds after, std::function<void()> fire) override {
    return loop_.start_timer(after, std::move(fire));
  }
  void cancel(TimerId id) override { loop_.cancel_timer(id); }

 private:
  EventLoop& loop_;
};

}  // namespace unicc::core
