#include "call/voicemail_store.h"

#include <filesystem>

#include <spdlog/spdlog.h>

namespace unicc::call {
namespace {

constexpr const char* kSelect =
    "SELECT id, mailbox, caller, caller_name, call_id, created_at, duration_ms, path, heard FROM voicemails";

// WHERE clause for a filter; bind_filter binds its parameters in the same order.
std::string where_clause(const VoicemailFilter& filter) {
  std::string sql;
  auto add = [&sql](const char* condition) { sql += (sql.empty() ? " WHERE " : " AND ") + std::string(condition); };
  if (!filter.mailbox.empty()) add("mailbox = :mailbox");
  if (filter.heard) add("heard = :heard");
  return sql;
}

// `heard` is the filter's flag as the integer the column holds; it must outlive the statement.
void bind_filter(soci::details::prepare_temp_type& statement, const VoicemailFilter& filter, const int& heard) {
  if (!filter.mailbox.empty()) statement, soci::use(filter.mailbox);
  if (filter.heard) statement, soci::use(heard);
}

// Runs kSelect + `rest`; `bind` adds the parameters `rest` names.
template <typename Bind>
std::vector<Voicemail> select(soci::session& sql, const std::string& rest, Bind bind) {
  Voicemail row;
  long long id = 0, created_at = 0, duration_ms = 0;
  int heard = 0;
  auto statement = (sql.prepare << kSelect + rest, soci::into(id), soci::into(row.mailbox), soci::into(row.caller),
                    soci::into(row.caller_name), soci::into(row.call_id), soci::into(created_at),
                    soci::into(duration_ms), soci::into(row.path), soci::into(heard));
  bind(statement);
  soci::statement st(statement);
  st.execute(false);
  std::vector<Voicemail> out;
  while (st.fetch()) {
    row.id = id;
    row.created_at = created_at;
    row.duration_ms = duration_ms;
    row.heard = heard != 0;
    out.push_back(row);
  }
  return out;
}

}  // namespace

bool VoicemailStore::record(const Voicemail& voicemail) {
  return writer_.submit(
      [voicemail](soci::session& sql) {
        sql << "INSERT INTO voicemails (mailbox, caller, caller_name, call_id, created_at, duration_ms, path)"
               " VALUES (:mailbox, :caller, :caller_name, :call_id, :created_at, :duration_ms, :path)",
            soci::use(voicemail.mailbox), soci::use(voicemail.caller), soci::use(voicemail.caller_name),
            soci::use(voicemail.call_id), soci::use(voicemail.created_at), soci::use(voicemail.duration_ms),
            soci::use(voicemail.path);
      },
      "voicemail for mailbox " + voicemail.mailbox + " from call " + voicemail.call_id);
}

std::vector<Voicemail> VoicemailStore::find(const VoicemailFilter& filter) {
  writer_.flush();
  soci::session sql(db_.pool());
  int heard = filter.heard.value_or(false) ? 1 : 0;
  return select(sql, where_clause(filter) + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
                [&](soci::details::prepare_temp_type& statement) {
                  bind_filter(statement, filter, heard);
                  statement, soci::use(filter.limit), soci::use(filter.offset);
                });
}

std::int64_t VoicemailStore::count(const VoicemailFilter& filter) {
  writer_.flush();
  const int heard = filter.heard.value_or(false) ? 1 : 0;
  return store::count_rows(db_, "SELECT COUNT(*) FROM voicemails" + where_clause(filter),
                           [&](soci::details::prepare_temp_type& statement) { bind_filter(statement, filter, heard); });
}

std::optional<Voicemail> VoicemailStore::get(std::int64_t id) {
  writer_.flush();
  soci::session sql(db_.pool());
  auto found = select(sql, " WHERE id = :id", [&id](soci::details::prepare_temp_type& statement) {
    statement, soci::use(id);
  });
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool VoicemailStore::mark_heard(std::int64_t id) {
  writer_.flush();
  soci::session sql(db_.pool());
  soci::statement update = (sql.prepare << "UPDATE voicemails SET heard = 1 WHERE id = :id", soci::use(id));
  update.execute(true);
  return update.get_affected_rows() == 1;
}

bool VoicemailStore::remove(std::int64_t id) {
  auto voicemail = get(id);
  if (!voicemail) return false;
  soci::session sql(db_.pool());
  soci::statement deletion = (sql.prepare << "DELETE FROM voicemails WHERE id = :id", soci::use(id));
  deletion.execute(true);
  if (deletion.get_affected_rows() != 1) return false;  // removed meanwhile by another request
  std::error_code error;
  std::filesystem::remove(voicemail->path, error);
  if (error) spdlog::warn("voicemail {}: cannot delete {}: {}", id, voicemail->path, error.message());
  return true;
}

}  // namespace unicc::call
