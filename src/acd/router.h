#pragma once
// Router — the ACD brain: queues, agents and their states, and which agent gets
// which call.
//
// A single-threaded actor: call every method from one thread. Commands change the
// state and may produce Decisions, which the host collects with take_decisions() and
// carries out (see decision.h). Nothing runs by itself: the host asks next_deadline()
// and calls on_timer() when it has passed (ring timeouts, wrap-up ends, overflow
// tiers, maximum waits, last-agent holds, announcements). Time comes from the Clock:
// steady time for deadlines, wall time for records.
//
// Matching keeps one invariant: no ready agent serves a queue in which a call waits.
// So a decision looks only at one queue's ready agents (when a call arrives) or at
// the heads of one agent's queues (when an agent becomes ready), never at all agents.
// Changing the configuration (update_queue, update_agent, remove_*) is not a decision:
// it may look at every agent once, and restores the invariant before it returns.
//
// Ordering: a call returned after no answer goes to the head of its queue; then
// higher caller priority (VIP) first; then the earlier arrival. An agent in several
// queues serves the queue of higher QueueConfig::priority first, then the better call.
//
// Commands return Status::kOk or why nothing was changed.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acd/agent_state.h"
#include "acd/config.h"
#include "acd/decision.h"
#include "acd/observer.h"
#include "core/clock.h"

namespace unicc::acd {

enum class Status : std::uint8_t {
  kOk,
  kUnknownQueue,
  kUnknownAgent,
  kUnknownCall,
  kDuplicateCall,
  kInvalid,     // an empty callback number
  kWrongState,  // e.g. logging out an agent on a call, answering a call not offered to them
};

std::string_view to_string(Status status);

struct RouterOptions {
  Observer* observer = nullptr;   // not owned; may be null
  std::uint64_t random_seed = 1;  // Strategy::kRandom
};

struct CallRequest {
  CallId call = 0;
  QueueId queue = 0;
  int priority = 0;                   // higher is served first (VIP callers)
  std::optional<AgentId> last_agent;  // who served this caller last (last-agent routing)
};

struct AgentStatus {
  AgentState state = AgentState::kLoggedOut;
  std::string reason;
  std::int64_t since_ms = 0;
  std::optional<CallId> call;
};

struct WaitStatus {
  QueueId queue = 0;
  std::size_t position = 0;  // 0 while held for the caller's last agent
  std::optional<std::chrono::seconds> wait;
};

struct QueueStatus {
  std::size_t waiting = 0;
  std::size_t logged_in = 0;
  std::size_t working = 0;  // logged in and not "not ready"
  std::size_t ready = 0;
  std::chrono::milliseconds handle_time{0};  // recent average, or the configured default
};

class Router {
 public:
  explicit Router(const core::Clock& clock, RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Configuration. Errors name the problem; on any error nothing is added. A queue
  // named by an overflow tier or target must have been added before.
  std::vector<std::string> add_queue(QueueConfig queue);
  std::vector<std::string> add_agent(AgentConfig agent);

  // Changing the configuration while calls wait and agents work (docs/acd.md).
  //
  // update_queue replaces the settings of the queue with the same id. It may name any
  // queue in its tiers and target, as long as the overflow targets do not loop; on any
  // error nothing changes. Who serves the queue is worked out again, waiting calls keep
  // their place, the ring timeout and wrap-up apply to later offers, and the maximum
  // wait and tiers from each call's next timer. Then the queue is routed, and if nobody
  // serving it is logged in any more its calls overflow.
  std::vector<std::string> update_queue(QueueConfig queue);
  // update_agent replaces the agent's name, extension, skills, groups and newly_trained,
  // in any state. A ready agent is routed again as when it becomes ready (it may take a
  // waiting call of a queue it now serves at once). A reserved or talking agent keeps
  // their call, even from a queue they no longer serve. Callers held for the agent in
  // a queue they no longer serve wait like the others.
  std::vector<std::string> update_agent(AgentConfig agent);
  // kWrongState while a call waits in the queue or is held, offered or connected
  // through it, or another queue names it as a tier or overflow target: the call or
  // the other queue would be left pointing at nothing. The id can be added again.
  Status remove_queue(QueueId queue);
  // kWrongState unless the agent is logged out: a logged-in agent is counted as staff,
  // may ring or talk, and their state changes are still being recorded. The id can be
  // added again.
  Status remove_agent(AgentId agent);

  // Agent state. log_in leaves the agent not ready (reason "login").
  // set_not_ready while reserved or on a call takes effect when the call ends.
  Status log_in(AgentId agent);
  Status log_out(AgentId agent);
  Status set_ready(AgentId agent);
  Status set_not_ready(AgentId agent, std::string reason);

  // Calls.
  Status enqueue(const CallRequest& request);
  Status answered(CallId call, AgentId agent);
  // The agent's phone refused or failed: the agent goes not ready with `reason` and
  // the call returns to the head of its queue (once no other agent is ringing).
  Status offer_failed(CallId call, AgentId agent, std::string reason);
  // The caller hung up (abandon), or an answered call is finished (agent to wrap-up).
  Status end_call(CallId call);
  // The caller hangs up but keeps their place; they are called back at their turn.
  // The maximum wait no longer applies, nor do a full queue or one nobody is logged
  // in to turn them away (they are not on the line); overflow tiers still do.
  Status request_callback(CallId call, std::string number);
  // A caller who asked to be called back before a restart: queued as if they had
  // just asked (enqueue, then request_callback), whatever the staffing.
  Status enqueue_callback(const CallRequest& request, std::string number);

  // An outbound call the agent makes (click-to-dial), in no queue. Reserves the agent
  // for `call` while their own phone rings; answered(call, agent) puts them on it and
  // end_call() ends it: wrap-up once answered (the longest of their queues'), else
  // straight back. An agent who was not ready comes back not ready with the same
  // reason (unless they ask to be ready meanwhile): calling out is not being ready
  // for queue calls. kWrongState while logged out, reserved or on a call.
  Status dial_out(CallId call, AgentId agent);
  // Ends the agent's wrap-up now (their wrap-up form is done): ready, or not ready
  // when they asked for it during the call. kWrongState outside wrap-up.
  Status end_wrap_up(AgentId agent);

  // Time.
  std::optional<std::chrono::steady_clock::time_point> next_deadline() const;
  void on_timer();

  // Decisions made since the last call, oldest first. `out` is replaced.
  void take_decisions(std::vector<Decision>& out);

  std::optional<AgentStatus> agent_status(AgentId agent) const;
  std::optional<WaitStatus> wait_status(CallId call) const;
  std::optional<QueueStatus> queue_status(QueueId queue) const;
  // The queues the agent serves, by id; empty for an unknown agent.
  std::vector<QueueId> queues_served(AgentId agent) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::acd
