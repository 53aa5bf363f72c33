#include "auth/login_throttle.h"

#include <algorithm>

namespace unicc::auth {

LoginThrottle::LoginThrottle(const core::Clock& clock, std::int64_t per_user, std::int64_t per_address,
                             std::chrono::seconds window)
    : clock_(clock),
      per_user_(per_user),
      per_address_(per_address),
      window_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(window).count()) {}

std::int64_t LoginThrottle::wait_ms(std::unordered_map<std::string, Failures>& table, const std::string& key,
                                    std::int64_t limit, std::int64_t now) {
  auto it = table.find(key);
  if (it == table.end()) return 0;
  Failures& failures = it->second;
  while (!failures.empty() && failures.front() <= now - window_ms_) failures.pop_front();
  if (failures.empty()) {
    table.erase(it);  // keeps the tables from growing with one-off keys
    return 0;
  }
  if (static_cast<std::int64_t>(failures.size()) < limit) return 0;
  // The attempt is allowed once enough old failures have left the window.
  std::int64_t unblocking = failures[failures.size() - static_cast<std::size_t>(limit)];
  return unblocking + window_ms_ - now;
}

std::int64_t LoginThrottle::retry_after_s(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  std::int64_t now = clock_.now_ms();
  std::int64_t wait = std::max(wait_ms(by_user_, username, per_user_, now),
                               wait_ms(by_address_, address, per_address_, now));
  return wait <= 0 ? 0 : (wait + 999) / 1000;
}

void LoginThrottle::record_failure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  std::int64_t now = clock_.now_ms();
  by_user_[username].push_back(now);
  by_address_[address].push_back(now);
}

void LoginThrottle::record_success(const std::string& username) {
  std::lock_guard lock(mutex_);
  by_user_.erase(username);
}

}  // namespace unicc::auth
