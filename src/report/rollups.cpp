#include "report/rollups.h"

#include <algorithm>
#include <array>
#include <utility>

namespace unicc::report {
namespace {

using Field = std::int64_t Counts::*;
// The roll-up table's count columns, in order, and the members they hold.
constexpr std::array<std::pair<const char*, Field>, 17> kColumns{{
    {"offered", &Counts::offered},
    {"answered", &Counts::answered},
    {"abandoned", &Counts::abandoned},
    {"short_abandoned", &Counts::short_abandoned},
    {"overflowed", &Counts::overflowed},
    {"answered_in_sl", &Counts::answered_in_sl},
    {"abandoned_in_sl", &Counts::abandoned_in_sl},
    {"handled", &Counts::handled},
    {"wait_answered_ms", &Counts::wait_answered_ms},
    {"wait_abandoned_ms", &Counts::wait_abandoned_ms},
    {"max_wait_ms", &Counts::max_wait_ms},
    {"talk_ms", &Counts::talk_ms},
    {"hold_ms", &Counts::hold_ms},
    {"acw_ms", &Counts::acw_ms},
    {"transferred", &Counts::transferred},
    {"callbacks_requested", &Counts::callbacks_requested},
    {"callbacks_completed", &Counts::callbacks_completed},
}};

std::int64_t interval_of(std::int64_t ms) { return ms - ((ms % kRollupMs) + kRollupMs) % kRollupMs; }

// INSERT ... ON CONFLICT DO UPDATE adding to the row (both backends have it; the
// maximum is MAX() in SQLite, GREATEST() in PostgreSQL).
std::string upsert_sql(store::Backend backend) {
  std::string columns, values, updates;
  for (const auto& [name, field] : kColumns) {
    columns += std::string(", ") + name;
    values += std::string(", :") + name;
    const std::string mine = std::string("report_intervals.") + name, theirs = std::string("excluded.") + name;
    updates += std::string(updates.empty() ? "" : ", ") + name + " = " +
               (field == &Counts::max_wait_ms
                    ? std::string(backend == store::Backend::sqlite ? "MAX(" : "GREATEST(") + mine + ", " + theirs + ")"
                    : mine + " + " + theirs);
  }
  return "INSERT INTO report_intervals (kind, name, interval_start" + columns + ") VALUES (:kind, :key, :start" + values +
         ") ON CONFLICT (kind, name, interval_start) DO UPDATE SET " + updates;
}

void add(soci::session& sql, const std::string& upsert, const std::string& kind, const std::string& key,
         std::int64_t at, const Counts& counts) {
  if (counts == Counts{}) return;
  const long long start = interval_of(at);
  soci::statement st(sql);
  st.alloc();
  st.prepare(upsert);
  st.exchange(soci::use(kind));
  st.exchange(soci::use(key));
  st.exchange(soci::use(start));
  std::array<long long, kColumns.size()> values{};
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    values[i] = counts.*kColumns[i].second;
    st.exchange(soci::use(values[i]));
  }
  st.define_and_bind();
  st.execute(true);
}

}  // namespace

Counts& Counts::operator+=(const Counts& other) {
  for (const auto& [name, field] : kColumns) {
    this->*field = field == &Counts::max_wait_ms ? std::max(this->*field, other.*field) : this->*field + other.*field;
  }
  return *this;
}

Counts queue_counts(const Visit& v) {
  Counts c;
  const bool answered = v.outcome == "answered", abandoned = v.outcome == "abandoned" && !v.short_abandon;
  c.offered = (v.short_abandon || v.call >= kCallbackRetryIds) ? 0 : 1;
  c.answered = answered;
  c.abandoned = abandoned;
  c.short_abandoned = v.outcome == "abandoned" && v.short_abandon;
  c.overflowed = v.outcome == "overflowed";
  c.answered_in_sl = answered && v.waited_ms <= v.service_level_ms;
  c.abandoned_in_sl = abandoned && v.waited_ms <= v.service_level_ms;
  c.handled = v.answered_at != 0;
  c.wait_answered_ms = answered ? v.waited_ms : 0;
  c.wait_abandoned_ms = abandoned ? v.waited_ms : 0;
  c.max_wait_ms = answered || abandoned ? v.waited_ms : 0;
  c.talk_ms = v.talk_ms;
  c.hold_ms = v.hold_ms;
  c.acw_ms = v.acw_ms;
  c.transferred = v.transferred;
  c.callbacks_requested = v.callback_requested;
  return c;
}

// An agent's figures are the calls they answered: the queue's figures of those.
Counts agent_counts(const Visit& v) {
  if (!v.answered_at) return {};
  Counts c = queue_counts(v);
  c.offered = 0;
  c.callbacks_requested = 0;
  return c;
}

Rollups::Rollups(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}

void Rollups::record(const Visit& visit) {
  writer_.submit(
      [visit, upsert = upsert_sql(db_.backend())](soci::session& sql) {
        const long long call = static_cast<long long>(visit.call);
        const int short_abandon = visit.short_abandon, transferred = visit.transferred,
                  callback = visit.callback_requested;
        sql << "INSERT INTO queue_visits (call_id, queue, did, entered_at, first_offered_at, first_offered_to,"
               " offers, offered_to, outcome, agent, answered_at, abandoned_at, short_abandon, waited_ms,"
               " overflowed_to, transferred, callback_requested, ended_at, talk_ms, hold_ms, acw_ms,"
               " service_level_ms) VALUES (:c, :q, :d, :e, :fo, :ft, :o, :ot, :out, :a, :aa, :ab, :sa, :w, :ov,"
               " :tr, :cb, :end, :talk, :hold, :acw, :sl)",
            soci::use(call), soci::use(visit.queue), soci::use(visit.did), soci::use(visit.entered_at),
            soci::use(visit.first_offered_at), soci::use(visit.first_offered_to), soci::use(visit.offers),
            soci::use(visit.offered_to), soci::use(visit.outcome), soci::use(visit.agent), soci::use(visit.answered_at),
            soci::use(visit.abandoned_at), soci::use(short_abandon), soci::use(visit.waited_ms),
            soci::use(visit.overflowed_to), soci::use(transferred), soci::use(callback), soci::use(visit.ended_at),
            soci::use(visit.talk_ms), soci::use(visit.hold_ms), soci::use(visit.acw_ms),
            soci::use(visit.service_level_ms);
        const Counts counts = queue_counts(visit);
        add(sql, upsert, "queue", visit.queue, visit.entered_at, counts);
        if (!visit.did.empty()) add(sql, upsert, "did", visit.did, visit.entered_at, counts);
        if (!visit.agent.empty()) add(sql, upsert, "agent", visit.agent, visit.answered_at, agent_counts(visit));
      },
      "queue visit of call " + std::to_string(visit.call) + " in " + visit.queue);
}

void Rollups::callback_completed(const std::string& queue, const std::string& did, const std::string& agent,
                                 std::int64_t requested_at) {
  writer_.submit(
      [=, upsert = upsert_sql(db_.backend())](soci::session& sql) {
        Counts counts;
        counts.callbacks_completed = 1;
        add(sql, upsert, "queue", queue, requested_at, counts);
        if (!did.empty()) add(sql, upsert, "did", did, requested_at, counts);
        if (!agent.empty()) add(sql, upsert, "agent", agent, requested_at, counts);
      },
      "completed callback in " + queue);
}

std::vector<Rollup> Rollups::read(const std::string& kind, std::int64_t from, std::int64_t to,
                                  const std::string& key) {
  writer_.flush();
  std::string columns;
  for (const auto& [name, field] : kColumns) columns += std::string(", ") + name;
  soci::session sql(db_.pool());
  Rollup row;
  row.kind = kind;
  long long start = 0;
  std::array<long long, kColumns.size()> values{};
  soci::statement st(sql);
  st.alloc();
  st.prepare("SELECT name, interval_start" + columns +
             " FROM report_intervals WHERE kind = :kind AND interval_start >= :f AND interval_start < :t" +
             (key.empty() ? "" : " AND name = :key") + " ORDER BY interval_start, name");
  st.exchange(soci::into(row.key));
  st.exchange(soci::into(start));
  for (auto& value : values) st.exchange(soci::into(value));
  st.exchange(soci::use(kind));
  st.exchange(soci::use(from));
  st.exchange(soci::use(to));
  if (!key.empty()) st.exchange(soci::use(key));
  st.define_and_bind();
  st.execute(false);
  std::vector<Rollup> out;
  while (st.fetch()) {
    row.start = start;
    for (std::size_t i = 0; i < kColumns.size(); ++i) row.counts.*kColumns[i].second = values[i];
    out.push_back(row);
  }
  return out;
}

}  // namespace unicc::report
