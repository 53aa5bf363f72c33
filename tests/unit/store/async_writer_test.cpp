#include "store/async_writer.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace unicc::store {
namespace {

long long count_actions(Database& db, const std::string& action) {
  soci::session sql(db.pool());
  long long n = 0;
  sql << "SELECT COUNT(*) FROM audit_log WHERE action = :a", soci::use(action), soci::into(n);
  return n;
}

AsyncWriter::Write insert_action(std::string action) {
  return [action](soci::session& sql) {
    sql << "INSERT INTO audit_log (at, actor, action) VALUES (1, 'test', :a)", soci::use(action);
  };
}

TEST(AsyncWriter, EveryAcceptedWriteIsCommittedByStop) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 64, 100000, metrics);
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&] {
      for (int i = 0; i < 500; ++i) ASSERT_TRUE(writer.submit(insert_action("bulk"), "bulk row"));
    });
  }
  for (auto& p : producers) p.join();
  writer.stop();
  EXPECT_EQ(count_actions(test.db(), "bulk"), 2000);
  EXPECT_EQ(metrics.counter("unicc_store_writes_total", "").value(), 2000u);
}

// A write that reads before it writes (a CDR keeping its in-progress row's wrap-up)
// while another connection writes in between: it holds the write lock from its start,
// so the other writer waits for it, rather than it failing with "database is locked"
// (SQLite) and being lost — as a kill -9 soak once showed.
TEST(AsyncWriter, AWriteThatReadsFirstOutlastsAnotherWriter) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 10, 1000, metrics);
  std::mutex mutex;
  std::condition_variable read;
  int reads = 0;
  bool committed = false;
  writer.submit(
      [&](soci::session& sql) {
        long long rows = 0;
        sql << "SELECT COUNT(*) FROM audit_log", soci::into(rows);
        {
          std::lock_guard lock(mutex);
          ++reads;
        }
        read.notify_all();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the other connection writes now
        sql << "INSERT INTO audit_log (at, actor, action) VALUES (1, 'test', 'after-read')";
      },
      "read, then write", [&](bool ok) { committed = ok; });
  for (int seen = 1; seen <= 2; ++seen) {  // a second read would be the writer's retry
    std::unique_lock lock(mutex);
    if (!read.wait_for(lock, std::chrono::seconds(1), [&] { return reads >= seen; })) break;
    lock.unlock();
    soci::session sql(test.db().pool());
    sql << "INSERT INTO audit_log (at, actor, action) VALUES (1, 'test', 'other')";
  }
  writer.flush();
  EXPECT_TRUE(committed);
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(count_actions(test.db(), "after-read"), 1);
  EXPECT_EQ(count_actions(test.db(), "other"), 1);
}

TEST(AsyncWriter, FlushWaitsForEarlierWrites) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 10, 1000, metrics);
  for (int i = 0; i < 25; ++i) writer.submit(insert_action("flushed"), "row");
  writer.flush();
  EXPECT_EQ(count_actions(test.db(), "flushed"), 25);
}

TEST(AsyncWriter, OneBadWriteDoesNotLoseItsBatch) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 100, 1000, metrics);
  writer.submit(insert_action("good"), "good 1");
  writer.submit([](soci::session& sql) { sql << "INSERT INTO no_such_table VALUES (1)"; }, "bad row");
  writer.submit(insert_action("good"), "good 2");
  writer.stop();
  EXPECT_EQ(count_actions(test.db(), "good"), 2);
  EXPECT_EQ(metrics.counter("unicc_store_write_failures_total", "").value(), 1u);
}

// `done` follows the write's own fate: committed with its batch, or not when the
// database rejected it (the batch's other writes still are).
TEST(AsyncWriter, DoneTellsWhetherEachWriteWasCommitted) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 100, 1000, metrics);
  std::mutex mutex;
  std::vector<std::pair<std::string, bool>> told;
  auto done = [&](std::string name) {
    return [&, name](bool committed) {
      std::lock_guard lock(mutex);
      // The row is readable when `done` is told it is committed.
      told.emplace_back(name, committed && count_actions(test.db(), name) == 1);
    };
  };
  writer.submit(insert_action("first"), "first", done("first"));
  writer.submit([](soci::session& sql) { sql << "INSERT INTO no_such_table VALUES (1)"; }, "bad", done("bad"));
  writer.submit(insert_action("second"), "second", done("second"));
  writer.stop();
  std::vector<std::pair<std::string, bool>> expected{{"first", true}, {"bad", false}, {"second", true}};
  EXPECT_EQ(told, expected);
}

TEST(AsyncWriter, CommitReturnsOnceTheWriteIsDurable) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 10, 1000, metrics);
  EXPECT_TRUE(writer.commit(insert_action("now"), "now"));
  EXPECT_EQ(count_actions(test.db(), "now"), 1);
  EXPECT_FALSE(writer.commit([](soci::session& sql) { sql << "INSERT INTO no_such_table VALUES (1)"; }, "bad"));
  writer.stop();
  EXPECT_FALSE(writer.commit(insert_action("late"), "late"));
  EXPECT_EQ(count_actions(test.db(), "late"), 0);
}

TEST(AsyncWriter, RefusesWhenStoppedOrFull) {
  testing::TestDatabase test;
  core::Metrics metrics;
  AsyncWriter writer(test.db(), 1, 1, metrics);
  writer.stop();
  EXPECT_FALSE(writer.submit(insert_action("late"), "late row"));
  EXPECT_EQ(metrics.counter("unicc_store_writes_refused_total", "").value(), 1u);
  EXPECT_EQ(count_actions(test.db(), "late"), 0);
}

TEST(AsyncWriter, QueueLimitRefusesRatherThanGrowing) {
  testing::TestDatabase test;
  core::Metrics metrics;
  std::mutex gate;
  std::unique_lock hold(gate);
  AsyncWriter writer(test.db(), 1, 2, metrics);
  // The first write blocks the writer thread so the queue fills up.
  writer.submit([&gate](soci::session&) { std::lock_guard wait(gate); }, "gate");
  while (writer.pending() != 0) std::this_thread::yield();
  EXPECT_TRUE(writer.submit(insert_action("queued"), "q1"));
  EXPECT_TRUE(writer.submit(insert_action("queued"), "q2"));
  EXPECT_FALSE(writer.submit(insert_action("queued"), "q3"));
  hold.unlock();
  writer.stop();
  EXPECT_EQ(count_actions(test.db(), "queued"), 2);
}

}  // namespace
}  // namespace unicc::store
