#pragma once
// http::EventHub — fans events out to the connected WebSocket clients.
//
// Each connection subscribes with its user's role and a sink that queues text on
// that connection (the sink must not block). publish() picks the subscribers whose
// role is allowed to see the event. CTI, ACD and stats publish here.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "auth/sessions.h"

namespace unicc::http {

class EventHub {
 public:
  using Sink = std::function<void(const std::string& text)>;

  std::uint64_t subscribe(const auth::Principal& who, Sink sink);
  void unsubscribe(std::uint64_t id);
  // Delivers `event` to subscribers whose role is in `roles` (all when empty).
  void publish(const nlohmann::json& event, const std::set<auth::Role>& roles = {});

 private:
  struct Subscriber {
    auth::Principal who;
    Sink sink;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace unicc::http
