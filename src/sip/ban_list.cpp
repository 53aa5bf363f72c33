#include "sip/ban_list.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace unicc::sip {
namespace {

// Enough for a phone that moves between a few networks; bounds memory per user.
constexpr std::size_t kTrustedAddressesPerUser = 8;
// Both tables are swept this often, so failures that never led to a ban and the
// keys of ended bans do not accumulate.
constexpr std::int64_t kSweepEveryMs = 60'000;
// Names in log lines are the attacker's text: keep them short and printable.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) out += (c >= 0x21 && c <= 0x7e) ? c : '?';
  return out;
}

}  // namespace

BanList::BanList(const core::Clock& clock, BanSettings settings) : clock_(clock), settings_(settings) {}

void BanList::exempt(const std::string& address) {
  std::lock_guard lock(mutex_);
  exempt_.insert(address);
}

void BanList::set_observer(Observer observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

void BanList::restore(const Ban& ban) {
  std::lock_guard lock(mutex_);
  if (ban.until_ms <= clock_.now_ms() || (ban.kind != "address" && ban.kind != "user")) return;
  if (ban.kind == "address" && exempt_.contains(ban.key)) return;
  Entry& entry = (ban.kind == "user" ? by_user_ : by_address_)[ban.key];
  entry.banned_since_ms = ban.since_ms;
  entry.banned_until_ms = ban.until_ms;
  entry.failures_at_ban = ban.failures;
  if (ban.kind == "user") {
    auto& addresses = trusted_[ban.key];
    for (const auto& address : ban.allowed) {
      if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) addresses.push_back(address);
    }
    while (addresses.size() > kTrustedAddressesPerUser) addresses.pop_front();
  }
  update_active();
}

Ban BanList::ban_of(const char* kind, const std::string& key, const Entry& entry) const {
  Ban ban{kind, key, entry.banned_since_ms, entry.banned_until_ms, entry.failures_at_ban, {}};
  if (ban.kind == "user") {
    if (auto trusted = trusted_.find(key); trusted != trusted_.end()) {
      ban.allowed.assign(trusted->second.begin(), trusted->second.end());
    }
  }
  return ban;
}

bool BanList::banned(std::string_view address) {
  if (active_.load(std::memory_order_relaxed) == 0) return false;
  std::lock_guard lock(mutex_);
  return in_force(by_address_, address, clock_.now_ms());
}

bool BanList::user_banned_from(std::string_view user, std::string_view address) {
  if (active_.load(std::memory_order_relaxed) == 0) return false;
  std::lock_guard lock(mutex_);
  if (!in_force(by_user_, user, clock_.now_ms())) return false;
  auto trusted = trusted_.find(user);
  return trusted == trusted_.end() ||
         std::find(trusted->second.begin(), trusted->second.end(), address) == trusted->second.end();
}

void BanList::record_failure(std::string_view address, std::string_view user) {
  std::lock_guard lock(mutex_);
  const std::int64_t now = clock_.now_ms();
  forget_expired(now);
  if (!exempt_.contains(address) && count(by_address_, address, settings_.failures_per_address, now)) {
    spdlog::warn("sip: {} banned for {} s after {} failed authentications", printable(address),
                 settings_.duration.count(), settings_.failures_per_address);
    if (observer_) observer_(ban_of("address", std::string(address), by_address_.find(address)->second), true);
  }
  if (!user.empty() && count(by_user_, user, settings_.failures_per_user, now)) {
    spdlog::warn("sip: user {} banned for {} s after {} failed authentications (except from its known addresses)",
                 printable(user), settings_.duration.count(), settings_.failures_per_user);
    if (observer_) observer_(ban_of("user", std::string(user), by_user_.find(user)->second), true);
  }
  update_active();
}

void BanList::record_success(std::string_view address, std::string_view user) {
  std::lock_guard lock(mutex_);
  auto& addresses = trusted_[std::string(user)];
  if (std::find(addresses.begin(), addresses.end(), address) != addresses.end()) return;
  addresses.emplace_back(address);
  if (addresses.size() > kTrustedAddressesPerUser) addresses.pop_front();
}

bool BanList::count(std::map<std::string, Entry, std::less<>>& table, std::string_view key, std::int64_t limit,
                    std::int64_t now) {
  auto it = table.find(key);
  if (it == table.end()) it = table.emplace(std::string(key), Entry{}).first;
  Entry& entry = it->second;
  if (entry.banned_until_ms > now) return false;
  entry.banned_until_ms = 0;
  const std::int64_t window_start = now - std::chrono::milliseconds(settings_.window).count();
  while (!entry.failures.empty() && entry.failures.front() <= window_start) entry.failures.pop_front();
  entry.failures.push_back(now);
  if (static_cast<std::int64_t>(entry.failures.size()) < limit) return false;
  entry.banned_since_ms = now;
  entry.banned_until_ms = now + std::chrono::milliseconds(settings_.duration).count();
  entry.failures_at_ban = static_cast<std::int64_t>(entry.failures.size());
  entry.failures.clear();
  return true;
}

bool BanList::in_force(std::map<std::string, Entry, std::less<>>& table, std::string_view key, std::int64_t now) {
  auto it = table.find(key);
  return it != table.end() && it->second.banned_until_ms > now;
}

void BanList::forget_expired(std::int64_t now) {
  if (now < next_sweep_ms_) return;
  next_sweep_ms_ = now + kSweepEveryMs;
  const std::int64_t window_start = now - std::chrono::milliseconds(settings_.window).count();
  for (auto* table : {&by_address_, &by_user_}) {
    std::erase_if(*table, [&](const auto& item) {
      const Entry& entry = item.second;
      return entry.banned_until_ms <= now && (entry.failures.empty() || entry.failures.back() <= window_start);
    });
  }
}

void BanList::update_active() {
  const std::int64_t now = clock_.now_ms();
  std::size_t active = 0;
  for (auto* table : {&by_address_, &by_user_}) {
    for (const auto& [key, entry] : *table) active += entry.banned_until_ms > now ? 1 : 0;
  }
  active_.store(active, std::memory_order_relaxed);
}

std::vector<Ban> BanList::list() {
  std::lock_guard lock(mutex_);
  const std::int64_t now = clock_.now_ms();
  std::vector<Ban> out;
  for (auto [kind, table] : {std::pair{"address", &by_address_}, std::pair{"user", &by_user_}}) {
    for (const auto& [key, entry] : *table) {
      if (entry.banned_until_ms > now) {
        out.push_back(ban_of(kind, key, entry));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Ban& a, const Ban& b) { return a.since_ms < b.since_ms; });
  return out;
}

bool BanList::lift(std::string_view kind, std::string_view key) {
  std::lock_guard lock(mutex_);
  auto& table = kind == "user" ? by_user_ : by_address_;
  if (kind != "user" && kind != "address") return false;
  auto it = table.find(key);
  if (it == table.end() || it->second.banned_until_ms <= clock_.now_ms()) return false;
  const Ban ended = ban_of(kind == "user" ? "user" : "address", it->first, it->second);
  table.erase(it);
  update_active();
  if (observer_) observer_(ended, false);
  return true;
}

}  // namespace unicc::sip
