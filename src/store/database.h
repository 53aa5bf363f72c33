#pragma once
// store::Database — the one way unicc reaches its SQL database (SOCI).
//
// A Database owns a pool of connections to SQLite (the default, in WAL mode) or
// PostgreSQL, chosen by URL: "sqlite:PATH" or "postgresql://USER:PASS@HOST:PORT/DB".
// Code that needs a connection takes one from the pool for a short scope:
//     soci::session sql(db.pool());
// SQL is written once for both backends: timestamps are integer milliseconds since
// the epoch, booleans are integers, and new rows return their id with RETURNING.
// Read 64-bit columns with soci::into(long long): SOCI 4.0's SQLite backend
// truncates them when they are read through soci::row.
//
// Thread-safe: the pool hands each caller its own connection (a soci::session is
// not shared between threads). migrate() runs once at start, before other users.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace unicc::store {

enum class Backend { sqlite, postgresql };

// When SQLite makes a commit safe: kNormal survives a killed process (the WAL is
// fsynced at checkpoints only); kFull also survives power loss, at one fsync per
// commit. PostgreSQL follows its own server's settings.
enum class SqliteSync { kNormal, kFull };

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Database {
 public:
  // Connects `pool_size` sessions. Throws StoreError naming the URL (without its
  // password) when the URL is malformed or the database cannot be reached.
  static std::unique_ptr<Database> open(const std::string& url, std::size_t pool_size,
                                        SqliteSync sqlite_sync = SqliteSync::kNormal);
  ~Database();

  Backend backend() const { return backend_; }
  soci::connection_pool& pool() { return *pool_; }
  // The URL with any password replaced by "***", for logs and errors.
  const std::string& display_url() const { return display_url_; }

  // Brings the schema to the newest version; returns the versions applied now
  // (empty when already current). Each migration commits atomically.
  std::vector<int> migrate();
  // The newest applied schema version (0 for an empty database).
  int schema_version();
  // The newest version this build knows.
  static int latest_schema_version();

 private:
  Database(Backend backend, std::size_t pool_size, std::string display_url);

  Backend backend_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::string display_url_;
};

// Parsed form of a database URL (exposed for tests and check-config).
struct DatabaseUrl {
  Backend backend;
  std::string soci_connect;  // what SOCI's backend is given
  std::string display;       // safe to log
};
// Throws StoreError on a malformed URL.
DatabaseUrl parse_database_url(const std::string& url);

// A LIKE pattern that finds `text` anywhere in a LOWER()ed column: lower-cased (ASCII),
// its own % and _ taken literally — the SQL must say ESCAPE '!'.
std::string like_contains(std::string_view text);

// A transaction that holds the write lock from its start. On SQLite it begins with
// BEGIN IMMEDIATE, waiting up to the busy timeout for another writer: a transaction
// that reads and then writes (a CDR that keeps the wrap-up of its in-progress row)
// cannot then fail at once with "database is locked" because another connection wrote
// in between, as a deferred one does. On PostgreSQL an ordinary transaction. Rolled
// back unless committed.
class WriteTransaction {
 public:
  WriteTransaction(soci::session& sql, Backend backend);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  soci::session& sql_;
  bool sqlite_;
  bool open_ = true;
};

// Runs `count_sql` (a SELECT COUNT(*) ...) with the parameters `bind` adds to the
// prepared statement, as the list endpoints do for their totals.
template <typename Bind>
std::int64_t count_rows(Database& db, const std::string& count_sql, Bind bind) {
  soci::session sql(db.pool());
  long long n = 0;
  auto statement = (sql.prepare << count_sql, soci::into(n));
  bind(statement);
  soci::statement st(statement);
  st.execute(true);
  return n;
}

}  // namespace unicc::store
