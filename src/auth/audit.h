#pragma once
// auth::AuditLog — who did what, when and from where, for admin and supervisor
// actions. An entry is committed before record() returns (through the async writer,
// so entries made at the same time share one transaction): the API answers after
// it, so an action its client saw done is in the log even if the server is killed
// right after (docs/durability.md). record() therefore waits on the database and
// belongs on the API's threads, never the SIP thread. Thread-safe: record() goes
// through the async writer, list() takes its own pooled connection.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "store/async_writer.h"

namespace unicc::auth {

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;  // ms since epoch; filled by record() when 0
  std::int64_t actor_id = 0;
  std::string actor;       // user name, or "system"
  std::string actor_role;
  std::string action;      // e.g. "user.create", "login"
  std::string target;      // e.g. "user:42"
  std::string detail;      // JSON text with the specifics
  std::string source;      // client address
};

class AuditLog {
 public:
  AuditLog(store::AsyncWriter& writer, store::Database& db, const core::Clock& clock)
      : writer_(writer), db_(db), clock_(clock) {}

  // Returns once the entry is committed (true) or refused or rejected by the
  // database (false; logged as an error by the writer).
  bool record(AuditEntry entry);
  // Queues the entry and returns at once (false: the writer refused it, logged): for
  // a thread that must not wait on the database, such as one publishing live events.
  bool submit(AuditEntry entry);
  // Newest first; `action` and `target` (e.g. "queue:support") filter when not
  // empty. Waits for the writer first, so whoever just acted finds their action in
  // the log (the callers are HTTP threads).
  std::vector<AuditEntry> list(std::int64_t limit, std::int64_t offset, const std::string& action,
                               const std::string& target = {});

 private:
  // The entry's insert, timed now when it has no time, and how error logs name it.
  std::pair<store::AsyncWriter::Write, std::string> insert(AuditEntry entry) const;

  store::AsyncWriter& writer_;
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace unicc::auth
