#include "call/numbers.h"

namespace unicc::call {

std::optional<NumberTarget> parse_number_target(const std::string& target) {
  const auto colon = target.find(':');
  if (colon == std::string::npos || colon + 1 == target.size()) return std::nullopt;
  NumberTarget out{target.substr(0, colon), target.substr(colon + 1)};
  if (out.kind != "flow" && out.kind != "queue" && out.kind != "extension") return std::nullopt;
  return out;
}

NumberStore::NumberStore(store::Database& db) : db_(db) {}

void NumberStore::load() {
  std::lock_guard writing(write_mutex_);
  auto records = std::make_shared<Records>();
  soci::session sql(db_.pool());
  NumberRecord record;
  long long updated_at = 0;
  soci::statement st = (sql.prepare << "SELECT number, target, description, updated_by, updated_at FROM numbers",
                        soci::into(record.number), soci::into(record.target), soci::into(record.description),
                        soci::into(record.updated_by), soci::into(updated_at));
  st.execute(false);
  while (st.fetch()) {
    record.updated_at = updated_at;
    (*records)[record.number] = record;
  }
  std::lock_guard lock(mutex_);
  records_ = std::move(records);
}

std::vector<NumberRecord> NumberStore::all() const {
  std::shared_ptr<const Records> records;
  {
    std::lock_guard lock(mutex_);
    records = records_;
  }
  std::vector<NumberRecord> out;
  out.reserve(records->size());
  for (const auto& [number, record] : *records) out.push_back(record);
  return out;
}

std::optional<NumberRecord> NumberStore::find(const std::string& number) const {
  std::lock_guard lock(mutex_);
  auto it = records_->find(number);
  if (it == records_->end()) return std::nullopt;
  return it->second;
}

void NumberStore::put(const NumberRecord& record) {
  std::lock_guard writing(write_mutex_);
  {
    soci::session sql(db_.pool());
    soci::transaction tx(sql);
    const long long updated_at = record.updated_at;
    sql << "DELETE FROM numbers WHERE number = :n", soci::use(record.number);
    sql << "INSERT INTO numbers (number, target, description, updated_by, updated_at) VALUES (:n, :t, :d, :b, :a)",
        soci::use(record.number), soci::use(record.target), soci::use(record.description),
        soci::use(record.updated_by), soci::use(updated_at);
    tx.commit();
  }
  std::lock_guard lock(mutex_);
  auto records = std::make_shared<Records>(*records_);
  (*records)[record.number] = record;
  records_ = std::move(records);
}

bool NumberStore::remove(const std::string& number) {
  std::lock_guard writing(write_mutex_);
  if (!find(number)) return false;
  {
    soci::session sql(db_.pool());
    sql << "DELETE FROM numbers WHERE number = :n", soci::use(number);
  }
  std::lock_guard lock(mutex_);
  auto records = std::make_shared<Records>(*records_);
  records->erase(number);
  records_ = std::move(records);
  return true;
}

}  // namespace unicc::call
