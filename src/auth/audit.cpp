#include "auth/audit.h"

namespace unicc::auth {

std::pair<store::AsyncWriter::Write, std::string> AuditLog::insert(AuditEntry entry) const {
  if (entry.at == 0) entry.at = clock_.now_ms();
  std::string what = "audit " + entry.action + " by " + entry.actor + " on " + entry.target;
  return {[entry = std::move(entry)](soci::session& sql) {
            soci::indicator actor_ind = entry.actor_id == 0 ? soci::i_null : soci::i_ok;
            sql << "INSERT INTO audit_log (at, actor_id, actor, actor_role, action, target, detail, source)"
                   " VALUES (:at, :aid, :actor, :role, :action, :target, :detail, :source)",
                soci::use(entry.at), soci::use(entry.actor_id, actor_ind), soci::use(entry.actor),
                soci::use(entry.actor_role), soci::use(entry.action), soci::use(entry.target),
                soci::use(entry.detail), soci::use(entry.source);
          },
          std::move(what)};
}

bool AuditLog::record(AuditEntry entry) {
  auto [write, what] = insert(std::move(entry));
  return writer_.commit(std::move(write), std::move(what));
}

bool AuditLog::submit(AuditEntry entry) {
  auto [write, what] = insert(std::move(entry));
  return writer_.submit(std::move(write), std::move(what));
}

std::vector<AuditEntry> AuditLog::list(std::int64_t limit, std::int64_t offset, const std::string& action,
                                       const std::string& target) {
  writer_.flush();
  soci::session sql(db_.pool());
  std::string query =
      "SELECT id, at, actor_id, actor, actor_role, action, target, detail, source FROM audit_log WHERE 1 = 1";
  if (!action.empty()) query += " AND action = :action";
  if (!target.empty()) query += " AND target = :target";
  query += " ORDER BY id DESC LIMIT :l OFFSET :o";
  AuditEntry row;
  long long id = 0, at = 0, actor_id = 0;
  soci::indicator actor_ind = soci::i_ok;
  auto temp = (sql.prepare << query, soci::into(id), soci::into(at), soci::into(actor_id, actor_ind),
               soci::into(row.actor), soci::into(row.actor_role), soci::into(row.action), soci::into(row.target),
               soci::into(row.detail), soci::into(row.source));
  if (!action.empty()) temp, soci::use(action);
  if (!target.empty()) temp, soci::use(target);
  temp, soci::use(limit), soci::use(offset);
  soci::statement st(temp);
  st.execute(false);
  std::vector<AuditEntry> out;
  while (st.fetch()) {
    row.id = id;
    row.at = at;
    row.actor_id = actor_ind == soci::i_null ? 0 : actor_id;
    out.push_back(row);
  }
  return out;
}

}  // namespace unicc::auth
