#include "store/versioned_documents.h"

namespace unicc::store {
namespace {

constexpr const char* kColumns = "name, version, status, document, created_at, created_by";

// Runs a SELECT of kColumns from `table` with parameters bound by `bind` and collects the rows.
template <class Bind>
std::vector<StoredDocument> select_documents(soci::session& sql, const std::string& table, const std::string& where,
                                             Bind bind) {
  StoredDocument row;
  long long version = 0, created_at = 0;
  soci::statement st(sql);
  st.exchange(soci::into(row.name));
  st.exchange(soci::into(version));
  st.exchange(soci::into(row.status));
  st.exchange(soci::into(row.document));
  st.exchange(soci::into(created_at));
  st.exchange(soci::into(row.created_by));
  bind(st);
  st.alloc();
  st.prepare(std::string("SELECT ") + kColumns + " FROM " + table + " " + where);
  st.define_and_bind();
  st.execute(false);
  std::vector<StoredDocument> out;
  while (st.fetch()) {
    row.version = version;
    row.created_at = created_at;
    out.push_back(row);
  }
  return out;
}

std::optional<StoredDocument> first(std::vector<StoredDocument> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

std::optional<StoredDocument> VersionedDocuments::find_version(soci::session& sql, const std::string& name,
                                                               long long version) const {
  return first(select_documents(sql, table_, "WHERE name = :n AND version = :v AND status = 'published'",
                                [&](soci::statement& st) {
                                  st.exchange(soci::use(name));
                                  st.exchange(soci::use(version));
                                }));
}

void VersionedDocuments::upsert_current(soci::session& sql, const std::string& name, long long version, long long now,
                                        const std::string& author) const {
  sql << "INSERT INTO " + current_table_ +
             " (name, version, updated_at, updated_by) VALUES (:n, :v, :t, :b)"
             " ON CONFLICT (name) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,"
             " updated_by = excluded.updated_by",
      soci::use(name), soci::use(version), soci::use(now), soci::use(author);
}

StoredDocument VersionedDocuments::save_draft(const std::string& name, const std::string& document,
                                              const std::string& author) {
  std::lock_guard lock(write_mutex_);
  StoredDocument draft{name, 0, "draft", document, clock_.now_ms(), author};
  long long created_at = draft.created_at;
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  sql << "DELETE FROM " + table_ + " WHERE name = :n AND status = 'draft'", soci::use(name);
  sql << "INSERT INTO " + table_ +
             " (name, version, status, document, created_at, created_by) VALUES (:n, 0, 'draft', :d, :t, :b)",
      soci::use(name), soci::use(document), soci::use(created_at), soci::use(author);
  tx.commit();
  return draft;
}

std::optional<StoredDocument> VersionedDocuments::draft(const std::string& name) {
  soci::session sql(db_.pool());
  return first(select_documents(sql, table_, "WHERE name = :n AND status = 'draft'",
                                [&](soci::statement& st) { st.exchange(soci::use(name)); }));
}

std::optional<StoredDocument> VersionedDocuments::version(const std::string& name, std::int64_t version) {
  soci::session sql(db_.pool());
  return find_version(sql, name, version);
}

std::vector<StoredDocument> VersionedDocuments::versions(const std::string& name) {
  soci::session sql(db_.pool());
  auto rows = select_documents(sql, table_, "WHERE name = :n AND status = 'published' ORDER BY version DESC",
                               [&](soci::statement& st) { st.exchange(soci::use(name)); });
  for (auto& row : rows) row.document.clear();
  return rows;
}

std::int64_t VersionedDocuments::current_version(const std::string& name) {
  soci::session sql(db_.pool());
  long long version = 0;
  sql << "SELECT version FROM " + current_table_ + " WHERE name = :n", soci::use(name), soci::into(version);
  return sql.got_data() ? version : 0;
}

std::vector<DocumentSummary> VersionedDocuments::list() {
  soci::session sql(db_.pool());
  DocumentSummary row;
  long long current = 0, latest = 0, drafts = 0;
  soci::indicator current_null = soci::i_ok;
  soci::statement st =
      (sql.prepare << "SELECT f.name, MAX(c.version), MAX(f.version), SUM(CASE WHEN f.status = 'draft' THEN 1 ELSE 0 END)"
                      " FROM " + table_ + " f LEFT JOIN " + current_table_ +
                          " c ON c.name = f.name GROUP BY f.name ORDER BY f.name",
       soci::into(row.name), soci::into(current, current_null), soci::into(latest), soci::into(drafts));
  st.execute(false);
  std::vector<DocumentSummary> out;
  while (st.fetch()) {
    row.current_version = current_null == soci::i_null ? 0 : current;
    row.latest_version = latest;
    row.has_draft = drafts > 0;
    out.push_back(row);
  }
  return out;
}

std::vector<StoredDocument> VersionedDocuments::current_all() {
  soci::session sql(db_.pool());
  return select_documents(sql, table_,
                          "WHERE status = 'published' AND EXISTS (SELECT 1 FROM " + current_table_ +
                              " c WHERE c.name = " + table_ + ".name AND c.version = " + table_ +
                              ".version) ORDER BY name",
                          [](soci::statement&) {});
}

StoredDocument VersionedDocuments::publish(const std::string& name, const std::string& author) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  // The transaction starts with its write. On SQLite a transaction that reads first
  // and then writes fails at once ("database is locked") when another connection
  // (the audit writer) committed in between; a first write waits for the lock instead.
  soci::transaction tx(sql);
  long long now = clock_.now_ms();
  soci::statement update =
      (sql.prepare << "UPDATE " + table_ + " SET status = 'published', version = (SELECT MAX(version) + 1 FROM " +
                          table_ + " WHERE name = :n1), created_at = :t, created_by = :b WHERE name = :n2 AND status = 'draft'",
       soci::use(name), soci::use(now), soci::use(author), soci::use(name));
  update.execute(true);
  if (update.get_affected_rows() != 1) throw VersionedDocumentsError(kind_ + " '" + name + "' has no draft to publish");
  long long next = 0;
  sql << "SELECT MAX(version) FROM " + table_ + " WHERE name = :n", soci::use(name), soci::into(next);
  upsert_current(sql, name, next, now, author);
  tx.commit();
  return *find_version(sql, name, next);
}

void VersionedDocuments::set_current(const std::string& name, std::int64_t version, const std::string& author) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);  // writes first, as in publish(); rolled back if the version is missing
  upsert_current(sql, name, version, clock_.now_ms(), author);
  if (!find_version(sql, name, version)) {
    throw VersionedDocumentsError(kind_ + " '" + name + "' has no version " + std::to_string(version));
  }
  tx.commit();
}

}  // namespace unicc::store
