#pragma once
// contact::CallbackStore — callers waiting in a queue to be called back, kept in the
// database so that a restart loses none. The contact layer reports each request and
// its end through the async writer (never blocking the SIP thread); at start the
// server reads the requests still waiting and queues them again, oldest first (or at
// their retry time); the API lists them. Reads wait for the writes queued before
// them. A request is keyed by the session id (SIP Call-ID) of the contact that made
// it. save() never blocks; reads do (on the database), so API threads make them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::contact {

struct CallbackRecord {
  std::int64_t id = 0;
  std::string call_id;  // SIP Call-ID of the call that asked
  std::string queue;
  std::string number;  // dialled to reach the caller (their trunk's prefix and number)
  std::string caller;  // as their call showed it
  std::string caller_name;
  std::string dialled;  // the number they called, shown to them when called back
  int priority = 0;
  std::int64_t requested_at = 0;  // ms since epoch
  std::string state = "waiting";  // "waiting", "completed" (the customer answered), "failed" or "cancelled"
  std::string outcome;            // why the last attempt failed ("no answer", "queue sales is closed", ...)
  std::string agent;              // the extension of the agent who called back (last)
  int attempts = 0;               // calls back made that did not reach the customer
  std::int64_t retry_at = 0;      // ms since epoch; after a failed attempt, not before then
  std::int64_t finished_at = 0;   // ms since epoch; 0 while waiting
};

struct CallbackFilter {
  std::int64_t id = 0;  // 0 = every request
  std::string state;  // "" = every state
  std::string queue;  // "" = every queue
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

class CallbackStore {
 public:
  CallbackStore(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}

  // Queues the write of a request, new or changed (by call_id; `id` is ignored).
  // False when the writer refused it (queue full or stopped; counted and logged by
  // the writer).
  bool save(const CallbackRecord& callback);

  // The requests still waiting, oldest first.
  std::vector<CallbackRecord> waiting();
  // Newest first.
  std::vector<CallbackRecord> find(const CallbackFilter& filter);
  std::optional<CallbackRecord> get(std::int64_t id);
  std::int64_t count(const CallbackFilter& filter);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::contact
