#pragma once
// qa::EvaluationStore — the scores inspectors give calls, and qa::FormStore, the
// evaluation forms, versioned like IVR flows (store::VersionedDocuments).
//
// An evaluation scores one call (a CDR) with one published form version; its serial
// number "QA-<year>-<6 digits>" is unique. An inspector scores a call once
// ("already_evaluated"); several inspectors scoring the same call is calibration.
// The evaluated agent answers once: acknowledged or disputed with a reason
// ("already_answered" after that). The weekly sample (sample_candidates + sample)
// reads answered calls straight from the cdrs table, as crm does: qa sits below
// call. Synchronous and thread-safe: HTTP threads only.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/async_writer.h"
#include "store/database.h"
#include "store/versioned_documents.h"

namespace unicc::qa {

class FormStore : public store::VersionedDocuments {
 public:
  FormStore(store::Database& db, const core::Clock& clock)
      : VersionedDocuments(db, clock, "form", "qa_forms", "qa_form_current") {}
};

struct Evaluation {
  std::int64_t id = 0;
  std::string serial;
  std::int64_t cdr_id = 0;
  std::string call_id;
  std::string agent;      // the extension that took the call
  std::string inspector;  // the user name of who scored it
  std::string form_name;
  std::int64_t form_version = 0;
  std::string qa_type;        // routine, sample, complaint, calibration, coaching
  std::string business_type;  // the center's own words
  double total = 0;
  std::string grade;
  bool critical_failed = false;
  std::string items;     // JSON array of qa::ItemScore
  std::string comment;   // the overall comment
  std::string marks;     // JSON array of {"at_ms", "text"}: comments at a moment of the recording
  std::int64_t call_started_at = 0;  // ms since epoch
  std::int64_t call_ended_at = 0;
  std::int64_t call_duration_ms = 0;  // answer to end
  std::string status = "pending";     // pending, acknowledged, disputed
  std::string response;               // the agent's reason for a dispute
  std::int64_t responded_at = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct EvaluationFilter {
  std::string agent, inspector, grade, qa_type, business_type, status;
  std::string serial_from, serial_to;  // a range of serial numbers, both ends included; "" = open
  std::optional<double> min_total, max_total;
  std::int64_t cdr_id = 0;   // 0 = any
  std::int64_t from_ms = 0;  // created_at >= from_ms
  std::int64_t to_ms = 0;    // created_at < to_ms; 0 = no bound
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

// `code`: "already_evaluated", "already_answered", "not_found".
class EvaluationError : public std::runtime_error {
 public:
  EvaluationError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

// An answered call an agent took, which no one has evaluated yet.
struct SampleCall {
  std::int64_t cdr_id = 0;
  std::string agent;
  std::string caller;
  std::string queue;
  std::int64_t started_at = 0;
  std::int64_t duration_ms = 0;
  bool recorded = false;
};

class EvaluationStore {
 public:
  EvaluationStore(store::Database& db, store::AsyncWriter& writer, const core::Clock& clock)
      : db_(db), writer_(writer), clock_(clock) {}

  // Stores `evaluation` with a new id, serial and times, and returns it.
  Evaluation create(Evaluation evaluation);
  std::optional<Evaluation> get(std::int64_t id);
  // Newest first.
  std::vector<Evaluation> find(const EvaluationFilter& filter);
  std::int64_t count(const EvaluationFilter& filter);
  // The agent's answer: "acknowledged" or "disputed" (with `reason`).
  Evaluation respond(std::int64_t id, const std::string& status, const std::string& reason);

  // Answered calls with an agent that started in [from_ms, to_ms) and have no evaluation.
  std::vector<SampleCall> sample_candidates(std::int64_t from_ms, std::int64_t to_ms);

 private:
  store::Database& db_;
  store::AsyncWriter& writer_;  // the CDRs the sample reads are written through it
  const core::Clock& clock_;
};

// Up to `per_agent` of `calls` for each agent, chosen by a hash of `seed` and the
// call, so the same seed (the week) gives every inspector the same sample; by agent,
// then start.
std::vector<SampleCall> sample(std::vector<SampleCall> calls, std::int64_t per_agent, const std::string& seed);

// The UTC bounds [from, to) in ms of an ISO week "2026-W49"; nullopt when malformed.
std::optional<std::pair<std::int64_t, std::int64_t>> iso_week_bounds(const std::string& week);
// The ISO week ("2026-W49") that contains `ms` (UTC).
std::string iso_week_of(std::int64_t ms);

}  // namespace unicc::qa
