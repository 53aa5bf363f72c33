// calendar::decide over a fake clock's instants (time zones, several ranges a day,
// holidays closed or with special hours, the change of date at local midnight, the
// next change), and calendar::from_json's refusals naming the field.
#include "calendar/calendar.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace unicc::calendar {
namespace {

using nlohmann::json;

json range(const char* from, const char* to) { return {{"from", from}, {"to", to}}; }

// Mon-Fri 09:00-12:00 and 13:00-18:00 in `zone`; 2026-12-08 (a Tuesday) a half day
// 09:00-12:00; 2026-12-09 closed all day.
Calendar office(const std::string& zone) {
  json day = json::array({range("09:00", "12:00"), range("13:00", "18:00")});
  return from_json({{"name", "office"},
                    {"time_zone", zone},
                    {"hours", {{"mon", day}, {"tue", day}, {"wed", day}, {"thu", day}, {"fri", day}}},
                    {"holidays",
                     {{{"date", "2026-12-09"}, {"name", "Founders' day"}},
                      {{"date", "2026-12-08"}, {"name", "Half day"}, {"hours", {range("09:00", "12:00")}}}}}});
}

// Milliseconds of a UTC time on 2026-12-DD.
std::int64_t utc(int day, int hour, int minute, int second = 0) {
  const std::int64_t kDec1 = 1'796'083'200'000;  // 2026-12-01 00:00 UTC
  return kDec1 + (((day - 1) * 24LL + hour) * 60 + minute) * 60'000 + second * 1000LL;
}

TEST(Calendar, OpenHoursAreLocalToTheCalendarsTimeZone) {
  core::FakeClock clock{utc(7, 1, 30)};  // Monday 09:30 in Shanghai, 01:30 in London
  const Calendar shanghai = office("Asia/Shanghai"), london = office("Europe/London");
  auto decision = decide(shanghai, clock.now_ms());
  EXPECT_EQ(decision.state, State::open);
  EXPECT_FALSE(decision.is_holiday);
  EXPECT_EQ(decision.next_change_ms, utc(7, 4, 0)) << "12:00 Shanghai, the lunch break";
  EXPECT_EQ(decide(london, clock.now_ms()).state, State::closed);
  EXPECT_EQ(decide(london, clock.now_ms()).next_change_ms, utc(7, 9, 0));

  clock.set_ms(utc(7, 4, 30));  // 12:30 Shanghai: between the ranges
  decision = decide(shanghai, clock.now_ms());
  EXPECT_EQ(decision.state, State::closed);
  EXPECT_EQ(decision.next_change_ms, utc(7, 5, 0));
  clock.set_ms(utc(7, 10, 0));  // 18:00 Shanghai: the end is not included
  EXPECT_EQ(decide(shanghai, clock.now_ms()).state, State::closed);
  EXPECT_EQ(decide(shanghai, clock.now_ms()).next_change_ms, utc(8, 1, 0)) << "Tuesday 09:00 (its half day)";
}

TEST(Calendar, AHolidayWithSpecialHoursIsOpenOnlyInThem) {
  const Calendar shanghai = office("Asia/Shanghai");
  auto morning = decide(shanghai, utc(8, 2, 0));  // Tuesday 10:00
  EXPECT_EQ(morning.state, State::open);
  EXPECT_TRUE(morning.is_holiday);
  EXPECT_EQ(morning.holiday, "Half day");
  EXPECT_EQ(morning.next_change_ms, utc(8, 4, 0));
  auto afternoon = decide(shanghai, utc(8, 6, 0));  // 14:00, normally open
  EXPECT_EQ(afternoon.state, State::holiday);
  EXPECT_EQ(afternoon.next_change_ms, utc(10, 1, 0)) << "the closed holiday runs into Thursday 09:00";
  EXPECT_EQ(decide(shanghai, utc(9, 2, 0)).holiday, "Founders' day");
}

TEST(Calendar, TheDateChangesAtLocalMidnightNotUtc) {
  Calendar shanghai = from_json({{"name", "all-day"},
                                 {"time_zone", "Asia/Shanghai"},
                                 {"hours", {{"mon", {range("00:00", "24:00")}}, {"tue", {range("00:00", "24:00")}}}},
                                 {"holidays", {{{"date", "2026-12-08"}}}}});
  core::FakeClock clock{utc(7, 15, 59, 59)};  // Monday 23:59:59 in Shanghai
  auto monday = decide(shanghai, clock.now_ms());
  EXPECT_EQ(monday.state, State::open);
  EXPECT_EQ(monday.next_change_ms, utc(7, 16, 0));
  clock.advance(std::chrono::seconds(1));  // Tuesday 00:00 in Shanghai, still Monday in UTC
  EXPECT_EQ(decide(shanghai, clock.now_ms()).state, State::holiday);
  EXPECT_EQ(decide(shanghai, clock.now_ms()).next_change_ms, utc(13, 16, 0)) << "next Monday 00:00 in Shanghai";
  Calendar never = shanghai;
  never.hours = {};
  EXPECT_EQ(decide(never, clock.now_ms()).next_change_ms, 0) << "never opens again within the look-ahead";
}

TEST(Calendar, HoursRunningToMidnightAndOnAreOneOpening) {
  Calendar late = from_json({{"name", "late"},
                             {"time_zone", "UTC"},
                             {"hours", {{"mon", {range("22:00", "24:00")}}, {"tue", {range("00:00", "02:00")}}}}});
  auto decision = decide(late, utc(7, 23, 30));
  EXPECT_EQ(decision.state, State::open);
  EXPECT_EQ(decision.next_change_ms, utc(8, 2, 0));
  EXPECT_EQ(decide(late, utc(8, 2, 0)).next_change_ms, utc(14, 22, 0)) << "next Monday";
}

TEST(Calendar, DaylightSavingMovesTheInstantsNotTheLocalHours) {
  Calendar york = from_json({{"name", "york"},
                             {"time_zone", "America/New_York"},
                             {"hours", {{"sun", {range("09:00", "17:00")}}}}});
  const std::int64_t kSunday8Mar2026 = 1'772'928'000'000;  // 2026-03-08 00:00 UTC
  // 09:00 EDT (UTC-4) after the 02:00 jump is 13:00 UTC.
  EXPECT_EQ(decide(york, kSunday8Mar2026).next_change_ms, kSunday8Mar2026 + 13 * 3'600'000LL);
  EXPECT_EQ(decide(york, kSunday8Mar2026 + 13 * 3'600'000LL).state, State::open);
}

std::string refusal(const json& object) {
  try {
    from_json(object);
  } catch (const FieldError& error) {
    return error.what();
  }
  return "accepted";
}

TEST(Calendar, ReadingRefusesEachWrongFieldByName) {
  json good = {{"name", "ok"}, {"time_zone", "Asia/Shanghai"},
               {"hours", {{"mon", {range("09:00", "12:00"), range("13:00", "18:00")}}}}};
  EXPECT_EQ(refusal(good), "accepted");
  auto with = [&good](const json::json_pointer& at, json value) {
    json copy = good;
    copy[at] = std::move(value);
    return refusal(copy);
  };
  EXPECT_EQ(with(json::json_pointer("/hours/mon/1/to"), "12:30"),
            "hours.mon[1].to: must be after from (13:00); a range cannot cross midnight, split it at 24:00");
  EXPECT_EQ(with(json::json_pointer("/hours/mon/1/from"), "11:00"), "hours.mon[1].from: overlaps hours.mon[0]");
  EXPECT_EQ(with(json::json_pointer("/hours/mon/0/from"), "9am"),
            "hours.mon[0].from: '9am' is not a time HH:MM (00:00 to 24:00)");
  EXPECT_EQ(with(json::json_pointer("/hours/funday"), json::array()), "hours.funday: days are mon, tue, wed, thu, fri, sat, sun");
  EXPECT_EQ(with(json::json_pointer("/time_zone"), "Mars/Olympus"),
            "time_zone: unknown time zone 'Mars/Olympus' (use IANA names like Asia/Shanghai)");
  EXPECT_EQ(with(json::json_pointer("/name"), "a b"), "name: must be 1-64 letters, digits, '_' or '-'");
  EXPECT_EQ(with(json::json_pointer("/holidays"), {{{"date", "2026-02-30"}}}),
            "holidays[0].date: '2026-02-30' is not a date YYYY-MM-DD");
  EXPECT_EQ(with(json::json_pointer("/holidays"), {{{"date", "2026-10-01"}}, {{"date", "2026-10-01"}}}),
            "holidays[1].date: 2026-10-01 is listed twice");
  EXPECT_EQ(with(json::json_pointer("/holidays"), {{{"date", "2026-10-01"}, {"hours", {range("12:00", "09:00")}}}}),
            "holidays[0].hours[0].to: must be after from (12:00); a range cannot cross midnight, split it at 24:00");
  EXPECT_EQ(with(json::json_pointer("/colour"), "red"), "colour: unknown field");
}

TEST(Calendar, TheJsonFormRoundTrips) {
  const Calendar calendar = office("Asia/Shanghai");
  const json once = to_json(calendar);
  EXPECT_EQ(to_json(from_json(once)), once);
  EXPECT_EQ(once["holidays"][0]["date"], "2026-12-08") << "sorted by date";
  EXPECT_EQ(once["hours"]["sat"], json::array());
}

}  // namespace
}  // namespace unicc::calendar
