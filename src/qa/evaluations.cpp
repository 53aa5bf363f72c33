#include "qa/evaluations.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "core/random.h"

namespace unicc::qa {
namespace {

constexpr const char* kColumns =
    "id, COALESCE(serial, ''), cdr_id, call_id, agent, inspector, form_name, form_version, qa_type, business_type,"
    " total, grade, critical_failed, items, comment, marks, call_started_at, call_ended_at, call_duration_ms, status,"
    " response, responded_at, created_at, updated_at";

// WHERE clause for a filter; parameters are bound in the same order.
std::string where_clause(const EvaluationFilter& filter) {
  std::string sql = " WHERE created_at >= :from_ms";
  if (filter.to_ms > 0) sql += " AND created_at < :to_ms";
  if (!filter.agent.empty()) sql += " AND agent = :agent";
  if (!filter.inspector.empty()) sql += " AND inspector = :inspector";
  if (!filter.grade.empty()) sql += " AND grade = :grade";
  if (!filter.qa_type.empty()) sql += " AND qa_type = :qa_type";
  if (!filter.business_type.empty()) sql += " AND business_type = :business_type";
  // Serials sort as their ids do: the year grows with the id and the number is zero-padded.
  if (!filter.serial_from.empty()) sql += " AND serial >= :serial_from";
  if (!filter.serial_to.empty()) sql += " AND serial <= :serial_to";
  if (filter.min_total) sql += " AND total >= :min_total";
  if (filter.max_total) sql += " AND total <= :max_total";
  if (!filter.status.empty()) sql += " AND status = :status";
  if (filter.cdr_id != 0) sql += " AND cdr_id = :cdr_id";
  return sql;
}

void bind_filter(soci::details::prepare_temp_type& statement, const EvaluationFilter& filter) {
  statement, soci::use(filter.from_ms);
  if (filter.to_ms > 0) statement, soci::use(filter.to_ms);
  if (!filter.agent.empty()) statement, soci::use(filter.agent);
  if (!filter.inspector.empty()) statement, soci::use(filter.inspector);
  if (!filter.grade.empty()) statement, soci::use(filter.grade);
  if (!filter.qa_type.empty()) statement, soci::use(filter.qa_type);
  if (!filter.business_type.empty()) statement, soci::use(filter.business_type);
  if (!filter.serial_from.empty()) statement, soci::use(filter.serial_from);
  if (!filter.serial_to.empty()) statement, soci::use(filter.serial_to);
  if (filter.min_total) statement, soci::use(*filter.min_total);
  if (filter.max_total) statement, soci::use(*filter.max_total);
  if (!filter.status.empty()) statement, soci::use(filter.status);
  if (filter.cdr_id != 0) statement, soci::use(filter.cdr_id);
}

// The evaluations `tail` (WHERE ... ORDER BY ...) selects with the parameters `bind` adds.
template <typename Bind>
std::vector<Evaluation> select_evaluations(store::Database& db, const std::string& tail, Bind bind) {
  soci::session sql(db.pool());
  Evaluation row;
  long long id = 0, cdr_id = 0, form_version = 0, critical = 0, started = 0, ended = 0, duration = 0, responded = 0,
            created = 0, updated = 0;
  auto statement = (sql.prepare << std::string("SELECT ") + kColumns + " FROM qa_evaluations" + tail, soci::into(id),
                    soci::into(row.serial), soci::into(cdr_id), soci::into(row.call_id), soci::into(row.agent),
                    soci::into(row.inspector), soci::into(row.form_name), soci::into(form_version),
                    soci::into(row.qa_type), soci::into(row.business_type), soci::into(row.total),
                    soci::into(row.grade), soci::into(critical), soci::into(row.items), soci::into(row.comment),
                    soci::into(row.marks), soci::into(started), soci::into(ended), soci::into(duration),
                    soci::into(row.status), soci::into(row.response), soci::into(responded), soci::into(created),
                    soci::into(updated));
  bind(statement);
  soci::statement st(statement);
  st.execute(false);
  std::vector<Evaluation> out;
  while (st.fetch()) {
    row.id = id;
    row.cdr_id = cdr_id;
    row.form_version = form_version;
    row.critical_failed = critical != 0;
    row.call_started_at = started;
    row.call_ended_at = ended;
    row.call_duration_ms = duration;
    row.responded_at = responded;
    row.created_at = created;
    row.updated_at = updated;
    out.push_back(row);
  }
  return out;
}

constexpr std::int64_t kDayMs = 86'400'000;

// The day (since the epoch, UTC) of `ms`.
std::int64_t day_of(std::int64_t ms) { return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs; }

std::chrono::year_month_day date_of(std::int64_t day) {
  return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(day)));
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  return std::chrono::sys_days(std::chrono::year{year} / month / day).time_since_epoch().count();
}

// Monday of ISO week 1 of `year`: the week with the year's first Thursday.
std::int64_t week_one_monday(int year) {
  const std::int64_t jan4 = days_from_civil(year, 1, 4);
  const std::int64_t weekday = std::chrono::weekday(std::chrono::sys_days(std::chrono::days(jan4))).iso_encoding();
  return jan4 - (weekday - 1);
}

}  // namespace

Evaluation EvaluationStore::create(Evaluation evaluation) {
  evaluation.created_at = evaluation.updated_at = clock_.now_ms();
  evaluation.status = "pending";
  const int critical = evaluation.critical_failed ? 1 : 0;
  soci::session sql(db_.pool());
  long long taken = 0;
  sql << "SELECT COUNT(*) FROM qa_evaluations WHERE cdr_id = :c AND inspector = :i", soci::use(evaluation.cdr_id),
      soci::use(evaluation.inspector), soci::into(taken);
  const auto already = [&evaluation] {
    return EvaluationError("already_evaluated", evaluation.inspector + " has already evaluated call " +
                                                    std::to_string(evaluation.cdr_id));
  };
  if (taken > 0) throw already();
  try {
    soci::transaction tx(sql);
    long long id = 0;
    sql << "INSERT INTO qa_evaluations (cdr_id, call_id, agent, inspector, form_name, form_version, qa_type,"
           " business_type, total, grade, critical_failed, items, comment, marks, call_started_at, call_ended_at,"
           " call_duration_ms, status, created_at, updated_at) VALUES (:cdr, :call, :agent, :inspector, :form,"
           " :version, :qa_type, :business_type, :total, :grade, :critical, :items, :comment, :marks, :started,"
           " :ended, :duration, :status, :created, :updated) RETURNING id",
        soci::use(evaluation.cdr_id), soci::use(evaluation.call_id), soci::use(evaluation.agent),
        soci::use(evaluation.inspector), soci::use(evaluation.form_name), soci::use(evaluation.form_version),
        soci::use(evaluation.qa_type), soci::use(evaluation.business_type), soci::use(evaluation.total),
        soci::use(evaluation.grade), soci::use(critical), soci::use(evaluation.items), soci::use(evaluation.comment),
        soci::use(evaluation.marks), soci::use(evaluation.call_started_at), soci::use(evaluation.call_ended_at),
        soci::use(evaluation.call_duration_ms), soci::use(evaluation.status), soci::use(evaluation.created_at),
        soci::use(evaluation.updated_at), soci::into(id);
    evaluation.id = id;
    // The row's id makes the serial unique; the year is the evaluation's (UTC).
    evaluation.serial =
        fmt::format("QA-{}-{:06d}", static_cast<int>(date_of(day_of(evaluation.created_at)).year()), id);
    sql << "UPDATE qa_evaluations SET serial = :s WHERE id = :id", soci::use(evaluation.serial), soci::use(id);
    tx.commit();
  } catch (const soci::soci_error&) {
    // Lost a race with the same inspector's other request (the UNIQUE index).
    sql << "SELECT COUNT(*) FROM qa_evaluations WHERE cdr_id = :c AND inspector = :i", soci::use(evaluation.cdr_id),
        soci::use(evaluation.inspector), soci::into(taken);
    if (taken > 0) throw already();
    throw;
  }
  return evaluation;
}

std::optional<Evaluation> EvaluationStore::get(std::int64_t id) {
  auto found = select_evaluations(db_, " WHERE id = :id",
                                  [&id](soci::details::prepare_temp_type& statement) { statement, soci::use(id); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Evaluation> EvaluationStore::find(const EvaluationFilter& filter) {
  return select_evaluations(db_, where_clause(filter) + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
                            [&filter](soci::details::prepare_temp_type& statement) {
                              bind_filter(statement, filter);
                              statement, soci::use(filter.limit), soci::use(filter.offset);
                            });
}

std::int64_t EvaluationStore::count(const EvaluationFilter& filter) {
  return store::count_rows(db_, "SELECT COUNT(*) FROM qa_evaluations" + where_clause(filter),
                           [&filter](soci::details::prepare_temp_type& statement) { bind_filter(statement, filter); });
}

Evaluation EvaluationStore::respond(std::int64_t id, const std::string& status, const std::string& reason) {
  const long long now = clock_.now_ms();
  {
    soci::session sql(db_.pool());
    soci::statement update = (sql.prepare << "UPDATE qa_evaluations SET status = :s, response = :r, responded_at = :t,"
                                             " updated_at = :u WHERE id = :id AND status = 'pending'",
                              soci::use(status), soci::use(reason), soci::use(now), soci::use(now), soci::use(id));
    update.execute(true);
    if (update.get_affected_rows() == 1) return *get(id);
  }
  auto found = get(id);
  if (!found) throw EvaluationError("not_found", "no evaluation " + std::to_string(id));
  throw EvaluationError("already_answered", "evaluation " + found->serial + " was already " + found->status);
}

std::vector<SampleCall> EvaluationStore::sample_candidates(std::int64_t from_ms, std::int64_t to_ms) {
  writer_.flush();
  soci::session sql(db_.pool());
  SampleCall row;
  long long id = 0, started = 0, answered = 0, ended = 0;
  std::string recording;
  soci::statement st =
      (sql.prepare << "SELECT id, agent, caller, queue, started_at, answered_at, ended_at, recording_path FROM cdrs"
                      " WHERE disposition = 'answered' AND agent <> '' AND started_at >= :f AND started_at < :t"
                      " AND NOT EXISTS (SELECT 1 FROM qa_evaluations e WHERE e.cdr_id = cdrs.id)",
       soci::use(from_ms), soci::use(to_ms), soci::into(id), soci::into(row.agent), soci::into(row.caller),
       soci::into(row.queue), soci::into(started), soci::into(answered), soci::into(ended), soci::into(recording));
  st.execute(false);
  std::vector<SampleCall> out;
  while (st.fetch()) {
    row.cdr_id = id;
    row.started_at = started;
    row.duration_ms = answered > 0 && ended >= answered ? ended - answered : 0;
    row.recorded = !recording.empty();
    out.push_back(row);
  }
  return out;
}

std::vector<SampleCall> sample(std::vector<SampleCall> calls, std::int64_t per_agent, const std::string& seed) {
  std::map<std::int64_t, std::string> rank;
  for (const auto& call : calls) rank[call.cdr_id] = core::sha256_hex(seed + ":" + std::to_string(call.cdr_id));
  std::sort(calls.begin(), calls.end(), [&rank](const SampleCall& a, const SampleCall& b) {
    return std::tie(a.agent, rank[a.cdr_id]) < std::tie(b.agent, rank[b.cdr_id]);
  });
  std::vector<SampleCall> out;
  std::int64_t taken = 0;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    taken = i > 0 && calls[i].agent == calls[i - 1].agent ? taken + 1 : 0;
    if (taken < per_agent) out.push_back(calls[i]);
  }
  std::sort(out.begin(), out.end(), [](const SampleCall& a, const SampleCall& b) {
    return std::tie(a.agent, a.started_at, a.cdr_id) < std::tie(b.agent, b.started_at, b.cdr_id);
  });
  return out;
}

std::optional<std::pair<std::int64_t, std::int64_t>> iso_week_bounds(const std::string& week) {
  int year = 0, number = 0;
  char tail = 0;
  if (week.size() != 8 || week[4] != '-' || week[5] != 'W' ||
      std::sscanf(week.c_str(), "%4d-W%2d%c", &year, &number, &tail) != 2 || year < 1970 || year > 9999) {
    return std::nullopt;
  }
  const std::int64_t monday = week_one_monday(year) + 7 * (number - 1);
  if (number < 1 || monday >= week_one_monday(year + 1)) return std::nullopt;  // 52 or 53 weeks
  return std::pair{monday * kDayMs, (monday + 7) * kDayMs};
}

std::string iso_week_of(std::int64_t ms) {
  const std::int64_t day = day_of(ms);
  int year = static_cast<int>(date_of(day).year());
  if (day >= week_one_monday(year + 1)) ++year;
  if (day < week_one_monday(year)) --year;
  return fmt::format("{}-W{:02d}", year, (day - week_one_monday(year)) / 7 + 1);
}

}  // namespace unicc::qa
