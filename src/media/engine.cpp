#include "media/engine.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <vector>

#include "media/engine_core.h"

namespace unicc::media {
namespace {

boost::asio::ip::address parse_bind_address(const std::string& text) {
  boost::system::error_code error;
  auto address = boost::asio::ip::make_address(text, error);
  if (error) throw std::invalid_argument("media address is not an IP address: " + text);
  return address;
}

}  // namespace

EngineCore::EngineCore(MediaSettings settings_in)
    : settings(std::move(settings_in)),
      address(parse_bind_address(settings.address)),
      keep_running(boost::asio::make_work_guard(io)),
      ports(settings.port_min, settings.port_max) {
  rtp_thread = std::thread([this] {
    // A handler that throws is a bug; log it and keep the other calls' media flowing.
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& error) {
        spdlog::error("media: RTP thread handler failed: {}", error.what());
      }
    }
  });
}

bool EngineCore::register_relay(const std::shared_ptr<Relay::Impl>& relay) {
  std::lock_guard lock(relays_mutex_);
  if (stopping_) return false;
  relays_[relay.get()] = relay;
  return true;
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
  keep_running.reset();
  if (rtp_thread.joinable()) rtp_thread.join();
  recorder.stop();
}

MediaEngine::MediaEngine(MediaSettings settings) : core_(std::make_shared<EngineCore>(std::move(settings))) {}

MediaEngine::~MediaEngine() { stop(); }

std::unique_ptr<Relay> MediaEngine::create_relay(RelayCallbacks callbacks) {
  return open_relay(core_, std::move(callbacks));
}

std::size_t MediaEngine::free_port_pairs() const { return core_->ports.available(); }

void MediaEngine::stop() { core_->stop(); }

}  // namespace unicc::media
