// qa::EvaluationStore on SQLite and PostgreSQL (serials, one evaluation per inspector
// and call, filters, the agent's one answer, sample candidates), and the pure pieces
// around it: the deterministic weekly sample and ISO weeks.
#include "qa/evaluations.h"

#include <gtest/gtest.h>

#include "call/cdr.h"
#include "core/metrics.h"
#include "support/test_database.h"

namespace unicc::qa {
namespace {

// 2026-12-07 00:00 UTC, a Monday (ISO week 2026-W50).
constexpr std::int64_t kMonday = 1'796'601'600'000;

class EvaluationStoreTest : public ::testing::Test {
 protected:
  std::int64_t add_call(const std::string& agent, std::int64_t started_at, const std::string& disposition = "answered") {
    call::Cdr cdr;
    cdr.call_id = "call-" + std::to_string(++calls_);
    cdr.direction = "inbound";
    cdr.started_at = started_at;
    cdr.answered_at = started_at + 1000;
    cdr.ended_at = started_at + 61000;
    cdr.disposition = disposition;
    cdr.agent = agent;
    cdrs.record(cdr, {});
    writer.flush();
    return cdrs.find({}).front().id;
  }

  Evaluation evaluation(std::int64_t cdr_id, const std::string& inspector, const std::string& agent = "1001",
                        double total = 80, const std::string& grade = "B") {
    Evaluation e;
    e.cdr_id = cdr_id;
    e.call_id = "call";
    e.agent = agent;
    e.inspector = inspector;
    e.form_name = "standard";
    e.form_version = 1;
    e.qa_type = "routine";
    e.business_type = "账单查询";
    e.total = total;
    e.grade = grade;
    e.items = "[]";
    e.marks = "[]";
    return e;
  }

  unicc::testing::TestDatabase test;
  core::FakeClock clock{kMonday + 86'400'000};
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 100, 1000, metrics};
  call::CdrStore cdrs{writer, test.db()};
  EvaluationStore store{test.db(), writer, clock};
  int calls_ = 0;
};

TEST_F(EvaluationStoreTest, SerialsAreUniqueAndCarryTheYear) {
  auto first = store.create(evaluation(add_call("1001", kMonday), "quinn"));
  auto second = store.create(evaluation(add_call("1001", kMonday), "quinn"));
  EXPECT_EQ(first.serial, "QA-2026-" + std::string(6 - std::to_string(first.id).size(), '0') + std::to_string(first.id));
  EXPECT_NE(first.serial, second.serial);
  auto read = store.get(first.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->serial, first.serial);
  EXPECT_EQ(read->business_type, "账单查询");
  EXPECT_DOUBLE_EQ(read->total, 80);
  EXPECT_EQ(read->status, "pending");
  EXPECT_EQ(read->created_at, kMonday + 86'400'000);
}

TEST_F(EvaluationStoreTest, AnInspectorScoresACallOnceOthersMayCalibrate) {
  const auto call = add_call("1001", kMonday);
  store.create(evaluation(call, "quinn"));
  try {
    store.create(evaluation(call, "quinn"));
    FAIL() << "a second evaluation by the same inspector was stored";
  } catch (const EvaluationError& error) {
    EXPECT_EQ(error.code(), "already_evaluated");
  }
  store.create(evaluation(call, "sam", "1001", 70, "C"));
  EvaluationFilter filter;
  filter.cdr_id = call;
  EXPECT_EQ(store.count(filter), 2);
}

TEST_F(EvaluationStoreTest, FiltersAndPaging) {
  store.create(evaluation(add_call("1001", kMonday), "quinn", "1001", 95, "A"));
  clock.advance(std::chrono::milliseconds(1000));
  store.create(evaluation(add_call("1002", kMonday), "quinn", "1002", 50, "D"));
  clock.advance(std::chrono::milliseconds(1000));
  store.create(evaluation(add_call("1002", kMonday), "sam", "1002", 80, "B"));
  EvaluationFilter by_agent;
  by_agent.agent = "1002";
  auto found = store.find(by_agent);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].inspector, "sam");  // newest first
  EvaluationFilter by_grade;
  by_grade.grade = "A";
  EXPECT_EQ(store.count(by_grade), 1);
  EvaluationFilter by_inspector;
  by_inspector.inspector = "quinn";
  by_inspector.limit = 1;
  by_inspector.offset = 1;
  found = store.find(by_inspector);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].agent, "1001");
  EvaluationFilter by_total;
  by_total.min_total = 60;
  by_total.max_total = 90;
  EXPECT_EQ(store.count(by_total), 1);
  EvaluationFilter by_business;
  by_business.business_type = "账单查询";
  EXPECT_EQ(store.count(by_business), 3);
  EvaluationFilter by_serial;
  by_serial.serial_from = store.find({}).back().serial;  // the oldest
  by_serial.serial_to = by_serial.serial_from;
  EXPECT_EQ(store.find(by_serial).at(0).agent, "1001");
  EvaluationFilter by_time;
  by_time.from_ms = kMonday + 86'400'000 + 500;
  by_time.to_ms = kMonday + 86'400'000 + 1500;
  EXPECT_EQ(store.count(by_time), 1);
}

TEST_F(EvaluationStoreTest, TheAgentAnswersOnce) {
  auto stored = store.create(evaluation(add_call("1001", kMonday), "quinn"));
  clock.advance(std::chrono::milliseconds(5000));
  auto disputed = store.respond(stored.id, "disputed", "the customer hung up first");
  EXPECT_EQ(disputed.status, "disputed");
  EXPECT_EQ(disputed.response, "the customer hung up first");
  EXPECT_EQ(disputed.responded_at, clock.now_ms());
  EXPECT_EQ(disputed.updated_at, clock.now_ms());
  try {
    store.respond(stored.id, "acknowledged", "");
    FAIL() << "answered twice";
  } catch (const EvaluationError& error) {
    EXPECT_EQ(error.code(), "already_answered");
  }
  try {
    store.respond(stored.id + 100, "acknowledged", "");
    FAIL() << "answered a missing evaluation";
  } catch (const EvaluationError& error) {
    EXPECT_EQ(error.code(), "not_found");
  }
}

TEST_F(EvaluationStoreTest, SampleCandidatesAreTheWeeksAnsweredCallsNotEvaluated) {
  const auto evaluated = add_call("1001", kMonday + 1000);
  const auto open = add_call("1001", kMonday + 2000);
  add_call("1002", kMonday + 3000, "no_answer");
  add_call("", kMonday + 4000);                        // no agent
  add_call("1002", kMonday - 1000);                    // the week before
  add_call("1002", kMonday + 7 * 86'400'000);          // the week after
  store.create(evaluation(evaluated, "quinn"));
  auto candidates = store.sample_candidates(kMonday, kMonday + 7 * 86'400'000);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].cdr_id, open);
  EXPECT_EQ(candidates[0].duration_ms, 60000);
  EXPECT_FALSE(candidates[0].recorded);
}

TEST(QaSampleTest, TheSameSeedGivesTheSameSamplePerAgent) {
  std::vector<SampleCall> calls;
  for (int i = 1; i <= 20; ++i) calls.push_back({i, i % 2 ? "1001" : "1002", "", "", i * 1000, 0, true});
  auto first = sample(calls, 3, "2026-W50");
  ASSERT_EQ(first.size(), 6u);
  EXPECT_EQ(first[0].agent, "1001");
  EXPECT_EQ(first[3].agent, "1002");
  EXPECT_LT(first[0].started_at, first[1].started_at);
  std::reverse(calls.begin(), calls.end());
  auto again = sample(calls, 3, "2026-W50");
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].cdr_id, again[i].cdr_id);
  auto other_week = sample(calls, 3, "2026-W51");
  bool differs = false;
  for (std::size_t i = 0; i < first.size(); ++i) differs = differs || first[i].cdr_id != other_week[i].cdr_id;
  EXPECT_TRUE(differs);
  EXPECT_EQ(sample(calls, 100, "x").size(), 20u);
}

TEST(QaSampleTest, IsoWeeks) {
  auto w50 = iso_week_bounds("2026-W50");
  ASSERT_TRUE(w50);
  EXPECT_EQ(w50->first, kMonday);
  EXPECT_EQ(w50->second, kMonday + 7 * 86'400'000);
  EXPECT_EQ(iso_week_of(kMonday), "2026-W50");
  EXPECT_EQ(iso_week_of(kMonday - 1), "2026-W49");
  EXPECT_EQ(iso_week_of(1'767'225'600'000), "2026-W01");  // 2026-01-01, a Thursday
  EXPECT_EQ(iso_week_of(1'735'603'200'000), "2025-W01");  // 2024-12-31, a Tuesday
  EXPECT_TRUE(iso_week_bounds("2026-W53"));  // 2026 has 53 weeks, 2025 52
  EXPECT_FALSE(iso_week_bounds("2025-W53"));
  EXPECT_FALSE(iso_week_bounds("2026-W00"));
  EXPECT_FALSE(iso_week_bounds("2026-50"));
  EXPECT_FALSE(iso_week_bounds("2026-W5x"));
}

}  // namespace
}  // namespace unicc::qa
