#include "ivr/executor.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "flow_fixture.h"

namespace unicc::ivr {
namespace {

using nlohmann::json;
using testing::action;
using testing::make_flow;
using testing::texts;
using Texts = std::vector<std::string>;

json text(const std::string& words) { return {{"text", words}}; }

// welcome (no barge-in) -> menu: 1 sales queue, 2 transfer to 1001; failure -> goodbye.
json menu_flow() {
  return {{"name", "menu"},
          {"start", "welcome"},
          {"nodes",
           {{"welcome", {{"type", "play"}, {"prompt", text("Welcome")}, {"next", "main"}}},
            {"main",
             {{"type", "menu"},
              {"prompt", text("Press 1 for sales, 2 for the operator")},
              {"invalid_prompt", text("That is not an option")},
              {"timeout_prompt", text("We did not hear you")},
              {"options", {{"1", "sales"}, {"2", "operator"}}},
              {"timeout_ms", 4000},
              {"on_failure", "goodbye"}}},
            {"sales", {{"type", "queue"}, {"queue", "sales"}, {"priority", 5}, {"skills", {"zh"}}}},
            {"operator", {{"type", "transfer"}, {"to", "1001"}}},
            {"goodbye", {{"type", "hangup"}}}}}};
}

class ExecutorTest : public ::testing::Test {
 protected:
  std::vector<Action> start(const json& document, const std::string& caller = "13800001111",
                            const std::string& did = "4000") {
    executor = std::make_unique<Executor>(make_flow(document), clock, [this](const std::string& name) {
      auto it = calendars.find(name);
      return it == calendars.end() ? nullptr : it->second;
    });
    return executor->start(caller, did);
  }
  std::vector<Action> send(const Event& event) { return executor->handle(event); }
  std::vector<Action> prompt_done() { return send(PromptFinished{executor->turn()}); }
  std::vector<Action> digits(const std::string& keys) {
    std::vector<Action> last;
    for (char key : keys) last = send(DigitReceived{key});
    return last;
  }
  std::vector<Action> timeout() { return send(TimedOut{executor->turn()}); }
  std::vector<std::string> path() const {
    std::vector<std::string> out;
    for (const auto& step : executor->trace().steps) out.push_back(step.node);
    return out;
  }

  core::FakeClock clock{1'736'157'540'000};  // Monday 2025-01-06 17:59 in Asia/Shanghai
  std::map<std::string, std::shared_ptr<const calendar::Calendar>> calendars;  // what the lookup finds
  std::unique_ptr<Executor> executor;
};

TEST_F(ExecutorTest, MenuBranchesOnTheDigit) {
  auto actions = start(menu_flow());
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Welcome"});
  EXPECT_FALSE(action<PlayPrompts>(actions, 0).barge_in);
  EXPECT_TRUE(digits("1").empty()) << "no barge-in: digits during the welcome are ignored";

  actions = prompt_done();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Press 1 for sales, 2 for the operator"});
  EXPECT_TRUE(action<PlayPrompts>(actions, 0).barge_in);
  EXPECT_EQ(action<CollectDigits>(actions, 1).max_digits, 1);
  EXPECT_EQ(action<CollectDigits>(actions, 1).first_digit_timeout_ms, 4000);

  actions = digits("1");
  ASSERT_EQ(actions.size(), 1u);
  const auto& enqueue = action<Enqueue>(actions, 0);
  EXPECT_EQ(enqueue.queue, "sales");
  EXPECT_EQ(enqueue.priority, 5);
  EXPECT_EQ(enqueue.skills, Texts{"zh"});
  EXPECT_EQ(enqueue.variables.at("caller"), "13800001111");
  EXPECT_EQ(enqueue.variables.at("did"), "4000");
  EXPECT_TRUE(executor->finished());
  EXPECT_EQ(path(), (Texts{"welcome", "main", "sales"}));
  EXPECT_EQ(executor->trace().exit, TraceExit::queued);
  EXPECT_EQ(executor->trace().exit_target, "sales");
  EXPECT_EQ(executor->trace().steps[1].digits, "1");
  EXPECT_EQ(executor->trace().steps[1].exit, "options.1");
}

TEST_F(ExecutorTest, AnswersToAnOlderTurnAreIgnored) {
  start(menu_flow());
  int welcome_turn = executor->turn();
  prompt_done();
  EXPECT_TRUE(send(PromptFinished{welcome_turn}).empty());
  EXPECT_TRUE(send(TimedOut{welcome_turn}).empty());
  EXPECT_EQ(path(), (Texts{"welcome", "main"}));
  EXPECT_EQ(action<Transfer>(digits("2"), 0).to, "1001");
  EXPECT_EQ(executor->trace().exit, TraceExit::transferred);
}

TEST_F(ExecutorTest, InvalidInputAndTimeoutRetryWithTheirOwnPromptsThenFail) {
  start(menu_flow());
  prompt_done();
  auto actions = digits("7");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)),
            (Texts{"That is not an option", "Press 1 for sales, 2 for the operator"}));
  EXPECT_EQ(action<CollectDigits>(actions, 1).max_digits, 1);

  actions = timeout();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)),
            (Texts{"We did not hear you", "Press 1 for sales, 2 for the operator"}));

  actions = digits("#");  // the third failure with retries = 2
  ASSERT_EQ(actions.size(), 1u);
  action<Hangup>(actions, 0);
  EXPECT_EQ(path(), (Texts{"welcome", "main", "goodbye"}));
  const auto& menu = executor->trace().steps[1];
  EXPECT_EQ(menu.digits, "7#");
  EXPECT_EQ(menu.note, "invalid,timeout,invalid");
  EXPECT_EQ(menu.exit, "on_failure");
  EXPECT_EQ(executor->trace().exit, TraceExit::hangup_node);
}

TEST_F(ExecutorTest, WithoutRetryPromptsTheMenuPromptIsRepeated) {
  json flow = menu_flow();
  flow["nodes"]["main"].erase("invalid_prompt");
  start(flow);
  prompt_done();
  EXPECT_EQ(texts(action<PlayPrompts>(digits("5"), 0)), Texts{"Press 1 for sales, 2 for the operator"});
}

TEST_F(ExecutorTest, BargeInKeepsTheDigitForTheNextMenu) {
  json flow = menu_flow();
  flow["nodes"]["welcome"]["barge_in"] = true;
  auto actions = start(flow);
  EXPECT_TRUE(action<PlayPrompts>(actions, 0).barge_in);
  actions = digits("2");
  ASSERT_EQ(actions.size(), 1u) << "the menu prompt is skipped";
  EXPECT_EQ(action<Transfer>(actions, 0).to, "1001");
  EXPECT_EQ(executor->trace().steps[0].note, "barge-in");
}

json collect_flow() {
  return {{"name", "collect"},
          {"start", "account"},
          {"nodes",
           {{"account",
             {{"type", "collect"},
              {"prompt", text("Enter your account number and press hash")},
              {"invalid_prompt", text("That number is not valid")},
              {"variable", "account"},
              {"min_digits", 4},
              {"max_digits", 6},
              {"pattern", "[1-5]XXX."},
              {"inter_digit_timeout_ms", 2000},
              {"retries", 1},
              {"next", "confirm"},
              {"on_failure", "bye"}}},
            {"confirm", {{"type", "play"}, {"prompt", text("Account ${account}, you called ${did}")}, {"next", "bye"}}},
            {"bye", {{"type", "hangup"}}}}}};
}

TEST_F(ExecutorTest, CollectEndsAtTheTerminatorAndChecksThePattern) {
  auto actions = start(collect_flow());
  const auto& collect = action<CollectDigits>(actions, 1);
  EXPECT_EQ(collect.max_digits, 6);
  EXPECT_EQ(collect.terminator, "#");
  EXPECT_EQ(collect.inter_digit_timeout_ms, 2000);
  EXPECT_TRUE(digits("123").empty());
  actions = digits("45#");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Account 12345, you called 4000"});
  EXPECT_EQ(executor->variables().at("account"), "12345");
  EXPECT_EQ(executor->variables().at("digits"), "12345");
  EXPECT_EQ(executor->trace().steps[0].digits, "12345#");
}

TEST_F(ExecutorTest, CollectRejectsWhatTheFlowDoesNotAccept) {
  start(collect_flow());
  auto actions = digits("6123#");  // the pattern wants 1-5 first
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)),
            (Texts{"That number is not valid", "Enter your account number and press hash"}));
  actions = digits("12#");  // too short; the second failure with retries = 1
  action<Hangup>(actions, 0);
  EXPECT_EQ(executor->trace().steps[0].note, "invalid,invalid");
  EXPECT_FALSE(executor->variables().count("account"));
}

TEST_F(ExecutorTest, CollectEndsAtMaxDigitsOrWhenTheCallerStopsTyping) {
  start(collect_flow());
  auto actions = digits("123456");
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Account 123456, you called 4000"});

  start(collect_flow());
  digits("43210");
  actions = timeout();  // the inter-digit timer ran out
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Account 43210, you called 4000"});
}

json condition_flow() {
  return {{"name", "cond"},
          {"start", "who"},
          {"time_zone", "Asia/Shanghai"},
          {"nodes",
           {{"who",
             {{"type", "condition"},
              {"rules",
               {{{"subject", "caller"}, {"op", "prefix"}, {"value", "138"}, {"next", "mobile"}},
                {{"subject", "did"}, {"op", "in"}, {"value", {"4001", "4002"}}, {"next", "direct"}}}},
              {"else", "when"}}},
            {"mobile", {{"type", "set"}, {"variables", {{"kind", "mobile-${did}"}}}, {"next", "when"}}},
            {"direct", {{"type", "set"}, {"variables", {{"kind", "direct"}}}, {"next", "when"}}},
            {"when",
             {{"type", "condition"},
              {"rules",
               {{{"subject", "time"}, {"op", "between"}, {"value", {"09:00", "18:00"}}, {"next", "day"}},
                {{"subject", "weekday"}, {"op", "in"}, {"value", {"sat", "sun"}}, {"next", "weekend"}}}},
              {"else", "night"}}},
            {"day", {{"type", "transfer"}, {"to", "${kind}"}}},
            {"weekend", {{"type", "voicemail"}, {"mailbox", "weekend"}}},
            {"night", {{"type", "voicemail"}, {"mailbox", "night"}, {"prompt", text("We are closed, ${kind}")}}}}}};
}

TEST_F(ExecutorTest, ConditionsOnCallerDidVariablesAndTime) {
  auto actions = start(condition_flow(), "13800001111", "4000");
  EXPECT_EQ(action<Transfer>(actions, 0).to, "mobile-4000");
  EXPECT_EQ(executor->trace().steps[0].exit, "rules[0]");

  actions = start(condition_flow(), "02100001111", "4002");
  EXPECT_EQ(action<Transfer>(actions, 0).to, "direct");

  clock.set_ms(1'736'157'600'000);  // 18:00, Monday
  actions = start(condition_flow(), "02100001111", "4000");
  const auto& voicemail = action<Voicemail>(actions, 0);
  EXPECT_EQ(voicemail.mailbox, "night");
  EXPECT_EQ(texts(PlayPrompts{voicemail.greeting, false}), Texts{"We are closed, "});
  EXPECT_EQ(executor->trace().exit, TraceExit::voicemail);

  clock.set_ms(1'736'596'800'000);  // 20:00, Saturday
  EXPECT_EQ(action<Voicemail>(start(condition_flow(), "02100001111", "4000"), 0).mailbox, "weekend");
  EXPECT_EQ(executor->trace().steps[1].exit, "rules[1]");
}

json schedule_flow() {
  return {{"name", "hours"},
          {"start", "hours"},
          {"nodes",
           {{"hours",
             {{"type", "schedule"},
              {"time_zone", "Asia/Shanghai"},
              {"hours", {{"mon", {"09:00-18:00"}}, {"wed", {"09:00-18:00"}}}},
              {"holidays", {"2025-10-01"}},
              {"open", "agents"},
              {"closed", "closed"}}},
            {"agents", {{"type", "queue"}, {"queue", "support"}}},
            {"closed", {{"type", "voicemail"}, {"mailbox", "support"}}}}}};
}

TEST_F(ExecutorTest, ScheduleFollowsBusinessHoursInItsTimeZone) {
  EXPECT_EQ(action<Enqueue>(start(schedule_flow()), 0).queue, "support") << "17:59 Monday is open";
  clock.advance(std::chrono::minutes(1));
  EXPECT_EQ(action<Voicemail>(start(schedule_flow()), 0).mailbox, "support") << "18:00 is closed";
  EXPECT_EQ(executor->trace().steps[0].exit, "closed");
  clock.set_ms(1'736'125'140'000);  // 08:59 Monday
  action<Voicemail>(start(schedule_flow()), 0);
  clock.advance(std::chrono::minutes(1));
  action<Enqueue>(start(schedule_flow()), 0);
}

TEST_F(ExecutorTest, AHolidayClosesOrTakesItsOwnExit) {
  clock.set_ms(1'759'284'000'000);  // Wednesday 2025-10-01 10:00, normally open
  action<Voicemail>(start(schedule_flow()), 0);
  EXPECT_EQ(executor->trace().steps[0].note, "holiday");

  json flow = schedule_flow();
  flow["nodes"]["hours"]["holiday"] = "greeting";
  flow["nodes"]["greeting"] = {{"type", "play"}, {"prompt", text("Happy holidays")}, {"next", "closed"}};
  EXPECT_EQ(texts(action<PlayPrompts>(start(flow), 0)), Texts{"Happy holidays"});
  EXPECT_EQ(executor->trace().steps[0].exit, "holiday");
}

// The schedule_flow's node naming the shared calendar "support" instead, with a holiday exit.
json calendar_flow() {
  json flow = schedule_flow();
  flow["nodes"]["hours"] = {{"type", "schedule"}, {"calendar", "support"}, {"open", "agents"},
                            {"closed", "closed"}, {"holiday", "greeting"}};
  flow["nodes"]["greeting"] = {{"type", "play"}, {"prompt", text("Happy holidays")}, {"next", "closed"}};
  return flow;
}

std::shared_ptr<const calendar::Calendar> shanghai_calendar(const json& holidays) {
  return std::make_shared<const calendar::Calendar>(calendar::from_json(
      {{"name", "support"},
       {"time_zone", "Asia/Shanghai"},
       {"hours", {{"mon", {{{"from", "09:00"}, {"to", "18:00"}}}}}},
       {"holidays", holidays}}));
}

TEST_F(ExecutorTest, AScheduleNamingACalendarDecidesByTheCalendarOfTheMoment) {
  auto flow = make_flow(calendar_flow());  // one published version for every call below
  auto run = [&] {
    executor = std::make_unique<Executor>(flow, clock, [this](const std::string& name) {
      auto it = calendars.find(name);
      return it == calendars.end() ? nullptr : it->second;
    });
    return executor->start("13800001111", "4000");
  };
  calendars["support"] = shanghai_calendar(json::array());
  EXPECT_EQ(action<Enqueue>(run(), 0).queue, "support") << "17:59 Monday is open";
  EXPECT_EQ(executor->trace().steps[0].exit, "open");

  // The calendar changes (today becomes a holiday): the next call takes the holiday
  // exit, with the same flow version.
  calendars["support"] = shanghai_calendar({{{"date", "2025-01-06"}, {"name", "Staff day"}}});
  EXPECT_EQ(texts(action<PlayPrompts>(run(), 0)), Texts{"Happy holidays"});
  EXPECT_EQ(executor->trace().steps[0].exit, "holiday");

  // A calendar deleted under a running version closes, saying why.
  calendars.clear();
  EXPECT_EQ(action<Voicemail>(run(), 0).mailbox, "support");
  EXPECT_EQ(executor->trace().steps[0].exit, "closed");
  EXPECT_EQ(executor->trace().steps[0].note, "calendar 'support' does not exist");
}

json http_flow() {
  return {{"name", "balance"},
          {"start", "lookup"},
          {"nodes",
           {{"lookup",
             {{"type", "http"},
              {"method", "POST"},
              {"url", "http://127.0.0.1:8080/balance?caller=${caller}"},
              {"body", {{"number", "${caller}"}}},
              {"timeout_ms", 1500},
              {"assign", {{"balance", "/account/balance"}, {"currency", "/currency"}}},
              {"next", "say"},
              {"on_error", "sorry"}}},
            {"say", {{"type", "play"}, {"prompt", text("Your balance is ${balance} ${currency}")}, {"next", "bye"}}},
            {"sorry", {{"type", "play"}, {"prompt", text("The service is not available")}, {"next", "bye"}}},
            {"bye", {{"type", "hangup"}}}}}};
}

TEST_F(ExecutorTest, HttpLookupMapsTheAnswerIntoVariables) {
  auto actions = start(http_flow(), "1001");
  const auto& request = action<HttpRequest>(actions, 0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://127.0.0.1:8080/balance?caller=1001");
  EXPECT_EQ(json::parse(request.body), (json{{"number", "1001"}}));
  EXPECT_EQ(request.timeout_ms, 1500);
  actions = send(HttpResult{executor->turn(), 200, R"({"account":{"balance":12.5},"currency":"CNY"})", ""});
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Your balance is 12.5 CNY"});
  EXPECT_EQ(executor->trace().steps[0].exit, "next");
}

TEST_F(ExecutorTest, HttpFailuresTakeTheErrorExit) {
  struct Case {
    HttpResult result;
    std::string note;
  };
  for (const auto& [result, note] : std::vector<Case>{
           {{0, 0, "", "timeout"}, "timeout"},
           {{0, 503, "{}", ""}, "HTTP 503"},
           {{0, 200, "<html>", ""}, "bad JSON"},
           {{0, 200, R"({"currency":"CNY"})", ""}, "no /account/balance in the answer"},
       }) {
    start(http_flow());
    HttpResult answer = result;
    answer.turn = executor->turn();
    auto actions = send(answer);
    EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"The service is not available"}) << note;
    EXPECT_EQ(executor->trace().steps[0].exit, "on_error");
    EXPECT_EQ(executor->trace().steps[0].note, note);
    EXPECT_FALSE(executor->variables().count("balance"));
  }
  start(http_flow());
  EXPECT_EQ(texts(action<PlayPrompts>(timeout(), 0)), Texts{"The service is not available"})
      << "the host's timer for the request";
}

TEST_F(ExecutorTest, ValuesInAUrlAreEncodedSoTheyCannotChangeItsShape) {
  json flow = http_flow();
  flow["nodes"]["lookup"]["url"] = "http://crm.example.com/people/${caller}?n=${caller}&x=1";
  auto actions = start(flow, "1/../admin?all=1&x=2#frag %0D%0A");
  EXPECT_EQ(action<HttpRequest>(actions, 0).url,
            "http://crm.example.com/people/1%2F..%2Fadmin%3Fall%3D1%26x%3D2%23frag%20%250D%250A?n=1%2F..%2Fadmin%3Fall"
            "%3D1%26x%3D2%23frag%20%250D%250A&x=1");
  EXPECT_EQ(json::parse(action<HttpRequest>(actions, 0).body), (json{{"number", "1/../admin?all=1&x=2#frag %0D%0A"}}))
      << "a JSON body carries the value as it is";
  actions = start(flow, "+8613800001111");
  EXPECT_EQ(action<HttpRequest>(actions, 0).url,
            "http://crm.example.com/people/%2B8613800001111?n=%2B8613800001111&x=1");
}

TEST_F(ExecutorTest, AnOverDeepAnswerTakesTheErrorExit) {
  start(http_flow());
  std::string deep = R"({"account":{"balance":)" + std::string(100000, '[') + std::string(100000, ']') + "}}";
  auto actions = send(HttpResult{executor->turn(), 200, deep, ""});
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"The service is not available"});
  EXPECT_EQ(executor->trace().steps[0].note, "JSON nested too deep");
}

TEST_F(ExecutorTest, AFailedHandOffContinuesAtOnFailureOrHangsUp) {
  json flow = menu_flow();
  flow["nodes"]["sales"]["on_failure"] = "goodbye";
  start(flow);
  prompt_done();
  digits("1");
  EXPECT_EQ(executor->trace().exit, TraceExit::queued);
  auto actions = send(ActionFailed{executor->turn(), "queue closed"});
  action<Hangup>(actions, 0);
  EXPECT_EQ(executor->trace().exit, TraceExit::hangup_node);
  EXPECT_EQ(executor->trace().steps[2].note, "failed: queue closed");

  start(menu_flow());
  prompt_done();
  digits("2");
  actions = send(ActionFailed{executor->turn(), "busy"});
  action<Hangup>(actions, 0);
  EXPECT_EQ(executor->trace().exit, TraceExit::failed);
  EXPECT_TRUE(executor->finished());
}

TEST_F(ExecutorTest, TheTraceRecordsPathDigitsTimesAndExit) {
  start(menu_flow(), "02155550000", "4000");
  clock.advance(std::chrono::milliseconds(3200));
  prompt_done();
  clock.advance(std::chrono::milliseconds(1500));
  digits("9");
  clock.advance(std::chrono::milliseconds(2000));
  send(CallerHungUp{});
  EXPECT_TRUE(executor->finished());
  EXPECT_TRUE(send(DigitReceived{'1'}).empty());

  json trace = to_json(executor->trace());
  EXPECT_EQ(trace["flow"], "menu");
  EXPECT_EQ(trace["caller"], "02155550000");
  EXPECT_EQ(trace["did"], "4000");
  EXPECT_EQ(trace["exit"], "caller_hung_up");
  EXPECT_EQ(trace["ended_at"].get<std::int64_t>() - trace["started_at"].get<std::int64_t>(), 6700);
  ASSERT_EQ(trace["steps"].size(), 2u);
  EXPECT_EQ(trace["steps"][0]["node"], "welcome");
  EXPECT_EQ(trace["steps"][0]["type"], "play");
  EXPECT_EQ(trace["steps"][0]["ms"], 3200);
  EXPECT_EQ(trace["steps"][0]["exit"], "next");
  EXPECT_EQ(trace["steps"][1]["node"], "main");
  EXPECT_EQ(trace["steps"][1]["digits"], "9");
  EXPECT_EQ(trace["steps"][1]["ms"], 3500);
  EXPECT_EQ(trace["steps"][1]["note"], "caller hung up");
}

TEST_F(ExecutorTest, AHangUpAfterTheHandOffKeepsTheHandOffAsExit) {
  start(menu_flow());
  prompt_done();
  digits("1");
  send(CallerHungUp{});
  EXPECT_EQ(executor->trace().exit, TraceExit::queued);
}

TEST_F(ExecutorTest, ACallKeepsItsFlowVersion) {
  auto first = make_flow(menu_flow());
  Executor call(first, clock);
  call.start("1", "4000");
  first.reset();  // the registry drops its copy when a new version is published
  auto actions = call.handle(PromptFinished{call.turn()});
  EXPECT_EQ(texts(action<PlayPrompts>(actions, 0)), Texts{"Press 1 for sales, 2 for the operator"});
}

}  // namespace
}  // namespace unicc::ivr
