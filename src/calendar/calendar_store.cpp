#include "calendar/calendar_store.h"

#include <nlohmann/json.hpp>

namespace unicc::calendar {

CalendarStore::CalendarStore(store::Database& db, const core::Clock& clock)
    : db_(db), clock_(clock), snapshot_(std::make_shared<const Snapshot>()) {}

void CalendarStore::load() {
  auto next = std::make_shared<Snapshot>();
  std::map<std::string, std::pair<std::int64_t, std::string>> updated;
  {
    soci::session sql(db_.pool());
    std::string name, document, by;
    long long at = 0;
    soci::statement st = (sql.prepare << "SELECT name, document, updated_at, updated_by FROM calendars",
                          soci::into(name), soci::into(document), soci::into(at), soci::into(by));
    st.execute(false);
    while (st.fetch()) {
      (*next)[name] = std::make_shared<const Calendar>(from_json(nlohmann::json::parse(document)));
      updated[name] = {at, by};
    }
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
  updated_ = std::move(updated);
}

std::shared_ptr<const Snapshot> CalendarStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

std::shared_ptr<const Calendar> CalendarStore::find(const std::string& name) const {
  auto current = snapshot();
  auto it = current->find(name);
  return it == current->end() ? nullptr : it->second;
}

std::optional<StoredCalendar> CalendarStore::stored(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = snapshot_->find(name);
  if (it == snapshot_->end()) return std::nullopt;
  const auto& [at, by] = updated_.at(name);
  return StoredCalendar{it->second, at, by};
}

bool CalendarStore::save(const Calendar& calendar, const std::string& by) {
  std::lock_guard lock(mutex_);
  const bool created = !snapshot_->contains(calendar.name);
  const std::string document = to_json(calendar).dump();
  const long long now = clock_.now_ms();
  {
    soci::session sql(db_.pool());
    soci::transaction tx(sql);
    sql << "DELETE FROM calendars WHERE name = :n", soci::use(calendar.name);
    sql << "INSERT INTO calendars (name, document, updated_at, updated_by) VALUES (:n, :d, :a, :b)",
        soci::use(calendar.name), soci::use(document), soci::use(now), soci::use(by);
    tx.commit();
  }
  auto next = std::make_shared<Snapshot>(*snapshot_);
  (*next)[calendar.name] = std::make_shared<const Calendar>(calendar);
  snapshot_ = std::move(next);
  updated_[calendar.name] = {now, by};
  return created;
}

bool CalendarStore::remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (!snapshot_->contains(name)) return false;
  {
    soci::session sql(db_.pool());
    sql << "DELETE FROM calendars WHERE name = :n", soci::use(name);
  }
  auto next = std::make_shared<Snapshot>(*snapshot_);
  next->erase(name);
  snapshot_ = std::move(next);
  updated_.erase(name);
  return true;
}

}  // namespace unicc::calendar
