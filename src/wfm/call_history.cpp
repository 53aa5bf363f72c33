#include "wfm/call_history.h"

namespace unicc::wfm {
namespace {

std::string in_queue(const std::string& queue) { return queue.empty() ? "" : " AND queue = :q"; }

}  // namespace

// An arrival is stored as (at, waited_ms); the bounds are on `at` (indexed) with a day
// of slack for the wait, then checked exactly. Read in batches.
std::vector<std::int64_t> CallHistory::arrivals(const std::string& queue, std::int64_t from_ms, std::int64_t to_ms) {
  constexpr long long kLongestWaitMs = 86'400'000;
  constexpr std::size_t kBatch = 10000;  // weeks of a large center are millions of rows
  soci::session sql(db_.pool());
  std::vector<long long> batch(kBatch);
  const long long from = from_ms, to = to_ms + kLongestWaitMs;
  const std::string sql_text =
      std::string("SELECT at - waited_ms FROM queue_calls WHERE at >= :f AND at < :t") + in_queue(queue);
  soci::statement st = queue.empty() ? (sql.prepare << sql_text, soci::into(batch), soci::use(from), soci::use(to))
                                     : (sql.prepare << sql_text, soci::into(batch), soci::use(from), soci::use(to),
                                        soci::use(queue));
  st.execute(false);
  std::vector<std::int64_t> out;
  while (st.fetch()) {
    for (long long arrived : batch) {
      if (arrived >= from_ms && arrived < to_ms) out.push_back(arrived);
    }
    batch.resize(kBatch);
  }
  return out;
}

std::optional<std::int64_t> CallHistory::first_arrival(const std::string& queue) {
  soci::session sql(db_.pool());
  long long first = 0;
  soci::indicator known = soci::i_null;
  const std::string sql_text = std::string("SELECT MIN(at - waited_ms) FROM queue_calls WHERE 1 = 1") + in_queue(queue);
  if (queue.empty()) {
    sql << sql_text, soci::into(first, known);
  } else {
    sql << sql_text, soci::into(first, known), soci::use(queue);
  }
  if (known != soci::i_ok) return std::nullopt;
  return first;
}

}  // namespace unicc::wfm
