#pragma once
// Internal to the media module (included by its .cpp files only, because it brings in
// Boost.Asio): the state MediaEngine shares with its relays. Relays hold it by
// shared_ptr, so the io_context outlives every socket made on it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <array>
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

// When the prompts an RTP thread plays are due, by slot of the 20 ms frame period.
// Prompts start in the least busy slot, so calls that began together do not all send
// at the same instant and wait for each other (jitter). Few slots, so that the thread
// still sends a batch per wake-up rather than waking for every call. Touched only on
// its RTP thread.
struct PromptPhases {
  static constexpr int kSlots = 5;
  static constexpr int kSlotMs = 20 / kSlots;
  std::array<std::uint32_t, kSlots> playing{};

  int least_busy() const;
};

struct EngineCore {
  explicit EngineCore(MediaSettings settings_in);

  // An RTP thread: its io_context runs every socket and timer of the relays on it.
  struct RtpThread {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running{io.get_executor()};
    PromptPhases phases;
    std::thread thread;
  };

  // The thread of the next relay: relays are spread over the RTP threads.
  RtpThread& next_thread();

  // Keeps track of open relays so stop() can close them; false once stop() began.
  bool register_relay(const std::shared_ptr<Relay::Impl>& relay);
  void unregister_relay(const Relay::Impl* relay);
  bool stopping() const;

  // Closes the relays still registered, lets the RTP threads run out of work and joins
  // them, then drains and joins the recorder. Must not be called on an RTP thread.
  void stop();

  const MediaSettings settings;
  const boost::asio::ip::address address;
  PortAllocator ports;
  Recorder recorder;
  // SRTP and SRTCP packets dropped by every relay (failed authentication, replays, garbage).
  std::atomic<std::uint64_t> srtp_failures{0};
  std::atomic<std::uint64_t> srtcp_failures{0};

 private:
  mutable std::mutex relays_mutex_;
  bool stopping_ = false;
  std::map<const Relay::Impl*, std::weak_ptr<Relay::Impl>> relays_;

  std::vector<std::unique_ptr<RtpThread>> rtp_threads_;
  std::atomic<std::size_t> next_thread_{0};
};

// Defined in relay.cpp. open_relay binds the sockets of a new relay and starts it;
// nullptr when no ports can be bound or the engine is stopping. close_relay is
// Relay::close() for the engine's own shutdown.
std::unique_ptr<Relay> open_relay(const std::shared_ptr<EngineCore>& core, RelayCallbacks callbacks);
void close_relay(Relay::Impl& relay);

}  // namespace unicc::media
