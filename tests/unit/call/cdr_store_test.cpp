// CdrStore on a fresh database (SQLite, or PostgreSQL under scripts/with-postgres): an
// answered call is in the database from its answer on, its end replaces that row, and
// a start after a kill closes the calls left in progress.
#include "call/cdr.h"

#include <atomic>

#include <gtest/gtest.h>

#include "support/writer_store_test.h"

namespace unicc::call {
namespace {

Cdr answered_call(const std::string& call_id, std::int64_t started_at) {
  Cdr cdr;
  cdr.call_id = call_id;
  cdr.direction = "internal";
  cdr.caller = "1001";
  cdr.dialled = "1002";
  cdr.callee = "1002";
  cdr.started_at = started_at;
  cdr.answered_at = started_at + 2'000;
  return cdr;
}

using CdrStoreTest = testing::WriterStoreTest<CdrStore>;

TEST_F(CdrStoreTest, AnAnsweredCallIsInProgressUntilItsEndReplacesTheRow) {
  Cdr cdr = answered_call("call-1", 1'795'000'000'000);
  store.answered(cdr);
  auto rows = store.find({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].disposition, "in_progress");
  EXPECT_EQ(rows[0].ended_at, 0);
  EXPECT_EQ(rows[0].answered_at, cdr.answered_at);

  cdr.ended_at = cdr.answered_at + 5'000;
  cdr.disposition = "answered";
  cdr.hangup_cause = "BYE";
  cdr.hangup_side = "caller";
  std::atomic<int> told{0};
  store.record(cdr, [&told](bool durable) { told = durable ? 1 : -1; });
  rows = store.find({});
  EXPECT_EQ(told, 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].disposition, "answered");
  EXPECT_EQ(rows[0].ended_at, cdr.ended_at);
  EXPECT_EQ(rows[0].hangup_side, "caller");
}

// A call refused or never answered has no in-progress row; its record is one insert.
TEST_F(CdrStoreTest, AnUnansweredCallIsRecordedAtItsEnd) {
  Cdr cdr = answered_call("call-2", 1'795'000'000'000);
  cdr.answered_at = 0;
  cdr.ended_at = cdr.started_at + 20'000;
  cdr.disposition = "no_answer";
  store.record(cdr, {});
  auto rows = store.find({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].disposition, "no_answer");
}

TEST_F(CdrStoreTest, ARestartClosesTheCallsLeftInProgressAsInterrupted) {
  store.answered(answered_call("killed", 1'795'000'000'000));
  Cdr finished = answered_call("finished", 1'795'000'001'000);
  store.answered(finished);
  finished.ended_at = finished.answered_at + 1'000;
  finished.disposition = "answered";
  store.record(finished, {});
  writer.flush();

  EXPECT_EQ(store.close_interrupted(1'795'000'009'000), 1);
  CdrFilter interrupted;
  interrupted.disposition = "interrupted";
  auto rows = store.find(interrupted);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].call_id, "killed");
  EXPECT_EQ(rows[0].ended_at, 1'795'000'009'000);
  EXPECT_EQ(rows[0].hangup_side, "system");
  EXPECT_EQ(rows[0].hangup_cause, "restart");
  EXPECT_EQ(store.count({}), 2);
  EXPECT_EQ(store.close_interrupted(1'795'000'010'000), 0);
}

TEST_F(CdrStoreTest, TheContactLayersColumnsRoundTripAndFilter) {
  Cdr cdr = answered_call("queued", 1'795'000'000'000);
  cdr.agent = "1002";
  cdr.queue = "sales";
  cdr.customer_id = 7;
  cdr.events = R"([{"at":1795000003000,"kind":"transfer","mode":"blind","from":"1001","to":"1002"}])";
  store.answered(cdr);
  auto rows = store.find({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].agent, "1002");
  EXPECT_EQ(rows[0].customer_id, 7);
  cdr.ended_at = cdr.answered_at + 1'000;
  cdr.disposition = "answered";
  store.record(cdr, {});
  store.record(answered_call("plain", 1'795'000'001'000), {});

  CdrFilter by_agent;
  by_agent.agent = "1002";
  rows = store.find(by_agent);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].call_id, "queued");
  EXPECT_EQ(rows[0].queue, "sales");
  EXPECT_EQ(rows[0].customer_id, 7);
  EXPECT_EQ(rows[0].events, cdr.events);
  EXPECT_EQ(rows[0].disposition_code, "");
  CdrFilter by_queue;
  by_queue.queue = "sales";
  EXPECT_EQ(store.count(by_queue), 1);
  CdrFilter by_customer;
  by_customer.customer_id = 7;
  EXPECT_EQ(store.count(by_customer), 1);
  by_customer.customer_id = 8;
  EXPECT_EQ(store.count(by_customer), 0);
  CdrFilter plain;
  plain.number = "1001";
  plain.from_ms = 1'795'000'001'000;
  rows = store.find(plain);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].customer_id, 0);  // NULL in the table
  EXPECT_EQ(rows[0].events, "");
}

TEST_F(CdrStoreTest, AWrapUpMarksTheCallsNewestRow) {
  EXPECT_FALSE(store.wrap_up("nowhere", "sale", ""));
  Cdr cdr = answered_call("wrapped", 1'795'000'000'000);
  store.answered(cdr);
  // Made while the call lasts: the final record keeps it.
  ASSERT_TRUE(store.wrap_up("wrapped", "complaint", "billing dispute"));
  cdr.ended_at = cdr.answered_at + 1'000;
  cdr.disposition = "answered";
  store.record(cdr, {});
  auto rows = store.find({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].disposition, "answered");
  EXPECT_EQ(rows[0].disposition_code, "complaint");
  EXPECT_EQ(rows[0].notes, "billing dispute");
  // Made after it: changes the final record.
  ASSERT_TRUE(store.wrap_up("wrapped", "sale", ""));
  rows = store.find({});
  EXPECT_EQ(rows[0].disposition_code, "sale");
  EXPECT_EQ(rows[0].notes, "");
}

TEST_F(CdrStoreTest, ARefusedRecordIsToldNotDurable) {
  writer.stop();
  std::atomic<int> told{0};
  store.record(answered_call("late", 1'795'000'000'000), [&told](bool durable) { told = durable ? 1 : -1; });
  EXPECT_EQ(told, -1);
}

}  // namespace
}  // namespace unicc::call
