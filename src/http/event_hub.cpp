#include "http/event_hub.h"

#include <nlohmann/json.hpp>

#include <vector>

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
  publish_to(event, [&roles](const auth::Principal& who) { return roles.empty() || roles.count(who.role) > 0; });
}

void EventHub::publish_to(const nlohmann::json& event, const std::function<bool(const auth::Principal& who)>& to) {
  const Text text =
      std::make_shared<const std::string>(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  // Sinks run outside the lock: one may drop the last reference to its connection,
  // whose end unsubscribes.
  std::vector<Sink> sinks;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, subscriber] : subscribers_) {
      if (to(subscriber.who)) sinks.push_back(subscriber.sink);
    }
  }
  for (const Sink& sink : sinks) sink(text);
}

std::size_t EventHub::revoke_if(const std::function<bool(const Subscriber&)>& which) {
  std::vector<Subscriber> revoked;
  {
    std::lock_guard lock(mutex_);
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      if (!which(it->second)) {
        ++it;
        continue;
      }
      // Removed here so not one more event reaches it while it closes.
      revoked.push_back(std::move(it->second));
      it = subscribers_.erase(it);
    }
  }
  for (const Subscriber& subscriber : revoked) {
    if (subscriber.revoke) subscriber.revoke();
  }
  return revoked.size();
}

std::size_t EventHub::revoke_token(const std::string& token) {
  std::string token_hash = core::sha256_hex(token);
  return revoke_if([&](const Subscriber& subscriber) { return subscriber.token_hash == token_hash; });
}

std::size_t EventHub::revoke_user(std::int64_t user_id) {
  return revoke_if([&](const Subscriber& subscriber) { return subscriber.who.user_id == user_id; });
}

}  // namespace unicc::http
