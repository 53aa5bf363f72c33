#pragma once
// auth::LoginThrottle — counts failed logins per user name and per source address
// in a sliding window; once either reaches its limit, further attempts for that
// key are refused until the oldest failure leaves the window. Thread-safe.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace unicc::auth {

class LoginThrottle {
 public:
  LoginThrottle(const core::Clock& clock, std::int64_t per_user, std::int64_t per_address,
                std::chrono::seconds window);

  // Seconds until an attempt for this user from this address may be made; 0 = now.
  std::int64_t retry_after_s(const std::string& username, const std::string& address);
  void record_failure(const std::string& username, const std::string& address);
  // A successful login clears the user's failures (not the address's).
  void record_success(const std::string& username);

 private:
  using Failures = std::deque<std::int64_t>;  // times in ms, oldest first
  std::int64_t wait_ms(std::unordered_map<std::string, Failures>& table, const std::string& key,
                       std::int64_t limit, std::int64_t now);

  const core::Clock& clock_;
  std::int64_t per_user_;
  std::int64_t per_address_;
  std::int64_t window_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_user_;
  std::unordered_map<std::string, Failures> by_address_;
};

}  // namespace unicc::auth
