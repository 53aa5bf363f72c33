// CallbackStore on a fresh database (SQLite, or PostgreSQL under scripts/with-postgres):
// requests written through the async writer, their failed attempts and ends, the
// waiting ones read back oldest first for the restart, and the filtered, paged list
// for the API.
#include "contact/callback_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "support/held_writer.h"
#include "support/writer_store_test.h"

namespace unicc::contact {
namespace {

CallbackRecord request(const std::string& call_id, const std::string& queue, std::int64_t requested_at) {
  CallbackRecord callback;
  callback.call_id = call_id;
  callback.queue = queue;
  callback.number = "0" + call_id;
  callback.caller = call_id;
  callback.caller_name = "Ada";
  callback.dialled = "4055";
  callback.priority = 2;
  callback.requested_at = requested_at;
  return callback;
}

std::vector<std::string> call_ids(const std::vector<CallbackRecord>& callbacks) {
  std::vector<std::string> out;
  for (const auto& callback : callbacks) out.push_back(callback.call_id);
  return out;
}

using CallbackStoreTest = testing::WriterStoreTest<CallbackStore>;

TEST_F(CallbackStoreTest, WaitingRequestsReadBackOldestFirstWithEveryField) {
  ASSERT_TRUE(store.save(request("b", "sales", 2000)));
  ASSERT_TRUE(store.save(request("a", "sales", 1000)));
  writer.flush();
  const auto waiting = store.waiting();
  ASSERT_EQ(call_ids(waiting), (std::vector<std::string>{"a", "b"}));
  const CallbackRecord& a = waiting[0];
  EXPECT_GT(a.id, 0);
  EXPECT_EQ((std::vector<std::string>{a.queue, a.number, a.caller, a.caller_name, a.dialled, a.state}),
            (std::vector<std::string>{"sales", "0a", "a", "Ada", "4055", "waiting"}));
  EXPECT_EQ(a.priority, 2);
  EXPECT_EQ(a.requested_at, 1000);
  EXPECT_EQ(a.finished_at, 0);
}

TEST_F(CallbackStoreTest, AFailedAttemptKeepsTheRequestWaitingWithItsRetryTime) {
  ASSERT_TRUE(store.save(request("a", "sales", 1000)));
  CallbackRecord retry = request("a", "sales", 1000);
  retry.attempts = 1;
  retry.outcome = "busy";
  retry.agent = "1009";
  retry.retry_at = 301000;
  ASSERT_TRUE(store.save(retry));
  writer.flush();
  const auto waiting = store.waiting();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ((std::vector<std::string>{waiting[0].state, waiting[0].outcome, waiting[0].agent}),
            (std::vector<std::string>{"waiting", "busy", "1009"}));
  EXPECT_EQ(waiting[0].attempts, 1);
  EXPECT_EQ(waiting[0].retry_at, 301000);
  EXPECT_EQ(waiting[0].requested_at, 1000);  // the request itself is unchanged
}

TEST_F(CallbackStoreTest, AFinishedRequestIsNoLongerWaitingAndKeepsItsOutcome) {
  ASSERT_TRUE(store.save(request("a", "sales", 1000)));
  ASSERT_TRUE(store.save(request("b", "sales", 2000)));
  CallbackRecord done = request("a", "sales", 1000);
  done.state = "failed";
  done.outcome = "no answer (480)";
  done.agent = "1009";
  done.finished_at = 5000;
  ASSERT_TRUE(store.save(done));
  writer.flush();
  EXPECT_EQ(call_ids(store.waiting()), (std::vector<std::string>{"b"}));
  const auto failed = store.find(CallbackFilter{0, "failed", "", 50, 0});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ((std::vector<std::string>{failed[0].state, failed[0].outcome, failed[0].agent}),
            (std::vector<std::string>{"failed", "no answer (480)", "1009"}));
  EXPECT_EQ(failed[0].finished_at, 5000);
  ASSERT_TRUE(store.get(failed[0].id));
  EXPECT_EQ(store.get(failed[0].id)->call_id, "a");
  EXPECT_FALSE(store.get(failed[0].id + 100));
}

TEST_F(CallbackStoreTest, TheListIsNewestFirstFilteredAndPaged) {
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(store.save(request("s" + std::to_string(i), "sales", i * 1000)));
  ASSERT_TRUE(store.save(request("t1", "support", 3500)));
  writer.flush();
  EXPECT_EQ(call_ids(store.find(CallbackFilter{0, "", "", 3, 0})), (std::vector<std::string>{"s5", "s4", "t1"}));
  EXPECT_EQ(call_ids(store.find(CallbackFilter{0, "", "sales", 2, 2})), (std::vector<std::string>{"s3", "s2"}));
  EXPECT_EQ(store.count(CallbackFilter{0, "waiting", "sales", 50, 0}), 5);
  EXPECT_EQ(store.count(CallbackFilter{0, "completed", "", 50, 0}), 0);
  EXPECT_EQ(store.count(CallbackFilter{}), 6);
}

// A supervisor's list shows a request's end as soon as the IVR has reported it, even
// while the writer is behind: reads wait for the writes queued before them.
TEST_F(CallbackStoreTest, ReadsIncludeTheWritesQueuedBeforeThem) {
  testing::HeldWriter held(writer);
  ASSERT_TRUE(store.save(request("a", "sales", 1000)));
  auto count = std::async(std::launch::async, [this] { return store.count(CallbackFilter{0, "waiting", "", 50, 0}); });
  EXPECT_EQ(count.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  held.release();
  EXPECT_EQ(count.get(), 1);
  CallbackRecord done = request("a", "sales", 1000);
  done.state = "completed";
  ASSERT_TRUE(store.save(done));
  EXPECT_EQ(call_ids(store.find(CallbackFilter{0, "completed", "", 50, 0})), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace unicc::contact
