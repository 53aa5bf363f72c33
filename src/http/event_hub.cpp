#include "http/event_hub.h"

#include <nlohmann/json.hpp>

#include "core/random.h"

namespace unicc::http {

std::uint64_t EventHub::subscribe(const auth::Principal& who, Sink sink, const std::string& token, Revoke revoke) {
  std::string token_hash = token.empty() ? std::string() : core::sha256_hex(token);
  std::lock_guard lock(mutex_);
  std::uint64_t id = next_id_++;
  subscribers_.emplace(id, Subscriber{who, std::move(sink), std::move(token_hash), std::move(revoke)});
  return id;
}

void EventHub::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

void EventHub::publish(const nlohmann::json& event, const std::set<auth::Role>& roles) {
  std::string text = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  for (const auto& [id, subscriber] : subscribers_) {
    if (roles.empty() || roles.count(subscriber.who.role)) subscriber.sink(text);
  }
}

std::size_t EventHub::revoke_if(const std::function<bool(const Subscriber&)>& which) {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (!which(it->second)) {
      ++it;
      continue;
    }
    // Removed here so not one more event reaches it while it closes.
    if (it->second.revoke) it->second.revoke();
    it = subscribers_.erase(it);
    ++count;
  }
  return count;
}

std::size_t EventHub::revoke_token(const std::string& token) {
  std::string token_hash = core::sha256_hex(token);
  return revoke_if([&](const Subscriber& subscriber) { return subscriber.token_hash == token_hash; });
}

std::size_t EventHub::revoke_user(std::int64_t user_id) {
  return revoke_if([&](const Subscriber& subscriber) { return subscriber.who.user_id == user_id; });
}

}  // namespace unicc::http
