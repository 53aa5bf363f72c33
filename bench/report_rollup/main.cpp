// What a finished call's report facts cost (docs/performance.md, "Reports"): the
// queue visit's row and its roll-ups (queue, DID and agent per 15 minutes, the wait
// bucket) through the async writer, as report::Rollups::record does after each call.
// Two figures per backend: the caller's cost (the SIP thread queues the write and goes
// on) and the writer's (the batches committed), per call, over VISITS calls spread over
// a month of 200 agents and ten queues. SQLite in a temporary folder, or PostgreSQL at
// UNICC_BENCH_POSTGRES_URL / UNICC_TEST_POSTGRES_URL (scripts/with-postgres sets the
// latter). Bounded: VISITS calls (default 100,000).
//
//   build/unicc_report_rollup [VISITS]
//   scripts/with-postgres build/unicc_report_rollup [VISITS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <spdlog/spdlog.h>

#include "core/metrics.h"
#include "report/rollups.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace {

using Clock = std::chrono::steady_clock;

double us_since(Clock::time_point start, std::size_t count) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / static_cast<double>(count);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace unicc;
  const std::size_t visits = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100'000;
  std::string url;
  std::filesystem::path folder;
  for (const char* name : {"UNICC_BENCH_POSTGRES_URL", "UNICC_TEST_POSTGRES_URL"}) {
    if (const char* value = std::getenv(name); value && *value && url.empty()) url = value;
  }
  if (url.empty()) {
    folder = std::filesystem::temp_directory_path() / ("unicc-rollup-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    url = "sqlite:" + (folder / "bench.db").string();
  }
  spdlog::set_level(spdlog::level::warn);
  auto db = store::Database::open(url, 2);
  db->migrate();
  core::Metrics metrics;
  // The server's settings (database.writer_batch_max, database.writer_queue_max).
  store::AsyncWriter writer(*db, 500, 100'000, metrics);
  report::Rollups rollups(writer, *db);

  std::mt19937_64 random(7);
  const std::int64_t month_start = 1'796'083'200'000, month_ms = 30LL * 86'400'000;
  std::vector<report::Visit> calls(visits);
  for (std::size_t i = 0; i < visits; ++i) {
    report::Visit& v = calls[i];
    v.call = i + 1;
    v.queue = "q" + std::to_string(random() % 10);
    v.did = "40" + std::to_string(random() % 10);
    v.entered_at = month_start + static_cast<std::int64_t>(random() % month_ms);
    v.waited_ms = static_cast<std::int64_t>(random() % 60'000);
    v.service_level_ms = 20'000;
    if (random() % 100 < 86) {
      v.outcome = "answered";
      v.agent = std::to_string(3000 + random() % 200);
      v.answered_at = v.entered_at + v.waited_ms;
      v.talk_ms = 30'000 + static_cast<std::int64_t>(random() % 300'000);
      v.acw_ms = 15'000;
      v.ended_at = v.answered_at + v.talk_ms + v.acw_ms;
    } else {
      v.outcome = "abandoned";
      v.abandoned_at = v.ended_at = v.entered_at + v.waited_ms;
    }
  }
  const auto started = Clock::now();
  std::chrono::nanoseconds in_record{0};
  for (std::size_t i = 0; i < visits; ++i) {
    const auto before = Clock::now();
    rollups.record(calls[i]);
    in_record += Clock::now() - before;
    // Keep the queue below its limit, as a server's steady flow would.
    if (i % 50'000 == 49'999) writer.flush();
  }
  const double caller_us = std::chrono::duration<double, std::micro>(in_record).count() / static_cast<double>(visits);
  writer.flush();
  const double total_us = us_since(started, visits);
  std::printf("%s: %zu calls; caller %.2f us per call; committed %.1f us per call (%.0f calls/s)\n",
              db->backend() == store::Backend::sqlite ? "sqlite" : "postgresql", visits, caller_us, total_us,
              1e6 / total_us);
  writer.stop();
  if (!folder.empty()) std::filesystem::remove_all(folder);
  return 0;
}
