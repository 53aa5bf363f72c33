#pragma once
// ivr local time — the calendar module's local time (calendar/local_time.h) under
// the IVR's names: what schedules and time conditions compare against.
#include "calendar/local_time.h"

namespace unicc::ivr {

using calendar::LocalTime;
using calendar::load_zone;
using calendar::local_time;
using calendar::parse_clock_time;
using calendar::parse_weekday;
using calendar::valid_date;

}  // namespace unicc::ivr
