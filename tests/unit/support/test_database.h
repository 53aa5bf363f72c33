#pragma once
// A fresh, migrated database for one test: SQLite in a temporary folder, or the
// PostgreSQL server named by UNICC_TEST_POSTGRES_URL (scripts/with-postgres sets
// it), emptied first so every test starts from the same state. Not two at once in
// one process on PostgreSQL: they share its schema.
#include <memory>
#include <string>

#include "store/database.h"

namespace unicc::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  store::Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  bool is_postgres() const;
  // A SIP account row for `extension` (users' extensions must be one); it cannot
  // authenticate: its HA1s are empty.
  void add_sip_account(const std::string& extension);

 private:
  void empty_postgres();

  std::string dir_;
  std::string url_;
  std::unique_ptr<store::Database> db_;
};

// A new empty temporary folder, removed by the caller.
std::string make_temp_dir();

}  // namespace unicc::testing
