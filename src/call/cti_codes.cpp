#include "call/cti_codes.h"

namespace unicc::call {
namespace {

constexpr const char* kDispositions = "disposition";
constexpr const char* kNotReadyReasons = "not_ready_reason";

void insert(soci::session& sql, const char* list, const std::vector<core::CtiCode>& codes) {
  const std::string name = list;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const long long position = static_cast<long long>(i);
    sql << "INSERT INTO cti_codes (list, position, code, label_en, label_zh) VALUES (:l, :p, :c, :e, :z)",
        soci::use(name), soci::use(position), soci::use(codes[i].code), soci::use(codes[i].en), soci::use(codes[i].zh);
  }
}

}  // namespace

CtiCodeStore::CtiCodeStore(store::Database& db) : db_(db) {}

void CtiCodeStore::seed(const core::CtiConfig& lists) {
  std::lock_guard lock(mutex_);
  {
    soci::session sql(db_.pool());
    soci::transaction tx(sql);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM cti_codes", soci::into(count);
    if (count == 0) {
      insert(sql, kDispositions, lists.dispositions);
      insert(sql, kNotReadyReasons, lists.not_ready_reasons);
    }
    tx.commit();
  }
  lists_ = read();
}

core::CtiConfig CtiCodeStore::read() const {
  core::CtiConfig out;
  out.dispositions.clear();
  out.not_ready_reasons.clear();
  soci::session sql(db_.pool());
  std::string list;
  core::CtiCode code;
  soci::statement st = (sql.prepare << "SELECT list, code, label_en, label_zh FROM cti_codes ORDER BY list, position",
                        soci::into(list), soci::into(code.code), soci::into(code.en), soci::into(code.zh));
  st.execute(false);
  while (st.fetch()) (list == kDispositions ? out.dispositions : out.not_ready_reasons).push_back(code);
  return out;
}

core::CtiConfig CtiCodeStore::lists() const {
  std::lock_guard lock(mutex_);
  return lists_;
}

void CtiCodeStore::replace(const core::CtiConfig& lists) {
  std::lock_guard lock(mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  sql << "DELETE FROM cti_codes";
  insert(sql, kDispositions, lists.dispositions);
  insert(sql, kNotReadyReasons, lists.not_ready_reasons);
  tx.commit();
  lists_ = lists;
}

bool CtiCodeStore::has_disposition(std::string_view code) const {
  std::lock_guard lock(mutex_);
  return lists_.has_disposition(code);
}

}  // namespace unicc::call
