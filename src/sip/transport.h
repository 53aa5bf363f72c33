#pragma once
// sip::TransportLayer — SIP over UDP and TCP on one address and port (RFC 3261 §18).
//
// Received bytes become sip::Message values handed to the receiver with their
// source Endpoint; everything runs on the EventLoop's thread. For requests the
// top Via gets `received` and a filled-in `rport` (RFC 3581) before parsing, so
// responses built from it carry the address the phone really sent from.
// Malformed requests get a 400 whose reason says what was wrong when enough of
// the request is readable to answer it (Via, From, To, Call-ID, CSeq); anything
// else — garbage, malformed responses, bad ACKs — is dropped and counted.
// TCP messages are cut by Content-Length (StreamFramer); a broken stream closes
// its connection. Responses to TCP requests go back over the same connection;
// other TCP sends reuse a connection to the destination or open one.
// Connections are bounded: a message (and a new connection's first message) must
// be complete within message_timeout of its first byte, however slowly it
// trickles; a connection without traffic for idle_timeout is closed unless a
// registration granted over it is still current or a call set up over it has not
// seen its BYE; accepts beyond the per-address or total limit are refused, and an
// accept that fails for lack of descriptors backs off on a timer.
// SIP over TLS (RFC 3261 §26.2.1) runs on its own port with the same framing and
// bounds (the handshake counts towards the first message's time). The certificate
// and key are read from files at start, again on SIGHUP and when the files
// change; connections already open keep the certificate they began with.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/event_loop.h"
#include "core/metrics.h"
#include "core/timers.h"
#include "sip/endpoint.h"
#include "sip/message.h"
#include "sip/transaction.h"

namespace unicc::sip {

struct TransportSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 5060;  // 0 picks free ports (UDP and TCP may then differ)
  bool udp = true;
  bool tcp = true;
  std::chrono::milliseconds message_timeout{30'000};
  std::chrono::milliseconds idle_timeout{300'000};
  std::size_t max_connections = 1024;             // inbound accepts beyond it are refused
  std::size_t max_connections_per_address = 32;   // likewise, per remote IP address
  bool tls = false;
  std::uint16_t tls_port = 5061;  // 0 picks a free port
  std::string tls_certificate{};  // PEM file: the certificate, then its chain
  std::string tls_private_key{};  // PEM file
  // CA certificates (PEM file) that peers' certificates must chain to: clients'
  // when tls_verify_client, servers' when we connect out (added to the system's).
  std::string tls_ca_file{};
  bool tls_verify_client = false;  // require a client certificate (trunk-only listeners)
  std::chrono::milliseconds tls_file_check{5'000};  // how often the files are checked for change
};

class TransportLayer final : public MessageSender {
 public:
  using Receiver = std::function<void(const Message& message, const Endpoint& from)>;

  TransportLayer(core::EventLoop& loop, TransportSettings settings, core::Metrics& metrics);
  ~TransportLayer() override;

  // Binds the sockets; throws std::runtime_error naming the address (or the TLS
  // file that cannot be used) on failure.
  void start(Receiver receiver);
  // Closes sockets and connections.
  void stop();

  bool send(const Endpoint& to, const std::string& bytes) override;

  std::uint16_t udp_port() const;
  std::uint16_t tcp_port() const;
  std::uint16_t tls_port() const;  // 0 when TLS is off

  // Reads the TLS certificate and key files again, for connections accepted from
  // now on; false (the old ones stay in use, the problem is logged) when they
  // cannot be loaded. Call on the loop's thread.
  bool reload_tls();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// TimerService on an EventLoop (the SIP thread's timers).
using LoopTimers = core::LoopTimers;

// Adds ";received=ADDRESS" and fills a bare ";rport" with PORT in the top Via of
// a request's raw text (RFC 3581 §4); returns the text unchanged when there is
// no Via to amend. Exposed for tests.
std::string stamp_top_via(std::string raw, std::string_view address, std::uint16_t port);

// The 400 answer for a request that failed to parse, when its start line is a
// request other than ACK and the headers a response needs can be found;
// otherwise nothing (the bytes are dropped). Exposed for tests.
std::optional<std::string> reply_to_malformed(std::string_view raw, std::string_view reason);

}  // namespace unicc::sip
