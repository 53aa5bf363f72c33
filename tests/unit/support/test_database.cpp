#include "support/test_database.h"

#include <cstdlib>
#include <filesystem>

namespace unicc::testing {

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "unicc-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

TestDatabase::TestDatabase() {
  const char* postgres = std::getenv("UNICC_TEST_POSTGRES_URL");
  if (postgres && *postgres) {
    url_ = postgres;
    empty_postgres();
  } else {
    dir_ = make_temp_dir();
    url_ = "sqlite:" + dir_ + "/test.db";
  }
  db_ = store::Database::open(url_, 4);
  db_->migrate();
}

void TestDatabase::empty_postgres() {
  // The schema is made once per test process; later tests empty its tables, which
  // takes a few ms where dropping and migrating again took a few hundred.
  static bool migrated = false;
  auto db = store::Database::open(url_, 1);
  soci::session sql(db->pool());
  if (!migrated) {
    sql << "DROP SCHEMA public CASCADE";
    sql << "CREATE SCHEMA public";
    migrated = true;
    return;
  }
  std::string tables;
  soci::rowset<std::string> names = (sql.prepare << "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                                    "AND tablename <> 'schema_migrations'");
  for (const auto& name : names) tables += (tables.empty() ? "" : ", ") + ("\"" + name + "\"");
  if (!tables.empty()) sql << "TRUNCATE " + tables + " RESTART IDENTITY CASCADE";
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

bool TestDatabase::is_postgres() const { return db_->backend() == store::Backend::postgresql; }

void TestDatabase::add_sip_account(const std::string& extension) {
  soci::session sql(db_->pool());
  sql << "INSERT INTO sip_accounts (extension, realm, ha1_md5, ha1_sha256, created_at) VALUES (:e, 'test', '', '', 0)",
      soci::use(extension);
}

}  // namespace unicc::testing
