#pragma once
// Internal to the acd module. The router's pending deadlines, earliest first.
//
// Timers are never searched for: each carries the generation its owner had when it
// was set, and the owner bumps its generation to cancel. The router pops and drops a
// timer whose generation no longer matches.
#include <cstdint>
#include <queue>
#include <vector>

namespace unicc::acd {

enum class TimerKind : std::uint8_t { kCall, kRing, kWrapUp, kAnnounce };

struct Timer {
  std::int64_t at_ms = 0;  // steady time
  TimerKind kind = TimerKind::kCall;
  std::uint32_t slot = 0;  // call, agent or queue slot, by kind
  std::uint64_t generation = 0;
};

class TimerQueue {
 public:
  bool empty() const { return heap_.empty(); }
  const Timer& top() const { return heap_.top(); }
  void pop() { heap_.pop(); }
  void push(const Timer& timer) { heap_.push(timer); }

 private:
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const { return a.at_ms > b.at_ms; }
  };
  std::priority_queue<Timer, std::vector<Timer>, Later> heap_;
};

}  // namespace unicc::acd
