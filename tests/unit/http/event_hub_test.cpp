#include "http/event_hub.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace unicc::http {
namespace {

auth::Principal user(std::int64_t id, auth::Role role) {
  auth::Principal who;
  who.user_id = id;
  who.role = role;
  return who;
}

TEST(EventHub, DeliversToTheRolesAllowedAndStopsAfterUnsubscribe) {
  EventHub hub;
  std::vector<std::string> admin_got, agent_got;
  const auto admin =
      hub.subscribe(user(1, auth::Role::admin), [&](const EventHub::Text& text) { admin_got.push_back(*text); });
  hub.subscribe(user(2, auth::Role::agent), [&](const EventHub::Text& text) { agent_got.push_back(*text); });
  hub.publish({{"type", "audit"}}, {auth::Role::admin});
  hub.publish({{"type", "hello"}});
  EXPECT_EQ(admin_got, (std::vector<std::string>{R"({"type":"audit"})", R"({"type":"hello"})"}));
  EXPECT_EQ(agent_got, (std::vector<std::string>{R"({"type":"hello"})"}));
  hub.unsubscribe(admin);
  hub.publish({{"type", "later"}});
  EXPECT_EQ(admin_got.size(), 2u);
}

TEST(EventHub, AnEventsTextIsOneBufferSharedByItsSubscribers) {
  EventHub hub;
  std::vector<EventHub::Text> got;
  for (std::int64_t id = 1; id <= 3; ++id) {
    hub.subscribe(user(id, auth::Role::supervisor), [&](const EventHub::Text& text) { got.push_back(text); });
  }
  hub.publish({{"type", "wallboard"}});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].get(), got[1].get());
  EXPECT_EQ(got[1].get(), got[2].get());
}

// A WebSocket connection whose last reference goes while its sink or revoke runs
// unsubscribes from there; under the hub's lock that was a deadlock (the server hung).
TEST(EventHub, ASinkOrRevokeMayUnsubscribeWhileItRuns) {
  EventHub hub;
  std::uint64_t leaving = 0;
  int delivered = 0;
  leaving = hub.subscribe(user(1, auth::Role::admin), [&](const EventHub::Text&) {
    ++delivered;
    hub.unsubscribe(leaving);
  });
  hub.publish({{"type", "call"}});
  hub.publish({{"type", "call"}});
  EXPECT_EQ(delivered, 1);

  std::uint64_t revoked = 0;
  int closed = 0;
  revoked = hub.subscribe(user(2, auth::Role::supervisor), [](const EventHub::Text&) {}, "token-2", [&] {
    ++closed;
    hub.unsubscribe(revoked);
    hub.subscribe(user(3, auth::Role::agent), [](const EventHub::Text&) {});
  });
  EXPECT_EQ(hub.revoke_token("token-2"), 1u);
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(hub.revoke_user(2), 0u);
}

}  // namespace
}  // namespace unicc::http
