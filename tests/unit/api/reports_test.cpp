// GET /api/v1/reports/... through the router: roles, parameters, JSON, CSV (parsed)
// and XLSX (unzipped: the sheet's XML holds the numbers).
#include "api/reports.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>

#include "report/rollups.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 1'794'931'200'000;  // 2026-11-18 00:00 in Shanghai
constexpr std::int64_t kHour = 3'600'000;

report::Visit visit(std::uint64_t call, const std::string& queue, const std::string& outcome, std::int64_t entered,
                    std::int64_t waited) {
  report::Visit v;
  v.call = call;
  v.queue = queue;
  v.did = "4001";
  v.entered_at = entered;
  v.outcome = outcome;
  v.waited_ms = waited;
  v.service_level_ms = 20'000;
  if (outcome == "answered") {
    v.agent = "1001";
    v.answered_at = entered + waited;
    v.talk_ms = 90'000;
    v.acw_ms = 10'000;
  }
  return v;
}

// The file named `name` of a zip archive, inflated ("" when absent).
std::string unzip(const std::string& zip, const std::string& name) {
  std::size_t at = 0;
  while (at + 30 <= zip.size() && std::memcmp(zip.data() + at, "PK\x03\x04", 4) == 0) {
    auto u16 = [&zip](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(zip[i]) |
                                                                    static_cast<unsigned char>(zip[i + 1]) << 8); };
    auto u32 = [&](std::size_t i) { return u16(i) | u16(i + 2) << 16; };
    const std::size_t method = u16(at + 8), packed = u32(at + 18), size = u32(at + 22), name_length = u16(at + 26),
                      extra = u16(at + 28);
    const std::string file = zip.substr(at + 30, name_length);
    const std::size_t data = at + 30 + name_length + extra;
    if (file == name) {
      if (method == 0) return zip.substr(data, size);
      std::string out(size, '\0');
      z_stream stream{};
      inflateInit2(&stream, -MAX_WBITS);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      stream.avail_in = static_cast<uInt>(packed);
      stream.next_out = reinterpret_cast<Bytef*>(out.data());
      stream.avail_out = static_cast<uInt>(size);
      inflate(&stream, Z_FINISH);
      inflateEnd(&stream);
      return out;
    }
    at = data + packed;
  }
  return "";
}

class ReportsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ReportSettings settings{{}, "Asia/Shanghai", [] { return report::SlFormula::answered_late_abandoned; }, &formulas,
                            [] { return std::map<std::string, std::vector<std::string>>{{"1001", {"east"}}}; }};
    ASSERT_TRUE(cctz::load_time_zone("Asia/Shanghai", &settings.zone));
    add_report_routes(api.router, api.context, rollups, settings);
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
    api.test.add_sip_account("1001");
    api.users.create("ann", "Ann", auth::Role::agent, "1001", "ann-password");
    token = api.login("sue", "sue-password");
    rollups.record(visit(1, "sales", "answered", kDay + 9 * kHour, 10'000));
    rollups.record(visit(2, "sales", "answered", kDay + 9 * kHour + 60'000, 30'000));
    rollups.record(visit(3, "sales", "abandoned", kDay + 10 * kHour, 40'000));
    rollups.record(visit(4, "支持", "answered", kDay + 26 * kHour, 5'000));  // the next day
  }

  http::Response get(const std::string& query) { return api.call("GET", "/api/v1/reports/" + query, "", token); }
  std::string range() const {
    return "from=" + std::to_string(kDay) + "&to=" + std::to_string(kDay + 48 * kHour);
  }

  unicc::testing::ApiHarness api;
  report::Rollups rollups{api.writer, api.test.db()};
  report::QueueFormulas formulas;
  std::string token;
};

TEST_F(ReportsApi, QueuesAsJson) {
  auto response = get("queues?" + range());
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json::parse(response.body);
  EXPECT_EQ(body["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(body["sl_formula"], "answered_late_abandoned");
  ASSERT_EQ(body["rows"].size(), 2u);
  const json& sales = body["rows"][0];
  EXPECT_EQ(sales["queue"], "sales");
  EXPECT_EQ(sales["offered"], 3);
  EXPECT_EQ(sales["answered"], 2);
  EXPECT_EQ(sales["abandoned"], 1);
  EXPECT_EQ(sales["answered_in_sl"], 1);
  EXPECT_DOUBLE_EQ(sales["service_level"].get<double>(), 0.3333);  // 1 / (2 + 1 late)
  EXPECT_DOUBLE_EQ(sales["asa_s"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(sales["aht_s"].get<double>(), 100.0);
  EXPECT_EQ(body["rows"][1]["queue"], "支持");
  // Another formula for this request.
  auto offered = json::parse(get("queues?" + range() + "&sl_formula=answered").body);
  EXPECT_DOUBLE_EQ(offered["rows"][0]["service_level"].get<double>(), 0.5);
}

TEST_F(ReportsApi, IntervalsByShanghaiDay) {
  const json body = json::parse(get("intervals?" + range() + "&interval=day").body);
  ASSERT_EQ(body["rows"].size(), 2u);
  EXPECT_EQ(body["rows"][0]["start"], kDay);
  EXPECT_EQ(body["rows"][0]["period"], "2026-11-18");
  EXPECT_EQ(body["rows"][0]["offered"], 3);
  EXPECT_EQ(body["rows"][1]["period"], "2026-11-19");
  EXPECT_FALSE(body["rows"][0].contains("queue"));
  const json sales = json::parse(get("intervals?" + range() + "&interval=60m&queue=sales").body);
  ASSERT_EQ(sales["rows"].size(), 2u);
  EXPECT_EQ(sales["rows"][0]["period"], "2026-11-18 09:00");
  EXPECT_EQ(sales["rows"][0]["answered"], 2);
  const json agents = json::parse(get("agents?" + range()).body);
  ASSERT_EQ(agents["rows"].size(), 1u);
  EXPECT_EQ(agents["rows"][0]["agent"], "1001");
  EXPECT_EQ(agents["rows"][0]["contacts"], 3);
  EXPECT_DOUBLE_EQ(agents["rows"][0]["handle_s"].get<double>(), 300.0);
  const json dids = json::parse(get("dids?" + range()).body);
  EXPECT_EQ(dids["rows"][0]["did"], "4001");
  EXPECT_EQ(dids["rows"][0]["offered"], 4);
}

TEST_F(ReportsApi, CsvWithByteOrderMark) {
  auto response = get("queues?" + range() + "&format=csv");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/csv; charset=utf-8");
  ASSERT_EQ(response.body.substr(0, 3), "\xEF\xBB\xBF");
  std::vector<std::vector<std::string>> lines;
  std::size_t at = 3;
  while (at < response.body.size()) {
    const std::size_t end = response.body.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    std::vector<std::string> fields;
    std::string line = response.body.substr(at, end - at), field;
    for (char c : line + ",") {
      if (c == ',') {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    lines.push_back(fields);
    at = end + 2;
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0][0], "queue");
  EXPECT_EQ(lines[0][1], "offered");
  EXPECT_EQ(lines[1][0], "sales");
  EXPECT_EQ(lines[1][1], "3");
  EXPECT_EQ(lines[2][0], "支持");
  const auto sl = std::find(lines[0].begin(), lines[0].end(), "service_level") - lines[0].begin();
  EXPECT_EQ(lines[1][static_cast<std::size_t>(sl)], "0.3333");
}

TEST_F(ReportsApi, XlsxHoldsTheNumbersAsNumbers) {
  auto response = get("queues?" + range() + "&format=xlsx");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.substr(0, 2), "PK");
  const std::string sheet = unzip(response.body, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  // offered of sales (B2) is the number 3; service level (J2) 0.3333.
  EXPECT_NE(sheet.find("<c r=\"B2\"><v>3</v></c>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>0.3333</v>"), std::string::npos) << sheet;
  const std::string strings = unzip(response.body, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("支持"), std::string::npos);
}

TEST_F(ReportsApi, RefusesBadParametersAndOtherRoles) {
  auto refusal = [this](const std::string& query, const std::string& name) {
    auto response = get(query);
    EXPECT_EQ(response.status, 400) << query;
    const json error = json::parse(response.body)["error"];
    EXPECT_EQ(error["code"], "invalid_parameter");
    EXPECT_NE(error["message"].get<std::string>().find("'" + name + "'"), std::string::npos) << response.body;
  };
  refusal("queues?to=5", "from");
  refusal("queues?from=5", "to");
  refusal("queues?from=10&to=5", "to");
  refusal("queues?from=x&to=5", "from");
  refusal("queues?" + range() + "&interval=20m", "interval");
  refusal("queues?" + range() + "&format=pdf", "format");
  refusal("queues?" + range() + "&sl_formula=best", "sl_formula");
  EXPECT_EQ(get("calls?" + range()).status, 404);
  EXPECT_EQ(api.call("GET", "/api/v1/reports/queues?" + range(), "", api.login("ann", "ann-password")).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/reports/queues?" + range()).status, 401);
  EXPECT_EQ(api.call("GET", "/api/v1/reports/queues?" + range(), "", api.admin_token()).status, 200);
}

// Time per state and reason, and the agents report's occupancy and utilisation.
TEST_F(ReportsApi, AgentStatesAndOccupancy) {
  const std::int64_t t = kDay + 9 * kHour;
  rollups.record_state({"1001", "ready", "", t, t + 300'000});
  rollups.record_state({"1001", "on_call", "", t + 300'000, t + 600'000});
  rollups.record_state({"1001", "not_ready", "lunch", t + 600'000, t + 1'200'000});
  rollups.record_state({"1002", "ready", "", t, t + 600'000});
  const json all = json::parse(get("agent-states?" + range()).body);
  EXPECT_EQ(all["report"], "agent-states");
  EXPECT_EQ(all["columns"], (json{"state", "reason", "time_s", "share"}));
  ASSERT_EQ(all["rows"].size(), 3u);
  EXPECT_EQ(all["rows"][0], (json{{"state", "not_ready"}, {"reason", "lunch"}, {"time_s", 600.0}, {"share", 0.3333}}));
  EXPECT_EQ(all["rows"][2], (json{{"state", "ready"}, {"reason", ""}, {"time_s", 900.0}, {"share", 0.5}}));
  const json mine = json::parse(get("agent-states?" + range() + "&agent=1001&by=agent&interval=15m").body);
  // Lunch from 09:10 to 09:20 is cut at 09:15.
  ASSERT_EQ(mine["rows"].size(), 4u);
  EXPECT_EQ(mine["rows"][0]["period"], "2026-11-18 09:00");
  EXPECT_EQ(mine["rows"][0]["agent"], "1001");
  EXPECT_EQ(mine["rows"][0]["state"], "not_ready");
  EXPECT_EQ(mine["rows"][0]["time_s"], 300.0);
  EXPECT_EQ(mine["rows"][0]["share"], 0.3333);
  EXPECT_EQ(mine["rows"][2]["state"], "ready");
  EXPECT_EQ(mine["rows"][3]["period"], "2026-11-18 09:15");
  EXPECT_EQ(mine["rows"][3]["reason"], "lunch");
  EXPECT_EQ(mine["rows"][3]["time_s"], 300.0);
  EXPECT_EQ(mine["rows"][3]["share"], 1.0);
  auto csv = get("agent-states?" + range() + "&format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("not_ready,lunch,600,0.3333\r\n"), std::string::npos) << csv.body;

  const json agents = json::parse(get("agents?" + range()).body);
  ASSERT_EQ(agents["rows"].size(), 2u);
  EXPECT_EQ(agents["rows"][0]["logged_in_s"], 1200.0);
  EXPECT_EQ(agents["rows"][0]["occupancy"], 0.5);      // 300 / (300 + 300)
  EXPECT_EQ(agents["rows"][0]["utilisation"], 0.25);   // 300 / 1200
  EXPECT_EQ(agents["rows"][1]["agent"], "1002");
  EXPECT_EQ(agents["rows"][1]["contacts"], 0);
  EXPECT_EQ(agents["rows"][1]["occupancy"], 0.0);

  auto refused = get("agent-states?" + range() + "&by=queue");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(json::parse(refused.body)["error"]["message"].get<std::string>().find("'by'"), std::string::npos);
}

// The CSV is http/csv.h's: quoted where needed, a formula-like name kept as text.
TEST_F(ReportsApi, CsvQuotesAndDefusesFormulas) {
  rollups.record(visit(9, "=sum(\"a\",b)", "abandoned", kDay + 11 * kHour, 30'000));
  auto response = get("queues?" + range() + "&format=csv&queue=%3Dsum(%22a%22%2Cb)");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(std::find(response.headers.begin(), response.headers.end(),
                      std::pair<std::string, std::string>("Content-Disposition",
                                                          "attachment; filename=\"report-queues.csv\"")),
            response.headers.end());
  EXPECT_NE(response.body.find("\r\n\"'=sum(\"\"a\"\",b)\",1,0,1,"), std::string::npos) << response.body;
}

// Flows and agent groups over REST.
TEST_F(ReportsApi, FlowsAndGroups) {
  const std::string trace = json{{"flow", "main"},
                                 {"started_at", kDay + 9 * kHour},
                                 {"ended_at", kDay + 9 * kHour + 20'000},
                                 {"exit", "hangup_node"}}
                                .dump();
  rollups.record_flow_call(trace, "");
  const json flows = json::parse(get("flows?" + range() + "&interval=day").body);
  EXPECT_EQ(flows["report"], "flows");
  ASSERT_EQ(flows["rows"].size(), 1u);
  EXPECT_EQ(flows["rows"][0]["flow"], "main");
  EXPECT_EQ(flows["rows"][0]["period"], "2026-11-18");
  EXPECT_EQ(flows["rows"][0]["contained"], 1);
  EXPECT_EQ(flows["rows"][0]["self_service_rate"], 1.0);
  EXPECT_EQ(flows["rows"][0]["avg_ivr_s"], 20.0);
  EXPECT_TRUE(json::parse(get("flows?" + range() + "&flow=other").body)["rows"].empty());

  const json groups = json::parse(get("groups?" + range()).body);
  EXPECT_EQ(groups["report"], "groups");
  ASSERT_EQ(groups["rows"].size(), 1u);
  EXPECT_EQ(groups["rows"][0]["group"], "east");
  EXPECT_EQ(groups["rows"][0]["contacts"], 3);
  EXPECT_EQ(json::parse(get("agents?" + range() + "&group=east").body)["rows"].size(), 1u);
  EXPECT_TRUE(json::parse(get("agents?" + range() + "&group=west").body)["rows"].empty());
  EXPECT_TRUE(json::parse(get("groups?" + range() + "&group=west").body)["rows"].empty());
}

// First-contact resolution over REST.
TEST_F(ReportsApi, FirstContactResolution) {
  rollups.record_contact({"n:138", kDay + 9 * kHour, "sales", "1001"}, 24 * kHour);
  rollups.record_contact({"n:138", kDay + 10 * kHour, "sales", "1001"}, 24 * kHour);
  const json all = json::parse(get("fcr?" + range()).body);
  EXPECT_EQ(all["report"], "fcr");
  ASSERT_EQ(all["rows"].size(), 1u);
  EXPECT_EQ(all["rows"][0], (json{{"handled", 2}, {"repeated", 1}, {"resolved", 1}, {"fcr_rate", 0.5}}));
  const json sales = json::parse(get("fcr?" + range() + "&by=queue&queue=sales").body);
  ASSERT_EQ(sales["rows"].size(), 1u);
  EXPECT_EQ(sales["rows"][0]["queue"], "sales");
  EXPECT_TRUE(json::parse(get("fcr?" + range() + "&by=agent&agent=1002").body)["rows"].empty());
  auto refused = get("fcr?" + range() + "&by=did");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(json::parse(refused.body)["error"]["message"].get<std::string>().find("'by'"), std::string::npos);
}

// A queue's own formula, unless the request names one.
TEST_F(ReportsApi, QueueOwnServiceLevelFormula) {
  formulas.set("sales", report::SlFormula::answered);
  const json own = json::parse(get("queues?" + range()).body);
  EXPECT_EQ(own["rows"][0]["sl_formula"], "answered");
  EXPECT_DOUBLE_EQ(own["rows"][0]["service_level"].get<double>(), 0.5);  // 1 / 2
  EXPECT_EQ(own["rows"][1]["sl_formula"], "answered_late_abandoned");
  const json one = json::parse(get("intervals?" + range() + "&queue=sales").body);
  EXPECT_EQ(one["sl_formula"], "answered");
  EXPECT_DOUBLE_EQ(one["rows"][0]["service_level"].get<double>(), 0.5);
  const json asked = json::parse(get("queues?" + range() + "&sl_formula=answered_late_abandoned").body);
  EXPECT_DOUBLE_EQ(asked["rows"][0]["service_level"].get<double>(), 0.3333);
  formulas.set("sales", std::nullopt);
  EXPECT_EQ(json::parse(get("queues?" + range()).body)["rows"][0]["sl_formula"], "answered_late_abandoned");
}

// The abandon curve over REST: every bucket, per queue with by=queue.
TEST_F(ReportsApi, WaitsByBucket) {
  const json all = json::parse(get("waits?" + range()).body);
  EXPECT_EQ(all["report"], "waits");
  ASSERT_EQ(all["rows"].size(), 10u);
  // 10 s and 30 s answered and 40 s abandoned in sales, 5 s answered in 支持.
  EXPECT_EQ(all["rows"][0], (json{{"bucket", "0-5"}, {"from_s", 0}, {"to_s", 5}, {"answered", 0}, {"abandoned", 0},
                                  {"short_abandoned", 0}, {"answered_cumulative", 0},
                                  {"abandoned_cumulative", 0}}));
  EXPECT_EQ(all["rows"][1]["answered"], 1);  // 5-10
  EXPECT_EQ(all["rows"][2]["answered"], 1);  // 10-20
  EXPECT_EQ(all["rows"][3]["answered"], 0);  // 20-30
  EXPECT_EQ(all["rows"][4]["answered"], 1);  // 30-45
  EXPECT_EQ(all["rows"][4]["abandoned"], 1);
  EXPECT_EQ(all["rows"][4]["answered_cumulative"], 3);
  EXPECT_EQ(all["rows"][9]["bucket"], "180+");
  EXPECT_EQ(all["rows"][9]["to_s"], nullptr);
  const json sales = json::parse(get("waits?" + range() + "&queue=sales&by=queue&interval=day").body);
  ASSERT_EQ(sales["rows"].size(), 10u);
  EXPECT_EQ(sales["rows"][0]["queue"], "sales");
  EXPECT_EQ(sales["rows"][0]["period"], "2026-11-18");
  EXPECT_EQ(sales["rows"][9]["answered_cumulative"], 2);
  EXPECT_EQ(sales["rows"][9]["abandoned_cumulative"], 1);
  EXPECT_EQ(get("waits?" + range() + "&by=agent").status, 400);
}

}  // namespace
}  // namespace unicc::api
