#include "call/cdr.h"

namespace unicc::call {
namespace {

constexpr const char* kColumns =
    "id, call_id, b_call_id, direction, caller, caller_name, dialled, callee, trunk, started_at, answered_at,"
    " ended_at, disposition, hangup_cause, hangup_side, recording_path, rtp_from_caller, rtp_to_caller,"
    " rtp_from_callee, rtp_to_callee, rtp_lost, ivr_trace, agent, queue, COALESCE(customer_id, 0), disposition_code,"
    " notes, events, recording_deleted_at";

constexpr const char* kPlayable = "(recording_path <> '' AND recording_deleted_at = 0)";

// WHERE clause for a filter; parameters are bound by name in the same order.
std::string where_clause(const CdrFilter& filter) {
  std::string sql = " WHERE started_at >= :from_ms";
  if (filter.to_ms > 0) sql += " AND started_at < :to_ms";
  if (!filter.number.empty()) sql += " AND (caller = :n1 OR dialled = :n2 OR callee = :n3)";
  if (!filter.disposition.empty()) sql += " AND disposition = :disposition";
  if (!filter.agent.empty()) sql += " AND agent = :agent";
  if (!filter.queue.empty()) sql += " AND queue = :queue";
  if (filter.customer_id != 0) sql += " AND customer_id = :customer_id";
  if (!filter.customer_name.empty()) {
    sql += " AND customer_id IN (SELECT id FROM customers WHERE LOWER(name) LIKE :customer_name ESCAPE '!')";
  }
  if (filter.id != 0) sql += " AND id = :id";
  if (filter.min_talk_s >= 0) sql += " AND answered_at > 0 AND ended_at - answered_at >= :min_talk_ms";
  // A call of 10.9 s shows as 10 s, so it is within a maximum of 10.
  if (filter.max_talk_s >= 0) sql += " AND (answered_at = 0 OR ended_at - answered_at < :max_talk_ms)";
  if (filter.has_recording) sql += std::string(*filter.has_recording ? " AND " : " AND NOT ") + kPlayable;
  return sql;
}

// What the filter binds in another form (the talk bounds in milliseconds, a LIKE
// pattern), bound by reference: they live as long as the statement.
struct DerivedValues {
  explicit DerivedValues(const CdrFilter& filter)
      : min_ms(filter.min_talk_s * 1000),
        max_ms((filter.max_talk_s + 1) * 1000),
        customer_name(store::like_contains(filter.customer_name)) {}
  std::int64_t min_ms;
  std::int64_t max_ms;
  std::string customer_name;  // as a LIKE pattern
};

void bind_filter(soci::details::prepare_temp_type& statement, const CdrFilter& filter, const DerivedValues& derived) {
  statement, soci::use(filter.from_ms);
  if (filter.to_ms > 0) statement, soci::use(filter.to_ms);
  if (!filter.number.empty()) statement, soci::use(filter.number), soci::use(filter.number), soci::use(filter.number);
  if (!filter.disposition.empty()) statement, soci::use(filter.disposition);
  if (!filter.agent.empty()) statement, soci::use(filter.agent);
  if (!filter.queue.empty()) statement, soci::use(filter.queue);
  if (filter.customer_id != 0) statement, soci::use(filter.customer_id);
  if (!filter.customer_name.empty()) statement, soci::use(derived.customer_name);
  if (filter.id != 0) statement, soci::use(filter.id);
  if (filter.min_talk_s >= 0) statement, soci::use(derived.min_ms);
  if (filter.max_talk_s >= 0) statement, soci::use(derived.max_ms);
}

void insert_cdr(soci::session& sql, const Cdr& cdr) {
  // No customer is NULL, kept out of cdrs_customer's matches.
  soci::indicator customer_known = cdr.customer_id != 0 ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO cdrs (call_id, b_call_id, direction, caller, caller_name, dialled, callee, trunk,"
         " started_at, answered_at, ended_at, disposition, hangup_cause, hangup_side, recording_path,"
         " rtp_from_caller, rtp_to_caller, rtp_from_callee, rtp_to_callee, rtp_lost, ivr_trace, agent, queue,"
         " customer_id, disposition_code, notes, events)"
         " VALUES (:call_id, :b_call_id, :direction, :caller, :caller_name, :dialled, :callee, :trunk,"
         " :started_at, :answered_at, :ended_at, :disposition, :hangup_cause, :hangup_side, :recording_path,"
         " :rtp_from_caller, :rtp_to_caller, :rtp_from_callee, :rtp_to_callee, :rtp_lost, :ivr_trace, :agent,"
         " :queue, :customer_id, :disposition_code, :notes, :events)",
      soci::use(cdr.call_id), soci::use(cdr.b_call_id), soci::use(cdr.direction), soci::use(cdr.caller),
      soci::use(cdr.caller_name), soci::use(cdr.dialled), soci::use(cdr.callee), soci::use(cdr.trunk),
      soci::use(cdr.started_at), soci::use(cdr.answered_at), soci::use(cdr.ended_at), soci::use(cdr.disposition),
      soci::use(cdr.hangup_cause), soci::use(cdr.hangup_side), soci::use(cdr.recording_path),
      soci::use(cdr.rtp_from_caller), soci::use(cdr.rtp_to_caller), soci::use(cdr.rtp_from_callee),
      soci::use(cdr.rtp_to_callee), soci::use(cdr.rtp_lost), soci::use(cdr.ivr_trace), soci::use(cdr.agent),
      soci::use(cdr.queue), soci::use(cdr.customer_id, customer_known), soci::use(cdr.disposition_code),
      soci::use(cdr.notes), soci::use(cdr.events);
}

// The final record of an answered call keeps a wrap-up made while the call lasted
// (on its in-progress row), unless it brings its own.
void keep_wrap_up(soci::session& sql, Cdr& cdr) {
  if (!cdr.disposition_code.empty() || !cdr.notes.empty()) return;
  sql << "SELECT disposition_code, notes FROM cdrs WHERE call_id = :call_id AND started_at = :started_at"
         " AND disposition = 'in_progress'",
      soci::use(cdr.call_id), soci::use(cdr.started_at), soci::into(cdr.disposition_code), soci::into(cdr.notes);
}

}  // namespace

void CdrStore::answered(const Cdr& cdr) {
  Cdr in_progress = cdr;
  in_progress.ended_at = 0;
  in_progress.disposition = "in_progress";
  writer_.submit([in_progress](soci::session& sql) { insert_cdr(sql, in_progress); },
                 "in-progress CDR for call " + cdr.call_id);
}

void CdrStore::record(const Cdr& cdr, Durable durable) {
  bool queued = writer_.submit(
      [cdr](soci::session& sql) {
        Cdr final_record = cdr;
        if (final_record.answered_at != 0) {
          keep_wrap_up(sql, final_record);
          sql << "DELETE FROM cdrs WHERE call_id = :call_id AND started_at = :started_at"
                 " AND disposition = 'in_progress'",
              soci::use(final_record.call_id), soci::use(final_record.started_at);
        }
        insert_cdr(sql, final_record);
      },
      "CDR for call " + cdr.call_id, durable);
  if (!queued && durable) durable(false);
}

std::vector<std::string> CdrStore::ivr_traces(const std::string& flow, std::int64_t from_ms, std::int64_t to_ms,
                                              std::int64_t limit) {
  soci::session sql(db_.pool());
  // A cheap first cut; PathCounts reads the flow's name from the JSON exactly.
  const std::string mentions = "%\"flow\":\"" + flow + "\"%";
  std::string trace;
  soci::statement st = (sql.prepare << "SELECT ivr_trace FROM cdrs WHERE started_at >= :from AND started_at < :to"
                                       " AND ivr_trace LIKE :mentions ORDER BY started_at DESC LIMIT :limit",
                        soci::use(from_ms), soci::use(to_ms), soci::use(mentions), soci::use(limit),
                        soci::into(trace));
  st.execute(false);
  std::vector<std::string> out;
  while (st.fetch()) out.push_back(trace);
  return out;
}

std::int64_t CdrStore::close_interrupted(std::int64_t now_ms) {
  soci::session sql(db_.pool());
  soci::statement st = (sql.prepare << "UPDATE cdrs SET disposition = 'interrupted', ended_at = :now,"
                                       " hangup_cause = 'restart', hangup_side = 'system'"
                                       " WHERE disposition = 'in_progress'",
                        soci::use(now_ms));
  st.execute(true);
  return st.get_affected_rows();
}

bool CdrStore::wrap_up(const std::string& call_id, const std::string& disposition_code, const std::string& notes) {
  writer_.flush();  // the call's rows queued before are there to be found
  soci::session sql(db_.pool());
  soci::statement st = (sql.prepare << "UPDATE cdrs SET disposition_code = :code, notes = :notes"
                                       " WHERE id = (SELECT MAX(id) FROM cdrs WHERE call_id = :call_id)",
                        soci::use(disposition_code), soci::use(notes), soci::use(call_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<Cdr> CdrStore::find(const CdrFilter& filter) {
  writer_.flush();
  soci::session sql(db_.pool());
  Cdr row;
  long long id = 0, started = 0, answered = 0, ended = 0;
  long long from_caller = 0, to_caller = 0, from_callee = 0, to_callee = 0, lost = 0, customer_id = 0, deleted = 0;
  auto statement = (sql.prepare << std::string("SELECT ") + kColumns + " FROM cdrs" + where_clause(filter) +
                                       " ORDER BY started_at DESC, id DESC LIMIT :limit OFFSET :offset",
                    soci::into(id), soci::into(row.call_id), soci::into(row.b_call_id), soci::into(row.direction),
                    soci::into(row.caller), soci::into(row.caller_name), soci::into(row.dialled),
                    soci::into(row.callee), soci::into(row.trunk), soci::into(started), soci::into(answered),
                    soci::into(ended), soci::into(row.disposition), soci::into(row.hangup_cause),
                    soci::into(row.hangup_side), soci::into(row.recording_path), soci::into(from_caller),
                    soci::into(to_caller), soci::into(from_callee), soci::into(to_callee), soci::into(lost),
                    soci::into(row.ivr_trace), soci::into(row.agent), soci::into(row.queue), soci::into(customer_id),
                    soci::into(row.disposition_code), soci::into(row.notes), soci::into(row.events),
                    soci::into(deleted));
  const DerivedValues derived(filter);
  bind_filter(statement, filter, derived);
  statement, soci::use(filter.limit), soci::use(filter.offset);
  soci::statement st(statement);
  st.execute(false);
  std::vector<Cdr> out;
  while (st.fetch()) {
    row.id = id;
    row.started_at = started;
    row.answered_at = answered;
    row.ended_at = ended;
    row.rtp_from_caller = from_caller;
    row.rtp_to_caller = to_caller;
    row.rtp_from_callee = from_callee;
    row.rtp_to_callee = to_callee;
    row.rtp_lost = lost;
    row.customer_id = customer_id;
    row.recording_deleted_at = deleted;
    out.push_back(row);
  }
  return out;
}

std::optional<Cdr> CdrStore::get(std::int64_t id) {
  CdrFilter filter;
  filter.id = id;
  auto found = find(filter);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::int64_t CdrStore::count(const CdrFilter& filter) {
  writer_.flush();
  const DerivedValues derived(filter);
  return store::count_rows(db_, "SELECT COUNT(*) FROM cdrs" + where_clause(filter),
                           [&filter, &derived](soci::details::prepare_temp_type& statement) {
                             bind_filter(statement, filter, derived);
                           });
}

}  // namespace unicc::call
