#include "store/database.h"

#include <cctype>
#include <filesystem>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "store/migrations.h"

namespace unicc::store {
namespace {

// SOCI's sqlite3 connect string quotes values with spaces in double quotes.
std::string soci_quoted(const std::string& value) {
  if (value.find_first_of(" \"'") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') throw StoreError("database path must not contain '\"': " + value);
    out += c;
  }
  return out + "\"";
}

std::string mask_password(const std::string& url) {
  auto scheme_end = url.find("://");
  auto at = url.rfind('@');
  if (scheme_end == std::string::npos || at == std::string::npos || at < scheme_end) return url;
  auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string percent_decoded(const std::string& text, const std::string& url) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (text[i] == '%') {
      throw StoreError("database.url \"" + mask_password(url) + "\": malformed %-escape");
    } else {
      out += text[i];
    }
  }
  return out;
}

// libpq keyword=value form; SOCI mangles the URI form, so the URL is taken apart
// here: postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?KEY=VALUE&...]
std::string postgres_conninfo(const std::string& url) {
  auto fail = [&](const std::string& why) {
    return StoreError("database.url \"" + mask_password(url) + "\": " + why);
  };
  std::string rest = url.substr(url.find("://") + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::vector<std::pair<std::string, std::string>> params;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    params.emplace_back("user", percent_decoded(credentials.substr(0, colon), url));
    if (colon != std::string::npos) params.emplace_back("password", percent_decoded(credentials.substr(colon + 1), url));
  }
  auto slash = rest.find('/');
  if (slash == std::string::npos || slash + 1 == rest.size()) throw fail("the database name is missing");
  std::string host_port = rest.substr(0, slash);
  params.emplace_back("dbname", percent_decoded(rest.substr(slash + 1), url));
  if (host_port.empty()) throw fail("the host is missing");
  std::string host = host_port, port;
  if (host_port.front() == '[') {  // [IPv6]:port
    auto close = host_port.find(']');
    if (close == std::string::npos) throw fail("unclosed '[' in the host");
    host = host_port.substr(1, close - 1);
    if (close + 1 < host_port.size() && host_port[close + 1] == ':') port = host_port.substr(close + 2);
  } else if (auto colon = host_port.rfind(':'); colon != std::string::npos) {
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
  }
  params.emplace_back("host", percent_decoded(host, url));
  if (!port.empty()) {
    if (port.find_first_not_of("0123456789") != std::string::npos) throw fail("the port must be a number");
    params.emplace_back("port", port);
  }
  for (std::size_t start = 0; start < query.size();) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string pair = query.substr(start, amp - start);
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) throw fail("parameters must be KEY=VALUE");
    params.emplace_back(percent_decoded(pair.substr(0, eq), url), percent_decoded(pair.substr(eq + 1), url));
    start = amp + 1;
  }
  std::string conninfo;
  for (const auto& [key, value] : params) {
    std::string quoted;
    for (char c : value) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    conninfo += (conninfo.empty() ? "" : " ") + key + "='" + quoted + "'";
  }
  return conninfo;
}

void prepare_sqlite_session(soci::session& sql, SqliteSync sync) {
  sql << "PRAGMA busy_timeout = 10000";
  sql << "PRAGMA foreign_keys = ON";
  sql << (sync == SqliteSync::kFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

}  // namespace

DatabaseUrl parse_database_url(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // tolerate sqlite://PATH
    if (path.empty()) throw StoreError("database.url \"" + url + "\": the SQLite file path is missing");
    return {Backend::sqlite, "db=" + soci_quoted(path) + " timeout=10", url};
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return {Backend::postgresql, postgres_conninfo(url), mask_password(url)};
  }
  throw StoreError("database.url \"" + mask_password(url) + "\": must start with \"sqlite:\" or \"postgresql://\"");
}

Database::Database(Backend backend, std::size_t pool_size, std::string display_url)
    : backend_(backend), pool_(std::make_unique<soci::connection_pool>(pool_size)), display_url_(std::move(display_url)) {}

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const std::string& url, std::size_t pool_size, SqliteSync sqlite_sync) {
  DatabaseUrl parsed = parse_database_url(url);
  if (parsed.backend == Backend::sqlite) {
    std::filesystem::path file(url.substr(url.rfind("sqlite://", 0) == 0 ? 9 : 7));
    if (file.has_parent_path()) {
      std::error_code ignored;
      std::filesystem::create_directories(file.parent_path(), ignored);
    }
  }
  std::unique_ptr<Database> db(new Database(parsed.backend, pool_size, parsed.display));
  try {
    for (std::size_t i = 0; i < pool_size; ++i) {
      soci::session& sql = db->pool_->at(i);
      if (parsed.backend == Backend::sqlite) {
        sql.open(*soci::factory_sqlite3(), parsed.soci_connect);
        if (i == 0) sql << "PRAGMA journal_mode = WAL";
        prepare_sqlite_session(sql, sqlite_sync);
      } else {
        sql.open(*soci::factory_postgresql(), parsed.soci_connect);
        sql << "SET client_min_messages = WARNING";
      }
    }
  } catch (const std::exception& error) {
    throw StoreError("cannot open database " + parsed.display + ": " + error.what());
  }
  return db;
}

int Database::latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

int Database::schema_version() {
  soci::session sql(*pool_);
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
         " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
  int version = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

std::vector<int> Database::migrate() {
  std::vector<int> applied;
  int current = schema_version();
  core::SystemClock clock;
  soci::session sql(*pool_);
  for (const auto& migration : migrations()) {
    if (migration.version <= current) continue;
    soci::transaction tx(sql);
    if (backend_ == Backend::postgresql) {
      // Two servers starting together must not apply the same version twice.
      sql << "SELECT pg_advisory_xact_lock(7357001)";
    }
    int already = 0;
    sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(migration.version),
        soci::into(already);
    if (already == 0) {
      for (const auto& statement : migration.statements) {
        try {
          sql << for_backend(statement, backend_);
        } catch (const std::exception& error) {
          throw StoreError("migration " + std::to_string(migration.version) + " (" + migration.name +
                           ") failed: " + error.what());
        }
      }
      std::int64_t now = clock.now_ms();
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(migration.version), soci::use(migration.name), soci::use(now);
      applied.push_back(migration.version);
      spdlog::info("database {}: applied migration {} ({})", display_url_, migration.version, migration.name);
    }
    tx.commit();
  }
  return applied;
}

WriteTransaction::WriteTransaction(soci::session& sql, Backend backend)
    : sql_(sql), sqlite_(backend == Backend::sqlite) {
  if (sqlite_) {
    sql_ << "BEGIN IMMEDIATE";
  } else {
    sql_.begin();
  }
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    if (sqlite_) {
      sql_ << "ROLLBACK";
    } else {
      sql_.rollback();
    }
  } catch (const std::exception& error) {
    spdlog::error("database: rollback failed: {}", error.what());
  }
}

void WriteTransaction::commit() {
  if (sqlite_) {
    sql_ << "COMMIT";
  } else {
    sql_.commit();
  }
  open_ = false;
}

std::string like_contains(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out + "%";
}

}  // namespace unicc::store
