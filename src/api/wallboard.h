#pragma once
// /api/v1/wallboard — today's figures per queue and per agent (acd::Wallboard):
//   GET /api/v1/wallboard    {"queues":[...],"agents":[...],"at":ms}
// for supervisors and admins every queue and agent, each agent with the live call
// they are on (with the CRM customer's name, `customer_name(id)`, as the page shows
// it); for an agent the queues they serve and no agents.
// WallboardFeed pushes what changed as {"type":"wallboard"} events, at most one per
// interval however many calls flow: supervisors and admins get the changed queues and
// agents (and the names of those removed); an agent gets the changed queues they
// serve (their desktop's strip). It runs on a thread of its own, so whoever feeds the
// wallboard (the router's thread) only marks what changed; waking every interval
// also pushes the new day after local midnight without waiting for a call.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "acd/wallboard.h"
#include "api/context.h"
#include "contact/contacts.h"

namespace unicc::api {

// {"name","waiting","oldest_since","longest_wait_ms","answered","abandoned",
//  "answered_in_service_level","abandoned_after_service_level","service_level","asa_ms",
//  "service_level_s","alerts":{...},"alerting":[...],"agents":{...}} at `now_ms`.
nlohmann::json wallboard_queue_json(const acd::WallboardQueue& queue, std::int64_t now_ms);

void add_wallboard_routes(http::Router& router, ApiContext& context, acd::Wallboard& wallboard,
                          std::function<std::vector<contact::ContactView>()> live_calls,
                          std::function<std::string(std::int64_t customer_id)> customer_name);

class WallboardFeed {
 public:
  WallboardFeed(http::EventHub& hub, acd::Wallboard& wallboard, const core::Clock& clock,
                std::chrono::milliseconds interval);
  ~WallboardFeed();
  WallboardFeed(const WallboardFeed&) = delete;
  WallboardFeed& operator=(const WallboardFeed&) = delete;

  // Pushes what changed now (the thread does this every interval).
  void flush();
  void stop();

 private:
  void run();

  http::EventHub& hub_;
  acd::Wallboard& wallboard_;
  const core::Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::mutex flushing_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace unicc::api
