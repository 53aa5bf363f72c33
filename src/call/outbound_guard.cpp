#include "call/outbound_guard.h"

#include <algorithm>

namespace unicc::call {
namespace {
constexpr std::int64_t kMinuteMs = 60'000;
}  // namespace

OutboundGuard::OutboundGuard(const core::Clock& clock, core::OutboundConfig policy)
    : clock_(clock), policy_(std::move(policy)) {}

bool OutboundGuard::listed(const std::vector<std::string>& callers, std::string_view caller) {
  return std::any_of(callers.begin(), callers.end(),
                     [&](const std::string& listed) { return listed == "*" || listed == caller; });
}

bool OutboundGuard::starts_with_any(std::string_view number, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& prefix) { return !prefix.empty() && number.starts_with(prefix); });
}

std::int64_t OutboundGuard::recent(std::deque<std::int64_t>& times, std::int64_t now) {
  while (!times.empty() && times.front() <= now - kMinuteMs) times.pop_front();
  return static_cast<std::int64_t>(times.size());
}

std::int64_t OutboundGuard::count_recent(const std::deque<std::int64_t>& times, std::int64_t now) {
  return std::count_if(times.begin(), times.end(), [now](std::int64_t at) { return at > now - kMinuteMs; });
}

std::string OutboundGuard::refusal(std::string_view caller, std::string_view number) const {
  if (starts_with_any(number, policy_.international_prefixes) && !listed(policy_.international_callers, caller)) {
    return "international";
  }
  if (starts_with_any(number, policy_.premium_prefixes) && !listed(policy_.premium_callers, caller)) {
    return "premium";
  }
  const std::int64_t now = clock_.now_ms();
  auto by_caller = recent_by_caller_.find(caller);
  if (count_recent(all_recent_, now) >= policy_.calls_per_minute ||
      (by_caller != recent_by_caller_.end() &&
       count_recent(by_caller->second, now) >= policy_.calls_per_minute_per_caller)) {
    return "rate";
  }
  auto active_for_caller = active_by_caller_.find(caller);
  const std::int64_t caller_active = active_for_caller == active_by_caller_.end() ? 0 : active_for_caller->second;
  if (active_ >= policy_.concurrent || caller_active >= policy_.concurrent_per_caller) return "concurrent";
  return "";
}

std::string OutboundGuard::admit(std::string_view caller, std::string_view number) {
  if (std::string refused = refusal(caller, number); !refused.empty()) return refused;
  const std::int64_t now = clock_.now_ms();
  recent(all_recent_, now);  // keeps the window to the last minute
  auto by_caller = recent_by_caller_.find(caller);
  if (by_caller == recent_by_caller_.end()) {
    by_caller = recent_by_caller_.emplace(std::string(caller), std::deque<std::int64_t>{}).first;
  }
  all_recent_.push_back(now);
  by_caller->second.push_back(now);
  ++active_;
  ++active_by_caller_[std::string(caller)];
  // Callers seen once must not pile up: drop the ones with nothing left to count.
  for (auto it = recent_by_caller_.begin(); it != recent_by_caller_.end();) {
    it = recent(it->second, now) == 0 ? recent_by_caller_.erase(it) : std::next(it);
  }
  return "";
}

void OutboundGuard::ended(std::string_view caller) {
  auto it = active_by_caller_.find(caller);
  if (it == active_by_caller_.end()) return;
  --active_;
  if (--it->second == 0) active_by_caller_.erase(it);
}

}  // namespace unicc::call
