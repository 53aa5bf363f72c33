#pragma once
// report::VisitTracker — turns what the ACD and the contact layer report about calls
// into queue-visit facts (docs/metrics.md): one Visit per stay of a call in a queue,
// handed to `finished` once nothing more about it can change.
//
// Fed, in the order things happen, with the router's queue events (the wallboard's
// stream: acd_store::AgentLog's queue_event), the agents' state changes (its
// `changed`) and the contacts' changes (ContactFacts). A visit opens on `queued`; an
// overflow to another queue closes it (overflowed_to names the queue) and opens one
// there. A call that also waits in an overflow tier's queue stays one visit, in the
// queue it entered, whoever answers it. An answered visit ends when its agent leaves
// wrap-up (its after-call work), or at once without wrap-up.
// Thread-safe: the SIP thread feeds it while REST handlers set queues.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "acd/agent_view.h"

namespace unicc::report {

// One call's visit to one queue. Times are ms since the epoch (0: did not happen),
// durations ms.
struct Visit {
  std::uint64_t call = 0;  // the ACD's id of the call (the contact's id)
  std::string queue;
  std::string did;  // the number the caller dialled
  std::int64_t entered_at = 0;
  std::int64_t first_offered_at = 0;
  std::string first_offered_to;  // an agent's extension
  std::int64_t offers = 0;       // agents rung, counting each ring
  std::string offered_to;        // the agents rung, comma-separated, in order, once each
  // answered, abandoned (short_abandon: sooner than the short-abandon threshold),
  // overflowed (to overflowed_to: a queue, or "" for a flow, mailbox or number), or
  // callback (the caller asked to be called back; the call back, if any, is its end).
  std::string outcome;
  std::string agent;  // who answered
  std::int64_t answered_at = 0;
  std::int64_t abandoned_at = 0;
  bool short_abandon = false;
  std::int64_t waited_ms = 0;  // in this queue, until answered, abandoned or overflowed
  std::string overflowed_to;
  bool busy = false;  // overflowed because the queue was full or had no agent logged in
  bool transferred = false;  // the agent transferred it away
  bool callback_requested = false;
  std::int64_t ended_at = 0;
  std::int64_t talk_ms = 0;  // answer to the agent's leaving, less the hold
  std::int64_t hold_ms = 0;
  std::int64_t acw_ms = 0;   // wrap-up after the call
  std::int64_t service_level_ms = 0;  // the queue's threshold when the call entered
};

// What the tracker needs of a contact's change (contact::ContactView).
struct ContactFacts {
  std::uint64_t call = 0;
  std::string did;
  std::string state;  // queued, offered, talking, held, transferring, ended, ...
  std::int64_t state_since_ms = 0;
  std::size_t transfers = 0;  // the "transfer" steps so far
};

class VisitTracker {
 public:
  VisitTracker(std::int64_t short_abandon_ms, std::function<void(const Visit&)> finished);

  // A queue's service-level threshold, for the visits that enter it from now on.
  void set_queue(const std::string& name, std::int64_t service_level_ms);
  // The short-abandon threshold for the visits that end from now on.
  void set_short_abandon_ms(std::int64_t short_abandon_ms);
  void on_queue_event(const acd::QueueCallEvent& event);
  void on_agent(const acd::AgentView& agent);
  void on_contact(const ContactFacts& contact);

 private:
  struct Open {
    Visit visit;
    std::int64_t held_since = 0;
    std::size_t transfers_at_answer = 0;
    std::int64_t wrap_since = 0;
  };
  struct Contact {
    std::string did;
    std::size_t transfers = 0;
  };
  void finish(Open& open);  // with mutex_ held
  void flush_overflow(const acd::QueueCallEvent* next);

  std::int64_t short_abandon_ms_;  // under mutex_
  const std::function<void(const Visit&)> finished_;
  std::mutex mutex_;
  std::map<std::string, std::int64_t> service_levels_;
  std::map<std::uint64_t, Open> open_;             // by call: waiting or talking
  std::map<std::string, Open> after_call_;         // by agent: the call they wrap up
  std::optional<Open> overflowed_;                 // until the next event names its target
  std::map<std::uint64_t, Contact> contacts_;
};

// The ACD's ids of callbacks queued again (after a restart or a failed attempt) are
// above this (contact::Contacts); their visits continue a request already counted.
inline constexpr std::uint64_t kCallbackRetryIds = std::uint64_t{1} << 62;

}  // namespace unicc::report
