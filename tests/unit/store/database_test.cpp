#include "store/database.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "store/migrations.h"
#include "support/test_database.h"

namespace unicc::store {
namespace {

TEST(DatabaseUrl, SqliteAndPostgresForms) {
  auto sqlite = parse_database_url("sqlite:var/unicc.db");
  EXPECT_EQ(sqlite.backend, Backend::sqlite);
  EXPECT_EQ(sqlite.soci_connect, "db=var/unicc.db timeout=10");
  auto spaced = parse_database_url("sqlite:/tmp/my dir/x.db");
  EXPECT_EQ(spaced.soci_connect, "db=\"/tmp/my dir/x.db\" timeout=10");
  auto pg = parse_database_url("postgresql://cc:secret@127.0.0.1:5432/unicc");
  EXPECT_EQ(pg.backend, Backend::postgresql);
  EXPECT_EQ(pg.display, "postgresql://cc:***@127.0.0.1:5432/unicc");
  EXPECT_EQ(pg.soci_connect, "user='cc' password='secret' dbname='unicc' host='127.0.0.1' port='5432'");
  auto escaped = parse_database_url("postgres://o%27k:p%40ss@[::1]/cc?sslmode=disable");
  EXPECT_EQ(escaped.soci_connect, "user='o\\'k' password='p@ss' dbname='cc' host='::1' sslmode='disable'");
}

TEST(DatabaseUrl, MalformedUrlsAreRefused) {
  EXPECT_THROW(parse_database_url("mysql://x"), StoreError);
  EXPECT_THROW(parse_database_url("sqlite:"), StoreError);
  EXPECT_THROW(parse_database_url("postgresql://host"), StoreError);
  EXPECT_THROW(parse_database_url("postgresql://host:port/db"), StoreError);
  EXPECT_THROW(parse_database_url("postgresql://host/db?x"), StoreError);
  EXPECT_THROW(parse_database_url("postgresql://u%zz@host/db"), StoreError);
}

TEST(Database, UnreachablePostgresNamesTheUrlWithoutPassword) {
  try {
    Database::open("postgresql://u:topsecret@127.0.0.1:1/none?connect_timeout=2", 1);
    FAIL();
  } catch (const StoreError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("postgresql://u:***@127.0.0.1:1/none"), std::string::npos) << message;
    EXPECT_EQ(message.find("topsecret"), std::string::npos);
  }
}

// Every pooled SQLite connection commits with the configured durability (2 is FULL,
// 1 NORMAL, in SQLite's numbering).
TEST(Database, SqliteSessionsUseTheConfiguredSynchronousMode) {
  std::string dir = testing::make_temp_dir();
  for (auto [sync, expected] : {std::pair{SqliteSync::kNormal, 1}, std::pair{SqliteSync::kFull, 2}}) {
    auto db = Database::open("sqlite:" + dir + "/sync.db", 2, sync);
    for (std::size_t i = 0; i < 2; ++i) {
      int mode = -1;
      db->pool().at(i) << "PRAGMA synchronous", soci::into(mode);
      EXPECT_EQ(mode, expected) << "connection " << i;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(Database, MigrationsBringTheSchemaToTheLatestVersionOnce) {
  testing::TestDatabase test;
  auto& db = test.db();
  EXPECT_EQ(db.schema_version(), Database::latest_schema_version());
  EXPECT_TRUE(db.migrate().empty()) << "a second migrate must apply nothing";
  soci::session sql(db.pool());
  int rows = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  EXPECT_EQ(rows, static_cast<int>(migrations().size()));
}

TEST(Database, MigrationVersionsAreStrictlyIncreasing) {
  int previous = 0;
  for (const auto& migration : migrations()) {
    EXPECT_GT(migration.version, previous);
    previous = migration.version;
  }
}

TEST(Database, SixtyFourBitTimestampsAndReturningIdsRoundTrip) {
  testing::TestDatabase test;
  soci::session sql(test.db().pool());
  long long at = 1'795'441'434'176LL, id = 0, read_back = 0;
  sql << "INSERT INTO audit_log (at, actor, action) VALUES (:at, 'system', 'test') RETURNING id", soci::use(at),
      soci::into(id);
  EXPECT_GT(id, 0);
  sql << "SELECT at FROM audit_log WHERE id = :id", soci::use(id), soci::into(read_back);
  EXPECT_EQ(read_back, at);
}

TEST(Database, ForBackendSpellsTheIdColumn) {
  EXPECT_EQ(for_backend("id {id}", Backend::sqlite), "id INTEGER PRIMARY KEY AUTOINCREMENT");
  EXPECT_EQ(for_backend("id {id}", Backend::postgresql), "id BIGSERIAL PRIMARY KEY");
  EXPECT_EQ(for_backend("(a){clustered}", Backend::sqlite), "(a) WITHOUT ROWID");
  EXPECT_EQ(for_backend("(a){clustered}", Backend::postgresql), "(a)");
}

// A database from before the hourly roll-ups gets them from its 15-minute ones: the
// migration that makes the tables sums the rows there were (the longest wait as a
// maximum), so reports read from either agree.
TEST(Database, TheHourlyRollupsAreFilledFromTheQuarterHoursThereWere) {
  testing::TestDatabase test;
  soci::session sql(test.db().pool());
  const auto hourly = std::find_if(migrations().begin(), migrations().end(), [](const Migration& migration) {
    return migration.name.rfind("hourly roll-ups", 0) == 0;
  });
  ASSERT_NE(hourly, migrations().end());
  sql << "DROP TABLE report_hours";
  sql << "DROP TABLE agent_state_hours";
  const long long hour = 1'796'083'200'000LL;  // 2026-12-01 00:00 UTC
  for (long long quarter = 0; quarter < 6; ++quarter) {
    const long long start = hour + quarter * 900'000, offered = quarter + 1, wait = 1000 * (7 - quarter);
    sql << "INSERT INTO report_intervals (kind, name, interval_start, offered, max_wait_ms)"
           " VALUES ('queue', 'sales', :s, :o, :w)",
        soci::use(start), soci::use(offered), soci::use(wait);
    sql << "INSERT INTO agent_state_intervals (agent, interval_start, state, reason, ms)"
           " VALUES ('1001', :s, 'ready', '', 60000)",
        soci::use(start);
  }
  for (const auto& statement : hourly->statements) sql << for_backend(statement, test.db().backend());
  // Row by row: SOCI's SQLite backend cuts 64-bit integers fetched into vectors.
  std::vector<std::vector<long long>> hours, states;
  long long start = 0, offered = 0, wait = 0, ms = 0;
  soci::statement rows = (sql.prepare << "SELECT interval_start, offered, max_wait_ms FROM report_hours"
                                         " ORDER BY interval_start",
                          soci::into(start), soci::into(offered), soci::into(wait));
  rows.execute(false);
  while (rows.fetch()) hours.push_back({start, offered, wait});
  EXPECT_EQ(hours, (std::vector<std::vector<long long>>{{hour, 1 + 2 + 3 + 4, 7000}, {hour + 3'600'000, 5 + 6, 3000}}));
  soci::statement times = (sql.prepare << "SELECT interval_start, ms FROM agent_state_hours ORDER BY interval_start",
                           soci::into(start), soci::into(ms));
  times.execute(false);
  while (times.fetch()) states.push_back({start, ms});
  EXPECT_EQ(states, (std::vector<std::vector<long long>>{{hour, 240'000}, {hour + 3'600'000, 120'000}}));
}

}  // namespace
}  // namespace unicc::store
