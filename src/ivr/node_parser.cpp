#include "ivr/node_parser.h"

#include <algorithm>
#include <functional>

#include "ivr/field_reader.h"
#include "ivr/local_time.h"
#include "ivr/template.h"

namespace unicc::ivr {
namespace {

using Allowed = std::set<std::string>;

std::optional<DigitPattern> pattern_field(FieldReader& in, const std::string& field, const std::string& text) {
  std::string why;
  auto pattern = DigitPattern::parse(text, why);
  if (!pattern) in.report(field, why);
  return pattern;
}

NodeBody play(FieldReader& in) {
  in.allow_only({"type", "description", "prompt", "barge_in", "next"});
  PlayNode node;
  node.prompt = in.prompts("prompt", Need::required);
  node.barge_in = in.boolean("barge_in", false);
  node.next = in.exit("next", Need::required);
  return node;
}

NodeBody menu(FieldReader& in) {
  in.allow_only({"type", "description", "prompt", "invalid_prompt", "timeout_prompt", "options", "timeout_ms",
                 "retries", "on_failure"});
  MenuNode node;
  node.prompt = in.prompts("prompt", Need::required);
  node.invalid_prompt = in.prompts("invalid_prompt", Need::optional);
  node.timeout_prompt = in.prompts("timeout_prompt", Need::optional);
  node.timeout_ms = in.integer("timeout_ms", 1000, 60000, node.timeout_ms);
  node.retries = in.integer("retries", 0, 9, node.retries);
  node.on_failure = in.exit("on_failure", Need::required);
  for (const auto& [key, target] : in.string_map("options", Need::required)) {
    std::string field = "options." + key;
    if (key.size() != 1 || std::string("0123456789*#").find(key[0]) == std::string::npos) {
      in.report(field, "options are single keys: 0-9, * or #");
    } else if (!valid_id(target)) {
      in.report(field, "'" + target + "' is not a node id");
    } else {
      node.options[key[0]] = target;
    }
  }
  if (in.has("options") && in.get("options")->is_object() && in.get("options")->empty()) {
    in.report("options", "a menu needs at least one option");
  }
  return node;
}

NodeBody collect(FieldReader& in) {
  in.allow_only({"type", "description", "prompt", "invalid_prompt", "timeout_prompt", "variable", "min_digits",
                 "max_digits", "terminator", "pattern", "timeout_ms", "inter_digit_timeout_ms", "retries", "next",
                 "on_failure"});
  CollectNode node;
  node.prompt = in.prompts("prompt", Need::required);
  node.invalid_prompt = in.prompts("invalid_prompt", Need::optional);
  node.timeout_prompt = in.prompts("timeout_prompt", Need::optional);
  node.variable = in.string("variable", Need::required, "", 64);
  if (!node.variable.empty()) in.check_variable_name("variable", node.variable);
  node.min_digits = in.integer("min_digits", 1, 32, node.min_digits);
  node.max_digits = in.integer("max_digits", 1, 32, node.max_digits);
  if (node.max_digits < node.min_digits) in.report("max_digits", "is less than min_digits");
  node.terminator = in.string("terminator", Need::optional, node.terminator, 1);
  if (!node.terminator.empty() && node.terminator != "#" && node.terminator != "*") {
    in.report("terminator", "must be \"#\", \"*\" or \"\" (none)");
  }
  if (in.has("pattern")) {
    std::string text = in.string("pattern", Need::required, "", 64);
    if (!text.empty()) node.pattern = pattern_field(in, "pattern", text);
  }
  node.timeout_ms = in.integer("timeout_ms", 1000, 60000, node.timeout_ms);
  node.inter_digit_timeout_ms = in.integer("inter_digit_timeout_ms", 500, 60000, node.inter_digit_timeout_ms);
  node.retries = in.integer("retries", 0, 9, node.retries);
  node.next = in.exit("next", Need::required);
  node.on_failure = in.exit("on_failure", Need::required);
  return node;
}

NodeBody set(FieldReader& in) {
  in.allow_only({"type", "description", "variables", "next"});
  SetNode node;
  node.variables = in.string_map("variables", Need::required);
  for (const auto& [name, value] : node.variables) {
    in.check_variable_name("variables." + name, name);
    in.check_references("variables." + name, value);
  }
  node.next = in.exit("next", Need::required);
  return node;
}

const std::map<std::string, Op> kOps = {
    {"equals", Op::equals},       {"not_equals", Op::not_equals},     {"prefix", Op::prefix},
    {"matches", Op::matches},     {"in", Op::in},                     {"empty", Op::empty},
    {"not_empty", Op::not_empty}, {"less_than", Op::less_than},       {"greater_than", Op::greater_than},
    {"between", Op::between}};

// The rule's "value" as strings, checked for its op and subject.
std::vector<std::string> rule_values(FieldReader& in, Rule& rule, const std::string& op_name) {
  const auto* value = in.get("value");
  bool none = rule.op == Op::empty || rule.op == Op::not_empty;
  bool list = rule.op == Op::in || rule.op == Op::between;
  if (none) {
    if (value) in.report("value", "'" + op_name + "' takes no value");
    return {};
  }
  if (!value) {
    in.report("value", "missing");
    return {};
  }
  std::vector<std::string> values;
  if (rule.op == Op::less_than || rule.op == Op::greater_than) {
    if (!value->is_number()) in.report("value", "expected a number, got " + json_type(*value));
    else values.push_back(value->dump());
    return values;
  }
  if (list) {
    values = in.strings("value", Need::required);
    if (rule.op == Op::between && values.size() != 2) in.report("value", "'between' takes [from, to]");
    if (rule.op == Op::in && value->is_array() && value->empty()) in.report("value", "the list is empty");
    return values;
  }
  values.push_back(in.string("value", Need::optional));
  return values;
}

void check_clock_values(FieldReader& in, const Rule& rule) {
  const std::map<Subject, std::pair<std::set<Op>, std::function<bool(const std::string&)>>> rules = {
      {Subject::time, {{Op::between}, [](const std::string& v) { return parse_clock_time(v).has_value(); }}},
      {Subject::weekday, {{Op::equals, Op::in}, [](const std::string& v) { return parse_weekday(v).has_value(); }}},
      {Subject::date, {{Op::equals, Op::in}, valid_date}},
  };
  const auto& [ops, valid] = rules.at(rule.subject);
  if (!ops.count(rule.op)) {
    in.report("op", rule.subject == Subject::time ? "time takes 'between'" : "takes 'equals' or 'in'");
    return;
  }
  const char* format = rule.subject == Subject::time      ? "HH:MM"
                       : rule.subject == Subject::weekday ? "mon, tue, wed, thu, fri, sat or sun"
                                                          : "YYYY-MM-DD";
  for (const auto& value : rule.values) {
    if (!valid(value)) in.report("value", "'" + value + "' is not " + format);
  }
}

Rule rule(FieldReader& in) {
  in.allow_only({"subject", "op", "value", "next"});
  Rule out;
  std::string subject = in.string("subject", Need::required, "", 64);
  if (subject == "time") out.subject = Subject::time;
  else if (subject == "weekday") out.subject = Subject::weekday;
  else if (subject == "date") out.subject = Subject::date;
  else if (!subject.empty()) {
    out.variable = subject;
    in.check_variable_name("subject", subject);
  }
  std::string op = in.string("op", Need::required, "", 32);
  auto known = kOps.find(op);
  if (known == kOps.end()) {
    if (!op.empty()) in.report("op", "unknown op '" + op + "'");
    return out;
  }
  out.op = known->second;
  out.values = rule_values(in, out, op);
  if (out.subject != Subject::variable) {
    check_clock_values(in, out);
  } else if (out.op == Op::between) {
    in.report("op", "'between' is for the time subject");
  } else if (out.op == Op::matches && !out.values.empty()) {
    out.pattern = pattern_field(in, "value", out.values[0]);
  }
  out.next = in.exit("next", Need::required);
  return out;
}

NodeBody condition(FieldReader& in) {
  in.allow_only({"type", "description", "rules", "else"});
  ConditionNode node;
  node.otherwise = in.exit("else", Need::required);
  const auto* rules = in.get("rules");
  if (!rules) {
    in.report("rules", "missing");
  } else if (!rules->is_array() || rules->empty()) {
    in.report("rules", "expected a non-empty array of rules");
  } else {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      std::string field = "rules[" + std::to_string(i) + "]";
      const auto& item = (*rules)[i];
      if (!item.is_object()) {
        in.report(field, "expected a rule object, got " + json_type(item));
        continue;
      }
      FieldReader reader(item, in.node(), field + ".", in.pointer_of("rules") + "/" + std::to_string(i),
                         in.problems());
      node.rules.push_back(rule(reader));
    }
  }
  return node;
}

void schedule_hours(FieldReader& in, calendar::Calendar& own) {
  const auto* hours = in.get("hours");
  if (!hours) return in.report("hours", "missing (or name a shared calendar in \"calendar\")");
  if (!hours->is_object()) return in.report("hours", "expected an object of days, got " + json_type(*hours));
  for (const auto& [day, ranges] : hours->items()) {
    auto weekday = parse_weekday(day);
    if (!weekday) {
      in.report("hours." + day, "days are mon, tue, wed, thu, fri, sat, sun");
      continue;
    }
    FieldReader day_reader(*hours, in.node(), "hours.", in.pointer_of("hours"), in.problems());
    for (const auto& range : day_reader.strings(day, Need::required)) {
      auto dash = range.find('-');
      auto from = parse_clock_time(range.substr(0, dash));
      auto to = dash == std::string::npos ? std::nullopt : parse_clock_time(range.substr(dash + 1));
      if (!from || !to || *from >= *to) {
        day_reader.report(day, "'" + range + "' is not HH:MM-HH:MM with the start before the end");
      } else {
        own.hours[static_cast<std::size_t>(*weekday)].push_back({*from, *to});
      }
    }
  }
}

NodeBody schedule(FieldReader& in) {
  ScheduleNode node;
  if (in.has("calendar")) {
    // A shared calendar: its existence is checked where calendars are known (publishing).
    in.allow_only({"type", "description", "calendar", "time_zone", "hours", "holidays", "open", "closed", "holiday"});
    for (const char* inline_field : {"time_zone", "hours", "holidays"}) {
      if (in.has(inline_field)) in.report(inline_field, "not with \"calendar\": the calendar has its own");
    }
    node.calendar = in.string("calendar", Need::required, "", 64);
    if (!node.calendar.empty() && !calendar::valid_name(node.calendar)) {
      in.report("calendar", "'" + node.calendar + "' is not a calendar name (1-64 letters, digits, '_' or '-')");
    }
  } else {
    in.allow_only({"type", "description", "time_zone", "hours", "holidays", "open", "closed", "holiday"});
    node.own.zone_name = in.string("time_zone", Need::required, "", 64);
    if (!node.own.zone_name.empty() && !load_zone(node.own.zone_name, node.own.zone)) {
      in.report("time_zone", "unknown time zone '" + node.own.zone_name + "' (use IANA names like Asia/Shanghai)");
    }
    schedule_hours(in, node.own);
    for (const auto& date : in.strings("holidays", Need::optional)) {
      if (!valid_date(date)) {
        in.report("holidays", "'" + date + "' is not a YYYY-MM-DD date");
      } else if (!node.own.holiday_on(date)) {
        node.own.holidays.push_back({date, "", {}});
        std::sort(node.own.holidays.begin(), node.own.holidays.end(),
                  [](const calendar::Holiday& a, const calendar::Holiday& b) { return a.date < b.date; });
      }
    }
  }
  node.open = in.exit("open", Need::required);
  node.closed = in.exit("closed", Need::required);
  node.holiday = in.exit("holiday", Need::optional);
  return node;
}

// "" would select the whole answer, which is never a single value to keep.
bool json_pointer_ok(const std::string& text) {
  if (text.empty()) return false;
  try {
    nlohmann::json::json_pointer pointer(text);
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

NodeBody http(FieldReader& in) {
  in.allow_only({"type", "description", "method", "url", "body", "timeout_ms", "assign", "next", "on_error"});
  HttpNode node;
  node.method = in.string("method", Need::optional, "GET", 8);
  if (node.method != "GET" && node.method != "POST") in.report("method", "must be GET or POST");
  node.url = in.string("url", Need::required, "", 2048);
  if (!node.url.empty() && node.url.rfind("http://", 0) != 0 && node.url.rfind("https://", 0) != 0) {
    in.report("url", "must start with http:// or https://");
  }
  in.check_references("url", node.url);
  if (url_authority_part(node.url).find("${") != std::string::npos) {
    in.report("url", "variables may be used in the path and query, not in the host or port");
  }
  node.body = in.string_map("body", Need::optional);
  if (!node.body.empty() && node.method != "POST") in.report("body", "only a POST has a body");
  for (const auto& [key, value] : node.body) in.check_references("body." + key, value);
  node.timeout_ms = in.integer("timeout_ms", 100, 30000, node.timeout_ms);
  node.assign = in.string_map("assign", Need::optional);
  for (const auto& [variable, pointer] : node.assign) {
    in.check_variable_name("assign." + variable, variable);
    if (!json_pointer_ok(pointer)) in.report("assign." + variable, "'" + pointer + "' is not a JSON pointer like /balance");
  }
  node.next = in.exit("next", Need::required);
  node.on_error = in.exit("on_error", Need::required);
  return node;
}

NodeBody queue(FieldReader& in) {
  in.allow_only({"type", "description", "queue", "priority", "skills", "on_failure"});
  QueueNode node;
  node.queue = in.string("queue", Need::required, "", 64);
  if (const auto* priority = in.get("priority")) {
    if (priority->is_string()) {
      node.priority = priority->get<std::string>();
      in.check_references("priority", node.priority);
    } else {
      node.priority = std::to_string(in.integer("priority", 0, 100, 0));
    }
  }
  node.skills = in.strings("skills", Need::optional);
  for (const auto& skill : node.skills) {
    in.check_references("skills", skill);
    // One from a variable is checked when a call needs it.
    if (skill.find("${") == std::string::npos && !parse_skill_need(skill)) {
      in.report("skills", "'" + skill + "' is not a skill: name or name:level (level 1-10)");
    }
  }
  node.on_failure = in.exit("on_failure", Need::optional);
  return node;
}

NodeBody transfer(FieldReader& in) {
  in.allow_only({"type", "description", "to", "on_failure"});
  TransferNode node;
  node.to = in.string("to", Need::required, "", 64);
  in.check_references("to", node.to);
  node.on_failure = in.exit("on_failure", Need::optional);
  return node;
}

NodeBody voicemail(FieldReader& in) {
  in.allow_only({"type", "description", "mailbox", "max_seconds", "prompt"});
  VoicemailNode node;
  node.mailbox = in.string("mailbox", Need::required, "", 64);
  node.max_seconds = in.integer("max_seconds", 5, 600, node.max_seconds);
  node.prompt = in.prompts("prompt", Need::optional);
  return node;
}

NodeBody hangup(FieldReader& in) {
  in.allow_only({"type", "description"});
  return HangupNode{};
}

const std::map<std::string, NodeBody (*)(FieldReader&)> kParsers = {
    {"play", play},       {"menu", menu},   {"collect", collect},   {"set", set},
    {"condition", condition}, {"schedule", schedule}, {"http", http}, {"queue", queue},
    {"transfer", transfer}, {"voicemail", voicemail}, {"hangup", hangup}};

}  // namespace

std::optional<NodeBody> parse_node(const nlohmann::json& node, const std::string& id, const std::string& pointer,
                                   std::vector<Problem>& problems) {
  FieldReader in(node, id, "", pointer, problems);
  if (!node.is_object()) {
    in.report("", "expected a node object, got " + json_type(node));
    return std::nullopt;
  }
  std::string type = in.string("type", Need::required, "", 32);
  auto parser = kParsers.find(type);
  if (parser == kParsers.end()) {
    if (!type.empty()) {
      in.report("type", "unknown node type '" + type +
                            "' (play, menu, collect, set, condition, schedule, http, queue, transfer, voicemail, hangup)");
    }
    return std::nullopt;
  }
  in.string("description", Need::optional, "", 1024);
  return parser->second(in);
}

}  // namespace unicc::ivr
