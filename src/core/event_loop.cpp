#include "core/event_loop.h"

#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace unicc::core {

struct EventLoop::Impl {
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  TimerId next_timer = 1;
  std::unordered_map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers;
};

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}
EventLoop::~EventLoop() = default;

void EventLoop::run() {
  impl_->io.restart();
  impl_->io.run();
}

void EventLoop::run_for(std::chrono::milliseconds duration) {
  impl_->io.restart();
  impl_->io.run_for(duration);
}

void EventLoop::stop() { impl_->io.stop(); }

void EventLoop::post(std::function<void()> task) { boost::asio::post(impl_->io, std::move(task)); }

EventLoop::TimerId EventLoop::start_timer(std::chrono::milliseconds after, std::function<void()> fire) {
  TimerId id = impl_->next_timer++;
  auto timer = std::make_unique<boost::asio::steady_timer>(impl_->io, after);
  timer->async_wait([this, id, fire = std::move(fire)](const boost::system::error_code& error) {
    if (error) return;  // cancelled
    impl_->timers.erase(id);
    fire();
  });
  impl_->timers.emplace(id, std::move(timer));
  return id;
}

void EventLoop::cancel_timer(TimerId id) {
  auto it = impl_->timers.find(id);
  if (it == impl_->timers.end()) return;
  it->second->cancel();
  impl_->timers.erase(it);
}

boost::asio::io_context& EventLoop::io() { return impl_->io; }

}  // namespace unicc::core
