#include "calendar/calendar.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include <cctz/civil_time.h>
#include <nlohmann/json.hpp>

#include "calendar/local_time.h"

namespace unicc::calendar {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr int kLookAheadDays = 31;

std::string clock_text(int minutes) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
  return text;
}

void only_fields(const json& object, const std::string& prefix, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::none_of(allowed.begin(), allowed.end(), [&key](const char* name) { return key == name; })) {
      throw FieldError(prefix + key, "unknown field");
    }
  }
}

std::string text_field(const json& object, const std::string& prefix, const char* name, bool required,
                       std::size_t max) {
  const std::string field = prefix + name;
  if (!object.contains(name)) {
    if (required) throw FieldError(field, "is required");
    return "";
  }
  const json& value = object.at(name);
  if (!value.is_string()) throw FieldError(field, "must be a string");
  std::string text = value.get<std::string>();
  if (required && text.empty()) throw FieldError(field, "must not be empty");
  auto characters = std::count_if(text.begin(), text.end(), [](char byte) { return (byte & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(characters) > max) {
    throw FieldError(field, "is longer than " + std::to_string(max) + " characters");
  }
  return text;
}

// An array of {"from":"HH:MM","to":"HH:MM"}, at `field`, sorted and without overlaps.
std::vector<Range> ranges(const json& value, const std::string& field) {
  if (!value.is_array()) throw FieldError(field, "must be an array of {\"from\",\"to\"} ranges");
  if (value.size() > kMaxRangesPerDay) {
    throw FieldError(field, "has more than " + std::to_string(kMaxRangesPerDay) + " ranges");
  }
  std::vector<Range> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    const json& item = value[i];
    if (!item.is_object()) throw FieldError(at, "must be a JSON object with from and to");
    only_fields(item, at + ".", {"from", "to"});
    Range range;
    for (const char* end : {"from", "to"}) {
      const std::string text = text_field(item, at + ".", end, true, 5);
      auto minutes = parse_clock_time(text);
      if (!minutes) throw FieldError(at + "." + end, "'" + text + "' is not a time HH:MM (00:00 to 24:00)");
      (std::string(end) == "from" ? range.from : range.to) = *minutes;
    }
    if (range.from == 1440) throw FieldError(at + ".from", "must be before 24:00");
    if (range.to <= range.from) {
      throw FieldError(at + ".to", "must be after from (" + clock_text(range.from) +
                                       "); a range cannot cross midnight, split it at 24:00");
    }
    for (std::size_t j = 0; j < out.size(); ++j) {
      if (range.from < out[j].to && out[j].from < range.to) {
        throw FieldError(at + ".from", "overlaps " + field + "[" + std::to_string(j) + "]");
      }
    }
    out.push_back(range);
  }
  std::sort(out.begin(), out.end(), [](const Range& a, const Range& b) { return a.from < b.from; });
  return out;
}

json ranges_json(const std::vector<Range>& ranges) {
  json out = json::array();
  for (const auto& range : ranges) out.push_back({{"from", clock_text(range.from)}, {"to", clock_text(range.to)}});
  return out;
}

// What the calendar says at one local moment, without the next change.
Decision state_at(const Calendar& calendar, const LocalTime& now) {
  Decision out;
  const Holiday* holiday = calendar.holiday_on(now.date);
  const std::vector<Range>& open = holiday ? holiday->hours : calendar.hours[static_cast<std::size_t>(now.weekday)];
  bool is_open = std::any_of(open.begin(), open.end(), [&now](const Range& range) {
    return now.minute_of_day >= range.from && now.minute_of_day < range.to;
  });
  if (holiday) {
    out.is_holiday = true;
    out.holiday = holiday->name;
  }
  out.state = is_open ? State::open : holiday ? State::holiday : State::closed;
  return out;
}

std::int64_t unix_ms_of(const cctz::time_zone& zone, const cctz::civil_second& civil) {
  auto instant = cctz::convert(civil, zone);
  return std::chrono::duration_cast<std::chrono::milliseconds>(instant.time_since_epoch()).count();
}

}  // namespace

const Holiday* Calendar::holiday_on(const std::string& date) const {
  auto it = std::lower_bound(holidays.begin(), holidays.end(), date,
                             [](const Holiday& holiday, const std::string& d) { return holiday.date < d; });
  return it != holidays.end() && it->date == date ? &*it : nullptr;
}

const char* to_string(State state) {
  switch (state) {
    case State::open: return "open";
    case State::closed: return "closed";
    case State::holiday: return "holiday";
  }
  return "closed";
}

// The next change is the next flip between open and not open (closed or holiday).
// It is looked for at the day's boundaries (local midnight, and the
// starts and ends of its ranges), converted to instants in the calendar's zone, so
// a daylight-saving jump moves a boundary rather than losing it.
Decision decide(const Calendar& calendar, std::int64_t unix_ms) {
  Decision out = state_at(calendar, local_time(calendar.zone, unix_ms));
  auto instant = std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
  const cctz::civil_day today(cctz::convert(instant, calendar.zone));
  for (int offset = 0; offset <= kLookAheadDays; ++offset) {
    const cctz::civil_day day = today + offset;
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", static_cast<int>(day.year()), day.month(), day.day());
    const Holiday* holiday = calendar.holiday_on(date);
    const auto weekday = static_cast<std::size_t>(cctz::get_weekday(day));  // cctz counts from Monday
    const auto& open = holiday ? holiday->hours : calendar.hours[weekday];
    std::vector<int> boundaries = {0};
    for (const auto& range : open) {
      boundaries.push_back(range.from);
      if (range.to < 1440) boundaries.push_back(range.to);
    }
    std::sort(boundaries.begin(), boundaries.end());
    for (int minute : boundaries) {
      const std::int64_t at = unix_ms_of(calendar.zone, cctz::civil_second(day) + minute * 60);
      if (at <= unix_ms) continue;
      const Decision then = state_at(calendar, local_time(calendar.zone, at));
      if ((then.state == State::open) != (out.state == State::open)) {
        out.next_change_ms = at;
        return out;
      }
    }
  }
  return out;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Calendar from_json(const json& object) {
  if (!object.is_object()) throw FieldError("", "a calendar must be a JSON object");
  only_fields(object, "", {"name", "description", "time_zone", "hours", "holidays"});
  Calendar calendar;
  calendar.name = text_field(object, "", "name", true, 64);
  if (!valid_name(calendar.name)) throw FieldError("name", "must be 1-64 letters, digits, '_' or '-'");
  calendar.description = text_field(object, "", "description", false, 200);
  calendar.zone_name = text_field(object, "", "time_zone", true, 64);
  if (!load_zone(calendar.zone_name, calendar.zone)) {
    throw FieldError("time_zone", "unknown time zone '" + calendar.zone_name + "' (use IANA names like Asia/Shanghai)");
  }
  if (object.contains("hours")) {
    const json& hours = object.at("hours");
    if (!hours.is_object()) throw FieldError("hours", "must be an object of days (mon ... sun)");
    for (const auto& [day, value] : hours.items()) {
      auto weekday = parse_weekday(day);
      if (!weekday) throw FieldError("hours." + day, "days are mon, tue, wed, thu, fri, sat, sun");
      calendar.hours[static_cast<std::size_t>(*weekday)] = ranges(value, "hours." + day);
    }
  }
  if (object.contains("holidays")) {
    const json& holidays = object.at("holidays");
    if (!holidays.is_array()) throw FieldError("holidays", "must be an array");
    if (holidays.size() > kMaxHolidays) {
      throw FieldError("holidays", "has more than " + std::to_string(kMaxHolidays) + " dates");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < holidays.size(); ++i) {
      const std::string at = "holidays[" + std::to_string(i) + "]";
      const json& item = holidays[i];
      if (!item.is_object()) throw FieldError(at, "must be a JSON object with a date");
      only_fields(item, at + ".", {"date", "name", "hours"});
      Holiday holiday;
      holiday.date = text_field(item, at + ".", "date", true, 10);
      if (!valid_date(holiday.date)) throw FieldError(at + ".date", "'" + holiday.date + "' is not a date YYYY-MM-DD");
      if (!seen.insert(holiday.date).second) throw FieldError(at + ".date", holiday.date + " is listed twice");
      holiday.name = text_field(item, at + ".", "name", false, 64);
      if (item.contains("hours")) holiday.hours = ranges(item.at("hours"), at + ".hours");
      calendar.holidays.push_back(std::move(holiday));
    }
    std::sort(calendar.holidays.begin(), calendar.holidays.end(),
              [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  }
  return calendar;
}

json to_json(const Calendar& calendar) {
  json hours = json::object();
  for (std::size_t day = 0; day < kDays.size(); ++day) hours[kDays[day]] = ranges_json(calendar.hours[day]);
  json holidays = json::array();
  for (const auto& holiday : calendar.holidays) {
    holidays.push_back({{"date", holiday.date}, {"name", holiday.name}, {"hours", ranges_json(holiday.hours)}});
  }
  return {{"name", calendar.name},
          {"description", calendar.description},
          {"time_zone", calendar.zone_name},
          {"hours", hours},
          {"holidays", holidays}};
}

json to_json(const Decision& decision) {
  return {{"state", to_string(decision.state)},
          {"holiday", decision.is_holiday ? json(decision.holiday) : json(nullptr)},
          {"next_change", decision.next_change_ms ? json(decision.next_change_ms) : json(nullptr)}};
}

}  // namespace unicc::calendar
