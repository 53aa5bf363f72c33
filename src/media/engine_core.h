#pragma once
// Internal to the media module (included by its .cpp files only, because it brings in
// Boost.Asio): the state MediaEngine shares with its relays. Relays hold it by
// shared_ptr, so the io_context outlives every socket made on it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "media/engine.h"
#include "media/port_allocator.h"
#include "media/recorder.h"
#include "media/relay.h"

namespace unicc::media {

struct EngineCore {
  explicit EngineCore(MediaSettings settings_in);

  // The io_context of the next relay: relays are spread over the RTP threads.
  boost::asio::io_context& next_io();

  // Keeps track of open relays so stop() can close them; false once stop() began.
  bool register_relay(const std::shared_ptr<Relay::Impl>& relay);
  void unregister_relay(const Relay::Impl* relay);

  // Closes the relays still registered, lets the RTP threads run out of work and joins
  // them, then drains and joins the recorder. Must not be called on an RTP thread.
  void stop();

  const MediaSettings settings;
  const boost::asio::ip::address address;
  PortAllocator ports;
  Recorder recorder;

 private:
  std::mutex relays_mutex_;
  bool stopping_ = false;
  std::map<const Relay::Impl*, std::weak_ptr<Relay::Impl>> relays_;

  // One RTP thread with its own io_context; a relay's sockets all live on one.
  struct RtpThread {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running{io.get_executor()};
    std::thread thread;
  };
  std::vector<std::unique_ptr<RtpThread>> rtp_threads_;
  std::atomic<std::size_t> next_thread_{0};
};

// Defined in relay.cpp. open_relay binds the sockets of a new relay and starts it;
// nullptr when no ports can be bound or the engine is stopping. close_relay is
// Relay::close() for the engine's own shutdown.
std::unique_ptr<Relay> open_relay(const std::shared_ptr<EngineCore>& core, RelayCallbacks callbacks);
void close_relay(Relay::Impl& relay);

}  // namespace unicc::media
