#pragma once
// store::AsyncWriter — writes that callers must not wait for (CDRs, audit and
// state logs) go into a queue; one thread commits them in batches, one
// transaction per batch.
//
// Contract: a write for which submit() returned true is committed before stop()
// returns, unless the database rejects that write itself (then it is logged with
// its description and counted in unicc_store_write_failures_total; the other writes
// of its batch still commit). submit() never blocks on the database.
//
// The stores that write through it call flush() before they read, so a read sees
// every write queued before it (the API shows the change its caller just made).
// Reads therefore wait, and belong on the API's threads, never the SIP thread.
//
// Durability (docs/durability.md): a write is durable once its batch commits, not
// when submit() returns; a kill -9 loses the queue. Who must not answer before the
// record is durable either passes `done` to submit() (called on the writer's thread
// once the write is committed or has failed: the SIP thread answers a BYE from it) or,
// on a thread that may wait, calls commit().
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/metrics.h"
#include "store/database.h"

namespace unicc::store {

class AsyncWriter {
 public:
  using Write = std::function<void(soci::session&)>;
  // Told, on the writer's thread, whether the write was committed.
  using Done = std::function<void(bool committed)>;

  AsyncWriter(Database& db, std::size_t batch_max, std::size_t queue_max, core::Metrics& metrics);
  ~AsyncWriter();
  AsyncWriter(const AsyncWriter&) = delete;
  AsyncWriter& operator=(const AsyncWriter&) = delete;

  // Queues a write; `what` describes it in error logs. Returns false (and counts a
  // refusal) when the queue is full or the writer has stopped; `done` is then not
  // called. Otherwise `done` (if any) is called once, after the write's transaction.
  bool submit(Write write, std::string what, Done done = {});
  // Queues a write and waits until it is committed (batched with whatever else is
  // queued): true when it is durable, false when refused or rejected. Not for the
  // SIP thread.
  bool commit(Write write, std::string what);
  // Blocks until every write submitted before this call has been attempted.
  void flush();
  // Commits everything queued, then ends the thread. Idempotent.
  void stop();
  std::size_t pending() const;

 private:
  struct Item {
    Write write;
    std::string what;
    Done done;
    bool committed = false;
  };
  void run();
  void commit_batch(std::deque<Item>& batch);

  Database& db_;
  std::size_t batch_max_;
  std::size_t queue_max_;
  core::Counter& committed_;
  core::Counter& failures_;
  core::Counter& refused_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::deque<Item> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t attempted_ = 0;
  bool stopping_ = false;
  bool finished_ = false;
  std::once_flag joined_;
  std::thread thread_;
};

}  // namespace unicc::store
