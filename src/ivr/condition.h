#pragma once
// ivr conditions — whether a condition rule holds for the call's variables at a
// local time, and which exit a schedule takes at a given instant.
#include <cstdint>
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
ScheduleDecision decide(const ScheduleNode& schedule, std::int64_t unix_ms);

}  // namespace unicc::ivr
