// POST /api/v1/staffing/erlang through the router, as `unicc serve` wires it.
#include "api/staffing.h"

#include <gtest/gtest.h>

#include "support/api_harness.h"
#include "wfm/forecast.h"
#include "wfm/staffing.h"

namespace unicc::api {
namespace {

using nlohmann::json;

class StaffingApi : public ::testing::Test {
 protected:
  void SetUp() override {
    add_staffing_routes(api.router, api.context);
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    token = api.login("sue", "sue-password");
  }

  http::Response post(const json& body) { return api.call("POST", "/api/v1/staffing/erlang", body.dump(), token); }

  // The error's code, and that its message names `field`.
  std::string refusal(const json& body, const std::string& field) {
    auto response = post(body);
    EXPECT_EQ(response.status, 400) << body.dump() << " " << response.body;
    const json error = json::parse(response.body)["error"];
    EXPECT_NE(error["message"].get<std::string>().find("'" + field + "'"), std::string::npos) << response.body;
    return error["code"];
  }

  unicc::testing::ApiHarness api;
  std::string token;
};

// The published example of wfm's tests (Call Centre Helper): 14 agents, 20 scheduled.
TEST_F(StaffingApi, AnswersTheAgentsNeededWithTheFiguresAroundThem) {
  auto response = post({{"calls", 100}, {"interval_s", 1800}, {"aht_s", 180}, {"target_sl", 0.8},
                        {"threshold_s", 20}, {"shrinkage", 0.3}});
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json::parse(response.body);
  EXPECT_EQ(body["model"], "erlang_c");
  EXPECT_EQ(body["load_erlangs"], 10.0);
  EXPECT_EQ(body["agents"], 14);
  EXPECT_EQ(body["scheduled_agents"], 20);
  EXPECT_NEAR(body["service_level"].get<double>(), 0.8884, 5e-5);
  EXPECT_NEAR(body["asa_s"].get<double>(), 7.84, 5e-3);
  EXPECT_NEAR(body["occupancy"].get<double>(), 10.0 / 14.0, 1e-9);
  EXPECT_EQ(body["abandonment"], nullptr);
  EXPECT_EQ(body["service_level_basis"], "offered");
  ASSERT_EQ(body["around"].size(), 6u);  // 12..17
  EXPECT_EQ(body["around"][0]["agents"], 12);
  EXPECT_EQ(body["around"][2], json({{"agents", 14}, {"scheduled_agents", 20}, {"stable", true},
                                     {"service_level", body["service_level"]}, {"asa_s", body["asa_s"]},
                                     {"occupancy", body["occupancy"]}, {"abandonment", nullptr}}));
  EXPECT_EQ(body["around"][5]["agents"], 17);
}

TEST_F(StaffingApi, ErlangAAnswersAbandonmentOnTheChosenBasis) {
  json request = {{"calls", 100}, {"aht_s", 180}, {"target_sl", 0.9}, {"patience_s", 60}};
  auto response = post(request);
  ASSERT_EQ(response.status, 200) << response.body;
  const json offered = json::parse(response.body);
  EXPECT_EQ(offered["model"], "erlang_a");
  EXPECT_EQ(offered["service_level_basis"], "offered");
  EXPECT_GT(offered["abandonment"].get<double>(), 0.0);
  EXPECT_GE(offered["service_level"].get<double>(), 0.9);
  request["service_level_basis"] = "answered";
  response = post(request);
  ASSERT_EQ(response.status, 200) << response.body;
  const json answered = json::parse(response.body);
  EXPECT_EQ(answered["service_level_basis"], "answered");
  EXPECT_LT(answered["agents"].get<int>(), offered["agents"].get<int>());
  request["service_level_basis"] = "not_abandoned_early";
  EXPECT_EQ(post(request).status, 200);
}

TEST_F(StaffingApi, NoCallsNeedNoAgents) {
  auto response = post({{"calls", 0}, {"aht_s", 180}, {"target_sl", 0.8}});
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json::parse(response.body);
  EXPECT_EQ(body["agents"], 0);
  EXPECT_EQ(body["service_level"], nullptr);
  EXPECT_TRUE(body["around"].empty());
}

TEST_F(StaffingApi, BadInputIsRefusedNamingTheField) {
  const json good = {{"calls", 100}, {"aht_s", 180}, {"target_sl", 0.8}};
  auto with = [&good](const std::string& field, const json& value) {
    json body = good;
    body[field] = value;
    return body;
  };
  auto without = [&good](const std::string& field) {
    json body = good;
    body.erase(field);
    return body;
  };
  EXPECT_EQ(refusal(without("calls"), "calls"), "missing_field");
  EXPECT_EQ(refusal(without("aht_s"), "aht_s"), "missing_field");
  EXPECT_EQ(refusal(without("target_sl"), "target_sl"), "missing_field");
  EXPECT_EQ(refusal(with("calls", -1), "calls"), "invalid_field");
  EXPECT_EQ(refusal(with("calls", "100"), "calls"), "invalid_field");
  EXPECT_EQ(refusal(with("interval_s", 0), "interval_s"), "invalid_field");
  EXPECT_EQ(refusal(with("interval_s", 1800.5), "interval_s"), "invalid_field");
  EXPECT_EQ(refusal(with("aht_s", 0), "aht_s"), "invalid_field");
  EXPECT_EQ(refusal(with("target_sl", 1), "target_sl"), "invalid_field");
  EXPECT_EQ(refusal(with("target_sl", 80), "target_sl"), "invalid_field");
  EXPECT_EQ(refusal(with("threshold_s", -5), "threshold_s"), "invalid_field");
  EXPECT_EQ(refusal(with("shrinkage", 1), "shrinkage"), "invalid_field");
  EXPECT_EQ(refusal(with("patience_s", 0), "patience_s"), "invalid_field");
  EXPECT_EQ(refusal(with("target_asa_s", -1), "target_asa_s"), "invalid_field");
  EXPECT_EQ(refusal(with("service_level_basis", "all"), "service_level_basis"), "invalid_field");
  EXPECT_EQ(refusal(with("agents", 3), "agents"), "unknown_field");
  // Sizes that would keep the search running: a load beyond any staff, and a queue
  // of patient callers too long to walk.
  EXPECT_EQ(refusal(with("calls", 1e6), "calls"), "invalid_field");
  json patient = with("calls", 50000);
  patient["aht_s"] = 1;
  patient["patience_s"] = 86400;
  EXPECT_EQ(refusal(patient, "patience_s"), "invalid_field");
  // A target no staff reaches names the target.
  json occupied = good;
  occupied["max_occupancy"] = 0.1;
  occupied["calls"] = 300000;
  occupied["aht_s"] = 30;  // 5000 Erlangs: 10% occupancy needs 50,000 agents
  EXPECT_EQ(refusal(occupied, "max_occupancy"), "invalid_field");
}

TEST_F(StaffingApi, OnlySupervisorsAndAdminsPlan) {
  const std::string body = R"({"calls":100,"aht_s":180,"target_sl":0.8})";
  EXPECT_EQ(api.call("POST", "/api/v1/staffing/erlang", body, api.login("ann", "ann-password")).status, 403);
  EXPECT_EQ(api.call("POST", "/api/v1/staffing/erlang", body).status, 401);
  EXPECT_EQ(api.call("POST", "/api/v1/staffing/erlang", body, api.admin_token()).status, 200);
}

// The forecast over queue calls written as AgentLog writes them, in the server's
// local calendar (wfm::local_midnight), at the harness's fake now.
class StaffingForecastApi : public StaffingApi {
 protected:
  void add_calls(const std::string& queue, int week, int day, int minute, int calls) {
    const std::int64_t today = wfm::local_midnight(api.clock.now_ms(), 0);
    soci::session sql(api.test.db().pool());
    for (int i = 0; i < calls; ++i) {
      const long long at = wfm::local_midnight(today, -7 * week + day) + minute * 60'000LL + i * 1000 + 15'000;
      sql << "INSERT INTO queue_calls (queue, event, call_id, agent, waited_ms, at)"
             " VALUES (:q, 'answered', :c, '1001', 15000, :a)",
          soci::use(queue), soci::use(static_cast<long long>(i)), soci::use(at);
    }
  }
  json get(const std::string& query, int status = 200) {
    auto response = api.call("GET", "/api/v1/staffing/forecast" + query, "", token);
    EXPECT_EQ(response.status, status) << query << " " << response.body;
    return json::parse(response.body);
  }
};

TEST_F(StaffingForecastApi, WithoutHistoryItSaysSoRatherThanGuess) {
  const json body = get("?queue=support");
  EXPECT_EQ(body["weeks_used"], 0);
  EXPECT_EQ(body["note"], "not enough history: no full week of calls on record");
  EXPECT_TRUE(body["intervals"].empty());
  EXPECT_EQ(body["accuracy"]["mape"], nullptr);
  EXPECT_NE(body["accuracy"]["note"].get<std::string>().find("not enough history"), std::string::npos);
  EXPECT_EQ(body["plan"], nullptr);
}

TEST_F(StaffingForecastApi, ForecastsTheWeekAndPlansEachInterval) {
  // Three weeks alike in support: 100 calls from 09:00 every day (the 09:00 interval);
  // sales is another queue. The first week on record is week 3.
  for (int week = 1; week <= 3; ++week) {
    for (int day = 0; day < 7; ++day) {
      add_calls("support", week, day, 9 * 60, 100);
      add_calls("sales", week, day, 9 * 60, 7);
    }
  }
  add_calls("support", 4, 2, 9 * 60, 1);  // the first day on record: incomplete, not a week
  const json body = get("?queue=support&interval=1800&weeks=4&aht_s=180&target_sl=0.8&threshold_s=20&shrinkage=0.3");
  EXPECT_EQ(body["weeks_used"], 3);
  EXPECT_EQ(body["note"], nullptr);
  EXPECT_EQ(body["trend"], 1.0);
  ASSERT_EQ(body["intervals"].size(), 7u * 48u);
  const std::int64_t tomorrow = wfm::local_midnight(api.clock.now_ms(), 1);
  EXPECT_EQ(body["from"], tomorrow);
  const json& nine = body["intervals"][18];
  EXPECT_EQ(nine["start"], tomorrow + 9 * 3'600'000);
  EXPECT_EQ(nine["calls"], 100.0);
  // 100 calls in 30 min at 180 s: the published example, 14 agents and 20 scheduled.
  EXPECT_EQ(nine["agents"], 14);
  EXPECT_EQ(nine["scheduled_agents"], 20);
  EXPECT_EQ(body["intervals"][17]["calls"], 0.0);
  EXPECT_EQ(body["intervals"][17]["agents"], 0);
  EXPECT_EQ(body["plan"]["model"], "erlang_c");
  // The held-back week (week 1) from weeks 2 and 3: exact on its 7 busy intervals.
  EXPECT_EQ(body["accuracy"]["weeks_used"], 2);
  EXPECT_EQ(body["accuracy"]["mape"], 0.0);
  EXPECT_EQ(body["accuracy"]["intervals"], 7);
  EXPECT_EQ(body["accuracy"]["note"], nullptr);
  // Every queue together.
  EXPECT_EQ(get("?interval=3600&weeks=2")["intervals"][9]["calls"], 107.0);
}

TEST_F(StaffingForecastApi, BadParametersAreNamed) {
  auto refused = [this](const std::string& query, const std::string& name) {
    const json body = get(query, 400);
    EXPECT_EQ(body["error"]["code"], "invalid_parameter") << query;
    EXPECT_NE(body["error"]["message"].get<std::string>().find("'" + name + "'"), std::string::npos) << body;
  };
  refused("?interval=1000", "interval");
  refused("?interval=0", "interval");
  refused("?weeks=0", "weeks");
  refused("?weeks=13", "weeks");
  refused("?aht_s=-1&target_sl=0.8", "aht_s");
  refused("?aht_s=180", "target_sl");
  refused("?aht_s=180&target_sl=0.8&shrinkage=1", "shrinkage");
  refused("?aht_s=180&target_sl=0.8&service_level_basis=all", "service_level_basis");
  EXPECT_EQ(api.call("GET", "/api/v1/staffing/forecast", "", api.login("ann", "ann-password")).status, 403);
}

}  // namespace
}  // namespace unicc::api
