#pragma once
// store::VersionedDocuments — named JSON documents in the database, versioned: the
// IVR's flows (ivr::FlowStore) and the QA's evaluation forms (qa::FormStore).
//
// Each name has at most one draft (the working copy, replaced by every save) and
// published versions 1, 2, ... that never change. Publishing turns the draft into
// the next version and makes it current; rolling back makes an older version
// current again. Documents are kept as the text given, so line numbers in problems
// match what the author wrote. Validating a draft before publishing is the caller's
// job. Two tables per kind of document, of the same shape (migrations 3 and the
// QA's): `table` (name, version, status, document, created_at, created_by) and
// `current_table` (name, version, updated_at, updated_by). Safe to use from several
// threads.
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace unicc::store {

struct StoredDocument {
  std::string name;
  std::int64_t version = 0;  // 0 for the draft
  std::string status;        // "draft" or "published"
  std::string document;      // JSON text
  std::int64_t created_at = 0;
  std::string created_by;
};

struct DocumentSummary {
  std::string name;
  std::int64_t current_version = 0;  // 0 when never published
  std::int64_t latest_version = 0;
  bool has_draft = false;
};

class VersionedDocumentsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class VersionedDocuments {
 public:
  // `kind` names a document in errors ("flow", "form"); the table names are ours, never input.
  VersionedDocuments(Database& db, const core::Clock& clock, std::string kind, std::string table,
                     std::string current_table)
      : db_(db), clock_(clock), kind_(std::move(kind)), table_(std::move(table)), current_table_(std::move(current_table)) {}

  // Creates or replaces the draft of `name`.
  StoredDocument save_draft(const std::string& name, const std::string& document, const std::string& author);
  std::optional<StoredDocument> draft(const std::string& name);
  // A published version; nullopt when there is none.
  std::optional<StoredDocument> version(const std::string& name, std::int64_t version);
  // Published versions, newest first, without their documents.
  std::vector<StoredDocument> versions(const std::string& name);
  // 0 when the name has no current version.
  std::int64_t current_version(const std::string& name);
  // Every name with a draft or a version, by name.
  std::vector<DocumentSummary> list();
  // The current version of every published name.
  std::vector<StoredDocument> current_all();

  // The draft becomes the next version and the current one. Throws
  // VersionedDocumentsError when there is no draft.
  StoredDocument publish(const std::string& name, const std::string& author);
  // Makes a published `version` current. Throws VersionedDocumentsError when it does not exist.
  void set_current(const std::string& name, std::int64_t version, const std::string& author);

 private:
  std::optional<StoredDocument> find_version(soci::session& sql, const std::string& name, long long version) const;
  void upsert_current(soci::session& sql, const std::string& name, long long version, long long now,
                      const std::string& author) const;

  Database& db_;
  const core::Clock& clock_;
  const std::string kind_, table_, current_table_;
  std::mutex write_mutex_;  // publish reads then writes the next version number
};

}  // namespace unicc::store
