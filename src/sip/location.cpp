#include "sip/location.h"

#include <algorithm>

namespace unicc::sip {

void AccountDirectory::replace(std::vector<SipAccount> accounts) {
  auto next = std::make_shared<std::map<std::string, SipAccount, std::less<>>>();
  for (auto& account : accounts) {
    std::string user = account.user;
    next->emplace(std::move(user), std::move(account));
  }
  std::lock_guard lock(mutex_);
  accounts_ = std::move(next);
}

std::optional<SipAccount> AccountDirectory::find(std::string_view user) const {
  std::shared_ptr<const std::map<std::string, SipAccount, std::less<>>> snapshot;
  {
    std::lock_guard lock(mutex_);
    snapshot = accounts_;
  }
  auto it = snapshot->find(user);
  if (it == snapshot->end()) return std::nullopt;
  return it->second;
}

std::size_t AccountDirectory::size() const {
  std::lock_guard lock(mutex_);
  return accounts_->size();
}

std::vector<Binding> LocationService::lookup(std::string_view user, std::int64_t now_ms) {
  auto it = bindings_.find(user);
  if (it == bindings_.end()) return {};
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const Binding& b) { return b.expires_at <= now_ms; }),
             list.end());
  if (list.empty()) {
    bindings_.erase(it);
    return {};
  }
  return list;
}

void LocationService::update(const std::string& user, Binding binding, std::int64_t now_ms) {
  auto& list = bindings_[user];
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const Binding& b) { return b.contact == binding.contact || b.expires_at <= now_ms; }),
             list.end());
  if (binding.expires_at > now_ms) list.insert(list.begin(), std::move(binding));
  if (list.empty()) bindings_.erase(user);
}

void LocationService::remove_all(std::string_view user) {
  auto it = bindings_.find(user);
  if (it != bindings_.end()) bindings_.erase(it);
}

std::map<std::string, std::vector<Binding>, std::less<>> LocationService::all(std::int64_t now_ms) {
  for (auto it = bindings_.begin(); it != bindings_.end();) {
    std::erase_if(it->second, [now_ms](const Binding& b) { return b.expires_at <= now_ms; });
    it = it->second.empty() ? bindings_.erase(it) : std::next(it);
  }
  return bindings_;
}

}  // namespace unicc::sip
