#pragma once
// calendar — shared business hours and holidays (docs/api.md, Calendars).
//
// Contract: a Calendar is a named time zone, weekly opening hours (several
// [from, to) ranges of local minutes per weekday, no range across midnight; "24:00"
// ends a day) and holidays (local dates, each optionally named, closed all day or
// open only in its own special hours). decide() says, for an instant, whether the
// calendar is open, closed, or closed for a holiday, and when that next changes.
// It is pure: the caller passes the time (core's clock), so tests use a fake one.
//
// Calendars have one JSON form, over REST and in the database:
//   {"name":"support","description":"","time_zone":"Asia/Shanghai",
//    "hours":{"mon":[{"from":"09:00","to":"18:00"}], ...},   (a missing day: closed)
//    "holidays":[{"date":"2026-10-01","name":"National Day","hours":[...]}]}
// from_json() is strict and throws FieldError naming the field ("hours.mon[1].to").
// Flows' schedule nodes (ivr) and queues (contact) read calendars by name from a
// CalendarStore's snapshot (calendar_store.h), never from the database.
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <cctz/time_zone.h>
#include <nlohmann/json_fwd.hpp>

namespace unicc::calendar {

// Minutes since local midnight, [from, to), from < to <= 1440.
struct Range {
  int from = 0;
  int to = 0;
};

struct Holiday {
  std::string date;  // YYYY-MM-DD, local
  std::string name;
  std::vector<Range> hours;  // empty: closed all day; else open only in these
};

inline constexpr std::size_t kMaxRangesPerDay = 8;
inline constexpr std::size_t kMaxHolidays = 400;

struct Calendar {
  std::string name;
  std::string description;
  std::string zone_name = "UTC";
  cctz::time_zone zone;
  std::array<std::vector<Range>, 7> hours;  // Monday first; empty = closed all day
  std::vector<Holiday> holidays;            // by date, each date once

  const Holiday* holiday_on(const std::string& date) const;
};

enum class State { open, closed, holiday };
const char* to_string(State state);

struct Decision {
  State state = State::closed;
  std::string holiday;  // the holiday's name when today is one (open in its hours or not)
  bool is_holiday = false;
  std::int64_t next_change_ms = 0;  // when it next opens or closes; 0: not within 31 days
};

Decision decide(const Calendar& calendar, std::int64_t unix_ms);

class FieldError : public std::runtime_error {
 public:
  FieldError(std::string field, const std::string& message)
      : std::runtime_error(field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Calendar names: 1-64 letters, digits, '_' or '-'.
bool valid_name(const std::string& name);

Calendar from_json(const nlohmann::json& object);
nlohmann::json to_json(const Calendar& calendar);
// {"state":"open","holiday":"...","next_change":ms|null} for a decision.
nlohmann::json to_json(const Decision& decision);

}  // namespace unicc::calendar
