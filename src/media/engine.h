#pragma once
// MediaEngine — owns the RTP thread, the RTP port range and the recorder thread, and
// makes the Relays that anchor the media of bridged calls and the Conferences their
// legs can join.
//
// RTP threads (one per core by default) each run an io_context of their own; relays
// are spread over them round-robin and all sockets of one relay live on one thread. Recordings are written by one recorder thread shared by all relays, so disk
// time never delays a packet. create_relay() is thread-safe. stop() (also run by the
// destructor) closes the relays still open, then joins both threads; after it,
// create_relay() returns nullptr. Boost.Asio stays out of this header on purpose:
// callers compile none of it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "media/relay.h"

namespace unicc::media {

// Where a leg's media is accepted from (media.latching; see relay.h):
// kStrict — only the address and port its SDP announced;
// kSymmetric — as strict, but a phone behind NAT whose packets come from elsewhere is
// latched to once it proves itself (guarded; see relay.h).
enum class Latching : std::uint8_t { kStrict, kSymmetric };

struct MediaSettings {
  std::string address = "127.0.0.1";  // local IP the RTP sockets bind to
  std::uint16_t port_min = 20000;     // RTP ports are even, RTCP the next odd one;
  std::uint16_t port_max = 30000;     // both stay inside [port_min, port_max]
  Latching latching = Latching::kSymmetric;
  std::chrono::milliseconds rtp_timeout{std::chrono::seconds(60)};
  std::size_t rtp_threads = 0;        // 0: one per CPU core
  int rtp_nice = 0;                   // the RTP threads' nice value (below 0 needs CAP_SYS_NICE)
};

struct EngineCore;

class MediaEngine {
 public:
  // Starts the RTP and recorder threads. Throws std::invalid_argument when
  // settings.address is not an IP address.
  explicit MediaEngine(MediaSettings settings);
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // A relay with both legs' sockets bound, or nullptr (logged) when the port range
  // has no two free pairs that can be bound, or after stop().
  std::unique_ptr<Relay> create_relay(RelayCallbacks callbacks = {});

  // A conference that legs of relays can join (Relay::join); nullptr after stop().
  std::unique_ptr<Conference> create_conference();

  // Port pairs not in use (each relay holds two).
  std::size_t free_port_pairs() const;
  // SRTP and SRTCP packets dropped by all relays so far (failed authentication,
  // replays, garbage), apart: some phones send a stray RTCP packet in clear.
  struct SrtpFailures {
    std::uint64_t rtp = 0;
    std::uint64_t rtcp = 0;
  };
  SrtpFailures srtp_failures() const;

  void stop();

 private:
  std::shared_ptr<EngineCore> core_;
};

}  // namespace unicc::media
