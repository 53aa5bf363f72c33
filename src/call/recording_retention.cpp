#include "call/recording_retention.h"

#include <filesystem>
#include <vector>

#include <spdlog/spdlog.h>

namespace unicc::call {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Only files inside the recordings folder are deleted, whatever a row says.
bool recording_inside(const std::filesystem::path& root, const std::filesystem::path& file) {
  std::error_code error;
  const auto base = std::filesystem::weakly_canonical(root, error);
  const auto full = std::filesystem::weakly_canonical(file, error);
  if (error) return false;
  const auto relative = full.lexically_relative(base);
  return !relative.empty() && *relative.begin() != "..";
}

// A typical case plays the recording for as long as it exists; an evaluation's comments
// point into it, and the agent may dispute it.
constexpr const char* kNotPinned =
    "NOT EXISTS (SELECT 1 FROM typical_cases t WHERE t.cdr_id = cdrs.id)"
    " AND NOT EXISTS (SELECT 1 FROM qa_evaluations e WHERE e.cdr_id = cdrs.id)";

}  // namespace

RecordingRetention::RecordingRetention(store::Database& db, const core::Clock& clock, Settings settings)
    : db_(db), clock_(clock), settings_(std::move(settings)), retention_days_(settings_.retention_days) {}

void RecordingRetention::set_retention_days(std::int64_t days) {
  const std::int64_t was = retention_days_.exchange(days);
  if (was == days) return;
  spdlog::info("recording retention: {}", days > 0 ? fmt::format("recordings are deleted {} days after their call", days)
                                                     : std::string("recordings are kept"));
  std::lock_guard lock(mutex_);
  changed_ = true;
  wake_.notify_all();
}

std::int64_t RecordingRetention::sweep() {
  const std::int64_t retention_days = retention_days_.load();
  if (retention_days <= 0) return 0;
  const std::int64_t now = clock_.now_ms();
  const std::int64_t cutoff = now - retention_days * kDayMs;
  soci::session sql(db_.pool());
  std::vector<std::pair<std::int64_t, std::string>> due;
  {
    long long id = 0;
    std::string path;
    soci::statement st = (sql.prepare << std::string("SELECT id, recording_path FROM cdrs WHERE recording_path <> ''"
                                                     " AND recording_deleted_at = 0 AND ended_at > 0"
                                                     " AND ended_at < :cutoff AND ") +
                                             kNotPinned + " ORDER BY ended_at LIMIT :batch",
                          soci::use(cutoff), soci::use(settings_.batch), soci::into(id), soci::into(path));
    st.execute(false);
    while (st.fetch()) due.emplace_back(id, path);
  }
  std::int64_t deleted = 0;
  for (const auto& [id, path] : due) {
    // Claimed first, so a case marked or an evaluation made meanwhile keeps its recording.
    soci::statement claim = (sql.prepare << std::string("UPDATE cdrs SET recording_deleted_at = :now WHERE id = :id"
                                                        " AND recording_deleted_at = 0 AND ") +
                                                kNotPinned,
                             soci::use(now), soci::use(id));
    claim.execute(true);
    if (claim.get_affected_rows() == 0) continue;
    ++deleted;
    std::error_code error;
    if (!recording_inside(settings_.recordings_dir, path)) {
      spdlog::warn("recording retention: call {}'s recording {} is outside {}; not deleting the file", id, path,
                   settings_.recordings_dir);
    } else if (!std::filesystem::remove(path, error) && error) {
      spdlog::error("recording retention: cannot delete {}: {}", path, error.message());
    }
  }
  if (deleted > 0) spdlog::info("recording retention: deleted {} recordings", deleted);
  return deleted;
}

void RecordingRetention::start() {
  if (thread_.joinable()) return;
  if (retention_days_ > 0) {
    spdlog::info("recording retention: recordings are deleted {} days after their call", retention_days_.load());
  }
  thread_ = std::jthread([this](std::stop_token stop) {
    auto pause = std::chrono::milliseconds(0);
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait_for(lock, stop, pause, [this] { return changed_; });
      if (stop.stop_requested()) break;
      changed_ = false;
      lock.unlock();
      std::int64_t deleted = 0;
      try {
        deleted = sweep();
      } catch (const std::exception& error) {
        spdlog::error("recording retention: {}", error.what());
      }
      pause = deleted >= settings_.batch ? std::chrono::milliseconds(0) : settings_.interval;
      lock.lock();
    }
  });
}

void RecordingRetention::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

}  // namespace unicc::call
