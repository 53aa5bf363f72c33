#pragma once
// report::Rollups — queue visits and their roll-ups in the database (docs/metrics.md).
//
// record() writes a finished visit to `queue_visits` and adds it to the 15-minute
// roll-ups in `report_intervals` (by queue and by DID at the interval the call
// entered the queue; by agent at the interval it was answered), in one write of the
// async writer: never waits for the database, and fact and roll-ups commit together.
// Reports read the roll-ups (read()), never the visits.
#include <cstdint>
#include <string>
#include <vector>

#include "report/visits.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::report {

inline constexpr std::int64_t kRollupMs = 15 * 60 * 1000;

// What one roll-up row adds up. Waits, talk, hold and wrap-up are sums in ms.
struct Counts {
  std::int64_t offered = 0;          // visits, less short abandons and callback retries
  std::int64_t answered = 0;
  std::int64_t abandoned = 0;        // less the short ones
  std::int64_t short_abandoned = 0;
  std::int64_t overflowed = 0;
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

class Rollups {
 public:
  Rollups(store::AsyncWriter& writer, store::Database& db);

  // Queues the visit's fact and roll-ups (on the caller's thread: the SIP thread).
  void record(const Visit& visit);
  // A callback request made at `requested_at` reached its customer: counted in the
  // interval of the request, for its queue, DID and the agent who called back.
  void callback_completed(const std::string& queue, const std::string& did, const std::string& agent,
                          std::int64_t requested_at);
  // The roll-ups of `kind` with start in [from, to), of `key` only unless it is "",
  // by start. Waits for the writes queued before (not for the SIP thread).
  std::vector<Rollup> read(const std::string& kind, std::int64_t from, std::int64_t to, const std::string& key);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::report
