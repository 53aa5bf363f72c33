#pragma once
// Internal to the acd module: the Router's state and its steps. The steps are spread
// over router_config.cpp (adding queues and agents), router_reconfigure.cpp (changing
// and removing them while calls run), router_agents.cpp (the agent state machine),
// router_calls.cpp (a call's life), router_match.cpp (who gets which call) and
// router_timers.cpp (deadlines and announcements).
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "acd/handle_times.h"
#include "acd/ranked_set.h"
#include "acd/ready_agents.h"
#include "acd/router.h"
#include "acd/strategy.h"
#include "acd/timer_queue.h"

namespace unicc::acd {

inline constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

inline bool is_logged_in(AgentState s) { return s != AgentState::kLoggedOut; }
// Counted as staffing for the estimated wait: logged in and not away.
inline bool is_working(AgentState s) {
  return s != AgentState::kLoggedOut && s != AgentState::kNotReady;
}

// One queue an agent serves, with the per-queue facts its strategy needs. Kept to 24
// bytes: an agent becoming ready walks its ~16 memberships up to three times (looking
// for a call, entering the ready sets, leaving them), and they are cold by then.
struct Membership {
  std::uint32_t queue = kNoSlot;
  std::int32_t skill_score = 0;  // a sum of levels 1-10
  std::int64_t last_turn = 0;
  std::uint32_t linear_rank = 0;  // under agent_order.size() + the number of agent slots
};

struct AgentSlot {
  AgentConfig config;
  AgentState state = AgentState::kLoggedOut;
  std::string reason;
  std::int64_t since_wall_ms = 0;
  std::int64_t idle_since_ms = 0;
  std::int64_t calls_handled = 0;
  std::int64_t talk_ms = 0;
  std::uint32_t call = kNoSlot;          // reserved for or talking on
  CallId wrap_call = 0;                  // the call being wrapped up
  std::uint32_t served_queue = kNoSlot;  // whose wrap-up and handle times apply
  std::int64_t answered_ms = 0;          // steady; start of the handle time
  std::optional<std::string> pending_not_ready;
  std::uint64_t wrap_timer = 0;
  std::vector<Membership> queues;
  std::vector<std::uint32_t> held;  // calls waiting for this agent (last-agent routing)
  bool removed = false;  // remove_agent() leaves the slot behind, so slots never move
};

// What the decisions read of every queue an agent serves, kept apart from QueueSlot in
// a dense vector indexed by queue slot (Router::Impl::routing_). An agent becoming
// ready visits about 16 queues, first to look for a waiting call, then to enter their
// ready sets; a QueueSlot is over 1,100 bytes and these facts sat on lines of their
// own in it (the config's strategy and priority, the waiting set's size), a cache
// miss each. 500 queues' worth of these is 6 KB, which stays in cache.
struct QueueRouting {
  std::uint32_t waiting_calls = 0;  // QueueSlot::waiting.size(), set where it changes
  int priority = 0;                 // the rest is copied from QueueConfig by link()
  Strategy strategy = Strategy::kLongestIdle;
  bool prefer_newly_trained = false;
};

struct QueueSlot {
  QueueSlot(QueueConfig c, const std::vector<std::uint64_t>* ready_epochs)
      : config(std::move(c)),
        ready(ready_epochs, config.strategy == Strategy::kRandom),
        handle_times(config.default_handle_time) {}
  QueueConfig config;
  ReadyAgents ready;
  RankedSet<CallKey> waiting;
  std::size_t logged_in = 0;
  std::size_t working = 0;
  HandleTimes handle_times;
  std::int64_t turns = 0;  // round-robin clock
  std::vector<std::uint32_t> tier_queues;
  std::uint32_t overflow_queue = kNoSlot;
  std::unordered_map<AgentId, std::int64_t> fixed_rank;  // from config.agent_order
  std::uint64_t announce_timer = 0;  // generation of the periodic announcement; 0: none
  bool removed = false;  // remove_queue() leaves the slot behind, so slots never move
};

enum class CallPhase : std::uint8_t { kWaiting, kHeld, kOffered, kConnected };

struct CallSlot {
  CallId id = 0;
  bool in_use = false;
  std::uint32_t home = kNoSlot;
  int priority = 0;
  std::int64_t arrived_ms = 0;  // steady; first entry into the router (age order)
  std::int64_t joined_ms = 0;   // steady; entry into the home queue (tiers, maximum wait)
  std::uint64_t sequence = 0;
  bool returned = false;
  std::string callback_number;  // not empty: the caller waits to be called back
  CallPhase phase = CallPhase::kWaiting;
  std::size_t tiers_reached = 0;
  std::vector<std::uint32_t> in_queues;  // waiting sets holding the call
  std::uint32_t last_agent = kNoSlot;    // from the request, for last-agent routing
  std::uint32_t held_for = kNoSlot;
  std::int64_t hold_until_ms = 0;
  std::vector<std::uint32_t> ringing;
  std::uint32_t offer_queue = kNoSlot;  // kNoSlot (and home too) for an agent's outbound call
  std::uint32_t agent = kNoSlot;  // the agent who answered
  std::uint64_t call_timer = 0;
  std::uint64_t ring_timer = 0;

  CallKey key(std::uint32_t slot) const {
    return CallKey{returned ? 0 : 1, -static_cast<std::int64_t>(priority), arrived_ms, sequence,
                   slot};
  }
};

class Router::Impl {
 public:
  Impl(const core::Clock& clock, RouterOptions options)
      : clock_(clock), observer_(options.observer), random_(options.random_seed) {}

  // router_config.cpp
  std::vector<std::string> add_queue(QueueConfig config);
  std::vector<std::string> add_agent(AgentConfig config);

  // router_reconfigure.cpp
  std::vector<std::string> update_queue(QueueConfig config);
  std::vector<std::string> update_agent(AgentConfig config);
  Status remove_queue(QueueId id);
  Status remove_agent(AgentId id);

  // router_agents.cpp
  Status log_in(AgentId id);
  Status log_out(AgentId id);
  Status set_ready(AgentId id);
  Status set_not_ready(AgentId id, std::string reason);

  // router_calls.cpp
  Status enqueue(const CallRequest& request, std::string callback_number);
  Status answered(CallId id, AgentId agent);
  Status offer_failed(CallId id, AgentId agent, std::string reason);
  Status end_call(CallId id);
  Status request_callback(CallId id, std::string number);

  // router_outbound.cpp
  Status dial_out(CallId id, AgentId agent);
  Status end_wrap_up(AgentId agent);

  // router_timers.cpp
  std::optional<std::int64_t> next_deadline_ms();
  void on_timer();

  // router.cpp
  void take_decisions(std::vector<Decision>& out);
  std::optional<AgentStatus> agent_status(AgentId id) const;
  std::optional<WaitStatus> wait_status(CallId id) const;
  std::optional<QueueStatus> queue_status(QueueId id) const;
  std::vector<QueueId> queues_served(AgentId id) const;

 private:
  std::int64_t now_ms() const;  // steady
  std::uint32_t find_agent(AgentId id) const;
  std::uint32_t find_queue(QueueId id) const;
  std::uint32_t find_call(CallId id) const;
  Status find_ringing(CallId id, AgentId agent_id, std::uint32_t& c, std::uint32_t& a) const;

  // router_config.cpp
  void check_overflow_queues(const QueueConfig& config, const std::string& owner,
                             std::vector<std::string>& errors) const;
  void link(std::uint32_t queue);
  void join(std::uint32_t agent, std::uint32_t queue, std::int64_t last_turn = 0);
  bool serves(std::uint32_t agent, std::uint32_t queue) const;

  // router_reconfigure.cpp
  void rejoin(std::uint32_t agent, std::uint32_t queue);
  std::vector<std::uint32_t> refit_calls(std::uint32_t queue);

  // router_agents.cpp
  void change_state(std::uint32_t agent, AgentState to, std::string_view reason);
  AgentFacts facts(const AgentSlot& agent, const Membership& m) const;
  void enter_ready_sets(std::uint32_t agent);
  void leave_ready_sets(std::uint32_t agent);
  void become_ready(std::uint32_t agent);
  void after_call(std::uint32_t agent);
  void end_handle_time(std::uint32_t agent);
  void finish_wrap_up(std::uint32_t agent);
  std::chrono::seconds wrap_up_after(const AgentSlot& agent) const;
  std::vector<std::uint32_t> release_ringing(std::uint32_t call, std::uint32_t except);
  void route_agents(const std::vector<std::uint32_t>& agents);
  void overflow_if_nobody_logged_in(std::uint32_t queue);

  // router_calls.cpp
  std::uint32_t new_call(const CallRequest& request, std::uint32_t queue);
  void free_call(std::uint32_t call);
  void add_waiting(std::uint32_t queue, const CallKey& key);
  void remove_waiting(std::uint32_t queue, const CallKey& key);
  void start_waiting(std::uint32_t call);
  void wait_and_route(std::uint32_t call);
  void stop_waiting(std::uint32_t call);
  void detach(std::uint32_t call);
  void unhold(std::uint32_t call);
  void return_to_head(std::uint32_t call);
  void overflow(std::uint32_t call, OverflowReason reason);
  bool enter_queue(std::uint32_t call, std::uint32_t queue);
  void event(CallEventKind kind, std::uint32_t call, std::uint32_t queue,
             std::uint32_t agent = kNoSlot, bool busy = false);

  // router_match.cpp
  void route_queue(std::uint32_t queue);
  void route_agent(std::uint32_t agent);
  std::uint32_t pick_agent(std::uint32_t queue);
  void offer(std::uint32_t call, std::uint32_t queue, std::uint32_t agent);
  void offer_to_all(std::uint32_t call, std::uint32_t queue);
  void reserve(std::uint32_t call, std::uint32_t queue, std::uint32_t agent);
  void start_ring_timer(std::uint32_t call, std::uint32_t queue);

  // router_timers.cpp
  bool is_current(const Timer& timer) const;
  void schedule_announcement(std::uint32_t queue);
  void schedule_call_timer(std::uint32_t call);
  void on_call_timer(std::uint32_t call);
  void reach_tiers(std::uint32_t call);
  void on_ring_timeout(std::uint32_t call);
  void on_announce(std::uint32_t queue);
  void announce(std::uint32_t call);
  std::uint64_t next_generation() { return ++generations_; }
  // Built in place: moving a temporary variant into the vector makes GCC 12 report its
  // other alternatives as maybe uninitialized (a false positive).
  template <typename D>
  void decide(D decision) {
    decisions_.emplace_back(std::in_place_type<D>, std::move(decision));
  }

  const core::Clock& clock_;
  Observer* observer_;
  std::mt19937_64 random_;
  std::vector<AgentSlot> agents_;
  std::vector<std::uint64_t> ready_epochs_;  // by agent slot; 0 while not ready
  std::uint64_t epochs_ = 0;
  std::vector<QueueSlot> queues_;
  std::vector<QueueRouting> routing_;  // by queue slot
  std::vector<CallSlot> calls_;
  std::vector<std::uint32_t> free_calls_;
  std::unordered_map<AgentId, std::uint32_t> agent_index_;
  std::unordered_map<QueueId, std::uint32_t> queue_index_;
  std::unordered_map<CallId, std::uint32_t> call_index_;
  TimerQueue timers_;
  std::vector<Decision> decisions_;
  std::uint64_t sequence_ = 0;
  std::uint64_t generations_ = 0;
};

}  // namespace unicc::acd
