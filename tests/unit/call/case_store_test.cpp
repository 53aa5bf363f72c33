// CaseStore and RecordingRetention on a fresh database (SQLite, or PostgreSQL under
// scripts/with-postgres): cases are found by kind, category and text; the retention
// deletes recordings older than its days in bounded passes, notes it on the CDR,
// and keeps the recordings a case pins.
#include "call/case_store.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "call/cdr.h"
#include "call/recording_retention.h"
#include "core/clock.h"
#include "support/writer_store_test.h"

namespace unicc::call {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

CaseFilter cases_where(const std::string& kind, const std::string& category, const std::string& text) {
  CaseFilter filter;
  filter.kind = kind;
  filter.category = category;
  filter.text = text;
  return filter;
}

CdrFilter talk_between(std::int64_t min_s, std::int64_t max_s) {
  CdrFilter filter;
  filter.min_talk_s = min_s;
  filter.max_talk_s = max_s;
  return filter;
}

CdrFilter recorded(bool playable) {
  CdrFilter filter;
  filter.has_recording = playable;
  return filter;
}

RecordingRetention::Settings keep_days(std::int64_t days, const std::string& dir, std::int64_t batch = 500) {
  RecordingRetention::Settings settings;
  settings.retention_days = days;
  settings.recordings_dir = dir;
  settings.batch = batch;
  return settings;
}

class CaseStoreTest : public testing::WriterStoreTest<CaseStore> {
 protected:
  ~CaseStoreTest() override { std::filesystem::remove_all(dir); }

  // A call that ended at `ended_at` after 30 s of talk, recorded to a file of its own.
  std::int64_t recorded_call(std::int64_t ended_at, std::int64_t customer_id = 0) {
    Cdr cdr;
    cdr.call_id = "call-" + std::to_string(++calls);
    cdr.caller = "13800000000";
    cdr.agent = "1001";
    cdr.queue = "support";
    cdr.started_at = ended_at - 40'000;
    cdr.answered_at = ended_at - 30'000;
    cdr.ended_at = ended_at;
    cdr.disposition = "answered";
    cdr.customer_id = customer_id;
    cdr.recording_path = dir + "/" + cdr.call_id + ".wav";
    std::ofstream(cdr.recording_path) << "RIFF";
    cdrs.record(cdr, {});
    for (const auto& row : cdrs.find({})) {
      if (row.call_id == cdr.call_id) return row.id;
    }
    ADD_FAILURE() << "no row for " << cdr.call_id;
    return 0;
  }

  TypicalCase case_of(std::int64_t cdr_id, const std::string& kind, const std::string& title,
                      const std::string& category, const std::string& notes) {
    TypicalCase typical;
    typical.cdr_id = cdr_id;
    typical.kind = kind;
    typical.title = title;
    typical.category = category;
    typical.notes = notes;
    typical.created_by = "sue";
    typical.created_at = clock.now_ms();
    return store.add(typical);
  }

  core::FakeClock clock{1'795'000'000'000};
  std::string dir = testing::make_temp_dir();
  CdrStore cdrs{writer, test.db()};
  int calls = 0;
};

TEST_F(CaseStoreTest, CasesAreFoundByKindCategoryAndText) {
  auto first = recorded_call(clock.now_ms() - 1000);
  auto second = recorded_call(clock.now_ms());
  auto good = case_of(first, "good", "Calm refund", "billing", "Explains the DATA plan well");
  clock.advance(std::chrono::seconds(1));
  auto bad = case_of(second, "bad", "Interrupts the caller", "manners", "");
  EXPECT_EQ(good.caller, "13800000000");
  EXPECT_EQ(good.agent, "1001");
  EXPECT_EQ(good.talk_ms, 30'000);
  EXPECT_EQ(good.recording_path, dir + "/call-1.wav");

  auto all = store.find({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, bad.id);  // newest first
  EXPECT_EQ(store.count({}), 2);
  EXPECT_EQ(store.find(cases_where("good", "", "")).size(), 1u);
  EXPECT_EQ(store.find(cases_where("", "manners", "")).front().id, bad.id);
  EXPECT_EQ(store.find(cases_where("", "", "data plan")).front().id, good.id);  // notes, any case
  EXPECT_EQ(store.count(cases_where("", "", "INTERRUPTS")), 1);
  EXPECT_EQ(store.count(cases_where("bad", "", "refund")), 0);

  good.title = "Calm refund, well explained";
  good.kind = "bad";
  ASSERT_TRUE(store.update(good, clock.now_ms() + 5));
  auto changed = store.get(good.id);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->title, "Calm refund, well explained");
  EXPECT_EQ(changed->kind, "bad");
  EXPECT_EQ(changed->updated_at, clock.now_ms() + 5);
  EXPECT_EQ(changed->created_at, good.created_at);

  EXPECT_TRUE(store.remove(bad.id));
  EXPECT_FALSE(store.remove(bad.id));
  EXPECT_FALSE(store.get(bad.id));
  good.id = 999;
  EXPECT_FALSE(store.update(good, 0));
}

TEST_F(CaseStoreTest, RetentionDeletesOldRecordingsInBoundedPassesAndKeepsCases) {
  const std::int64_t now = clock.now_ms();
  auto old1 = recorded_call(now - 31 * kDay);
  auto old2 = recorded_call(now - 32 * kDay);
  auto old3 = recorded_call(now - 33 * kDay);
  auto pinned = recorded_call(now - 40 * kDay);
  auto recent = recorded_call(now - 29 * kDay);
  case_of(pinned, "good", "Kept", "", "");
  writer.flush();

  RecordingRetention retention(test.db(), clock, keep_days(30, dir, 2));
  EXPECT_EQ(retention.sweep(), 2);  // the oldest first, at most a batch
  EXPECT_EQ(retention.sweep(), 1);
  EXPECT_EQ(retention.sweep(), 0);

  for (auto id : {old1, old2, old3}) {
    auto cdr = cdrs.get(id);
    ASSERT_TRUE(cdr);
    EXPECT_EQ(cdr->recording_deleted_at, now) << id;
    EXPECT_FALSE(std::filesystem::exists(cdr->recording_path)) << id;
  }
  for (auto id : {pinned, recent}) {
    auto cdr = cdrs.get(id);
    EXPECT_EQ(cdr->recording_deleted_at, 0) << id;
    EXPECT_TRUE(std::filesystem::exists(cdr->recording_path)) << id;
  }
  EXPECT_EQ(cdrs.count(recorded(true)), 2);
  EXPECT_EQ(cdrs.count(recorded(false)), 3);

  // The recent one comes due as time passes; an unpinned case's recording too.
  store.remove(store.find({}).front().id);
  clock.advance(std::chrono::hours(24 * 2));
  EXPECT_EQ(retention.sweep(), 2);
}

// An evaluation's comments point into the call's recording and the agent may dispute
// it: the retention keeps it, as for a typical case.
TEST_F(CaseStoreTest, RetentionKeepsTheRecordingsOfEvaluatedCalls) {
  const std::int64_t now = clock.now_ms();
  const auto evaluated = recorded_call(now - 90 * kDay);
  const auto plain = recorded_call(now - 90 * kDay);
  writer.flush();
  {
    soci::session sql(test.db().pool());
    sql << "INSERT INTO qa_evaluations (serial, cdr_id, call_id, agent, inspector, form_name, form_version, qa_type,"
           " total, grade, items, call_started_at, call_ended_at, call_duration_ms, status, created_at, updated_at)"
           " VALUES ('QA-1', :cdr, 'call-1', '1001', 'qa1', 'standard', 1, 'random', 80, 'B', '[]', 0, 0, 0,"
           " 'open', 0, 0)",
        soci::use(evaluated);
  }
  RecordingRetention retention(test.db(), clock, keep_days(30, dir));
  EXPECT_EQ(retention.sweep(), 1);
  EXPECT_EQ(cdrs.get(evaluated)->recording_deleted_at, 0);
  EXPECT_TRUE(std::filesystem::exists(cdrs.get(evaluated)->recording_path));
  EXPECT_EQ(cdrs.get(plain)->recording_deleted_at, now);
}

TEST_F(CaseStoreTest, NoRetentionKeepsEverything) {
  recorded_call(clock.now_ms() - 3650 * kDay);
  writer.flush();
  RecordingRetention retention(test.db(), clock, keep_days(0, dir));
  EXPECT_EQ(retention.sweep(), 0);
  retention.start();
  retention.stop();
  EXPECT_EQ(cdrs.count(recorded(true)), 1);
}

// The console's settings change the retention while the sweeper runs: it sweeps at
// once with the new days, not at its next interval.
TEST_F(CaseStoreTest, ANewRetentionIsSweptAtOnce) {
  const auto old = recorded_call(clock.now_ms() - 40 * kDay);
  writer.flush();
  auto settings = keep_days(0, dir);
  settings.interval = std::chrono::hours(1);
  RecordingRetention retention(test.db(), clock, settings);
  retention.start();
  retention.set_retention_days(30);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (cdrs.get(old)->recording_deleted_at == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  retention.stop();
  EXPECT_EQ(cdrs.get(old)->recording_deleted_at, clock.now_ms());
  EXPECT_FALSE(std::filesystem::exists(cdrs.get(old)->recording_path));
}

// The thread's first pass comes at once; stopping it does not wait for the next.
TEST_F(CaseStoreTest, TheSweepThreadPassesAtStartAndStopsAtOnce) {
  auto old = recorded_call(clock.now_ms() - 31 * kDay);
  writer.flush();
  RecordingRetention retention(test.db(), clock, keep_days(30, dir));
  retention.start();
  for (int i = 0; i < 200 && cdrs.get(old)->recording_deleted_at == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(cdrs.get(old)->recording_deleted_at, clock.now_ms());
  const auto before = std::chrono::steady_clock::now();
  retention.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
}

// A row naming a file outside the recordings folder is marked, its file left alone.
TEST_F(CaseStoreTest, RetentionNeverDeletesOutsideTheRecordingsFolder) {
  auto outside = testing::make_temp_dir();
  std::ofstream(outside + "/x.wav") << "RIFF";
  Cdr cdr;
  cdr.call_id = "elsewhere";
  cdr.started_at = clock.now_ms() - 100 * kDay;
  cdr.answered_at = cdr.started_at + 1;
  cdr.ended_at = cdr.started_at + 2;
  cdr.recording_path = dir + "/../" + std::filesystem::path(outside).filename().string() + "/x.wav";
  cdrs.record(cdr, {});
  writer.flush();
  RecordingRetention retention(test.db(), clock, keep_days(1, dir));
  EXPECT_EQ(retention.sweep(), 1);
  EXPECT_TRUE(std::filesystem::exists(outside + "/x.wav"));
  std::filesystem::remove_all(outside);
}

// Talk time is filtered in whole seconds, as the API shows it.
TEST_F(CaseStoreTest, CdrsAreFilteredByTalkTime) {
  recorded_call(clock.now_ms());  // 30 s
  EXPECT_EQ(cdrs.count(talk_between(30, -1)), 1);
  EXPECT_EQ(cdrs.count(talk_between(31, -1)), 0);
  EXPECT_EQ(cdrs.count(talk_between(-1, 30)), 1);
  EXPECT_EQ(cdrs.count(talk_between(-1, 29)), 0);
  EXPECT_EQ(cdrs.find(talk_between(10, 40)).size(), 1u);
}

TEST_F(CaseStoreTest, CdrsAreFoundByAPartOfTheCustomersName) {
  long long zhang = 0, ann = 0;
  {
    soci::session sql(test.db().pool());
    sql << "INSERT INTO customers (name, created_at, updated_at) VALUES ('张伟', 0, 0)";
    sql << "INSERT INTO customers (name, created_at, updated_at) VALUES ('Ann Lee', 0, 0)";
    sql << "SELECT id FROM customers WHERE name = '张伟'", soci::into(zhang);
    sql << "SELECT id FROM customers WHERE name = 'Ann Lee'", soci::into(ann);
  }
  const auto zhangs = recorded_call(clock.now_ms(), zhang);
  recorded_call(clock.now_ms(), ann);
  recorded_call(clock.now_ms());
  auto named = [](const std::string& text) {
    CdrFilter filter;
    filter.customer_name = text;
    return filter;
  };
  ASSERT_EQ(cdrs.find(named("张")).size(), 1u);
  EXPECT_EQ(cdrs.find(named("张")).front().id, zhangs);
  EXPECT_EQ(cdrs.count(named("LEE")), 1) << "any case";
  EXPECT_EQ(cdrs.count(named("%")), 0) << "a wildcard is a character";
  EXPECT_EQ(cdrs.count(named("Bob")), 0);
  EXPECT_EQ(cdrs.count({}), 3);
}

}  // namespace
}  // namespace unicc::call
