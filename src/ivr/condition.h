#pragma once
// ivr conditions — whether a condition rule holds for the call's variables at a
// local time, and which exit a schedule takes at a given instant.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ivr/flow.h"
#include "ivr/local_time.h"
#include "ivr/template.h"

namespace unicc::ivr {

bool rule_holds(const Rule& rule, const Variables& variables, const LocalTime& now);

struct ScheduleDecision {
  std::string exit;  // "open", "closed" or "holiday"
  std::string note;  // "holiday" when a holiday without its own exit closes
};
// The shared calendar of the moment by name; null when there is none.
using CalendarLookup = std::function<std::shared_ptr<const calendar::Calendar>(const std::string& name)>;

// A node naming a shared calendar decides by `calendars` (closed, noting why, when
// it does not exist any more); one with its own hours decides by them.
ScheduleDecision decide(const ScheduleNode& schedule, const CalendarLookup& calendars, std::int64_t unix_ms);

}  // namespace unicc::ivr
