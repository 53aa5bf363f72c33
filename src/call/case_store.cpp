#include "call/case_store.h"

#include "store/database.h"

namespace unicc::call {
namespace {

constexpr const char* kCaseSelect =
    "SELECT t.id, t.cdr_id, t.kind, t.title, t.category, t.notes, t.created_by, t.created_at, t.updated_at,"
    " c.caller, c.agent, c.queue, c.started_at,"
    " CASE WHEN c.answered_at > 0 AND c.ended_at > c.answered_at THEN c.ended_at - c.answered_at ELSE 0 END,"
    " c.recording_path FROM typical_cases t JOIN cdrs c ON c.id = t.cdr_id";

// WHERE clause for a filter; bind_case_filter binds its parameters in the same order.
std::string case_where(const CaseFilter& filter) {
  std::string sql;
  auto add = [&sql](const char* condition) { sql += (sql.empty() ? " WHERE " : " AND ") + std::string(condition); };
  if (!filter.kind.empty()) add("t.kind = :kind");
  if (!filter.category.empty()) add("t.category = :category");
  if (!filter.text.empty()) add("(LOWER(t.title) LIKE :t1 ESCAPE '!' OR LOWER(t.notes) LIKE :t2 ESCAPE '!')");
  return sql;
}

void bind_case_filter(soci::details::prepare_temp_type& statement, const CaseFilter& filter, const std::string& pattern) {
  if (!filter.kind.empty()) statement, soci::use(filter.kind);
  if (!filter.category.empty()) statement, soci::use(filter.category);
  if (!filter.text.empty()) statement, soci::use(pattern), soci::use(pattern);
}

// Runs kCaseSelect + `rest`; `bind` adds the parameters `rest` names.
template <typename Bind>
std::vector<TypicalCase> select_cases(soci::session& sql, const std::string& rest, Bind bind) {
  TypicalCase row;
  long long id = 0, cdr_id = 0, created_at = 0, updated_at = 0, started_at = 0, talk_ms = 0;
  auto statement = (sql.prepare << kCaseSelect + rest, soci::into(id), soci::into(cdr_id), soci::into(row.kind),
                    soci::into(row.title), soci::into(row.category), soci::into(row.notes),
                    soci::into(row.created_by), soci::into(created_at), soci::into(updated_at),
                    soci::into(row.caller), soci::into(row.agent), soci::into(row.queue), soci::into(started_at),
                    soci::into(talk_ms), soci::into(row.recording_path));
  bind(statement);
  soci::statement st(statement);
  st.execute(false);
  std::vector<TypicalCase> out;
  while (st.fetch()) {
    row.id = id;
    row.cdr_id = cdr_id;
    row.created_at = created_at;
    row.updated_at = updated_at;
    row.started_at = started_at;
    row.talk_ms = talk_ms;
    out.push_back(row);
  }
  return out;
}

}  // namespace

TypicalCase CaseStore::add(const TypicalCase& typical) {
  writer_.flush();  // the call's final record is there to point at
  std::int64_t id = 0;
  {
    soci::session sql(db_.pool());
    sql << "INSERT INTO typical_cases (cdr_id, kind, title, category, notes, created_by, created_at, updated_at)"
           " VALUES (:cdr_id, :kind, :title, :category, :notes, :created_by, :created_at, :updated_at) RETURNING id",
        soci::use(typical.cdr_id), soci::use(typical.kind), soci::use(typical.title), soci::use(typical.category),
        soci::use(typical.notes), soci::use(typical.created_by), soci::use(typical.created_at),
        soci::use(typical.created_at), soci::into(id);
  }
  return *get(id);
}

std::vector<TypicalCase> CaseStore::find(const CaseFilter& filter) {
  soci::session sql(db_.pool());
  const std::string pattern = store::like_contains(filter.text);
  return select_cases(sql, case_where(filter) + " ORDER BY t.created_at DESC, t.id DESC LIMIT :limit OFFSET :offset",
                [&](soci::details::prepare_temp_type& statement) {
                  bind_case_filter(statement, filter, pattern);
                  statement, soci::use(filter.limit), soci::use(filter.offset);
                });
}

std::int64_t CaseStore::count(const CaseFilter& filter) {
  const std::string pattern = store::like_contains(filter.text);
  return store::count_rows(db_, "SELECT COUNT(*) FROM typical_cases t" + case_where(filter),
                           [&](soci::details::prepare_temp_type& statement) {
                             bind_case_filter(statement, filter, pattern);
                           });
}

std::optional<TypicalCase> CaseStore::get(std::int64_t id) {
  soci::session sql(db_.pool());
  auto found = select_cases(sql, " WHERE t.id = :id", [&id](soci::details::prepare_temp_type& statement) {
    statement, soci::use(id);
  });
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool CaseStore::update(const TypicalCase& typical, std::int64_t now_ms) {
  soci::session sql(db_.pool());
  soci::statement st = (sql.prepare << "UPDATE typical_cases SET kind = :kind, title = :title, category = :category,"
                                       " notes = :notes, updated_at = :now WHERE id = :id",
                        soci::use(typical.kind), soci::use(typical.title), soci::use(typical.category),
                        soci::use(typical.notes), soci::use(now_ms), soci::use(typical.id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool CaseStore::remove(std::int64_t id) {
  soci::session sql(db_.pool());
  soci::statement st = (sql.prepare << "DELETE FROM typical_cases WHERE id = :id", soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace unicc::call
