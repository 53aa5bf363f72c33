#pragma once
// sip::BanList — fail2ban for SIP digest authentication.
//
// Failed authentications (wrong password, unknown user, credentials replayed or made
// for another Request-URI) are counted per source address and per user name in a
// sliding window. An address that reaches its limit is banned for `duration`: the
// SIP front drops everything it sends, unanswered, so a cracker learns nothing and
// gets no amplification. A user name that reaches its limit (a distributed attack on
// one account) is banned for `duration` from every address except those it
// authenticated from successfully before, so the real phone keeps working.
// Exempt addresses (trunks) are never banned. Admins list and lift bans over REST.
// Bans outlive a restart: the observer hears each ban begin and end (to store it),
// and restore() puts stored ones back before SIP listens.
//
// Thread-safe: the SIP thread records and checks, the HTTP threads list and lift.
// banned() costs one atomic load while nothing is banned.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace unicc::sip {

struct BanSettings {
  std::int64_t failures_per_address = 20;
  std::int64_t failures_per_user = 50;
  std::chrono::seconds window{600};
  std::chrono::seconds duration{3600};
};

struct Ban {
  std::string kind;  // "address" or "user"
  std::string key;   // the address or the user name
  std::int64_t since_ms = 0;
  std::int64_t until_ms = 0;
  std::int64_t failures = 0;  // in the window when the ban began
  // A user ban: the addresses the user authenticated from before it, still allowed.
  std::vector<std::string> allowed;
};

class BanList {
 public:
  BanList(const core::Clock& clock, BanSettings settings);

  void exempt(const std::string& address);
  // Hears a ban begin (in_force) and an admin lift one (not in_force); bans that run
  // out are not told. Called on the thread that made the change, under the list's
  // lock: it must not call back into the list.
  using Observer = std::function<void(const Ban& ban, bool in_force)>;
  void set_observer(Observer observer);
  // A ban stored before a restart, in force until its until_ms (ignored when past or
  // when its address is exempt).
  void restore(const Ban& ban);

  // Whether everything from `address` is to be dropped.
  bool banned(std::string_view address);
  // Whether `user` may not authenticate from `address`.
  bool user_banned_from(std::string_view user, std::string_view address);

  void record_failure(std::string_view address, std::string_view user);
  void record_success(std::string_view address, std::string_view user);

  // Bans in force, oldest first.
  std::vector<Ban> list();
  // Ends a ban and forgets its failures; false when there was none.
  bool lift(std::string_view kind, std::string_view key);

 private:
  using Failures = std::deque<std::int64_t>;  // times in ms, oldest first
  struct Entry {
    Failures failures;
    std::int64_t banned_since_ms = 0;
    std::int64_t banned_until_ms = 0;  // 0: not banned
    std::int64_t failures_at_ban = 0;
  };
  // Adds a failure; bans the key when it reaches `limit`. Returns true on a new ban.
  bool count(std::map<std::string, Entry, std::less<>>& table, std::string_view key, std::int64_t limit,
             std::int64_t now);
  bool in_force(std::map<std::string, Entry, std::less<>>& table, std::string_view key, std::int64_t now);
  void forget_expired(std::int64_t now);
  void update_active();

  Ban ban_of(const char* kind, const std::string& key, const Entry& entry) const;

  const core::Clock& clock_;
  BanSettings settings_;
  Observer observer_;
  std::mutex mutex_;
  std::set<std::string, std::less<>> exempt_;
  std::map<std::string, Entry, std::less<>> by_address_;
  std::map<std::string, Entry, std::less<>> by_user_;
  // Addresses each user authenticated from (bounded per user).
  std::map<std::string, std::deque<std::string>, std::less<>> trusted_;
  std::atomic<std::size_t> active_{0};
  std::int64_t next_sweep_ms_ = 0;
};

}  // namespace unicc::sip
