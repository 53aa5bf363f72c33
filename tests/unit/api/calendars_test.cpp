// /api/v1/calendars through the router (ApiHarness) over calendar::CalendarStore, and
// the flows API's use of it: admins write, supervisors read, refusals name the field,
// writes are audited, a calendar a published flow version names cannot be deleted
// (409 in_use), and publishing a flow that names a missing calendar is refused (422
// with the node, field and line). Runs on SQLite and, as _postgres, on PostgreSQL.
#include "api/calendars.h"

#include <gtest/gtest.h>

#include "api/flows.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

json range(const char* from, const char* to) { return {{"from", from}, {"to", to}}; }

json support_calendar() {
  return {{"time_zone", "Asia/Shanghai"},
          {"description", "Support line"},
          {"hours", {{"mon", {range("09:00", "12:00"), range("13:00", "18:00")}}}},
          {"holidays", {{{"date", "2026-10-01"}, {"name", "National Day"}}}}};
}

// Names calendar `calendar` in its schedule node "hours" (on line 3).
std::string flow_text(const std::string& calendar) {
  return "{\"name\": \"main\", \"start\": \"hours\", \"nodes\": {\n"
         "  \"hours\": {\"type\": \"schedule\",\n"
         "    \"calendar\": \"" + calendar + "\",\n"
         "    \"open\": \"bye\", \"closed\": \"bye\"},\n"
         "  \"bye\": {\"type\": \"hangup\"}}}\n";
}

class CalendarsApi : public ::testing::Test {
 protected:
  CalendarsApi() {
    add_calendar_routes(api.router, api.context, calendars, flows, [this](const std::string& name) {
      return name == queue_calendar ? std::vector<std::string>{"queue 'sales'"} : std::vector<std::string>{};
    });
    add_flow_routes(api.router, api.context, flows, registry, nullptr, &calendars);
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
  }

  http::Response put(const std::string& name, const json& body, const std::string& token = "") {
    return api.call("PUT", "/api/v1/calendars/" + name, body.dump(), token.empty() ? admin : token);
  }
  std::string refusal(const json& body) {
    auto response = put("support", body);
    EXPECT_EQ(response.status, 400) << response.body;
    auto error = json::parse(response.body)["error"];
    EXPECT_EQ(error["code"], "invalid_field") << response.body;
    return error["message"];
  }

  unicc::testing::ApiHarness api;
  calendar::CalendarStore calendars{api.test.db(), api.clock};
  ivr::FlowStore flows{api.test.db(), api.clock};
  ivr::FlowRegistry registry{flows};
  std::string admin = api.admin_token();
  std::string queue_calendar;
};

TEST_F(CalendarsApi, AdminsWriteSupervisorsReadWithTheStatusOfTheMoment) {
  api.clock.set_ms(1'796'608'800'000);  // Monday 2026-12-07 10:00 in Shanghai
  admin = api.admin_token();             // signed in at that time
  auto created = put("support", support_calendar());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string sue = api.login("sue", "sue-password");
  EXPECT_EQ(put("support", support_calendar(), sue).status, 403);

  auto listed = api.call("GET", "/api/v1/calendars", "", sue);
  ASSERT_EQ(listed.status, 200);
  auto item = json::parse(listed.body)["items"][0];
  EXPECT_EQ(item["name"], "support");
  EXPECT_EQ(item["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(item["hours"]["mon"][1], range("13:00", "18:00"));
  EXPECT_EQ(item["holidays"][0]["name"], "National Day");
  EXPECT_EQ(item["updated_by"], "root");
  EXPECT_EQ(item["status"], (json{{"state", "open"}, {"holiday", nullptr}, {"next_change", 1'796'616'000'000}}));

  json changed = support_calendar();
  changed["holidays"].push_back({{"date", "2026-12-07"}, {"name", "Staff day"}});
  ASSERT_EQ(put("support", changed).status, 200) << "a replacement";
  auto one = json::parse(api.call("GET", "/api/v1/calendars/support", "", sue).body);
  EXPECT_EQ(one["status"]["state"], "holiday") << "the change applies at once";
  EXPECT_EQ(one["status"]["holiday"], "Staff day");
  EXPECT_EQ(one["used_by"], json::array());
  EXPECT_EQ(calendars.find("support")->holidays.size(), 2u) << "the snapshot calls read";

  calendar::CalendarStore reloaded(api.test.db(), api.clock);
  reloaded.load();
  EXPECT_EQ(calendar::to_json(*reloaded.find("support")), calendar::to_json(*calendars.find("support")))
      << "in the database";
  EXPECT_EQ(api.call("GET", "/api/v1/calendars/none", "", sue).status, 404);
}

TEST_F(CalendarsApi, RefusalsNameTheField) {
  json body = support_calendar();
  body["hours"]["mon"][1]["to"] = "11:00";
  EXPECT_EQ(refusal(body),
            "hours.mon[1].to: must be after from (13:00); a range cannot cross midnight, split it at 24:00");
  body = support_calendar();
  body["time_zone"] = "Nowhere/City";
  EXPECT_EQ(refusal(body), "time_zone: unknown time zone 'Nowhere/City' (use IANA names like Asia/Shanghai)");
  body = support_calendar();
  body["holidays"][0]["date"] = "2026-13-01";
  EXPECT_EQ(refusal(body), "holidays[0].date: '2026-13-01' is not a date YYYY-MM-DD");
  body = support_calendar();
  body["name"] = "other";
  EXPECT_EQ(refusal(body), "name: must match the URL ('support')");
  EXPECT_EQ(api.call("PUT", "/api/v1/calendars/support", "[1]", admin).status, 400);
  EXPECT_EQ(api.call("PUT", "/api/v1/calendars/bad%20name", support_calendar().dump(), admin).status, 400);
  EXPECT_EQ(calendars.snapshot()->size(), 0u) << "nothing refused was kept";
}

TEST_F(CalendarsApi, WritesAreAudited) {
  ASSERT_EQ(put("support", support_calendar()).status, 201);
  json changed = support_calendar();
  changed["time_zone"] = "Europe/London";
  ASSERT_EQ(put("support", changed).status, 200);
  ASSERT_EQ(api.call("DELETE", "/api/v1/calendars/support", "", admin).status, 204);
  api.writer.flush();
  auto audit = [&](const std::string& action) {
    return json::parse(api.call("GET", "/api/v1/audit?action=" + action, "", admin).body)["items"];
  };
  auto created = audit("calendar.created");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0]["target"], "calendar:support");
  EXPECT_EQ(json::parse(created[0]["detail"].get<std::string>())["time_zone"], "Asia/Shanghai");
  auto updated = audit("calendar.updated");
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(json::parse(updated[0]["detail"].get<std::string>()),
            (json{{"changed", {"time_zone"}}, {"time_zone", "Europe/London"}}));
  EXPECT_EQ(audit("calendar.deleted").size(), 1u);
}

TEST_F(CalendarsApi, PublishingNeedsTheCalendarAndACalendarInUseStays) {
  ASSERT_EQ(api.call("POST", "/api/v1/flows", flow_text("support"), admin).status, 201);
  auto refused = api.call("POST", "/api/v1/flows/main/publish", "", admin);
  ASSERT_EQ(refused.status, 422) << refused.body;
  auto problem = json::parse(refused.body)["error"]["details"][0];
  EXPECT_EQ(problem["node"], "hours");
  EXPECT_EQ(problem["field"], "calendar");
  EXPECT_EQ(problem["message"], "no calendar is named 'support'");
  EXPECT_EQ(problem["line"], 3);

  ASSERT_EQ(put("support", support_calendar()).status, 201);
  ASSERT_EQ(api.call("POST", "/api/v1/flows/main/publish", "", admin).status, 200);
  auto in_use = api.call("DELETE", "/api/v1/calendars/support", "", admin);
  ASSERT_EQ(in_use.status, 409);
  auto error = json::parse(in_use.body)["error"];
  EXPECT_EQ(error["code"], "in_use");
  EXPECT_EQ(error["details"], json::array({"flow 'main' v1 (node hours)"}));
  EXPECT_EQ(json::parse(api.call("GET", "/api/v1/calendars/support", "", admin).body)["used_by"], error["details"]);

  ASSERT_EQ(put("closed", support_calendar()).status, 201);
  queue_calendar = "closed";
  auto queue_in_use = api.call("DELETE", "/api/v1/calendars/closed", "", admin);
  EXPECT_EQ(queue_in_use.status, 409);
  EXPECT_EQ(json::parse(queue_in_use.body)["error"]["details"], json::array({"queue 'sales'"}));
  queue_calendar.clear();
  EXPECT_EQ(api.call("DELETE", "/api/v1/calendars/closed", "", admin).status, 204);
  EXPECT_EQ(api.call("DELETE", "/api/v1/calendars/closed", "", admin).status, 404);
}

}  // namespace
}  // namespace unicc::api
