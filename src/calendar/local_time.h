#pragma once
// calendar local time — what calendars, schedules and time conditions compare against: the
// weekday, minute of the day and date of an instant in a time zone (IANA
// names such as "Asia/Shanghai", from the system's tzdata, through cctz), and the
// parsing of the "HH:MM", "YYYY-MM-DD" and "mon".."sun" values documents use.
#include <cstdint>
#include <optional>
#include <string>

#include <cctz/time_zone.h>

namespace unicc::calendar {

struct LocalTime {
  int weekday = 0;        // 0 = Monday ... 6 = Sunday
  int minute_of_day = 0;  // 0 ... 1439
  std::string date;       // YYYY-MM-DD
};

LocalTime local_time(const cctz::time_zone& zone, std::int64_t unix_ms);

// Loads an IANA zone; false for unknown names and for names that are not plain
// zone names (so a document cannot make us read other files).
bool load_zone(const std::string& name, cctz::time_zone& zone);

// "HH:MM" as minutes since midnight, "24:00" allowed (the end of the day).
std::optional<int> parse_clock_time(const std::string& text);
// True for a real calendar date written YYYY-MM-DD.
bool valid_date(const std::string& text);
// "mon".."sun" as 0..6.
std::optional<int> parse_weekday(const std::string& text);

}  // namespace unicc::calendar
