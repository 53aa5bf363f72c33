#include "ivr/check.h"

#include <algorithm>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace unicc::ivr {
namespace {

using nlohmann::json;

// The problem about `node` and `field`; fails the test when there is none.
Problem find(const FlowCheck& check, const std::string& node, const std::string& field) {
  for (const auto& problem : check.problems) {
    if (problem.node == node && problem.field == field) return problem;
  }
  std::string all;
  for (const auto& problem : check.problems) all += problem.node + "/" + problem.field + ": " + problem.message + "\n";
  ADD_FAILURE() << "no problem for node '" << node << "' field '" << field << "'; problems:\n" << all;
  return {};
}

// A minimal valid document, to which tests add nodes.
json base() {
  return {{"name", "test"},
          {"start", "hello"},
          {"nodes", {{"hello", {{"type", "play"}, {"prompt", {{"text", "Hello"}}}, {"next", "bye"}}},
                     {"bye", {{"type", "hangup"}}}}}};
}

TEST(CheckFlow, AcceptsEveryNodeType) {
  json doc = {
      {"name", "all-types"},
      {"description", "every node type once"},
      {"dids", {"4000"}},
      {"start", "hours"},
      {"time_zone", "Asia/Shanghai"},
      {"variables", {{"lang", "zh"}}},
      {"nodes",
       {{"hours",
         {{"type", "schedule"},
          {"time_zone", "Asia/Shanghai"},
          {"hours", {{"mon", {"09:00-12:00", "13:00-18:00"}}, {"sat", {"10:00-14:00"}}}},
          {"holidays", {"2025-10-01"}},
          {"open", "welcome"},
          {"closed", "mailbox"}}},
        {"welcome", {{"type", "play"}, {"prompt", {{{"file", "welcome.wav"}}, {{"text", "Welcome"}, {"language", "en"}}}},
                     {"barge_in", true}, {"next", "main"}}},
        {"main",
         {{"type", "menu"},
          {"prompt", {{"text", "Press 1 or 2"}}},
          {"invalid_prompt", {{"text", "Sorry"}}},
          {"options", {{"1", "account"}, {"2", "vip-check"}, {"0", "operator"}}},
          {"on_failure", "bye"}}},
        {"account",
         {{"type", "collect"},
          {"prompt", {{"text", "Your account number, then hash"}}},
          {"variable", "account"},
          {"min_digits", 4},
          {"max_digits", 8},
          {"pattern", "ZXXX."},
          {"next", "lookup"},
          {"on_failure", "bye"}}},
        {"lookup",
         {{"type", "http"},
          {"method", "POST"},
          {"url", "http://127.0.0.1:9/balance?n=${account}"},
          {"body", {{"caller", "${caller}"}}},
          {"assign", {{"balance", "/balance"}}},
          {"next", "say"},
          {"on_error", "bye"}}},
        {"say", {{"type", "play"}, {"prompt", {{"text", "Balance ${balance}"}}}, {"next", "bye"}}},
        {"vip-check",
         {{"type", "condition"},
          {"rules",
           {{{"subject", "caller"}, {"op", "matches"}, {"value", "138."}, {"next", "vip"}},
            {{"subject", "time"}, {"op", "between"}, {"value", {"22:00", "06:00"}}, {"next", "mailbox"}}}},
          {"else", "support"}}},
        {"vip", {{"type", "set"}, {"variables", {{"tier", "vip"}}}, {"next", "support"}}},
        {"support", {{"type", "queue"}, {"queue", "support"}, {"priority", "${tier_priority}"}, {"skills", {"${lang}"}},
                     {"on_failure", "mailbox"}}},
        {"operator", {{"type", "transfer"}, {"to", "1001"}, {"on_failure", "mailbox"}}},
        {"mailbox", {{"type", "voicemail"}, {"mailbox", "general"}, {"max_seconds", 60}}},
        {"bye", {{"type", "hangup"}}}}}};
  auto check = check_flow_document(doc);
  ASSERT_TRUE(check.ok()) << to_json(check.problems.front()).dump();
  const Flow& flow = *check.flow;
  EXPECT_EQ(flow.name, "all-types");
  EXPECT_EQ(flow.nodes.size(), 12u);
  EXPECT_EQ(flow.dids, std::vector<std::string>{"4000"});
  const auto& menu = std::get<MenuNode>(flow.node("main").body);
  EXPECT_EQ(menu.options.at('2'), "vip-check");
  EXPECT_EQ(menu.timeout_ms, 5000);
  EXPECT_EQ(menu.retries, 2);
  const auto& play = std::get<PlayNode>(flow.node("welcome").body);
  ASSERT_EQ(play.prompt.size(), 2u);
  EXPECT_EQ(play.prompt[0].file, "welcome.wav");
  EXPECT_EQ(play.prompt[1].language, "en");
  const auto& schedule = std::get<ScheduleNode>(flow.node("hours").body);
  ASSERT_EQ(schedule.own.hours[0].size(), 2u);
  EXPECT_EQ(schedule.own.hours[0][1].from, 13 * 60);
  EXPECT_TRUE(schedule.own.hours[6].empty());
}

TEST(CheckFlow, ProblemsFromTextCarryNodeFieldAndLine) {
  std::string text =
      "{\n"                                                                  // 1
      "  \"name\": \"lines\",\n"                                             // 2
      "  \"start\": \"menu\",\n"                                             // 3
      "  \"nodes\": {\n"                                                     // 4
      "    \"menu\": {\n"                                                    // 5
      "      \"type\": \"menu\",\n"                                          // 6
      "      \"prompt\": {\"text\": \"Press 1\"},\n"                         // 7
      "      \"options\": {\n"                                               // 8
      "        \"1\": \"sales\",\n"                                          // 9
      "        \"2\": \"nowhere\"\n"                                         // 10
      "      },\n"                                                           // 11
      "      \"timeout_ms\": \"soon\",\n"                                    // 12
      "      \"on_failure\": \"bye\"\n"                                      // 13
      "    },\n"                                                             // 14
      "    \"sales\": {\"type\": \"dance\"},\n"                              // 15
      "    \"bye\": {\"type\": \"play\", \"next\": \"end\"},\n"              // 16
      "    \"end\": {\"type\": \"hangup\"},\n"                               // 17
      "    \"orphan\": {\"type\": \"hangup\"}\n"                             // 18
      "  }\n"                                                                // 19
      "}\n";
  auto check = check_flow(text);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(find(check, "menu", "options.2").line, 10);
  EXPECT_EQ(find(check, "menu", "options.2").message, "no node 'nowhere'");
  EXPECT_EQ(find(check, "menu", "timeout_ms").line, 12);
  EXPECT_EQ(find(check, "menu", "timeout_ms").message, "expected an integer, got string");
  EXPECT_EQ(find(check, "sales", "type").line, 15);
  EXPECT_NE(find(check, "sales", "type").message.find("unknown node type 'dance'"), std::string::npos);
  EXPECT_EQ(find(check, "bye", "prompt").line, 16);
  EXPECT_EQ(find(check, "bye", "prompt").message, "missing prompt");
  EXPECT_EQ(find(check, "orphan", "").line, 18);
  EXPECT_EQ(find(check, "orphan", "").message, "unreachable from the start node 'menu'");
  EXPECT_EQ(check.problems.size(), 5u);
  for (std::size_t i = 1; i < check.problems.size(); ++i) {
    EXPECT_LE(check.problems[i - 1].line, check.problems[i].line) << "problems come in line order";
  }
}

TEST(CheckFlow, ALoopThatNeverWaitsForInputIsRejected) {
  json doc = base();
  doc["start"] = "a";
  doc["nodes"]["a"] = {{"type", "set"}, {"variables", {{"x", "1"}}}, {"next", "b"}};
  doc["nodes"]["b"] = {{"type", "play"}, {"prompt", {{"text", "again"}}}, {"next", "a"}};
  doc["nodes"].erase("hello");
  doc["nodes"]["c"] = {{"type", "condition"},
                       {"rules", {{{"subject", "x"}, {"op", "equals"}, {"value", "1"}, {"next", "a"}}}},
                       {"else", "bye"}};
  doc["nodes"]["a"]["next"] = "c";
  doc["nodes"]["c"]["rules"][0]["next"] = "b";
  auto check = check_flow_document(doc);
  ASSERT_FALSE(check.ok());
  auto problem = find(check, "a", "next");
  EXPECT_EQ(problem.message, "loop that never waits for caller input (a, b, c)");
  EXPECT_EQ(problem.pointer, "/nodes/a/next");
}

TEST(CheckFlow, ALoopThroughAMenuIsFine) {
  json doc = base();
  doc["start"] = "menu";
  doc["nodes"]["menu"] = {{"type", "menu"},
                          {"prompt", {{"text", "1 to hear it again"}}},
                          {"options", {{"1", "hello"}, {"9", "bye"}}},
                          {"on_failure", "bye"}};
  doc["nodes"]["hello"]["next"] = "menu";
  auto check = check_flow_document(doc);
  EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems[0].message);
}

TEST(CheckFlow, DocumentLevelProblems) {
  auto check = check_flow_document(json{{"name", "bad name!"}, {"start", "nope"}, {"nodes", {{"x", {{"type", "hangup"}}}}},
                                        {"colour", "blue"}, {"time_zone", "Mars/Olympus"}});
  EXPECT_EQ(find(check, "", "name").message, "use 1-64 letters, digits, '_' or '-'");
  EXPECT_EQ(find(check, "", "start").message, "no node 'nope'");
  EXPECT_EQ(find(check, "", "colour").message, "unknown field");
  EXPECT_NE(find(check, "", "time_zone").message.find("unknown time zone"), std::string::npos);
  EXPECT_FALSE(check_flow_document(json::array()).ok());
  auto scalar = check_flow("\n5");
  ASSERT_EQ(scalar.problems.size(), 1u);
  EXPECT_EQ(scalar.problems[0].message, "a flow document is a JSON object");
  EXPECT_EQ(scalar.problems[0].line, 2);
  EXPECT_EQ(find(check_flow_document(json{{"name", "x"}, {"start", "a"}}), "", "nodes").message, "missing");
}

TEST(CheckFlow, FieldValuesAreChecked) {
  json doc = base();
  doc["nodes"]["hello"]["barge_in"] = "yes";
  doc["nodes"]["hello"]["prompt"] = {{"text", "Hi"}, {"file", "hi.wav"}};
  doc["nodes"]["hello"]["next"] = "hours";
  doc["nodes"]["hours"] = {{"type", "schedule"},      {"time_zone", "../../etc/passwd"},
                           {"hours", {{"mon", {"18:00-09:00"}}, {"funday", {"09:00-10:00"}}}},
                           {"holidays", {"2025-02-30"}}, {"open", "get"},
                           {"closed", "bye"}};
  doc["nodes"]["get"] = {{"type", "collect"},       {"prompt", {{"text", "digits"}}}, {"variable", "time"},
                         {"min_digits", 5},         {"max_digits", 3},                {"terminator", "x"},
                         {"pattern", "1(2)"},       {"next", "ask"},                 {"on_failure", "bye"}};
  doc["nodes"]["ask"] = {{"type", "http"}, {"url", "ftp://x"}, {"method", "GET"}, {"body", {{"a", "b"}}},
                         {"assign", {{"v", "balance"}}}, {"next", "route"}, {"on_error", "bye"}};
  doc["nodes"]["route"] = {{"type", "condition"},
                           {"rules", {{{"subject", "time"}, {"op", "equals"}, {"value", "9"}, {"next", "bye"}},
                                      {{"subject", "n"}, {"op", "less_than"}, {"value", "3"}, {"next", "bye"}},
                                      {{"subject", "n"}, {"op", "bigger"}, {"next", "bye"}}}},
                           {"else", "line"}};
  doc["nodes"]["line"] = {{"type", "queue"}, {"queue", "support"}, {"skills", {"mandarin:11", "${lang}", "first.aid:3"}}};
  auto check = check_flow_document(doc);
  EXPECT_EQ(find(check, "line", "skills").message, "'mandarin:11' is not a skill: name or name:level (level 1-10)");
  EXPECT_EQ(std::count_if(check.problems.begin(), check.problems.end(),
                          [](const auto& problem) { return problem.node == "line"; }),
            1);
  EXPECT_EQ(find(check, "hello", "barge_in").message, "expected true or false, got string");
  EXPECT_EQ(find(check, "hello", "prompt").message, "needs exactly one of 'file' and 'text'");
  EXPECT_NE(find(check, "hours", "time_zone").message.find("unknown time zone"), std::string::npos);
  EXPECT_NE(find(check, "hours", "hours.mon").message.find("start before the end"), std::string::npos);
  EXPECT_NE(find(check, "hours", "hours.funday").message.find("days are"), std::string::npos);
  EXPECT_NE(find(check, "hours", "holidays").message.find("2025-02-30"), std::string::npos);
  EXPECT_NE(find(check, "get", "variable").message.find("reserved"), std::string::npos);
  EXPECT_EQ(find(check, "get", "max_digits").message, "is less than min_digits");
  EXPECT_NE(find(check, "get", "terminator").message.find("must be"), std::string::npos);
  EXPECT_NE(find(check, "get", "pattern").message.find("unexpected '('"), std::string::npos);
  EXPECT_EQ(find(check, "ask", "url").message, "must start with http:// or https://");
  EXPECT_EQ(find(check, "ask", "body").message, "only a POST has a body");
  EXPECT_NE(find(check, "ask", "assign.v").message.find("not a JSON pointer"), std::string::npos);
  EXPECT_EQ(find(check, "route", "rules[0].op").message, "time takes 'between'");
  EXPECT_EQ(find(check, "route", "rules[1].value").message, "expected a number, got string");
  EXPECT_EQ(find(check, "route", "rules[2].op").message, "unknown op 'bigger'");
  EXPECT_EQ(find(check, "route", "rules[1].value").pointer, "/nodes/route/rules/1/value");
}

TEST(CheckFlow, AScheduleNamesACalendarOrHasItsOwnHoursNotBoth) {
  json doc = base();
  doc["nodes"]["hello"]["next"] = "hours";
  doc["nodes"]["hours"] = {{"type", "schedule"}, {"calendar", "support"}, {"open", "bye"}, {"closed", "bye"}};
  auto good = check_flow_document(doc);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(std::get<ScheduleNode>(good.flow->node("hours").body).calendar, "support");

  doc["nodes"]["hours"]["calendar"] = "no such/calendar";
  doc["nodes"]["hours"]["time_zone"] = "Asia/Shanghai";
  auto bad = check_flow_document(doc);
  EXPECT_NE(find(bad, "hours", "calendar").message.find("is not a calendar name"), std::string::npos);
  EXPECT_EQ(find(bad, "hours", "time_zone").message, "not with \"calendar\": the calendar has its own");

  doc["nodes"]["hours"].erase("calendar");
  doc["nodes"]["hours"].erase("time_zone");
  EXPECT_NE(find(check_flow_document(doc), "hours", "time_zone").message, "");
}

TEST(CheckFlow, CalendarsThatDoNotExistAreProblemsWithTheirLines) {
  const std::string text =
      "{\"name\": \"cal\", \"start\": \"hours\", \"nodes\": {\n"      // 1
      "  \"hours\": {\"type\": \"schedule\",\n"                             // 2
      "    \"calendar\": \"gone\",\n"                                        // 3
      "    \"open\": \"bye\", \"closed\": \"bye\"},\n"                     // 4
      "  \"bye\": {\"type\": \"hangup\"}}}\n";                              // 5
  auto check = check_flow(text);
  ASSERT_TRUE(check.ok());
  auto problems = check_calendars(*check.flow, text, [](const std::string& name) { return name == "support"; });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].node, "hours");
  EXPECT_EQ(problems[0].field, "calendar");
  EXPECT_EQ(problems[0].message, "no calendar is named 'gone'");
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_TRUE(check_calendars(*check.flow, text, [](const std::string&) { return true; }).empty());
}

TEST(SkillNeed, NameAndOptionalLevel) {
  EXPECT_EQ(parse_skill_need("first.aid:3")->skill, "first.aid");
  EXPECT_EQ(parse_skill_need("first.aid:3")->level, 3);
  EXPECT_EQ(parse_skill_need("mandarin")->level, 1);
  EXPECT_EQ(parse_skill_need("mandarin:10")->level, 10);
  for (const char* bad : {"", ":3", "mandarin:", "mandarin:0", "mandarin:11", "mandarin:3x", "sign language"}) {
    EXPECT_FALSE(parse_skill_need(bad)) << bad;
  }
}

TEST(CheckFlow, MenusNeedPromptsAndSingleKeyOptions) {
  json doc = base();
  doc["nodes"]["hello"]["next"] = "menu";
  doc["nodes"]["menu"] = {{"type", "menu"}, {"options", {{"12", "bye"}, {"3", 4}}}, {"on_failure", "bye"},
                          {"retries", 99}, {"colour", "red"}};
  auto check = check_flow_document(doc);
  EXPECT_EQ(find(check, "menu", "prompt").message, "missing prompt");
  EXPECT_EQ(find(check, "menu", "options.12").message, "options are single keys: 0-9, * or #");
  EXPECT_EQ(find(check, "menu", "options.3").message, "expected a string, got number");
  EXPECT_EQ(find(check, "menu", "retries").message, "must be between 0 and 9");
  EXPECT_EQ(find(check, "menu", "colour").message, "unknown field");
}

TEST(CheckFlow, SyntaxErrorsAndDuplicateNodesHaveLines) {
  auto syntax = check_flow("{\n  \"name\": \"x\",\n  \"start\" \"a\"\n}");
  ASSERT_EQ(syntax.problems.size(), 1u);
  EXPECT_EQ(syntax.problems[0].line, 3);
  auto twice = check_flow(
      "{\"name\": \"x\", \"start\": \"a\", \"nodes\": {\n"
      "  \"a\": {\"type\": \"hangup\"},\n"
      "  \"a\": {\"type\": \"hangup\"}\n"
      "}}");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.problems[0].line, 3);
  EXPECT_EQ(twice.problems[0].node, "a");
  EXPECT_NE(twice.problems[0].message.find("given twice"), std::string::npos);
}

TEST(CheckFlow, PathologicalNestingIsOneProblemWithItsLine) {
  std::string deep = "{\"name\": \"x\",\n \"nodes\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto check = check_flow(deep);
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_EQ(check.problems[0].message, "nested deeper than 64 levels");
  EXPECT_EQ(check.problems[0].line, 2);
  auto large = check_flow("{\"name\": \"" + std::string(2 << 20, 'x') + "\"}");
  ASSERT_EQ(large.problems.size(), 1u);
  EXPECT_EQ(large.problems[0].message, "the document is larger than 1048576 bytes");
}

TEST(CheckFlow, UrlVariablesStayOutOfTheHost) {
  json doc = base();
  doc["nodes"]["hello"]["next"] = "ask";
  doc["nodes"]["ask"] = {{"type", "http"}, {"url", "http://${host}/x"}, {"next", "bye"}, {"on_error", "bye"}};
  EXPECT_EQ(find(check_flow_document(doc), "ask", "url").message,
            "variables may be used in the path and query, not in the host or port");
  doc["nodes"]["ask"]["url"] = "http://crm.example.com:${port}/x";
  EXPECT_FALSE(check_flow_document(doc).ok());
  doc["nodes"]["ask"]["url"] = "http://crm.example.com/${caller}?n=${caller}";
  EXPECT_TRUE(check_flow_document(doc).ok());
}

TEST(CheckFlow, ProblemsAsJson) {
  auto check = check_flow("{\"name\": \"x\",\n\"start\": \"a\",\n\"nodes\": {\"a\": {\"type\": \"play\", \"next\": \"a\"}}}");
  ASSERT_FALSE(check.ok());
  json problem = to_json(find(check, "a", "prompt"));
  EXPECT_EQ(problem["line"], 3);
  EXPECT_EQ(problem["pointer"], "/nodes/a/prompt");
  EXPECT_EQ(problem["message"], "missing prompt");
}

}  // namespace
}  // namespace unicc::ivr
