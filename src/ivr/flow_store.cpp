#include "ivr/flow_store.h"

namespace unicc::ivr {
namespace {

constexpr const char* kColumns = "name, version, status, document, created_at, created_by";

// Runs a SELECT of kColumns with parameters bound by `bind` and collects the rows.
template <class Bind>
std::vector<StoredFlow> select_flows(soci::session& sql, const std::string& where, Bind bind) {
  StoredFlow row;
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
  st.prepare(std::string("SELECT ") + kColumns + " FROM flows " + where);
  st.define_and_bind();
  st.execute(false);
  std::vector<StoredFlow> out;
  while (st.fetch()) {
    row.version = version;
    row.created_at = created_at;
    out.push_back(row);
  }
  return out;
}

std::optional<StoredFlow> first(std::vector<StoredFlow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<StoredFlow> find_version(soci::session& sql, const std::string& name, long long version) {
  return first(select_flows(sql, "WHERE name = :n AND version = :v AND status = 'published'", [&](soci::statement& st) {
    st.exchange(soci::use(name));
    st.exchange(soci::use(version));
  }));
}

void upsert_current(soci::session& sql, const std::string& name, long long version, long long now,
                    const std::string& author) {
  sql << "INSERT INTO flow_current (name, version, updated_at, updated_by) VALUES (:n, :v, :t, :b)"
         " ON CONFLICT (name) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,"
         " updated_by = excluded.updated_by",
      soci::use(name), soci::use(version), soci::use(now), soci::use(author);
}

}  // namespace

StoredFlow FlowStore::save_draft(const std::string& name, const std::string& document, const std::string& author) {
  std::lock_guard lock(write_mutex_);
  StoredFlow draft{name, 0, "draft", document, clock_.now_ms(), author};
  long long created_at = draft.created_at;
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  sql << "DELETE FROM flows WHERE name = :n AND status = 'draft'", soci::use(name);
  sql << "INSERT INTO flows (name, version, status, document, created_at, created_by)"
         " VALUES (:n, 0, 'draft', :d, :t, :b)",
      soci::use(name), soci::use(document), soci::use(created_at), soci::use(author);
  tx.commit();
  return draft;
}

std::optional<StoredFlow> FlowStore::draft(const std::string& name) {
  soci::session sql(db_.pool());
  return first(select_flows(sql, "WHERE name = :n AND status = 'draft'",
                            [&](soci::statement& st) { st.exchange(soci::use(name)); }));
}

std::optional<StoredFlow> FlowStore::version(const std::string& name, std::int64_t version) {
  soci::session sql(db_.pool());
  return find_version(sql, name, version);
}

std::vector<StoredFlow> FlowStore::versions(const std::string& name) {
  soci::session sql(db_.pool());
  auto rows = select_flows(sql, "WHERE name = :n AND status = 'published' ORDER BY version DESC",
                           [&](soci::statement& st) { st.exchange(soci::use(name)); });
  for (auto& row : rows) row.document.clear();
  return rows;
}

std::int64_t FlowStore::current_version(const std::string& name) {
  soci::session sql(db_.pool());
  long long version = 0;
  sql << "SELECT version FROM flow_current WHERE name = :n", soci::use(name), soci::into(version);
  return sql.got_data() ? version : 0;
}

std::vector<FlowSummary> FlowStore::list() {
  soci::session sql(db_.pool());
  FlowSummary row;
  long long current = 0, latest = 0, drafts = 0;
  soci::indicator current_null = soci::i_ok;
  soci::statement st =
      (sql.prepare << "SELECT f.name, MAX(c.version), MAX(f.version), SUM(CASE WHEN f.status = 'draft' THEN 1 ELSE 0 END)"
                      " FROM flows f LEFT JOIN flow_current c ON c.name = f.name GROUP BY f.name ORDER BY f.name",
       soci::into(row.name), soci::into(current, current_null), soci::into(latest), soci::into(drafts));
  st.execute(false);
  std::vector<FlowSummary> out;
  while (st.fetch()) {
    row.current_version = current_null == soci::i_null ? 0 : current;
    row.latest_version = latest;
    row.has_draft = drafts > 0;
    out.push_back(row);
  }
  return out;
}

std::vector<StoredFlow> FlowStore::current_all() {
  soci::session sql(db_.pool());
  return select_flows(sql,
                      "WHERE status = 'published' AND EXISTS (SELECT 1 FROM flow_current c"
                      " WHERE c.name = flows.name AND c.version = flows.version) ORDER BY name",
                      [](soci::statement&) {});
}

StoredFlow FlowStore::publish(const std::string& name, const std::string& author) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  // The transaction starts with its write. On SQLite a transaction that reads first
  // and then writes fails at once ("database is locked") when another connection
  // (the audit writer) committed in between; a first write waits for the lock instead.
  soci::transaction tx(sql);
  long long now = clock_.now_ms();
  soci::statement update = (sql.prepare << "UPDATE flows SET status = 'published',"
                                           " version = (SELECT MAX(version) + 1 FROM flows WHERE name = :n1),"
                                           " created_at = :t, created_by = :b WHERE name = :n2 AND status = 'draft'",
                            soci::use(name), soci::use(now), soci::use(author), soci::use(name));
  update.execute(true);
  if (update.get_affected_rows() != 1) throw FlowStoreError("flow '" + name + "' has no draft to publish");
  long long next = 0;
  sql << "SELECT MAX(version) FROM flows WHERE name = :n", soci::use(name), soci::into(next);
  upsert_current(sql, name, next, now, author);
  tx.commit();
  return *find_version(sql, name, next);
}

void FlowStore::set_current(const std::string& name, std::int64_t version, const std::string& author) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);  // writes first, as in publish(); rolled back if the version is missing
  upsert_current(sql, name, version, clock_.now_ms(), author);
  if (!find_version(sql, name, version)) {
    throw FlowStoreError("flow '" + name + "' has no version " + std::to_string(version));
  }
  tx.commit();
}

}  // namespace unicc::ivr
