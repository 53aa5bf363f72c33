#pragma once
// Internal to the media module (included by its .cpp files only, because it brings in
// Boost.Asio): the state MediaEngine shares with its relays. Relays hold it by
// shared_ptr, so the io_context outlives every socket made on it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "media/engine.h"
#include "media/port_allocator.h"
#include "media/recorder.h"
#include "media/relay.h"

namespace unicc::media {

struct EngineCore {
  explicit EngineCore(MediaSettings settings_in);

  bool on_rtp_thread() { return io.get_executor().running_in_this_thread(); }

  // Keeps track of open relays so stop() can close them; false once stop() began.
  bool register_relay(const std::shared_ptr<Relay::Impl>& relay);
  void unregister_relay(const Relay::Impl* relay);

  // Closes the relays still registered, lets the RTP thread run out of work and joins
  // it, then drains and joins the recorder. Must not be called on the RTP thread.
  void stop();

  const MediaSettings settings;
  const boost::asio::ip::address address;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running;
  PortAllocator ports;
  Recorder recorder;
  std::thread rtp_thread;

 private:
  std::mutex relays_mutex_;
  bool stopping_ = false;
  std::map<const Relay::Impl*, std::weak_ptr<Relay::Impl>> relays_;
};

// Defined in relay.cpp. open_relay binds the sockets of a new relay and starts it;
// nullptr when no ports can be bound or the engine is stopping. close_relay is
// Relay::close() for the engine's own shutdown.
std::unique_ptr<Relay> open_relay(const std::shared_ptr<EngineCore>& core, RelayCallbacks callbacks);
void close_relay(Relay::Impl& relay);

}  // namespace unicc::media
