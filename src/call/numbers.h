#pragma once
// call::NumberStore — the numbers (DIDs) administrators point at a flow, a queue or
// an extension at run time (REST /api/v1/numbers), beside the two other owners of
// numbers: the configuration's [[did]] entries and each published flow's "dids".
//
// Each record maps one number to a target, "flow:<name>", "queue:<name>" or
// "extension:<ext>". The records live in the database (table numbers) and in memory:
// calls look their number up in the in-memory copy (never the database), and a
// change applies to the next call. Any thread.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace unicc::call {

struct NumberRecord {
  std::string number;
  std::string target;  // "flow:<name>", "queue:<name>" or "extension:<ext>"
  std::string description;
  std::string updated_by;
  std::int64_t updated_at = 0;
};

// A target split at its first ':' ("queue:sales" -> {"queue", "sales"}); nullopt
// unless the kind is flow, queue or extension and the name is not empty.
struct NumberTarget {
  std::string kind;
  std::string name;
};
std::optional<NumberTarget> parse_number_target(const std::string& target);

class NumberStore {
 public:
  explicit NumberStore(store::Database& db);

  // Reads the table into memory (at start).
  void load();
  // Every record, by number.
  std::vector<NumberRecord> all() const;
  std::optional<NumberRecord> find(const std::string& number) const;
  // Inserts or replaces `record` (checked by the caller) in the database, then in memory.
  void put(const NumberRecord& record);
  // False when the number has no record.
  bool remove(const std::string& number);

 private:
  using Records = std::map<std::string, NumberRecord, std::less<>>;

  store::Database& db_;
  std::mutex write_mutex_;    // one writer at a time, database and memory in step
  mutable std::mutex mutex_;  // guards records_
  std::shared_ptr<const Records> records_ = std::make_shared<Records>();
};

}  // namespace unicc::call
