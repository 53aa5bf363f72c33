#include "calendar/local_time.h"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>

#include <cctz/civil_time.h>

namespace unicc::calendar {
namespace {

constexpr std::array<const char*, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool digits(const std::string& text, std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int number(const std::string& text, std::size_t from, std::size_t count) {
  return std::stoi(text.substr(from, count));
}

}  // namespace

LocalTime local_time(const cctz::time_zone& zone, std::int64_t unix_ms) {
  auto instant = std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
  cctz::civil_second civil = cctz::convert(instant, zone);
  LocalTime out;
  out.weekday = static_cast<int>(cctz::get_weekday(cctz::civil_day(civil)));  // cctz counts from Monday
  out.minute_of_day = civil.hour() * 60 + civil.minute();
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", static_cast<int>(civil.year()), civil.month(), civil.day());
  out.date = date;
  return out;
}

bool load_zone(const std::string& name, cctz::time_zone& zone) {
  if (name.empty() || name.size() > 64 || name[0] == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  }
  return cctz::load_time_zone(name, &zone);
}

std::optional<int> parse_clock_time(const std::string& text) {
  if (text.size() != 5 || text[2] != ':' || !digits(text, 0, 2) || !digits(text, 3, 2)) return std::nullopt;
  int hours = number(text, 0, 2);
  int minutes = number(text, 3, 2);
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
  return hours * 60 + minutes;
}

bool valid_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!digits(text, 0, 4) || !digits(text, 5, 2) || !digits(text, 8, 2)) return false;
  int year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
  cctz::civil_day civil(year, month, day);  // normalises out-of-range fields
  return civil.year() == year && civil.month() == month && civil.day() == day;
}

std::optional<int> parse_weekday(const std::string& text) {
  for (std::size_t i = 0; i < kWeekdays.size(); ++i) {
    if (text == kWeekdays[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace unicc::calendar
