#include "acd/store/agent_log.h"

#include <algorithm>

namespace unicc::acd_store {

using acd::AgentStateChange;
using acd::AgentView;
using acd::QueueCallEvent;

AgentLog::AgentLog(store::AsyncWriter& writer, store::Database& db, std::function<void(const AgentView&)> changed,
                   std::function<void(const QueueCallEvent&)> queue_event)
    : writer_(writer), db_(db), changed_(std::move(changed)), queue_event_(std::move(queue_event)) {}

void AgentLog::set_agent(acd::AgentId id, const std::string& extension, const std::string& name) {
  agents_[id] = AgentView{extension, name, "", "", 0, {}, {}, {}};
}

void AgentLog::forget_agent(acd::AgentId id) { agents_.erase(id); }

// Removed queues keep their name here: their last calls' events still name them.
void AgentLog::set_queue(acd::QueueId id, const std::string& name) { queues_[id] = name; }

void AgentLog::on_call_event(const acd::CallEvent& event) {
  static constexpr const char* kNames[] = {"queued",     "offered",   "answered",  "returned",
                                           "callback_requested", "overflowed", "abandoned", "completed"};
  auto queue = queues_.find(event.queue);
  auto agent = event.agent ? agents_.find(*event.agent) : agents_.end();
  QueueCallEvent named{queue == queues_.end() ? "" : queue->second, kNames[static_cast<int>(event.kind)], event.call,
                       agent == agents_.end() ? "" : agent->second.extension, event.waited_ms, event.at_ms,
                       event.busy};
  if (event.kind == acd::CallEventKind::kAnswered || event.kind == acd::CallEventKind::kAbandoned) {
    writer_.submit(
        [named](soci::session& sql) {
          const long long call = static_cast<long long>(named.call);
          sql << "INSERT INTO queue_calls (queue, event, call_id, agent, waited_ms, at)"
                 " VALUES (:q, :e, :c, :a, :w, :t)",
              soci::use(named.queue), soci::use(named.event), soci::use(call), soci::use(named.agent),
              soci::use(named.waited_ms), soci::use(named.at_ms);
        },
        "queue call " + std::to_string(named.call) + " " + named.event);
  }
  if (queue_event_) queue_event_(named);
}

void AgentLog::queue_closed(const std::string& queue, std::uint64_t call, std::int64_t at_ms) {
  if (queue_event_) queue_event_(QueueCallEvent{queue, "closed", call, "", 0, at_ms, false});
}

std::vector<QueueCallEvent> AgentLog::queue_calls_since(std::int64_t from_ms) {
  writer_.flush();
  soci::session sql(db_.pool());
  QueueCallEvent row;
  long long call = 0, waited = 0, at = 0;
  soci::statement st = (sql.prepare << "SELECT queue, event, call_id, agent, waited_ms, at FROM queue_calls"
                                       " WHERE at >= :f ORDER BY at, id",
                        soci::into(row.queue), soci::into(row.event), soci::into(call), soci::into(row.agent),
                        soci::into(waited), soci::into(at), soci::use(from_ms));
  st.execute(false);
  std::vector<QueueCallEvent> out;
  while (st.fetch()) {
    row.call = static_cast<std::uint64_t>(call);
    row.waited_ms = waited;
    row.at_ms = at;
    out.push_back(row);
  }
  return out;
}

std::string AgentLog::state_name(acd::AgentState state) {
  std::string name(acd::to_string(state));
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

void AgentLog::write(const AgentStateChange& change, const std::string& call) {
  writer_.submit(
      [change, call](soci::session& sql) {
        sql << "INSERT INTO agent_states (extension, from_state, to_state, reason, at, previous_ms, call_id)"
               " VALUES (:e, :f, :t, :r, :a, :p, :c)",
            soci::use(change.extension), soci::use(change.from), soci::use(change.to), soci::use(change.reason),
            soci::use(change.at_ms), soci::use(change.previous_ms), soci::use(call);
      },
      "state change of agent " + change.extension);
}

void AgentLog::on_agent_state(const acd::AgentStateRecord& record) {
  auto agent = agents_.find(record.agent);
  if (agent == agents_.end()) return;
  AgentStateChange change{agent->second.extension, state_name(record.from), state_name(record.to), record.reason,
                          record.at_ms, record.previous_ms};
  write(change, record.call ? std::to_string(*record.call) : "");
  if (changed_) {
    changed_(AgentView{change.extension, agent->second.name, change.to, change.reason, change.at_ms, {}, {}, {}});
  }
}

std::vector<AgentStateChange> AgentLog::log_out_after_restart(std::int64_t now_ms) {
  // All reads before any write: a read waits for the writes queued before it, so
  // interleaving them would wait for one commit per agent.
  std::vector<AgentStateChange> closed;
  for (const auto& [id, agent] : agents_) {
    auto last = history(agent.extension, 1);
    if (last.empty() || last.front().to == "logged_out") continue;
    closed.push_back({agent.extension, last.front().to, "logged_out", "restart", now_ms, now_ms - last.front().at_ms});
  }
  for (const auto& change : closed) write(change, "");
  return closed;
}

std::vector<AgentStateChange> AgentLog::history(const std::string& extension, std::int64_t limit) {
  writer_.flush();
  soci::session sql(db_.pool());
  AgentStateChange row;
  long long at = 0, previous = 0;
  soci::statement st = (sql.prepare << "SELECT extension, from_state, to_state, reason, at, previous_ms"
                                       " FROM agent_states WHERE extension = :e ORDER BY at DESC, id DESC LIMIT :l",
                        soci::into(row.extension), soci::into(row.from), soci::into(row.to), soci::into(row.reason),
                        soci::into(at), soci::into(previous), soci::use(extension), soci::use(limit));
  st.execute(false);
  std::vector<AgentStateChange> out;
  while (st.fetch()) {
    row.at_ms = at;
    row.previous_ms = previous;
    out.push_back(row);
  }
  return out;
}

}  // namespace unicc::acd_store
