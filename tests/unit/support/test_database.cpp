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
    auto db = store::Database::open(url_, 1);
    soci::session sql(db->pool());
    sql << "DROP SCHEMA public CASCADE";
    sql << "CREATE SCHEMA public";
  } else {
    dir_ = make_temp_dir();
    url_ = "sqlite:" + dir_ + "/test.db";
  }
  db_ = store::Database::open(url_, 4);
  db_->migrate();
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
