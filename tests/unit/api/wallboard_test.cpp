// GET /api/v1/wallboard and WallboardFeed's events, over an acd::Wallboard fed by
// hand (ApiHarness: fake clock, a hub with subscribers).
#include "api/wallboard.h"

#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class WallboardApi : public ::testing::Test {
 protected:
  void SetUp() override {
    board.set_queue("sales", acd::QueueAlerts{20, 60, 0, 0});
    board.set_queue("support", acd::QueueAlerts{});
    board.on_agent(acd::AgentView{"1001", "Ann", "on_call", "", api.clock.now_ms() - 5'000, {"sales"}, {}, {}});
    board.on_agent(acd::AgentView{"1002", "Bo", "not_ready", "no-answer", api.clock.now_ms(), {"support"}, {}, {}});
    contact::ContactView call;
    call.session_id = "sip-call-1";
    call.state = "talking";
    call.caller = "13800000000";
    call.caller_name = "Wang Wei";
    call.agent = "1001";
    call.queue = "sales";
    call.customer_id = 7;
    calls.push_back(call);
    add_wallboard_routes(api.router, api.context, board, [this] { return calls; },
                         [](std::int64_t id) { return id == 7 ? std::string("王伟") : std::string(); });
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
  }

  void subscribe(const std::string& username, std::vector<json>& got) {
    auto who = api.sessions.authenticate(api.login(username, username == "ann" ? "ann-password" : "sue-password"));
    ASSERT_TRUE(who);
    api.hub.subscribe(*who, [&got](const http::EventHub::Text& text) { got.push_back(json::parse(*text)); });
  }

  unicc::testing::ApiHarness api;
  acd::Wallboard board{api.clock};
  std::vector<contact::ContactView> calls;
};

TEST_F(WallboardApi, SupervisorsReadTheQueuesAndAgentsWithTheirCalls) {
  board.on_queue_event(acd::QueueCallEvent{"sales", "queued", 7, "", 0, api.clock.now_ms() - 61'000, false});
  auto response = api.call("GET", "/api/v1/wallboard", "", api.login("sue", "sue-password"));
  ASSERT_EQ(response.status, 200) << response.body;
  json body = json::parse(response.body);
  EXPECT_EQ(body["at"], api.clock.now_ms());
  ASSERT_EQ(body["queues"].size(), 2u);
  const json& sales = body["queues"][0];
  EXPECT_EQ(sales["name"], "sales");
  EXPECT_EQ(sales["waiting"], 1);
  EXPECT_EQ(sales["longest_wait_ms"], 61'000);
  EXPECT_EQ(sales["alerting"], json::array({"longest_wait"}));
  EXPECT_EQ(sales["service_level"], nullptr);
  EXPECT_EQ(sales["agents"]["on_call"], 1);
  EXPECT_EQ(body["queues"][1]["agents"]["not_ready_reasons"], json({{"no-answer", 1}}));
  ASSERT_EQ(body["agents"].size(), 2u);
  EXPECT_EQ(body["agents"][0]["call"]["caller_name"], "Wang Wei");
  EXPECT_EQ(body["agents"][0]["call"]["customer_name"], "王伟");  // the CRM's name, as the page shows it
  EXPECT_EQ(body["agents"][0]["handled"], 0);
  EXPECT_EQ(body["agents"][1]["call"], nullptr);
  EXPECT_EQ(body["agents"][1]["reason"], "no-answer");

  response = api.call("GET", "/api/v1/wallboard", "", api.login("ann", "ann-password"));
  ASSERT_EQ(response.status, 200) << response.body;
  body = json::parse(response.body);
  ASSERT_EQ(body["queues"].size(), 1u);  // Ann serves sales only
  EXPECT_EQ(body["queues"][0]["name"], "sales");
  EXPECT_TRUE(body["agents"].empty());
  api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
  EXPECT_EQ(api.call("GET", "/api/v1/wallboard", "", api.login("quinn", "quinn-password")).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/wallboard").status, 401);
}

TEST_F(WallboardApi, TheFeedPushesWhatChangedOncePerFlush) {
  std::vector<json> supervisor, agent;
  subscribe("sue", supervisor);
  subscribe("ann", agent);
  WallboardFeed feed(api.hub, board, api.clock, std::chrono::hours(1));
  feed.flush();  // what was set up
  supervisor.clear();
  agent.clear();

  for (std::uint64_t call = 1; call <= 50; ++call) {
    board.on_queue_event(acd::QueueCallEvent{"sales", "queued", call, "", 0, api.clock.now_ms(), false});
  }
  board.on_queue_event(acd::QueueCallEvent{"support", "queued", 99, "", 0, api.clock.now_ms(), false});
  feed.flush();
  feed.flush();  // nothing new: nothing sent
  ASSERT_EQ(supervisor.size(), 1u);
  EXPECT_EQ(supervisor[0]["type"], "wallboard");
  ASSERT_EQ(supervisor[0]["queues"].size(), 2u);
  EXPECT_EQ(supervisor[0]["queues"][0]["waiting"], 50);
  EXPECT_TRUE(supervisor[0]["agents"].empty());
  // Ann serves sales only.
  ASSERT_EQ(agent.size(), 1u);
  ASSERT_EQ(agent[0]["queues"].size(), 1u);
  EXPECT_EQ(agent[0]["queues"][0]["name"], "sales");
  EXPECT_FALSE(agent[0].contains("agents"));

  board.remove_agent("1002");
  feed.flush();
  ASSERT_EQ(supervisor.size(), 2u);
  EXPECT_EQ(supervisor[1]["removed_agents"], json::array({"1002"}));
  EXPECT_EQ(supervisor[1]["queues"][0]["name"], "support");
  EXPECT_EQ(agent.size(), 1u);  // support is not Ann's
  feed.stop();
}

}  // namespace
}  // namespace unicc::api
