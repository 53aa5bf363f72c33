#pragma once
// acd_store::AgentLog — the ACD router's observer: every agent state change is written to
// `agent_states` through the async writer (the basis of occupancy and adherence
// reports) and handed to `changed` (the event stream); every call event in a queue is
// handed to `queue_event` (the wallboard's stream; the calls themselves are in the
// CDRs), and the answered and abandoned ones, with their waits, are written to
// `queue_calls`. Runs on the router's thread; never waits for the database.
// history() and queue_calls_since() read back after the writes queued before them,
// from any thread but the router's.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "acd/observer.h"
#include "acd/agent_view.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::acd_store {

class AgentLog final : public acd::Observer {
 public:
  AgentLog(store::AsyncWriter& writer, store::Database& db, std::function<void(const acd::AgentView&)> changed,
           std::function<void(const acd::QueueCallEvent&)> queue_event);

  // The router's agents, by id (on the router's thread).
  void set_agent(acd::AgentId id, const std::string& extension, const std::string& name);
  void forget_agent(acd::AgentId id);
  void set_queue(acd::QueueId id, const std::string& name);

  void on_agent_state(const acd::AgentStateRecord& record) override;
  void on_call_event(const acd::CallEvent& event) override;
  // A contact reached `queue` outside its calendar's hours: a "closed" event for the
  // wallboard's stream (not written to queue_calls: it never waited).
  void queue_closed(const std::string& queue, std::uint64_t call, std::int64_t at_ms);

  std::vector<acd::AgentStateChange> history(const std::string& extension, std::int64_t limit);
  // The answered and abandoned queue calls from `from_ms` on, oldest first (the
  // wallboard's day at start).
  std::vector<acd::QueueCallEvent> queue_calls_since(std::int64_t from_ms);

  // At start every agent is logged out. Agents whose last recorded state says
  // otherwise (the server stopped under them) get a change to logged_out with the
  // reason "restart"; those changes are returned, for the audit log.
  std::vector<acd::AgentStateChange> log_out_after_restart(std::int64_t now_ms);

  // The API's name of a state: logged_out, ready, not_ready, reserved, on_call, wrap_up.
  static std::string state_name(acd::AgentState state);

 private:
  void write(const acd::AgentStateChange& change, const std::string& call);

  store::AsyncWriter& writer_;
  store::Database& db_;
  std::map<acd::AgentId, acd::AgentView> agents_;
  std::map<acd::QueueId, std::string> queues_;
  const std::function<void(const acd::AgentView&)> changed_;
  const std::function<void(const acd::QueueCallEvent&)> queue_event_;
};

}  // namespace unicc::acd_store
