#pragma once
// core::EventLoop — one thread's worth of asynchronous work (a Boost.Asio
// io_context) with posted tasks and one-shot timers.
//
// Everything scheduled on a loop runs on the thread inside run(), one task at a
// time, so state owned by that thread needs no locks. post() and stop() may be
// called from any thread; start_timer()/cancel_timer() only from the loop's own.
// Asio stays out of this header; modules that do socket I/O reach the
// io_context through io().
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace unicc::core {

class EventLoop {
 public:
  using TimerId = std::uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs tasks until stop(); returns then.
  void run();
  // Runs ready tasks and timers for at most `duration` (tests drive loops this way).
  void run_for(std::chrono::milliseconds duration);
  void stop();
  void post(std::function<void()> task);

  TimerId start_timer(std::chrono::milliseconds after, std::function<void()> fire);
  void cancel_timer(TimerId id);

  boost::asio::io_context& io();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::core
