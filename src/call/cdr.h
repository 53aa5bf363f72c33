#pragma once
// call::Cdr — the record of one call — and call::CdrStore, which writes them
// through the async writer (never blocking the SIP thread) and reads them back for
// the API, after the writes queued before.
//
// An answered call has a row from its answer on, "in_progress" (ended_at 0), which
// its end replaces with the final record; a call refused or never answered gets its
// row at its end. So a kill -9 loses no answered call: the next start closes the rows
// left in progress as "interrupted" (close_interrupted). The B2BUA answers a BYE once
// the final record is durable (docs/durability.md).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/async_writer.h"

namespace unicc::call {

struct Cdr {
  std::int64_t id = 0;
  std::string call_id;        // the A leg's SIP Call-ID: the caller's, or unicc's for an originated call
  std::string b_call_id;      // the callee leg's Call-ID, "" when none was made
  std::string direction;      // "internal", "inbound" (from a trunk), "outbound" (to a trunk),
                              // "originated" (placed by unicc itself: B2bua::originate)
  std::string caller;         // From user
  std::string caller_name;    // From display name
  std::string dialled;        // Request-URI user as dialled (DID or extension)
  std::string callee;         // where it was sent: extension or external number
  std::string trunk;          // trunk name for calls from or to a trunk
  std::int64_t started_at = 0;   // ms since epoch
  std::int64_t answered_at = 0;  // 0 when never answered
  std::int64_t ended_at = 0;
  std::string disposition;    // answered, busy, no_answer, cancelled, unavailable, not_found, rejected, failed,
                              // blocked; in_progress while an answered call lasts; interrupted when the
                              // server was killed during it (closed at the next start)
  std::string hangup_cause;   // "BYE" or the SIP status that ended it, e.g. "486"
  std::string hangup_side;    // caller, callee or system (an originated call has no caller leg)
  std::string recording_path; // "" when not recorded
  std::int64_t recording_deleted_at = 0;  // when the retention deleted the recording (ms), 0 while kept
  // RTP packets relayed, per direction, and lost (sequence gaps) on both legs.
  std::int64_t rtp_from_caller = 0;
  std::int64_t rtp_to_caller = 0;
  std::int64_t rtp_from_callee = 0;
  std::int64_t rtp_to_callee = 0;
  std::int64_t rtp_lost = 0;
  std::string ivr_trace;  // JSON (ivr::Trace) for calls that went through an IVR flow, else ""
  // What the contact layer knows of the call.
  std::string agent;             // the extension of the agent who took it, "" for none
  std::string queue;             // the queue it waited in, "" for none
  std::int64_t customer_id = 0;  // the crm customer it was about, 0 for none
  std::string disposition_code;  // the agent's wrap-up: a code from the center's list, and notes
  std::string notes;
  std::string events;  // JSON array of what happened, in order, e.g. [{"at":..,"kind":"transfer",
                       // "mode":"blind","from":"1001","to":"1002"}]; "" or "[]" for nothing
};

struct CdrFilter {
  std::int64_t id = 0;           // 0 = any
  std::int64_t from_ms = 0;      // started_at >= from_ms
  std::int64_t to_ms = 0;        // started_at < to_ms; 0 = no bound
  std::string number;            // caller, dialled or callee equals it
  std::string disposition;
  std::string agent;
  std::string queue;
  std::int64_t customer_id = 0;  // 0 = any
  std::string customer_name;     // the CRM customer's name contains it (any case); "" = any
  // Talk time (answered to end, whole seconds as the API shows it); -1 = no bound.
  std::int64_t min_talk_s = -1;
  std::int64_t max_talk_s = -1;
  // Whether a recording can be played (recorded and not deleted by the retention).
  std::optional<bool> has_recording;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

class CdrSink {
 public:
  // Told whether a final record is durable: from the writer's thread, or at once
  // when the writer refused it.
  using Durable = std::function<void(bool durable)>;
  virtual ~CdrSink() = default;
  // The call was answered: its record stays "in_progress" until record().
  virtual void answered(const Cdr& cdr) = 0;
  // The call's final record (replacing the in-progress one of an answered call,
  // matched by call_id and started_at); `durable` may be empty.
  virtual void record(const Cdr& cdr, Durable durable) = 0;
};

class CdrStore final : public CdrSink {
 public:
  CdrStore(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}
  void answered(const Cdr& cdr) override;
  void record(const Cdr& cdr, Durable durable) override;
  // At start, before any call: closes the calls the last run left in progress (it
  // was killed) as "interrupted", ended at `now_ms` by the "system" with the cause
  // "restart". Returns how many. Writes directly: nothing else runs yet.
  std::int64_t close_interrupted(std::int64_t now_ms);
  // The agent's wrap-up of a call: sets its disposition code and notes on the call's
  // newest row (an in-progress row passes them on to the final record). False when
  // no row has that Call-ID. Waits on the database: from HTTP threads only.
  bool wrap_up(const std::string& call_id, const std::string& disposition_code, const std::string& notes);
  // Newest first.
  std::vector<Cdr> find(const CdrFilter& filter);
  std::optional<Cdr> get(std::int64_t id);
  std::int64_t count(const CdrFilter& filter);
  // The IVR traces of calls started in [from_ms, to_ms) that went through `flow`
  // (at most `limit`, newest first); from HTTP threads.
  std::vector<std::string> ivr_traces(const std::string& flow, std::int64_t from_ms, std::int64_t to_ms,
                                      std::int64_t limit);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::call
