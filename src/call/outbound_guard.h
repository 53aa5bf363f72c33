#pragma once
// call::OutboundGuard — toll-fraud guard for every call that leaves through a trunk.
//
// A stolen phone password or an IVR tricked into transferring out is how toll fraud
// starts; the guard decides, before the INVITE goes to the carrier, whether `caller`
// (an extension, or "ivr" for a flow's transfer, "callback" for a callback-in-queue)
// may call `number` (as sent to the trunk) now:
// - international and premium numbers (by prefix) only for callers on their lists
//   ("*" for everyone); both are off by default;
// - at most `calls_per_minute_per_caller` per caller and `calls_per_minute` in all,
//   in a sliding minute;
// - at most `concurrent_per_caller` / `concurrent` such calls at once.
// Every refusal is reported to the CallObserver as an alert (supervisors see it on
// the event stream). Single-threaded: the SIP thread.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/config.h"

namespace unicc::call {

class OutboundGuard {
 public:
  OutboundGuard(const core::Clock& clock, core::OutboundConfig policy);

  // "" when the call may go (and it is then counted until ended(caller)); otherwise
  // why not: "international", "premium", "rate" or "concurrent".
  std::string admit(std::string_view caller, std::string_view number);
  // What admit() would answer now, without counting anything (a check before an agent's
  // phone rings for a call to `number`).
  std::string refusal(std::string_view caller, std::string_view number) const;
  // An admitted call ended.
  void ended(std::string_view caller);
  // New limits and lists (the console's run-time settings) for the calls from now on;
  // the calls counted so far stay counted.
  void set_policy(core::OutboundConfig policy) { policy_ = std::move(policy); }

 private:
  static bool listed(const std::vector<std::string>& callers, std::string_view caller);
  static bool starts_with_any(std::string_view number, const std::vector<std::string>& prefixes);
  std::int64_t recent(std::deque<std::int64_t>& times, std::int64_t now);
  static std::int64_t count_recent(const std::deque<std::int64_t>& times, std::int64_t now);

  const core::Clock& clock_;
  core::OutboundConfig policy_;
  std::deque<std::int64_t> all_recent_;  // admission times in the last minute, oldest first
  std::map<std::string, std::deque<std::int64_t>, std::less<>> recent_by_caller_;
  std::int64_t active_ = 0;
  std::map<std::string, std::int64_t, std::less<>> active_by_caller_;
};

}  // namespace unicc::call
