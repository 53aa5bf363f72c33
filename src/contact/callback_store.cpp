#include "contact/callback_store.h"

namespace unicc::contact {
namespace {

// The filter's conditions; `id`, `state` and `queue` are bound in this order when set.
std::string where(const CallbackFilter& filter) {
  std::string sql;
  auto add = [&sql](const char* condition) { sql += (sql.empty() ? " WHERE " : " AND ") + std::string(condition); };
  if (filter.id != 0) add("id = :id");
  if (!filter.state.empty()) add("state = :state");
  if (!filter.queue.empty()) add("queue = :queue");
  return sql;
}

void bind(soci::details::prepare_temp_type& statement, const CallbackFilter& filter) {
  if (filter.id != 0) statement, soci::use(filter.id);
  if (!filter.state.empty()) statement, soci::use(filter.state);
  if (!filter.queue.empty()) statement, soci::use(filter.queue);
}

std::vector<CallbackRecord> select(soci::session& sql, const CallbackFilter& filter, const std::string& order,
                                   bool paged) {
  CallbackRecord row;
  long long id = 0, requested_at = 0, retry_at = 0, finished_at = 0;
  auto statement = (sql.prepare << "SELECT id, call_id, queue, number, caller, caller_name, dialled, priority,"
                                   " requested_at, state, outcome, agent, attempts, retry_at, finished_at"
                                   " FROM callbacks" +
                                       where(filter) + " ORDER BY " + order +
                                       (paged ? " LIMIT :limit OFFSET :offset" : ""),
                    soci::into(id), soci::into(row.call_id), soci::into(row.queue), soci::into(row.number),
                    soci::into(row.caller), soci::into(row.caller_name), soci::into(row.dialled),
                    soci::into(row.priority), soci::into(requested_at), soci::into(row.state),
                    soci::into(row.outcome), soci::into(row.agent), soci::into(row.attempts),
                    soci::into(retry_at), soci::into(finished_at));
  bind(statement, filter);
  if (paged) statement, soci::use(filter.limit), soci::use(filter.offset);
  soci::statement st(statement);
  st.execute(false);
  std::vector<CallbackRecord> out;
  while (st.fetch()) {
    row.id = id;
    row.requested_at = requested_at;
    row.retry_at = retry_at;
    row.finished_at = finished_at;
    out.push_back(row);
  }
  return out;
}

}  // namespace

bool CallbackStore::save(const CallbackRecord& callback) {
  return writer_.submit(
      [callback](soci::session& sql) {
        sql << "INSERT INTO callbacks (call_id, queue, number, caller, caller_name, dialled, priority, requested_at,"
               " state, outcome, agent, attempts, retry_at, finished_at) VALUES (:call_id, :queue, :number, :caller,"
               " :caller_name, :dialled, :priority, :requested_at, :state, :outcome, :agent, :attempts, :retry_at,"
               " :finished_at) ON CONFLICT (call_id) DO UPDATE SET state = excluded.state,"
               " outcome = excluded.outcome, agent = excluded.agent, attempts = excluded.attempts,"
               " retry_at = excluded.retry_at, finished_at = excluded.finished_at",
            soci::use(callback.call_id), soci::use(callback.queue), soci::use(callback.number),
            soci::use(callback.caller), soci::use(callback.caller_name), soci::use(callback.dialled),
            soci::use(callback.priority), soci::use(callback.requested_at), soci::use(callback.state),
            soci::use(callback.outcome), soci::use(callback.agent), soci::use(callback.attempts),
            soci::use(callback.retry_at), soci::use(callback.finished_at);
      },
      "callback of call " + callback.call_id + " (" + callback.state + ")");
}

std::vector<CallbackRecord> CallbackStore::waiting() {
  writer_.flush();
  soci::session sql(db_.pool());
  return select(sql, CallbackFilter{0, "waiting", "", 0, 0}, "requested_at, id", false);
}

std::vector<CallbackRecord> CallbackStore::find(const CallbackFilter& filter) {
  writer_.flush();
  soci::session sql(db_.pool());
  return select(sql, filter, "requested_at DESC, id DESC", true);
}

std::optional<CallbackRecord> CallbackStore::get(std::int64_t id) {
  writer_.flush();
  soci::session sql(db_.pool());
  auto found = select(sql, CallbackFilter{id, "", "", 0, 0}, "id", false);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::int64_t CallbackStore::count(const CallbackFilter& filter) {
  writer_.flush();
  return store::count_rows(db_, "SELECT COUNT(*) FROM callbacks" + where(filter),
                           [&filter](soci::details::prepare_temp_type& statement) { bind(statement, filter); });
}

}  // namespace unicc::contact
