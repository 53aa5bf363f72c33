#include "auth/login_throttle.h"

#include <algorithm>

namespace unicc::auth {
namespace {

// User names cannot contain '\n' (auth::Users allows letters, digits and . _ - @).
std::string pair_key(const std::string& username, const std::string& address) { return address + '\n' + username; }

}  // namespace

LoginThrottle::LoginThrottle(const core::Clock& clock, std::int64_t per_user_and_address, std::int64_t per_address,
                             std::chrono::seconds window, core::AddressList trusted)
    : clock_(clock),
      per_pair_(per_user_and_address),
      per_address_(per_address),
      window_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(window).count()),
      trusted_(std::move(trusted)) {}

std::int64_t LoginThrottle::wait_ms(std::unordered_map<std::string, Failures>& table, const std::string& key,
                                    std::int64_t limit, std::int64_t now) {
  auto it = table.find(key);
  if (it == table.end()) return 0;
  Failures& failures = it->second;
  while (!failures.empty() && failures.front() <= now - window_ms_) failures.pop_front();
  if (failures.empty()) {
    table.erase(it);
    return 0;
  }
  if (static_cast<std::int64_t>(failures.size()) < limit) return 0;
  // The attempt is allowed once enough old failures have left the window.
  std::int64_t unblocking = failures[failures.size() - static_cast<std::size_t>(limit)];
  return unblocking + window_ms_ - now;
}

void LoginThrottle::prune(std::int64_t now) {
  if (now < next_prune_ms_) return;
  next_prune_ms_ = now + window_ms_;
  for (auto* table : {&by_pair_, &by_address_}) {
    for (auto it = table->begin(); it != table->end();) {
      it = it->second.empty() || it->second.back() <= now - window_ms_ ? table->erase(it) : std::next(it);
    }
  }
}

std::int64_t LoginThrottle::retry_after_s(const std::string& username, const std::string& address) {
  if (trusted_.contains_address(address)) return 0;
  std::lock_guard lock(mutex_);
  std::int64_t now = clock_.now_ms();
  std::int64_t wait = std::max(wait_ms(by_pair_, pair_key(username, address), per_pair_, now),
                               wait_ms(by_address_, address, per_address_, now));
  return wait <= 0 ? 0 : (wait + 999) / 1000;
}

void LoginThrottle::record_failure(const std::string& username, const std::string& address) {
  if (trusted_.contains_address(address)) return;
  std::lock_guard lock(mutex_);
  std::int64_t now = clock_.now_ms();
  prune(now);
  // Bounded per key: beyond the limit, older entries no longer change the answer.
  auto add = [&](Failures& failures, std::int64_t limit) {
    failures.push_back(now);
    while (static_cast<std::int64_t>(failures.size()) > limit) failures.pop_front();
  };
  add(by_pair_[pair_key(username, address)], per_pair_);
  add(by_address_[address], per_address_);
}

void LoginThrottle::record_success(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  by_pair_.erase(pair_key(username, address));
}

}  // namespace unicc::auth
