#include "media/recorder.h"

#include <sndfile.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

namespace unicc::media {
namespace {

// How long frames stay in memory before they are written: one side's block may reach
// the recorder later than the other side's block for the same moment.
constexpr std::int64_t kReorderWindowFrames = Recorder::kSampleRate;
// About 100 s of 20 ms blocks for 50 calls: a disk stalled longer than that loses audio
// instead of memory growing without bound.
constexpr std::size_t kMaxQueuedBlocks = 250'000;

struct OpenCommand {
  Recorder::RecordingId id;
  std::string path;
  int channels;
};
struct WriteCommand {
  Recorder::RecordingId id;
  Recorder::Channel channel;
  std::int64_t first_frame;
  std::vector<std::int16_t> samples;
};
struct CloseCommand {
  Recorder::RecordingId id;
  std::int64_t total_frames;
};
using Command = std::variant<OpenCommand, WriteCommand, CloseCommand>;

// One open file: frames before `written_frames` are on disk; `pending` holds the
// interleaved frames from there on that may still receive samples.
class WavFile {
 public:
  WavFile(SNDFILE* file, std::string path, int channels)
      : file_(file), path_(std::move(path)), channels_(static_cast<std::size_t>(channels)) {}
  WavFile(const WavFile&) = delete;
  WavFile& operator=(const WavFile&) = delete;
  ~WavFile() {
    write_frames(pending_frames());
    sf_close(file_);
  }

  void place(Recorder::Channel channel, std::int64_t first_frame, const std::vector<std::int16_t>& samples) {
    const std::int64_t late = written_frames_ - first_frame;
    const std::size_t skip = late > 0 ? static_cast<std::size_t>(late) : 0;
    if (skip >= samples.size()) return;
    const std::size_t offset = channel == Recorder::Channel::kLeft ? 0 : 1;
    if (offset >= channels_) return;
    const std::int64_t start = std::max(first_frame, written_frames_) - written_frames_;
    extend_to(start + static_cast<std::int64_t>(samples.size() - skip));
    for (std::size_t i = skip; i < samples.size(); ++i) {
      pending_[static_cast<std::size_t>(start + static_cast<std::int64_t>(i - skip)) * channels_ + offset] =
          samples[i];
    }
    // Write in chunks of about a window rather than a packet's worth at a time.
    if (pending_frames() >= 2 * kReorderWindowFrames) write_frames(pending_frames() - kReorderWindowFrames);
  }

  void pad_to(std::int64_t total_frames) { extend_to(total_frames - written_frames_); }

 private:
  std::int64_t pending_frames() const { return static_cast<std::int64_t>(pending_.size() / channels_); }

  void extend_to(std::int64_t frames) {
    if (frames > pending_frames()) pending_.resize(static_cast<std::size_t>(frames) * channels_, 0);
  }

  void write_frames(std::int64_t frames) {
    if (frames <= 0) return;
    const sf_count_t written = sf_writef_short(file_, pending_.data(), frames);
    if (written != frames) spdlog::warn("recording {}: write failed: {}", path_, sf_strerror(file_));
    const auto samples = static_cast<std::size_t>(frames) * channels_;
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(samples));
    written_frames_ += frames;
  }

  SNDFILE* file_;
  std::string path_;
  std::size_t channels_;
  std::int64_t written_frames_ = 0;
  std::vector<std::int16_t> pending_;
};

}  // namespace

struct Recorder::Impl {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Command> queue;
  std::size_t queued_blocks = 0;
  bool stopping = false;
  std::atomic<RecordingId> next_id{1};
  std::atomic<std::uint64_t> dropped_blocks{0};
  std::thread thread;
  // Touched by the recorder thread only.
  std::map<RecordingId, std::unique_ptr<WavFile>> files;

  // Everything is refused once stop() has begun; sample blocks also when the queue is full.
  void enqueue(Command command) {
    {
      std::lock_guard lock(mutex);
      if (stopping) return;
      if (std::holds_alternative<WriteCommand>(command)) {
        if (queued_blocks >= kMaxQueuedBlocks) {
          ++dropped_blocks;
          return;
        }
        ++queued_blocks;
      }
      queue.push_back(std::move(command));
    }
    wake.notify_one();
  }

  void run() {
    std::deque<Command> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty()) break;  // stopping, and everything queued is done
        batch.swap(queue);
        queued_blocks = 0;
      }
      for (Command& command : batch) std::visit([this](auto& c) { handle(c); }, command);
      batch.clear();
    }
    files.clear();
  }

  void handle(OpenCommand& command) {
    SF_INFO info{};
    info.samplerate = kSampleRate;
    info.channels = command.channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* file = sf_open(command.path.c_str(), SFM_WRITE, &info);
    if (file == nullptr) {
      spdlog::warn("recording {}: cannot open: {}", command.path, sf_strerror(nullptr));
      return;
    }
    files[command.id] = std::make_unique<WavFile>(file, std::move(command.path), command.channels);
  }

  void handle(WriteCommand& command) {
    auto found = files.find(command.id);
    if (found != files.end()) found->second->place(command.channel, command.first_frame, command.samples);
  }

  void handle(CloseCommand& command) {
    auto found = files.find(command.id);
    if (found == files.end()) return;
    found->second->pad_to(command.total_frames);
    files.erase(found);
  }
};

Recorder::Recorder() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

Recorder::~Recorder() { stop(); }

Recorder::RecordingId Recorder::open(std::string path, int channels) {
  const RecordingId id = impl_->next_id++;
  impl_->enqueue(OpenCommand{id, std::move(path), channels});
  return id;
}

void Recorder::write(RecordingId id, Channel channel, std::int64_t first_frame,
                     std::vector<std::int16_t> samples) {
  impl_->enqueue(WriteCommand{id, channel, first_frame, std::move(samples)});
}

void Recorder::close(RecordingId id, std::int64_t total_frames) {
  impl_->enqueue(CloseCommand{id, total_frames});
}

void Recorder::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint64_t Recorder::dropped_blocks() const { return impl_->dropped_blocks; }

}  // namespace unicc::media
