#pragma once
// call::CtiCodeStore — the agent desktop's code lists in the database: the dispositions
// a wrap-up picks from and the reasons for going not ready, each in its order with
// its English and Chinese label (core::CtiCode). Admins replace both lists at once at
// run time (PUT /api/v1/cti/codes); a wrap-up's code is checked against the lists of
// the moment.
//
// seed() writes the configuration file's [[disposition]] and [[not_ready_reason]]
// lists (or their defaults) when the database has no codes yet: on the first start.
// After that the database is the source of truth, as for the ACD's [[queue]] seeding
// (acd_store::AcdStore::seed); every list holds at least one code, so "no codes" only
// ever means "never seeded". Codes are text in CDRs and agent states, not references:
// one taken off a list stays valid history.
//
// The lists are kept in memory as well (read on every wrap-up and desktop start);
// any thread.
#include <mutex>
#include <string_view>

#include "core/config.h"
#include "store/database.h"

namespace unicc::call {

class CtiCodeStore {
 public:
  explicit CtiCodeStore(store::Database& db);

  // Writes `lists` when the database has no codes yet, then reads the database's.
  void seed(const core::CtiConfig& lists);
  core::CtiConfig lists() const;
  // Replaces both lists in one transaction (the caller has checked them).
  void replace(const core::CtiConfig& lists);
  bool has_disposition(std::string_view code) const;

 private:
  core::CtiConfig read() const;

  store::Database& db_;
  mutable std::mutex mutex_;  // guards lists_ and serialises writes
  core::CtiConfig lists_;
};

}  // namespace unicc::call
