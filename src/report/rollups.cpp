#include "report/rollups.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

namespace unicc::report {
namespace {

using Field = std::int64_t Counts::*;
// The roll-up table's count columns, in order, and the members they hold.
constexpr std::array<std::pair<const char*, Field>, 18> kColumns{{
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
    {"busy", &Counts::busy},
}};


// Whether every bound is a whole hour: the hourly roll-ups then answer exactly.
bool whole_hours(const std::vector<std::int64_t>& bounds) {
  return std::all_of(bounds.begin(), bounds.end(), [](std::int64_t bound) { return bound % kHourMs == 0; });
}

// INSERT ... ON CONFLICT DO UPDATE adding to the row (both backends have it; the
// maximum is MAX() in SQLite, GREATEST() in PostgreSQL).
std::string upsert_sql(store::Backend backend, const std::string& table) {
  std::string columns, values, updates;
  for (const auto& [name, field] : kColumns) {
    columns += std::string(", ") + name;
    values += std::string(", :") + name;
    const std::string mine = table + "." + name, theirs = std::string("excluded.") + name;
    updates += std::string(updates.empty() ? "" : ", ") + name + " = " +
               (field == &Counts::max_wait_ms
                    ? std::string(backend == store::Backend::sqlite ? "MAX(" : "GREATEST(") + mine + ", " + theirs + ")"
                    : mine + " + " + theirs);
  }
  return "INSERT INTO " + table + " (kind, name, interval_start" + columns + ") VALUES (:kind, :key, :start" + values +
         ") ON CONFLICT (kind, name, interval_start) DO UPDATE SET " + updates;
}

// The upserts of the 15-minute roll-ups and of the hourly ones beside them, made once
// per backend: a visit's write is queued on the SIP thread.
struct Upserts {
  std::string quarters;
  std::string hours;
};
const Upserts& upserts_for(store::Backend backend) {
  static const Upserts sqlite{upsert_sql(store::Backend::sqlite, "report_intervals"),
                              upsert_sql(store::Backend::sqlite, "report_hours")};
  static const Upserts postgres{upsert_sql(store::Backend::postgresql, "report_intervals"),
                                upsert_sql(store::Backend::postgresql, "report_hours")};
  return backend == store::Backend::sqlite ? sqlite : postgres;
}

void add_row(soci::session& sql, const std::string& upsert, const std::string& kind, const std::string& key,
             long long start, const Counts& counts) {
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

void add(soci::session& sql, const Upserts& upserts, const std::string& kind, const std::string& key,
         std::int64_t at, const Counts& counts) {
  if (counts == Counts{}) return;
  add_row(sql, upserts.quarters, kind, key, interval_start_of(at), counts);
  add_row(sql, upserts.hours, kind, key, interval_start_of(at, kHourMs), counts);
}

// A read of a roll-up table by interval_start: `select` names the columns and the
// table; `kind` (when not "") filters the kind column and `name` (when not "") the
// `name_column`; `tail` orders or groups.
struct RangeQuery {
  std::string select;
  std::string kind;
  std::string name_column;
  std::string name;
  std::string tail;
};

// Runs `query` over each stretch [bounds[i], bounds[i+1]) of interval_start (a plain
// range is {from, to}): `bind` exchanges the statement's intos, `fetched` is called
// with the stretch's start for every row it answers.
void read_stretches(soci::session& sql, const RangeQuery& query, const std::vector<std::int64_t>& bounds,
                    const std::function<void(soci::statement&)>& bind,
                    const std::function<void(std::int64_t)>& fetched) {
  long long from = 0, to = 0;
  soci::statement st(sql);
  st.alloc();
  st.prepare(query.select + " WHERE " + (query.kind.empty() ? "" : "kind = :k AND ") +
             "interval_start >= :f AND interval_start < :t" +
             (query.name.empty() ? "" : " AND " + query.name_column + " = :n") + query.tail);
  bind(st);
  if (!query.kind.empty()) st.exchange(soci::use(query.kind));
  st.exchange(soci::use(from));
  st.exchange(soci::use(to));
  if (!query.name.empty()) st.exchange(soci::use(query.name));
  st.define_and_bind();
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    from = bounds[i];
    to = bounds[i + 1];
    st.execute(false);
    while (st.fetch()) fetched(from);
  }
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
  c.busy = c.overflowed && v.busy;
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

std::int64_t wait_bucket(std::int64_t waited_ms) {
  std::int64_t bucket = 0;
  for (const std::int64_t bound : kWaitBuckets) {
    if (waited_ms >= bound * 1000) bucket = bound;
  }
  return bucket;
}

FlowCounts& FlowCounts::operator+=(const FlowCounts& o) {
  entered += o.entered;
  contained += o.contained;
  voicemail += o.voicemail;
  queued += o.queued;
  transferred += o.transferred;
  to_agent += o.to_agent;
  abandoned += o.abandoned;
  failed += o.failed;
  ivr_ms += o.ivr_ms;
  return *this;
}

std::optional<FlowCounts> flow_counts(const std::string& ivr_trace, const std::string& agent) {
  if (ivr_trace.empty()) return std::nullopt;
  const auto trace = nlohmann::json::parse(ivr_trace, nullptr, false);
  if (!trace.is_object() || !trace.value("flow", nlohmann::json()).is_string()) return std::nullopt;
  FlowCounts c;
  c.flow = trace["flow"].get<std::string>();
  if (c.flow.empty()) return std::nullopt;
  const auto number = [&trace](const char* name) {
    const auto it = trace.find(name);
    return it != trace.end() && it->is_number_integer() ? it->get<std::int64_t>() : std::int64_t{0};
  };
  c.start = number("started_at");
  const std::int64_t ended = number("ended_at");
  c.ivr_ms = ended > c.start ? ended - c.start : 0;
  const std::string exit = trace.value("exit", "");
  c.entered = 1;
  c.contained = exit == "hangup_node";
  c.voicemail = exit == "voicemail";
  c.queued = exit == "queued";
  c.transferred = exit == "transferred";
  c.abandoned = exit == "caller_hung_up";
  c.failed = exit == "failed";
  c.to_agent = !agent.empty() && (c.queued || c.transferred);
  return c;
}

std::optional<Contact> contact_of(const std::string& direction, const std::string& caller, std::int64_t customer_id,
                                  std::int64_t started_at, const std::string& queue, const std::string& agent,
                                  bool ran_a_flow) {
  if (direction != "inbound" && !ran_a_flow && queue.empty()) return std::nullopt;
  if (direction == "outbound" || direction == "originated") return std::nullopt;
  Contact contact{"", started_at, queue, agent};
  if (customer_id > 0) {
    contact.customer = "c:" + std::to_string(customer_id);
  } else if (!caller.empty() && caller != "anonymous") {
    contact.customer = "n:" + caller;
  } else {
    return std::nullopt;
  }
  return contact;
}

Rollups::Rollups(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}

void Rollups::record(const Visit& visit) {
  writer_.submit(
      [visit, upserts = &upserts_for(db_.backend())](soci::session& sql) {
        const long long call = static_cast<long long>(visit.call);
        const int short_abandon = visit.short_abandon, transferred = visit.transferred,
                  callback = visit.callback_requested, busy = visit.busy;
        sql << "INSERT INTO queue_visits (call_id, queue, did, entered_at, first_offered_at, first_offered_to,"
               " offers, offered_to, outcome, agent, answered_at, abandoned_at, short_abandon, waited_ms,"
               " overflowed_to, transferred, callback_requested, ended_at, talk_ms, hold_ms, acw_ms,"
               " service_level_ms, busy) VALUES (:c, :q, :d, :e, :fo, :ft, :o, :ot, :out, :a, :aa, :ab, :sa, :w, :ov,"
               " :tr, :cb, :end, :talk, :hold, :acw, :sl, :busy)",
            soci::use(call), soci::use(visit.queue), soci::use(visit.did), soci::use(visit.entered_at),
            soci::use(visit.first_offered_at), soci::use(visit.first_offered_to), soci::use(visit.offers),
            soci::use(visit.offered_to), soci::use(visit.outcome), soci::use(visit.agent), soci::use(visit.answered_at),
            soci::use(visit.abandoned_at), soci::use(short_abandon), soci::use(visit.waited_ms),
            soci::use(visit.overflowed_to), soci::use(transferred), soci::use(callback), soci::use(visit.ended_at),
            soci::use(visit.talk_ms), soci::use(visit.hold_ms), soci::use(visit.acw_ms),
            soci::use(visit.service_level_ms), soci::use(busy);
        const Counts counts = queue_counts(visit);
        add(sql, *upserts, "queue", visit.queue, visit.entered_at, counts);
        if (!visit.did.empty()) add(sql, *upserts, "did", visit.did, visit.entered_at, counts);
        if (!visit.agent.empty()) add(sql, *upserts, "agent", visit.agent, visit.answered_at, agent_counts(visit));
        if (counts.answered || counts.abandoned || counts.short_abandoned) {
          const long long start = interval_start_of(visit.entered_at), bucket = wait_bucket(visit.waited_ms),
                          answered = counts.answered, abandoned = counts.abandoned,
                          short_abandoned = counts.short_abandoned;
          sql << "INSERT INTO report_waits (queue, interval_start, bucket, answered, abandoned, short_abandoned)"
                 " VALUES (:q, :s, :b, :an, :ab, :sa) ON CONFLICT (queue, interval_start, bucket) DO UPDATE SET"
                 " answered = report_waits.answered + excluded.answered,"
                 " abandoned = report_waits.abandoned + excluded.abandoned,"
                 " short_abandoned = report_waits.short_abandoned + excluded.short_abandoned",
              soci::use(visit.queue), soci::use(start), soci::use(bucket), soci::use(answered),
              soci::use(abandoned), soci::use(short_abandoned);
        }
      },
      "queue visit of call " + std::to_string(visit.call) + " in " + visit.queue);
}

void Rollups::callback_completed(const std::string& queue, const std::string& did, const std::string& agent,
                                 std::int64_t requested_at) {
  writer_.submit(
      [=, upserts = &upserts_for(db_.backend())](soci::session& sql) {
        Counts counts;
        counts.callbacks_completed = 1;
        add(sql, *upserts, "queue", queue, requested_at, counts);
        if (!did.empty()) add(sql, *upserts, "did", did, requested_at, counts);
        if (!agent.empty()) add(sql, *upserts, "agent", agent, requested_at, counts);
      },
      "completed callback in " + queue);
}

void Rollups::record_state(const StateSpan& span) {
  const auto pieces = split_by_interval(span.from, span.until);
  if (pieces.empty()) return;
  writer_.submit(
      [span, pieces](soci::session& sql) {
        std::map<std::int64_t, std::int64_t> hours;
        for (const auto& [start, ms] : pieces) hours[interval_start_of(start, kHourMs)] += ms;
        auto add_time = [&](const char* table, const std::vector<std::pair<std::int64_t, std::int64_t>>& times) {
          for (const auto& [start, ms] : times) {
            const long long at = start, length = ms;
            sql << std::string("INSERT INTO ") + table + " (agent, interval_start, state, reason, ms)"
                       " VALUES (:a, :s, :st, :r, :ms) ON CONFLICT (agent, interval_start, state, reason)"
                       " DO UPDATE SET ms = " + table + ".ms + excluded.ms",
                soci::use(span.agent), soci::use(at), soci::use(span.state), soci::use(span.reason),
                soci::use(length);
          }
        };
        add_time("agent_state_intervals", pieces);
        add_time("agent_state_hours", {hours.begin(), hours.end()});
      },
      "agent " + span.agent + " " + span.state + " time");
}

void Rollups::record_flow_call(std::string ivr_trace, std::string agent) {
  if (ivr_trace.empty()) return;
  writer_.submit(
      [trace = std::move(ivr_trace), agent = std::move(agent)](soci::session& sql) {
        const auto counts = flow_counts(trace, agent);
        if (!counts) return;
        const FlowCounts& c = *counts;
        const long long start = interval_start_of(c.start), entered = c.entered, contained = c.contained,
                        voicemail = c.voicemail, queued = c.queued, transferred = c.transferred,
                        to_agent = c.to_agent, abandoned = c.abandoned, failed = c.failed, ivr_ms = c.ivr_ms;
        sql << "INSERT INTO report_flows (flow, interval_start, entered, contained, voicemail, queued, transferred,"
               " to_agent, abandoned, failed, ivr_ms) VALUES (:f, :s, :e, :c, :v, :q, :t, :a, :ab, :fa, :ms)"
               " ON CONFLICT (flow, interval_start) DO UPDATE SET entered = report_flows.entered + excluded.entered,"
               " contained = report_flows.contained + excluded.contained,"
               " voicemail = report_flows.voicemail + excluded.voicemail,"
               " queued = report_flows.queued + excluded.queued,"
               " transferred = report_flows.transferred + excluded.transferred,"
               " to_agent = report_flows.to_agent + excluded.to_agent,"
               " abandoned = report_flows.abandoned + excluded.abandoned,"
               " failed = report_flows.failed + excluded.failed, ivr_ms = report_flows.ivr_ms + excluded.ivr_ms",
            soci::use(c.flow), soci::use(start), soci::use(entered), soci::use(contained), soci::use(voicemail),
            soci::use(queued), soci::use(transferred), soci::use(to_agent), soci::use(abandoned), soci::use(failed),
            soci::use(ivr_ms);
      },
      "IVR flow figures of a call");
}

std::vector<FlowCounts> Rollups::read_flows(std::int64_t from, std::int64_t to, const std::string& flow) {
  writer_.flush();
  soci::session sql(db_.pool());
  FlowCounts row;
  std::array<long long, 10> values{};  // interval_start, then the counts in FlowCounts' order
  std::vector<FlowCounts> out;
  read_stretches(
      sql,
      {"SELECT flow, interval_start, entered, contained, voicemail, queued, transferred, to_agent, abandoned, failed,"
       " ivr_ms FROM report_flows",
       "", "flow", flow, " ORDER BY interval_start, flow"},
      {from, to},
      [&](soci::statement& st) {
        st.exchange(soci::into(row.flow));
        for (auto& value : values) st.exchange(soci::into(value));
      },
      [&](std::int64_t) {
        std::tie(row.start, row.entered, row.contained, row.voicemail, row.queued, row.transferred, row.to_agent,
                 row.abandoned, row.failed, row.ivr_ms) = std::tuple_cat(values);
        out.push_back(row);
      });
  return out;
}

void Rollups::record_contact(const Contact& contact, std::int64_t window_ms) {
  writer_.submit(
      [contact, window_ms](soci::session& sql) {
        auto add = [&sql](const Contact& of, std::int64_t handled, std::int64_t repeated) {
          const long long start = interval_start_of(of.started_at), h = handled, r = repeated;
          std::vector<std::pair<std::string, std::string>> keys{{"all", ""}, {"agent", of.agent}};
          if (!of.queue.empty()) keys.emplace_back("queue", of.queue);
          for (const auto& [kind, name] : keys) {
            sql << "INSERT INTO report_fcr (kind, name, interval_start, handled, repeated) VALUES (:k, :n, :s, :h, :r)"
                   " ON CONFLICT (kind, name, interval_start) DO UPDATE SET"
                   " handled = report_fcr.handled + excluded.handled, repeated = report_fcr.repeated + excluded.repeated",
                soci::use(kind), soci::use(name), soci::use(start), soci::use(h), soci::use(r);
          }
        };
        Contact last;
        long long last_at = 0;
        soci::indicator found = soci::i_null;
        sql << "SELECT started_at, queue, agent FROM report_last_contacts WHERE customer = :c", soci::into(last_at, found),
            soci::into(last.queue), soci::into(last.agent), soci::use(contact.customer);
        const bool had = sql.got_data() && found == soci::i_ok;
        last.started_at = last_at;
        if (!contact.agent.empty()) add(contact, 1, 0);
        if (had && contact.started_at < last.started_at) {
          // This call started first but ended last: the later one repeats it.
          if (!contact.agent.empty() && last.started_at - contact.started_at <= window_ms) add(contact, 0, 1);
          return;
        }
        if (had && !last.agent.empty() && contact.started_at - last.started_at <= window_ms) add(last, 0, 1);
        const long long at = contact.started_at;
        sql << "INSERT INTO report_last_contacts (customer, started_at, queue, agent) VALUES (:c, :s, :q, :a)"
               " ON CONFLICT (customer) DO UPDATE SET started_at = excluded.started_at, queue = excluded.queue,"
               " agent = excluded.agent",
            soci::use(contact.customer), soci::use(at), soci::use(contact.queue), soci::use(contact.agent);
      },
      "first-contact resolution of a contact");
}

std::vector<FcrCount> Rollups::read_fcr(const std::string& kind, std::int64_t from, std::int64_t to,
                                        const std::string& name) {
  writer_.flush();
  soci::session sql(db_.pool());
  FcrCount row;
  row.kind = kind;
  long long start = 0, handled = 0, repeated = 0;
  std::vector<FcrCount> out;
  read_stretches(
      sql, {"SELECT name, interval_start, handled, repeated FROM report_fcr", kind, "name", name,
            " ORDER BY interval_start, name"},
      {from, to},
      [&](soci::statement& st) {
        st.exchange(soci::into(row.name));
        st.exchange(soci::into(start));
        st.exchange(soci::into(handled));
        st.exchange(soci::into(repeated));
      },
      [&](std::int64_t) {
        std::tie(row.start, row.handled, row.repeated) = std::tuple(start, handled, repeated);
        if (row.handled || row.repeated) out.push_back(row);
      });
  return out;
}

std::vector<WaitCount> Rollups::read_waits(std::int64_t from, std::int64_t to, const std::string& queue) {
  writer_.flush();
  soci::session sql(db_.pool());
  WaitCount row;
  std::array<long long, 5> values{};  // interval_start, bucket, answered, abandoned, short_abandoned
  std::vector<WaitCount> out;
  read_stretches(
      sql, {"SELECT queue, interval_start, bucket, answered, abandoned, short_abandoned FROM report_waits", "",
            "queue", queue, " ORDER BY interval_start, queue, bucket"},
      {from, to},
      [&](soci::statement& st) {
        st.exchange(soci::into(row.queue));
        for (auto& value : values) st.exchange(soci::into(value));
      },
      [&](std::int64_t) {
        std::tie(row.start, row.bucket, row.answered, row.abandoned, row.short_abandoned) = std::tuple_cat(values);
        out.push_back(row);
      });
  return out;
}

std::vector<StateTime> Rollups::read_states(std::int64_t from, std::int64_t to, const std::string& agent) {
  writer_.flush();
  soci::session sql(db_.pool());
  StateTime row;
  long long start = 0, ms = 0;
  std::vector<StateTime> out;
  read_stretches(
      sql, {"SELECT agent, interval_start, state, reason, ms FROM agent_state_intervals", "", "agent", agent,
            " ORDER BY interval_start, agent, state, reason"},
      {from, to},
      [&](soci::statement& st) {
        st.exchange(soci::into(row.agent));
        st.exchange(soci::into(start));
        st.exchange(soci::into(row.state));
        st.exchange(soci::into(row.reason));
        st.exchange(soci::into(ms));
      },
      [&](std::int64_t) {
        std::tie(row.start, row.ms) = std::tuple(start, ms);
        out.push_back(row);
      });
  return out;
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
  std::vector<Rollup> out;
  read_stretches(
      sql, {"SELECT name, interval_start" + columns + " FROM report_intervals", kind, "name", key,
            " ORDER BY interval_start, name"},
      {from, to},
      [&](soci::statement& st) {
        st.exchange(soci::into(row.key));
        st.exchange(soci::into(start));
        for (auto& value : values) st.exchange(soci::into(value));
      },
      [&](std::int64_t) {
        row.start = start;
        for (std::size_t i = 0; i < kColumns.size(); ++i) row.counts.*kColumns[i].second = values[i];
        out.push_back(row);
      });
  return out;
}

std::vector<Rollup> Rollups::read_sums(const std::string& kind, const std::vector<std::int64_t>& bounds,
                                       const std::string& key) {
  writer_.flush();
  std::string sums;
  for (const auto& [name, field] : kColumns) {
    sums += std::string(field == &Counts::max_wait_ms ? ", MAX(" : ", CAST(SUM(") + name +
            (field == &Counts::max_wait_ms ? ")" : ") AS BIGINT)");
  }
  soci::session sql(db_.pool());
  Rollup row;
  row.kind = kind;
  std::array<long long, kColumns.size()> values{};
  std::vector<Rollup> out;
  read_stretches(
      sql, {"SELECT name" + sums + " FROM " + (whole_hours(bounds) ? "report_hours" : "report_intervals"), kind,
            "name", key, " GROUP BY name ORDER BY name"},
      bounds,
      [&](soci::statement& st) {
        st.exchange(soci::into(row.key));
        for (auto& value : values) st.exchange(soci::into(value));
      },
      [&](std::int64_t start) {
        row.start = start;
        for (std::size_t c = 0; c < kColumns.size(); ++c) row.counts.*kColumns[c].second = values[c];
        out.push_back(row);
      });
  return out;
}

std::vector<StateTime> Rollups::read_state_sums(const std::vector<std::int64_t>& bounds, const std::string& agent) {
  writer_.flush();
  soci::session sql(db_.pool());
  StateTime row;
  long long ms = 0;
  std::vector<StateTime> out;
  read_stretches(
      sql, {std::string("SELECT agent, state, reason, CAST(SUM(ms) AS BIGINT) FROM ") +
                (whole_hours(bounds) ? "agent_state_hours" : "agent_state_intervals"),
            "", "agent", agent, " GROUP BY agent, state, reason ORDER BY agent, state, reason"},
      bounds,
      [&](soci::statement& st) {
        st.exchange(soci::into(row.agent));
        st.exchange(soci::into(row.state));
        st.exchange(soci::into(row.reason));
        st.exchange(soci::into(ms));
      },
      [&](std::int64_t start) {
        std::tie(row.start, row.ms) = std::tuple(start, ms);
        out.push_back(row);
      });
  return out;
}

}  // namespace unicc::report
