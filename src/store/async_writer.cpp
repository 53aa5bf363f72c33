#include "store/async_writer.h"

#include <optional>

#include <spdlog/spdlog.h>

namespace unicc::store {

AsyncWriter::AsyncWriter(Database& db, std::size_t batch_max, std::size_t queue_max, core::Metrics& metrics)
    : db_(db),
      batch_max_(batch_max),
      queue_max_(queue_max),
      committed_(metrics.counter("unicc_store_writes_total", "Queued writes committed to the database")),
      failures_(metrics.counter("unicc_store_write_failures_total", "Queued writes the database rejected")),
      refused_(metrics.counter("unicc_store_writes_refused_total", "Writes refused because the queue was full")) {
  metrics.gauge_fn("unicc_store_write_queue", "Writes waiting for the writer thread",
                   [this] { return static_cast<double>(pending()); });
  thread_ = std::thread([this] { run(); });
}

AsyncWriter::~AsyncWriter() { stop(); }

bool AsyncWriter::submit(Write write, std::string what, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= queue_max_) {
      refused_.inc();
      spdlog::error("database write refused ({}): {}", stopping_ ? "writer stopped" : "queue full", what);
      return false;
    }
    queue_.push_back({std::move(write), std::move(what), std::move(done)});
    ++submitted_;
  }
  wake_.notify_one();
  return true;
}

bool AsyncWriter::commit(Write write, std::string what) {
  std::mutex mutex;
  std::condition_variable told;
  std::optional<bool> committed;
  auto done = [&](bool ok) {
    std::lock_guard lock(mutex);
    committed = ok;
    told.notify_one();
  };
  if (!submit(std::move(write), std::move(what), done)) return false;
  std::unique_lock lock(mutex);
  told.wait(lock, [&] { return committed.has_value(); });
  return *committed;
}

void AsyncWriter::flush() {
  std::unique_lock lock(mutex_);
  std::uint64_t target = submitted_;
  done_.wait(lock, [&] { return attempted_ >= target || finished_; });
}

void AsyncWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  std::call_once(joined_, [this] { thread_.join(); });
}

std::size_t AsyncWriter::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void AsyncWriter::run() {
  for (;;) {
    std::deque<Item> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {  // stopping and drained
        finished_ = true;
        done_.notify_all();
        return;
      }
      std::size_t take = std::min(batch_max_, queue_.size());
      for (std::size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::size_t count = batch.size();
    commit_batch(batch);
    // Told after the batch's connection is back in the pool, so `done` may use one.
    for (auto& item : batch) {
      if (item.done) item.done(item.committed);
    }
    {
      std::lock_guard lock(mutex_);
      attempted_ += count;
    }
    done_.notify_all();
  }
}

void AsyncWriter::commit_batch(std::deque<Item>& batch) {
  soci::session sql(db_.pool());
  try {
    WriteTransaction tx(sql, db_.backend());
    for (auto& item : batch) item.write(sql);
    tx.commit();
    committed_.inc(batch.size());
    for (auto& item : batch) item.committed = true;
    return;
  } catch (const std::exception& error) {
    spdlog::warn("database batch of {} writes failed ({}); retrying one by one", batch.size(), error.what());
  }
  // One bad write must not take its batch down with it.
  for (auto& item : batch) {
    try {
      WriteTransaction tx(sql, db_.backend());
      item.write(sql);
      tx.commit();
      committed_.inc();
      item.committed = true;
    } catch (const std::exception& error) {
      failures_.inc();
      spdlog::error("database write failed: {}: {}", item.what, error.what());
    }
  }
}

}  // namespace unicc::store
