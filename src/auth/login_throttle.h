#pragma once
// auth::LoginThrottle — counts failed logins per (user name, source address) pair
// and per source address in a sliding window; once either reaches its limit,
// further attempts for that key are refused until the oldest failure leaves the
// window. Failures are never counted per user name alone, so nobody can lock a user
// (an admin) out by failing from somewhere else. Addresses in `trusted` are neither
// counted nor throttled. Thread-safe.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/address_list.h"
#include "core/clock.h"

namespace unicc::auth {

class LoginThrottle {
 public:
  LoginThrottle(const core::Clock& clock, std::int64_t per_user_and_address, std::int64_t per_address,
                std::chrono::seconds window, core::AddressList trusted = {});

  // Seconds until an attempt for this user from this address may be made; 0 = now.
  std::int64_t retry_after_s(const std::string& username, const std::string& address);
  void record_failure(const std::string& username, const std::string& address);
  // A successful login clears the failures of the user from that address (not the
  // address's own count, which also holds guesses at other names).
  void record_success(const std::string& username, const std::string& address);

 private:
  using Failures = std::deque<std::int64_t>;  // times in ms, oldest first
  std::int64_t wait_ms(std::unordered_map<std::string, Failures>& table, const std::string& key,
                       std::int64_t limit, std::int64_t now);
  // Keeps tables from filling up with one-off keys: an attacker varying user names
  // or addresses would otherwise grow them until the window passes.
  void prune(std::int64_t now);

  const core::Clock& clock_;
  std::int64_t per_pair_;
  std::int64_t per_address_;
  std::int64_t window_ms_;
  core::AddressList trusted_;
  std::mutex mutex_;
  std::int64_t next_prune_ms_ = 0;
  std::unordered_map<std::string, Failures> by_pair_;  // key: address, '\n', user name
  std::unordered_map<std::string, Failures> by_address_;
};

}  // namespace unicc::auth
