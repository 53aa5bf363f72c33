#pragma once
// call::CaseStore — the typical-case library: calls a supervisor keeps as a good or
// bad example, with a title, a category and notes, for agents to learn from.
//
// A case pins its call's recording: RecordingRetention skips calls that have a case,
// so the recording lives as long as one does. Reads and writes wait on the database:
// from HTTP threads only. Lists are newest first (created_at, then id).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/async_writer.h"

namespace unicc::call {

struct TypicalCase {
  std::int64_t id = 0;
  std::int64_t cdr_id = 0;
  std::string kind;  // "good" or "bad"
  std::string title;
  std::string category;
  std::string notes;
  std::string created_by;  // the user name of who marked it
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // The call's facts, read with the case.
  std::string caller;
  std::string agent;
  std::string queue;
  std::int64_t started_at = 0;
  std::int64_t talk_ms = 0;
  std::string recording_path;
};

struct CaseFilter {
  std::string kind;      // "" = both
  std::string category;  // "" = any, else equal
  std::string text;      // "" = any, else in the title or notes, whatever the case of its letters
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

class CaseStore {
 public:
  CaseStore(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}

  // Adds `typical` (id ignored) and returns it as stored.
  TypicalCase add(const TypicalCase& typical);
  std::vector<TypicalCase> find(const CaseFilter& filter);
  std::int64_t count(const CaseFilter& filter);
  std::optional<TypicalCase> get(std::int64_t id);
  // Writes kind, title, category and notes of `typical.id` at `now_ms`; false when
  // there is no such case.
  bool update(const TypicalCase& typical, std::int64_t now_ms);
  // False when there is no such case. The recording goes back under the retention.
  bool remove(std::int64_t id);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::call
