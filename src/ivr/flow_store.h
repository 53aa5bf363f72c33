#pragma once
// ivr::FlowStore — flow documents in the database, versioned.
//
// Each name has at most one draft (the working copy, replaced by every save) and
// published versions 1, 2, ... that never change. Publishing turns the draft into
// the next version and makes it current; rolling back makes an older version
// current again. Documents are kept as the JSON text given, so line numbers in
// problems match what the author wrote. Validating a draft before publishing is the
// caller's job (ivr::check_flow). Safe to use from several threads.
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace unicc::ivr {

struct StoredFlow {
  std::string name;
  std::int64_t version = 0;  // 0 for the draft
  std::string status;        // "draft" or "published"
  std::string document;      // JSON text
  std::int64_t created_at = 0;
  std::string created_by;
};

struct FlowSummary {
  std::string name;
  std::int64_t current_version = 0;  // 0 when never published
  std::int64_t latest_version = 0;
  bool has_draft = false;
};

class FlowStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FlowStore {
 public:
  FlowStore(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Creates or replaces the draft of `name`.
  StoredFlow save_draft(const std::string& name, const std::string& document, const std::string& author);
  std::optional<StoredFlow> draft(const std::string& name);
  // A published version; nullopt when there is none.
  std::optional<StoredFlow> version(const std::string& name, std::int64_t version);
  // Published versions, newest first, without their documents.
  std::vector<StoredFlow> versions(const std::string& name);
  // 0 when the name has no current version.
  std::int64_t current_version(const std::string& name);
  // Every name with a draft or a version, by name.
  std::vector<FlowSummary> list();
  // The current version of every published name.
  std::vector<StoredFlow> current_all();

  // The draft becomes the next version and the current one. Throws FlowStoreError
  // when there is no draft.
  StoredFlow publish(const std::string& name, const std::string& author);
  // Makes a published `version` current. Throws FlowStoreError when it does not exist.
  void set_current(const std::string& name, std::int64_t version, const std::string& author);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  std::mutex write_mutex_;  // publish reads then writes the next version number
};

}  // namespace unicc::ivr
