#include "media/engine.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "media/conference_core.h"
#include "media/engine_core.h"

namespace unicc::media {
namespace {

boost::asio::ip::address parse_bind_address(const std::string& text) {
  boost::system::error_code error;
  auto address = boost::asio::ip::make_address(text, error);
  if (error) throw std::invalid_argument("media address is not an IP address: " + text);
  return address;
}

// Audio is the work that suffers first when the machine is busy: a late packet is a
// gap the caller hears. On Linux a nice value applies to the calling thread alone.
void run_at_nice(int nice) {
  if (nice == 0) return;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice) != 0) {
    spdlog::warn("media: cannot run the RTP threads at nice {} ({}); they keep the server's priority", nice,
                 std::strerror(errno));
  }
}

}  // namespace

EngineCore::EngineCore(MediaSettings settings_in)
    : settings(std::move(settings_in)),
      address(parse_bind_address(settings.address)),
      ports(settings.port_min, settings.port_max) {
  std::size_t count = settings.rtp_threads > 0 ? settings.rtp_threads : std::max(1u, std::thread::hardware_concurrency());
  for (std::size_t i = 0; i < count; ++i) {
    auto rtp = std::make_unique<RtpThread>();
    rtp->thread = std::thread([io = &rtp->io, nice = settings.rtp_nice] {
      run_at_nice(nice);
      // A handler that throws is a bug; log it and keep the other calls' media flowing.
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& error) {
          spdlog::error("media: RTP thread handler failed: {}", error.what());
        }
      }
    });
    rtp_threads_.push_back(std::move(rtp));
  }
}

EngineCore::RtpThread& EngineCore::next_thread() {
  return *rtp_threads_[next_thread_.fetch_add(1, std::memory_order_relaxed) % rtp_threads_.size()];
}

int PromptPhases::least_busy() const {
  return static_cast<int>(std::min_element(playing.begin(), playing.end()) - playing.begin());
}

bool EngineCore::register_relay(const std::shared_ptr<Relay::Impl>& relay) {
  std::lock_guard lock(relays_mutex_);
  if (stopping_) return false;
  relays_[relay.get()] = relay;
  return true;
}

bool EngineCore::stopping() const {
  std::lock_guard lock(relays_mutex_);
  return stopping_;
}

void EngineCore::unregister_relay(const Relay::Impl* relay) {
  std::lock_guard lock(relays_mutex_);
  relays_.erase(relay);
}

void EngineCore::stop() {
  std::vector<std::weak_ptr<Relay::Impl>> open;
  {
    std::lock_guard lock(relays_mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (const auto& [key, relay] : relays_) open.push_back(relay);
  }
  for (const auto& weak : open) {
    if (auto relay = weak.lock()) close_relay(*relay);
  }
  for (auto& rtp : rtp_threads_) rtp->keep_running.reset();
  for (auto& rtp : rtp_threads_) {
    if (rtp->thread.joinable()) rtp->thread.join();
  }
  recorder.stop();
}

MediaEngine::MediaEngine(MediaSettings settings) : core_(std::make_shared<EngineCore>(std::move(settings))) {}

MediaEngine::~MediaEngine() { stop(); }

std::unique_ptr<Relay> MediaEngine::create_relay(RelayCallbacks callbacks) {
  return open_relay(core_, std::move(callbacks));
}

std::unique_ptr<Conference> MediaEngine::create_conference() {
  if (core_->stopping()) return nullptr;
  return std::unique_ptr<Conference>(new Conference(std::make_shared<Conference::Core>(core_)));
}

std::size_t MediaEngine::free_port_pairs() const { return core_->ports.available(); }

MediaEngine::SrtpFailures MediaEngine::srtp_failures() const {
  return {core_->srtp_failures.load(std::memory_order_relaxed), core_->srtcp_failures.load(std::memory_order_relaxed)};
}

void MediaEngine::stop() { core_->stop(); }

}  // namespace unicc::media
