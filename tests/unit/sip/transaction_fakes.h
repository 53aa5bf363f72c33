#pragma once
// Test doubles for sip::TransactionLayer: a manual clock for its timers and a
// sender that records what it was asked to send.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/endpoint.h"
#include "sip/transaction.h"

namespace unicc::sip::testing {

// Time stands still until advance() moves it; timers then fire in deadline
// order (ties in start order), including timers started by the callbacks that
// fire, as long as they fall due within the advanced span.
class FakeTimerService : public TimerService {
 public:
  TimerId start(std::chrono::milliseconds after, std::function<void()> fire) override {
    TimerId id = next_id_++;
    pending_.emplace(id, Pending{now_ + after, std::move(fire)});
    return id;
  }

  void cancel(TimerId id) override { pending_.erase(id); }

  void advance(std::chrono::milliseconds by) {
    std::chrono::milliseconds until = now_ + by;
    while (true) {
      auto next = pending_.end();
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->second.due <= until && (next == pending_.end() || it->second.due < next->second.due)) next = it;
      }
      if (next == pending_.end()) break;
      now_ = next->second.due;
      std::function<void()> fire = std::move(next->second.fire);
      pending_.erase(next);
      fire();
    }
    now_ = until;
  }

  std::chrono::milliseconds now() const { return now_; }
  std::size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::chrono::milliseconds due;
    std::function<void()> fire;
  };
  TimerId next_id_ = 1;
  std::chrono::milliseconds now_{0};
  std::map<TimerId, Pending> pending_;  // ordered by id, so equal deadlines fire in start order
};

class RecordingSender : public MessageSender {
 public:
  struct Sent {
    Endpoint to;
    std::string bytes;
    std::chrono::milliseconds at;
  };

  // `clock`, when given, stamps every send with its time.
  explicit RecordingSender(const FakeTimerService* clock = nullptr) : clock_(clock) {}

  bool send(const Endpoint& to, const std::string& bytes) override {
    if (failing_) return false;
    sent_.push_back(Sent{to, bytes, clock_ ? clock_->now() : std::chrono::milliseconds{0}});
    return true;
  }

  // While failing, every send returns false and is not recorded.
  void set_failing(bool failing) { failing_ = failing; }

  const std::vector<Sent>& sent() const { return sent_; }
  const Sent& last() const { return sent_.back(); }
  void clear() { sent_.clear(); }

  // How many sent messages start with `start_line_prefix`, e.g. "SIP/2.0 486" or "ACK ".
  std::size_t count(std::string_view start_line_prefix) const { return times(start_line_prefix).size(); }

  // Send times of the messages starting with `start_line_prefix`.
  std::vector<std::chrono::milliseconds> times(std::string_view start_line_prefix) const {
    std::vector<std::chrono::milliseconds> at;
    for (const Sent& sent : sent_) {
      if (std::string_view(sent.bytes).starts_with(start_line_prefix)) at.push_back(sent.at);
    }
    return at;
  }

 private:
  const FakeTimerService* clock_;
  bool failing_ = false;
  std::vector<Sent> sent_;
};

}  // namespace unicc::sip::testing
