#include "ivr/condition.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace unicc::ivr {
namespace {

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

bool one_of(const std::string& value, const std::vector<std::string>& values) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool variable_holds(const Rule& rule, const std::string& value) {
  const std::string& first = rule.values.empty() ? value : rule.values[0];
  switch (rule.op) {
    case Op::equals: return value == first;
    case Op::not_equals: return value != first;
    case Op::prefix: return value.rfind(first, 0) == 0;
    case Op::matches: return rule.pattern && rule.pattern->matches(value);
    case Op::in: return one_of(value, rule.values);
    case Op::empty: return value.empty();
    case Op::not_empty: return !value.empty();
    case Op::less_than:
    case Op::greater_than: {
      auto left = number(value), right = number(first);
      if (!left || !right) return false;
      return rule.op == Op::less_than ? *left < *right : *left > *right;
    }
    case Op::between: return false;  // not valid for variables; rejected by the parser
  }
  return false;
}

}  // namespace

bool rule_holds(const Rule& rule, const Variables& variables, const LocalTime& now) {
  switch (rule.subject) {
    case Subject::variable: {
      auto it = variables.find(rule.variable);
      return variable_holds(rule, it == variables.end() ? std::string() : it->second);
    }
    case Subject::time: {
      int from = *parse_clock_time(rule.values[0]), to = *parse_clock_time(rule.values[1]);
      int t = now.minute_of_day;
      return from <= to ? (t >= from && t < to) : (t >= from || t < to);  // from > to spans midnight
    }
    case Subject::weekday: {
      for (const auto& day : rule.values) {
        if (parse_weekday(day) == now.weekday) return true;
      }
      return false;
    }
    case Subject::date: return one_of(now.date, rule.values);
  }
  return false;
}

ScheduleDecision decide(const ScheduleNode& schedule, const CalendarLookup& calendars, std::int64_t unix_ms) {
  std::shared_ptr<const calendar::Calendar> shared;
  if (!schedule.calendar.empty()) {
    if (calendars) shared = calendars(schedule.calendar);
    if (!shared) return {"closed", "calendar '" + schedule.calendar + "' does not exist"};
  }
  const auto decision = calendar::decide(shared ? *shared : schedule.own, unix_ms);
  switch (decision.state) {
    case calendar::State::open: return {"open", ""};
    case calendar::State::holiday:
      return schedule.holiday.empty() ? ScheduleDecision{"closed", "holiday"} : ScheduleDecision{"holiday", ""};
    case calendar::State::closed: break;
  }
  return {"closed", ""};
}

}  // namespace unicc::ivr
