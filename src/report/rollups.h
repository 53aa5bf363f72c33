#pragma once
// report::Rollups — queue visits and their roll-ups in the database (docs/metrics.md).
//
// record() writes a finished visit to `queue_visits` and adds it to the 15-minute
// roll-ups in `report_intervals` (by queue and by DID at the interval the call
// entered the queue; by agent at the interval it was answered), in one write of the
// async writer: never waits for the database, and fact and roll-ups commit together.
// Reports read the roll-ups (read()), never the visits. Visits and agent states are
// also added to hourly roll-ups (report_hours, agent_state_hours): sums over periods
// that start on whole hours read those, a quarter of the rows.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/agent_states.h"
#include "report/visits.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::report {

inline constexpr std::int64_t kRollupMs = 15 * 60 * 1000;
inline constexpr std::int64_t kHourMs = 60 * 60 * 1000;

// The start of the `length`-long interval (counted from the epoch) that holds `ms`.
inline constexpr std::int64_t interval_start_of(std::int64_t ms, std::int64_t length = kRollupMs) {
  return ms - ((ms % length) + length) % length;
}

// What one roll-up row adds up. Waits, talk, hold and wrap-up are sums in ms.
struct Counts {
  std::int64_t offered = 0;          // visits, less short abandons and callback retries
  std::int64_t answered = 0;
  std::int64_t abandoned = 0;        // less the short ones
  std::int64_t short_abandoned = 0;
  std::int64_t overflowed = 0;
  std::int64_t busy = 0;             // of the overflowed: the queue was full or had no agent
  std::int64_t answered_in_sl = 0;   // waited ≤ the queue's service-level threshold
  std::int64_t abandoned_in_sl = 0;  // (not short) waited ≤ the threshold
  std::int64_t handled = 0;          // answered by an agent, callbacks included
  std::int64_t wait_answered_ms = 0;
  std::int64_t wait_abandoned_ms = 0;
  std::int64_t max_wait_ms = 0;      // longest wait of an answered or abandoned call
  std::int64_t talk_ms = 0;
  std::int64_t hold_ms = 0;
  std::int64_t acw_ms = 0;
  std::int64_t transferred = 0;
  std::int64_t callbacks_requested = 0;
  std::int64_t callbacks_completed = 0;

  Counts& operator+=(const Counts& other);
  bool operator==(const Counts&) const = default;
};

// What a visit adds to its queue's and DID's roll-up, and to its agent's.
Counts queue_counts(const Visit& visit);
Counts agent_counts(const Visit& visit);

struct Rollup {
  std::string kind;  // queue, agent, did
  std::string key;   // the queue's name, the agent's extension, the DID
  std::int64_t start = 0;  // the 15-minute interval's start, ms since the epoch
  Counts counts;
};

// An agent's time in one state (and not-ready reason) within one 15-minute interval.
struct StateTime {
  std::string agent;
  std::int64_t start = 0;
  std::string state;
  std::string reason;
  std::int64_t ms = 0;
};

// The abandon curve's wait-time buckets: lower bounds in seconds; a wait w is in the
// last bucket whose bound is ≤ w (5.000 s is in 5-10, 4.999 s in 0-5; 180 s and more in 180+).
inline constexpr std::array<std::int64_t, 10> kWaitBuckets{0, 5, 10, 20, 30, 45, 60, 90, 120, 180};
std::int64_t wait_bucket(std::int64_t waited_ms);  // its lower bound, s

// A queue's answered and abandoned visits with a wait in one bucket, in one interval.
struct WaitCount {
  std::string queue;
  std::int64_t start = 0;
  std::int64_t bucket = 0;  // lower bound, s
  std::int64_t answered = 0;
  std::int64_t abandoned = 0;        // less the short ones
  std::int64_t short_abandoned = 0;
};

// What the calls that ran one IVR flow did, in one interval (docs/metrics.md).
struct FlowCounts {
  std::string flow;
  std::int64_t start = 0;
  std::int64_t entered = 0;
  std::int64_t contained = 0;    // the flow ended the call (a hangup node): self-service
  std::int64_t voicemail = 0;    // left for a mailbox
  std::int64_t queued = 0;       // to an ACD queue
  std::int64_t transferred = 0;  // to an extension or a number
  std::int64_t to_agent = 0;     // reached an agent afterwards (through a queue or a transfer)
  std::int64_t abandoned = 0;    // the caller hung up in the flow
  std::int64_t failed = 0;       // a queue or transfer failed with no on_failure exit
  std::int64_t ivr_ms = 0;       // time in the flow
  FlowCounts& operator+=(const FlowCounts& other);
};
// What one call's IVR trace (ivr::Trace's JSON, as the CDR keeps it) and the agent who
// took the call afterwards ("" for none) add; none when the trace is empty, not JSON or
// names no flow.
std::optional<FlowCounts> flow_counts(const std::string& ivr_trace, const std::string& agent);

// A customer's contact, for first-contact resolution (docs/metrics.md).
struct Contact {
  std::string customer;  // "c:<CRM id>", else "n:<caller number>"
  std::int64_t started_at = 0;
  std::string queue;  // the queue it waited in, "" for none
  std::string agent;  // the agent who took it, "" for none (not handled)
};
// The contact a finished call was: a call from a trunk ("inbound"), or any call that
// ran a flow or waited in a queue; none for the others (outbound, originated, calls
// between extensions) and for a caller with neither a CRM record nor a number.
std::optional<Contact> contact_of(const std::string& direction, const std::string& caller, std::int64_t customer_id,
                                  std::int64_t started_at, const std::string& queue, const std::string& agent,
                                  bool ran_a_flow);

// First-contact resolution of one queue, agent or everyone ("all", "") in one interval.
struct FcrCount {
  std::string kind;  // queue, agent, all
  std::string name;
  std::int64_t start = 0;
  std::int64_t handled = 0;   // contacts an agent took, started in the interval
  std::int64_t repeated = 0;  // of those, followed by another contact of the customer within the window
};

class Rollups {
 public:
  Rollups(store::AsyncWriter& writer, store::Database& db);

  // Queues the visit's fact and roll-ups (on the caller's thread: the SIP thread).
  void record(const Visit& visit);
  // A callback request made at `requested_at` reached its customer: counted in the
  // interval of the request, for its queue, DID and the agent who called back.
  void callback_completed(const std::string& queue, const std::string& did, const std::string& agent,
                          std::int64_t requested_at);
  // Queues an agent's ended state: its time added to each interval it spans.
  void record_state(const StateSpan& span);
  // The roll-ups of `kind` with start in [from, to), of `key` only unless it is "",
  // by start. Waits for the writes queued before (not for the SIP thread).
  std::vector<Rollup> read(const std::string& kind, std::int64_t from, std::int64_t to, const std::string& key);
  // The same summed in the database over each stretch [bounds[i], bounds[i+1]) (a
  // report's days, weeks or months: report::period_bounds): a row per name and
  // stretch, starting at bounds[i]. A month of a large center is hundreds of thousands
  // of roll-ups and a few thousand sums.
  std::vector<Rollup> read_sums(const std::string& kind, const std::vector<std::int64_t>& bounds,
                                const std::string& key);
  // Queues a finished call's IVR part (its CDR's trace and agent) for the flow
  // roll-ups; the trace is read on the writer's thread.
  void record_flow_call(std::string ivr_trace, std::string agent);
  // The flow roll-ups with start in [from, to), of `flow` only unless it is "", by
  // start, flow.
  std::vector<FlowCounts> read_flows(std::int64_t from, std::int64_t to, const std::string& flow);
  // Queues a contact for first-contact resolution: on the writer's thread, the
  // customer's last contact is read and, when this one follows it within `window_ms`,
  // that one counts as repeated (and this one, when it came first but ended last).
  void record_contact(const Contact& contact, std::int64_t window_ms);
  // The FCR roll-ups of `kind` with start in [from, to), of `name` only unless it is "".
  std::vector<FcrCount> read_fcr(const std::string& kind, std::int64_t from, std::int64_t to, const std::string& name);
  // The wait counts with start in [from, to), of `queue` only unless it is "", by start,
  // queue, bucket.
  std::vector<WaitCount> read_waits(std::int64_t from, std::int64_t to, const std::string& queue);
  // The agents' state times with start in [from, to), of `agent` only unless it is "",
  // by start, agent, state, reason.
  std::vector<StateTime> read_states(std::int64_t from, std::int64_t to, const std::string& agent);
  // The same summed per agent, state and reason over each stretch, as read_sums.
  std::vector<StateTime> read_state_sums(const std::vector<std::int64_t>& bounds, const std::string& agent);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::report
