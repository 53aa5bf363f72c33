#pragma once
// wfm::CallHistory — when calls arrived in a queue, read from `queue_calls` (the ACD's
// answered and abandoned queue calls: acd_store::AgentLog writes them), for the
// forecast. A call's arrival is its answer or abandon time less its wait. Calls that
// left a queue by overflow or for a callback are counted in the queue that answered
// them (or where they were abandoned), not in the one they left. Read straight with
// SQL, as crm reads the CDRs: wfm needs the rows, not the ACD's store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace unicc::wfm {

class CallHistory {
 public:
  explicit CallHistory(store::Database& db) : db_(db) {}

  // Arrivals in [from_ms, to_ms) in `queue` ("" = every queue), in no set order.
  std::vector<std::int64_t> arrivals(const std::string& queue, std::int64_t from_ms, std::int64_t to_ms);
  // The first arrival on record in `queue` ("" = any).
  std::optional<std::int64_t> first_arrival(const std::string& queue);

 private:
  store::Database& db_;
};

}  // namespace unicc::wfm
