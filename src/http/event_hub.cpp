#include "http/event_hub.h"

#include <nlohmann/json.hpp>

namespace unicc::http {

std::uint64_t EventHub::subscribe(const auth::Principal& who, Sink sink) {
  std::lock_guard lock(mutex_);
  std::uint64_t id = next_id_++;
  subscribers_.emplace(id, Subscriber{who, std::move(sink)});
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

}  // namespace unicc::http
