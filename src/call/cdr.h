#pragma once
// call::Cdr — the record of one call, written once when the call ends — and
// call::CdrStore, which writes them through the async writer (never blocking the
// SIP thread) and reads them back for the API, after the writes queued before.
#include <cstdint>
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
  std::string disposition;    // answered, busy, no_answer, cancelled, unavailable, not_found, rejected, failed
  std::string hangup_cause;   // "BYE" or the SIP status that ended it, e.g. "486"
  std::string hangup_side;    // caller, callee or system (an originated call has no caller leg)
  std::string recording_path; // "" when not recorded
  // RTP packets relayed, per direction, and lost (sequence gaps) on both legs.
  std::int64_t rtp_from_caller = 0;
  std::int64_t rtp_to_caller = 0;
  std::int64_t rtp_from_callee = 0;
  std::int64_t rtp_to_callee = 0;
  std::int64_t rtp_lost = 0;
  std::string ivr_trace;  // JSON (ivr::Trace) for calls that went through an IVR flow, else ""
};

struct CdrFilter {
  std::int64_t from_ms = 0;      // started_at >= from_ms
  std::int64_t to_ms = 0;        // started_at < to_ms; 0 = no bound
  std::string number;            // caller, dialled or callee equals it
  std::string disposition;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

class CdrSink {
 public:
  virtual ~CdrSink() = default;
  virtual void record(const Cdr& cdr) = 0;
};

class CdrStore final : public CdrSink {
 public:
  CdrStore(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}
  void record(const Cdr& cdr) override;
  // Newest first.
  std::vector<Cdr> find(const CdrFilter& filter);
  std::int64_t count(const CdrFilter& filter);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::call
