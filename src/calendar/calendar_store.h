#pragma once
// calendar::CalendarStore — the named calendars in the database (table calendars,
// one JSON document per name: calendar.h's form) and the snapshot calls read.
//
// The snapshot is an immutable map of name -> Calendar behind a shared_ptr; a write
// goes to the database first, then a new map replaces the old one (copy on write),
// so a call's decision never touches the database and a change applies to the next
// decision. Writes come from the REST API (never from a call's path). Any thread.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "calendar/calendar.h"
#include "core/clock.h"
#include "store/database.h"

namespace unicc::calendar {

using Snapshot = std::map<std::string, std::shared_ptr<const Calendar>>;

struct StoredCalendar {
  std::shared_ptr<const Calendar> calendar;
  std::int64_t updated_at = 0;
  std::string updated_by;
};

class CalendarStore {
 public:
  CalendarStore(store::Database& db, const core::Clock& clock);

  // Reads every calendar from the database into the snapshot (at start).
  void load();

  std::shared_ptr<const Snapshot> snapshot() const;
  // The calendar of the moment; null for a name that has none.
  std::shared_ptr<const Calendar> find(const std::string& name) const;
  std::optional<StoredCalendar> stored(const std::string& name) const;

  // Inserts or replaces by name; true when it was new.
  bool save(const Calendar& calendar, const std::string& by);
  // False when there was no such calendar.
  bool remove(const std::string& name);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;  // guards the pointers below; writes hold it throughout
  std::shared_ptr<const Snapshot> snapshot_;
  std::map<std::string, std::pair<std::int64_t, std::string>> updated_;  // name -> (at, by)
};

}  // namespace unicc::calendar
