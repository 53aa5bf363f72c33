#pragma once
// http::EventHub — fans events out to the connected WebSocket clients.
//
// Each connection subscribes with its user, the token it signed in with, a sink
// that queues text on that connection and a `revoke` that closes it (neither may
// block). publish() picks the subscribers whose role is allowed to see the event.
// When a token is logged out, or a user is disabled, changes role or password,
// revoke_token()/revoke_user() close the streams that were opened with it at once,
// so a socket never outlives the rights it was opened with. CTI, ACD and stats
// publish here. An event is serialised once and its text shared by every sink it
// goes to (a hundred wallboards hold one buffer, not a hundred copies). Sinks and
// revokes run without the hub's lock held, so they may subscribe or unsubscribe (a
// connection that ends in one does).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "auth/sessions.h"

namespace unicc::http {

class EventHub {
 public:
  using Text = std::shared_ptr<const std::string>;
  using Sink = std::function<void(const Text& text)>;
  using Revoke = std::function<void()>;

  std::uint64_t subscribe(const auth::Principal& who, Sink sink, const std::string& token = "", Revoke revoke = {});
  void unsubscribe(std::uint64_t id);
  // Delivers `event` to subscribers whose role is in `roles` (all when empty).
  void publish(const nlohmann::json& event, const std::set<auth::Role>& roles = {});
  // Delivers `event` to the subscribers `to` picks (e.g. the agent whose call it is).
  void publish_to(const nlohmann::json& event, const std::function<bool(const auth::Principal& who)>& to);
  // Close the streams of one token / of every token of one user; return how many.
  std::size_t revoke_token(const std::string& token);
  std::size_t revoke_user(std::int64_t user_id);

 private:
  struct Subscriber {
    auth::Principal who;
    Sink sink;
    std::string token_hash;  // SHA-256, so the hub holds no usable token
    Revoke revoke;
  };
  std::size_t revoke_if(const std::function<bool(const Subscriber&)>& which);

  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace unicc::http
