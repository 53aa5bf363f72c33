#include "sip/transport.h"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>


#include <csignal>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include "core/tls_files.h"
#include "sip/header_names.h"
#include "sip/scan.h"
#include "sip/stream_framer.h"

namespace unicc::sip {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using udp = asio::ip::udp;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxDatagram = 65535;

using scan::iequals;
using scan::trim;

struct RawHeader {
  HeaderId id;
  std::size_t value_begin;  // offsets into the message text
  std::size_t value_end;
  std::string_view line;
};

// The header lines of a message's text (start line skipped, continuation lines
// ignored) — enough to echo headers back without a successful parse.
std::vector<RawHeader> raw_headers(std::string_view text) {
  std::vector<RawHeader> headers;
  std::size_t pos = text.find('\n');
  while (pos != std::string_view::npos && pos + 1 < text.size()) {
    std::size_t begin = pos + 1;
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of headers
    auto colon = line.find(':');
    if (colon != std::string_view::npos && line.front() != ' ' && line.front() != '\t') {
      std::size_t value_begin = begin + colon + 1;
      headers.push_back({resolve_header_name(trim(line.substr(0, colon))).id, value_begin, begin + line.size(), line});
    }
    pos = end;
  }
  return headers;
}

}  // namespace

std::string stamp_top_via(std::string raw, std::string_view address, std::uint16_t port) {
  for (const auto& header : raw_headers(raw)) {
    if (header.id != HeaderId::kVia) continue;
    // The first via-parm ends at the first comma outside quotes.
    std::size_t end = header.value_begin;
    bool quoted = false;
    while (end < header.value_end && (quoted || raw[end] != ',')) {
      if (raw[end] == '"') quoted = !quoted;
      ++end;
    }
    std::string_view via(raw.data() + header.value_begin, end - header.value_begin);
    std::string_view trimmed = trim(via);
    std::size_t param_end = static_cast<std::size_t>(trimmed.data() - raw.data()) + trimmed.size();
    std::size_t rport_at = std::string_view::npos;
    for (std::size_t at = trimmed.find(";"); at != std::string_view::npos; at = trimmed.find(';', at + 1)) {
      std::string_view param = trim(trimmed.substr(at + 1, trimmed.find(';', at + 1) - at - 1));
      if (iequals(param, "rport")) rport_at = static_cast<std::size_t>(param.data() - raw.data()) + param.size();
      if (param.size() >= 9 && iequals(param.substr(0, 9), "received=")) return raw;  // already stamped
    }
    std::string received = ";received=" + std::string(address);
    if (rport_at != std::string_view::npos) {
      std::string value = "=" + std::to_string(port);
      raw.insert(rport_at, value);
      if (rport_at <= param_end) param_end += value.size();
    }
    raw.insert(param_end, received);
    return raw;
  }
  return raw;
}

std::optional<std::string> reply_to_malformed(std::string_view raw, std::string_view reason) {
  auto line_end = raw.find_first_of("\r\n");
  std::string_view start = raw.substr(0, line_end);
  auto first_space = start.find(' ');
  if (first_space == std::string_view::npos || first_space == 0) return std::nullopt;
  std::string_view method = start.substr(0, first_space);
  if (method == "ACK" || start.size() < 8 || start.substr(start.size() - 8) != " SIP/2.0" ||
      method.rfind("SIP/", 0) == 0) {
    return std::nullopt;
  }
  for (char c : method) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
  }
  std::string vias, from, to, call_id, cseq;
  for (const auto& header : raw_headers(raw)) {
    std::string line = std::string(header.line) + "\r\n";
    if (header.id == HeaderId::kVia) vias += line;
    if (header.id == HeaderId::kFrom && from.empty()) from = line;
    if (header.id == HeaderId::kTo && to.empty()) to = line;
    if (header.id == HeaderId::kCallId && call_id.empty()) call_id = line;
    if (header.id == HeaderId::kCSeq && cseq.empty()) cseq = line;
  }
  if (vias.empty() || from.empty() || to.empty() || call_id.empty() || cseq.empty()) return std::nullopt;
  std::string reply = "SIP/2.0 400 ";
  for (char c : reason) reply += (c >= 0x20 && c < 0x7f) ? c : ' ';
  reply += "\r\n" + vias + from + to + call_id + cseq + "Server: unicc\r\nContent-Length: 0\r\n\r\n";
  return reply;
}

struct TransportLayer::Impl {
  using Clock = std::chrono::steady_clock;
  using TlsStream = ssl::stream<tcp::socket&>;

  struct Connection {
    std::uint64_t id = 0;
    tcp::socket socket;
    // Over TLS: the session on `socket`, and the context it was made from (kept
    // alive here, since a reload replaces the transport's).
    std::shared_ptr<ssl::context> tls_context;
    std::unique_ptr<TlsStream> tls;
    Endpoint peer;
    StreamFramer framer;
    std::array<char, 16384> buffer{};
    std::deque<std::string> outbox;
    bool connected = false;  // TCP connected and, over TLS, handshake done
    bool closed = false;
    Clock::time_point last_activity;
    // First byte of the message being received; for an accepted connection that has
    // not yet sent a message, when it was accepted (a silent socket is not kept).
    std::optional<Clock::time_point> message_started;
    Clock::time_point registered_until;  // a REGISTER answered 2xx over it holds it open
    std::set<std::string, std::less<>> dialogs;  // Call-IDs answered 2xx to INVITE, until BYE
    explicit Connection(asio::io_context& io) : socket(io) {}
  };

  // One listening socket (TCP or TLS) and its accept back-off.
  struct Listener {
    Transport transport;
    tcp::acceptor acceptor;
    core::EventLoop::TimerId backoff_timer = 0;
    std::chrono::milliseconds backoff{0};
  };

  // A peer could otherwise pin a connection with unbounded Call-IDs.
  static constexpr std::size_t kMaxDialogsPerConnection = 256;
  static constexpr std::chrono::milliseconds kFirstAcceptBackoff{50};
  static constexpr std::chrono::milliseconds kMaxAcceptBackoff{1000};

  Impl(core::EventLoop& loop, TransportSettings settings, core::Metrics& metrics)
      : loop(loop),
        settings(std::move(settings)),
        udp_socket(loop.io()),
        tcp_listener{Transport::kTcp, tcp::acceptor(loop.io())},
        tls_listener{Transport::kTls, tcp::acceptor(loop.io())},
        hangup(loop.io()),
        received_udp(metrics.counter("unicc_sip_messages_received_total", "SIP messages received", "transport=\"udp\"")),
        received_tcp(metrics.counter("unicc_sip_messages_received_total", "SIP messages received", "transport=\"tcp\"")),
        received_tls(metrics.counter("unicc_sip_messages_received_total", "SIP messages received", "transport=\"tls\"")),
        malformed(metrics.counter("unicc_sip_malformed_total", "SIP messages rejected as malformed")),
        sent(metrics.counter("unicc_sip_messages_sent_total", "SIP messages sent")),
        refused_per_address(metrics.counter("unicc_sip_connections_refused_total",
                                            "Inbound SIP connections refused at a limit", "reason=\"per_address\"")),
        refused_total(metrics.counter("unicc_sip_connections_refused_total",
                                      "Inbound SIP connections refused at a limit", "reason=\"total\"")),
        timed_out_message(metrics.counter("unicc_sip_connections_timed_out_total",
                                          "SIP connections closed by a timeout", "reason=\"message\"")),
        timed_out_idle(metrics.counter("unicc_sip_connections_timed_out_total", "SIP connections closed by a timeout",
                                       "reason=\"idle\"")),
        accept_backoffs(metrics.counter("unicc_sip_accept_backoffs_total",
                                        "Times accepting SIP connections paused for lack of file descriptors")),
        tls_handshake_failures(metrics.counter("unicc_sip_tls_handshake_failures_total",
                                               "SIP over TLS connections whose handshake failed")),
        tls_reload_failures(metrics.counter("unicc_sip_tls_reload_failures_total",
                                            "Times the SIP TLS certificate or key could not be loaded")),
        open_connections(metrics.gauge("unicc_sip_connections", "Open SIP connections (TCP and TLS)")) {}

  ~Impl() { cancel_timers(); }

  void cancel_timers() {
    loop.cancel_timer(sweep_timer);
    loop.cancel_timer(tls_check_timer);
    loop.cancel_timer(tcp_listener.backoff_timer);
    loop.cancel_timer(tls_listener.backoff_timer);
    boost::system::error_code ignored;
    hangup.cancel(ignored);
  }

  // How often deadlines are checked; connections close at most this much early.
  std::chrono::milliseconds sweep_period() const {
    auto shortest = std::min(settings.message_timeout, settings.idle_timeout);
    return std::clamp(shortest / 30, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  }

  void deliver(std::string raw, Framing framing, const Endpoint& from) {
    if (raw.find_first_not_of("\r\n") == std::string::npos) return;  // keep-alive
    bool request = raw.rfind("SIP/2.0 ", 0) != 0;
    if (request) raw = stamp_top_via(std::move(raw), from.address, from.port);
    auto parsed = Message::parse(raw, framing);
    if (!parsed) {
      malformed.inc();
      spdlog::debug("SIP from {}: malformed ({})", from.to_string(), parsed.error().reason);
      if (request) {
        if (auto reply = reply_to_malformed(raw, parsed.error().reason)) send(from, *reply);
      }
      return;
    }
    if (from.connection != 0) {
      if (auto it = connections.find(from.connection); it != connections.end()) track(*it->second, *parsed, false);
    }
    receiver(*parsed, from);
  }

  // What keeps a connection from being closed when idle: a current registration
  // (our 2xx to REGISTER went over it) and dialogs (a 2xx to INVITE went either
  // way over it, and no BYE yet). Requests and responses in both directions count.
  void track(Connection& connection, const Message& message, bool sending) {
    if (message.is_request()) {
      if (message.method() == "BYE") connection.dialogs.erase(std::string(message.call_id()));
      return;
    }
    if (message.status_code() < 200 || message.status_code() >= 300) return;
    if (message.cseq().method == "INVITE") {
      if (connection.dialogs.size() < kMaxDialogsPerConnection) connection.dialogs.emplace(message.call_id());
    } else if (message.cseq().method == "REGISTER" && sending) {
      std::uint32_t granted = message.expires().value_or(0);
      for (const auto& contact : message.contacts()) granted = std::max(granted, contact.expires().value_or(0));
      connection.registered_until = std::max(connection.registered_until, Clock::now() + std::chrono::seconds(granted));
    }
  }

  void track_sent(Connection& connection, const std::string& bytes) {
    if (!bytes.starts_with("SIP/2.0 2") && !bytes.starts_with("BYE ")) return;
    auto parsed = Message::parse(bytes, Framing::kStream);
    if (parsed) track(connection, *parsed, true);
  }

  void receive_udp() {
    udp_socket.async_receive_from(asio::buffer(udp_buffer), udp_sender,
                                  [this](const boost::system::error_code& error, std::size_t bytes) {
                                    if (error == asio::error::operation_aborted) return;
                                    if (!error) {
                                      received_udp.inc();
                                      Endpoint from{Transport::kUdp, udp_sender.address().to_string(),
                                                    udp_sender.port(), 0};
                                      deliver(std::string(udp_buffer.data(), bytes), Framing::kDatagram, from);
                                    }
                                    receive_udp();
                                  });
  }

  static bool out_of_descriptors(const boost::system::error_code& error) {
    return error == asio::error::no_descriptors || error == boost::system::errc::too_many_files_open_in_system ||
           error == asio::error::no_buffer_space || error == asio::error::no_memory;
  }

  void accept(Listener& listener) {
    if (!listener.acceptor.is_open()) return;
    listener.acceptor.async_accept([this, &listener](const boost::system::error_code& error, tcp::socket socket) {
      if (error == asio::error::operation_aborted || !listener.acceptor.is_open()) return;
      if (out_of_descriptors(error)) {
        // The pending connection stays in the backlog, so accepting again at once
        // would spin; wait, longer each time, until descriptors are free again.
        accept_backoffs.inc();
        listener.backoff = listener.backoff.count() == 0 ? kFirstAcceptBackoff
                                                         : std::min(listener.backoff * 2, kMaxAcceptBackoff);
        if (listener.backoff == kFirstAcceptBackoff) {
          spdlog::warn("SIP: cannot accept {} connections: {}", transport_name(listener.transport), error.message());
        }
        listener.backoff_timer = loop.start_timer(listener.backoff, [this, &listener] {
          listener.backoff_timer = 0;
          accept(listener);
        });
        return;
      }
      if (!error) {
        listener.backoff = std::chrono::milliseconds(0);
        admit(std::move(socket), listener.transport);
      }
      accept(listener);
    });
  }

  void admit(tcp::socket socket, Transport transport) {
    boost::system::error_code error;
    auto remote = socket.remote_endpoint(error);
    if (error) return;
    std::string address = remote.address().to_string();
    bool per_address_full = per_address[address] >= settings.max_connections_per_address;
    if (per_address_full || connections.size() >= settings.max_connections) {
      (per_address_full ? refused_per_address : refused_total).inc();
      if (per_address[address] == 0) per_address.erase(address);
      spdlog::debug("SIP: refusing {} connection from {} ({} limit)", transport_name(transport), address,
                    per_address_full ? "per-address" : "total");
      // A reset rather than a graceful close: nothing lingers in TIME_WAIT here.
      socket.set_option(asio::socket_base::linger(true, 0), error);
      socket.close(error);
      return;
    }
    auto connection = std::make_shared<Connection>(loop.io());
    connection->socket = std::move(socket);
    disable_nagle(connection->socket);
    connection->peer = {transport, address, remote.port(), 0};
    connection->message_started = Clock::now();
    add_connection(connection);
    if (transport != Transport::kTls) {
      connection->connected = true;
      return read_stream(connection);
    }
    connection->tls_context = server_context;
    connection->tls = std::make_unique<TlsStream>(connection->socket, *connection->tls_context);
    connection->tls->async_handshake(ssl::stream_base::server, [this, connection](const boost::system::error_code& failed) {
      on_handshake(connection, failed);
    });
  }

  void on_handshake(const std::shared_ptr<Connection>& connection, const boost::system::error_code& error) {
    if (connection->closed) return;
    if (error) {
      tls_handshake_failures.inc();
      spdlog::debug("SIP over TLS with {}: handshake failed: {}", connection->peer.to_string(), error.message());
      return close_connection(connection);
    }
    connection->connected = true;
    connection->peer.tls_names = verified_names(connection->tls->native_handle());
    if (!connection->outbox.empty()) flush(connection);
    read_stream(connection);
  }

  // The names of a TLS peer's certificate that verified against our CAs:
  // subjectAltName DNS entries, else the subject's CN; null when none verified.
  static std::shared_ptr<const std::vector<std::string>> verified_names(SSL* session) {
    X509* certificate = SSL_get0_peer_certificate(session);
    if (!certificate || SSL_get_verify_result(session) != X509_V_OK) return nullptr;
    auto names = std::make_shared<std::vector<std::string>>();
    auto* alternatives =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; alternatives && i < sk_GENERAL_NAME_num(alternatives); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(alternatives, i);
      if (name->type != GEN_DNS) continue;
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names->emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                          static_cast<std::size_t>(ASN1_STRING_length(dns)));
    }
    GENERAL_NAMES_free(alternatives);
    if (names->empty()) {
      char common_name[256] = {};
      if (X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, common_name,
                                    sizeof common_name) > 0) {
        names->emplace_back(common_name);
      }
    }
    return names;
  }

  // A SIP message is written whole, so Nagle's algorithm only holds back the next
  // one (a 200 after a 100 Trying) until the peer's delayed ACK: 40 ms per response.
  static void disable_nagle(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
  }

  void add_connection(const std::shared_ptr<Connection>& connection) {
    connection->id = next_connection++;
    connection->peer.connection = connection->id;
    connection->last_activity = Clock::now();
    connections[connection->id] = connection;
    ++per_address[connection->peer.address];
    open_connections.set(static_cast<std::int64_t>(connections.size()));
  }

  void close_connection(const std::shared_ptr<Connection>& connection) {
    if (connection->closed) return;
    connection->closed = true;
    boost::system::error_code ignored;
    // Closing the socket under a TLS session aborts it without close_notify: the
    // peer sees the connection end either way, and nothing waits on a slow peer.
    connection->socket.close(ignored);
    connections.erase(connection->id);
    auto count = per_address.find(connection->peer.address);
    if (count != per_address.end() && --count->second == 0) per_address.erase(count);
    open_connections.set(static_cast<std::int64_t>(connections.size()));
  }

  void sweep() {
    auto now = Clock::now();
    auto early = sweep_period();
    std::vector<std::shared_ptr<Connection>> expired;
    for (auto& [id, connection] : connections) {
      if (connection->message_started && now - *connection->message_started + early >= settings.message_timeout) {
        timed_out_message.inc();
        spdlog::debug("SIP over {} from {}: message not complete in time; closing",
                      transport_name(connection->peer.transport), connection->peer.to_string());
        expired.push_back(connection);
      } else if (now - connection->last_activity + early >= settings.idle_timeout && connection->dialogs.empty() &&
                 now >= connection->registered_until && connection->outbox.empty()) {
        timed_out_idle.inc();
        spdlog::debug("SIP connection {}: idle; closing", connection->peer.to_string());
        expired.push_back(connection);
      }
    }
    for (auto& connection : expired) close_connection(connection);
    sweep_timer = loop.start_timer(early, [this] { sweep(); });
  }

  template <typename Handler>
  void read_some(Connection& connection, Handler handler) {
    if (connection.tls) {
      connection.tls->async_read_some(asio::buffer(connection.buffer), std::move(handler));
    } else {
      connection.socket.async_read_some(asio::buffer(connection.buffer), std::move(handler));
    }
  }

  void read_stream(const std::shared_ptr<Connection>& connection) {
    read_some(*connection, [this, connection](const boost::system::error_code& error, std::size_t bytes) {
      if (error || connection->closed) return close_connection(connection);
      auto now = Clock::now();
      connection->framer.append(std::string_view(connection->buffer.data(), bytes));
      std::size_t pings = connection->framer.take_pings();
      bool completed = false;
      for (;;) {
        auto next = connection->framer.next();
        pings += connection->framer.take_pings();
        if (!next) {
          malformed.inc();
          spdlog::debug("SIP from {}: {}; closing", connection->peer.to_string(), next.error().reason);
          return close_connection(connection);
        }
        if (!next->has_value()) break;
        completed = true;
        connection->message_started.reset();
        connection->last_activity = now;
        (connection->peer.transport == Transport::kTls ? received_tls : received_tcp).inc();
        deliver(std::move(**next), Framing::kStream, connection->peer);
        if (connection->closed) return;
      }
      if (pings > 0) connection->last_activity = now;
      for (; pings > 0; --pings) write_stream(connection, "\r\n");
      // Only whole messages and pings are activity: bytes that never make a
      // message keep nothing open, and the clock of a message starts with its first.
      if (!connection->framer.in_message()) {
        if (completed) connection->message_started.reset();
      } else if (!connection->message_started || completed) {
        connection->message_started = now;
      }
      if (!connection->closed) read_stream(connection);
    });
  }

  void write_stream(const std::shared_ptr<Connection>& connection, std::string bytes) {
    connection->outbox.push_back(std::move(bytes));
    if (connection->connected && connection->outbox.size() == 1) flush(connection);
  }

  void flush(const std::shared_ptr<Connection>& connection) {
    auto done = [this, connection](const boost::system::error_code& error, std::size_t) {
      if (error || connection->closed) return close_connection(connection);
      connection->outbox.pop_front();
      connection->last_activity = Clock::now();
      if (!connection->outbox.empty()) flush(connection);
    };
    if (connection->tls) {
      asio::async_write(*connection->tls, asio::buffer(connection->outbox.front()), std::move(done));
    } else {
      asio::async_write(connection->socket, asio::buffer(connection->outbox.front()), std::move(done));
    }
  }

  std::shared_ptr<Connection> connection_to(const Endpoint& to) {
    if (to.connection != 0) {
      auto it = connections.find(to.connection);
      if (it != connections.end()) return it->second;
    }
    for (auto& [id, connection] : connections) {
      if (connection->peer == to) return connection;
    }
    boost::system::error_code error;
    auto address = asio::ip::make_address(to.address, error);
    if (error) return nullptr;
    // Connections we open are not held to the inbound limits: the peers are ours to choose.
    auto connection = std::make_shared<Connection>(loop.io());
    connection->peer = to;
    connection->peer.connection = 0;
    add_connection(connection);
    if (to.transport == Transport::kTls) {
      connection->tls_context = client_context;
      connection->tls = std::make_unique<TlsStream>(connection->socket, *client_context);
      // The peer's certificate must name the address we dial (RFC 5922 §7.2).
      connection->tls->set_verify_callback(ssl::host_name_verification(to.address));
    }
    connection->socket.async_connect(tcp::endpoint(address, to.port),
                                     [this, connection](const boost::system::error_code& connect_error) {
                                       if (connection->closed) return;
                                       if (connect_error) {
                                         spdlog::warn("SIP: cannot connect to {}: {}", connection->peer.to_string(),
                                                      connect_error.message());
                                         return close_connection(connection);
                                       }
                                       disable_nagle(connection->socket);
                                       if (connection->tls) {
                                         // The handshake is bounded like a first message.
                                         connection->message_started = Clock::now();
                                         return connection->tls->async_handshake(
                                             ssl::stream_base::client,
                                             [this, connection](const boost::system::error_code& failed) {
                                               if (!failed) connection->message_started.reset();
                                               on_handshake(connection, failed);
                                             });
                                       }
                                       connection->connected = true;
                                       if (!connection->outbox.empty()) flush(connection);
                                       read_stream(connection);
                                     });
    return connection;
  }

  bool send(const Endpoint& to, const std::string& bytes) {
    sent.inc();
    if (to.transport == Transport::kUdp) {
      if (!udp_socket.is_open()) return false;
      boost::system::error_code error;
      auto address = asio::ip::make_address(to.address, error);
      if (error) return false;
      udp_socket.send_to(asio::buffer(bytes), udp::endpoint(address, to.port), 0, error);
      if (error) spdlog::debug("SIP: UDP send to {} failed: {}", to.to_string(), error.message());
      return !error;
    }
    const Listener& listener = to.transport == Transport::kTls ? tls_listener : tcp_listener;
    if (!listener.acceptor.is_open()) return false;
    auto connection = connection_to(to);
    if (!connection) return false;
    track_sent(*connection, bytes);
    write_stream(connection, bytes);
    return true;
  }

  // -- TLS credentials ------------------------------------------------------

  // A server context from the configured files; throws std::runtime_error naming
  // the file that cannot be used.
  std::shared_ptr<ssl::context> load_server_context() {
    if (settings.tls_certificate.empty() || settings.tls_private_key.empty()) {
      throw std::runtime_error("SIP over TLS needs sip.tls_certificate and sip.tls_private_key");
    }
    auto context = tls_files.load();
    boost::system::error_code error;
    if (settings.tls_verify_client && settings.tls_ca_file.empty()) {
      throw std::runtime_error("sip.tls_verify_client needs sip.tls_ca_file");
    }
    if (!settings.tls_ca_file.empty()) {
      context->load_verify_file(settings.tls_ca_file, error);
      if (error) throw std::runtime_error("cannot use " + settings.tls_ca_file + ": " + core::openssl_error(error));
    }
    if (settings.tls_verify_client) {
      context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    } else if (!settings.tls_ca_file.empty()) {
      // Ask every client for a certificate, so a trunk can be known by its name, but let
      // phones without one (or with one we cannot verify) in: verified_names() tells.
      context->set_verify_mode(ssl::verify_peer);
      context->set_verify_callback([](bool, ssl::verify_context&) { return true; });
    }
    return context;
  }

  std::shared_ptr<ssl::context> load_client_context() const {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code error;
    context->set_default_verify_paths(error);
    if (!settings.tls_ca_file.empty()) {
      context->load_verify_file(settings.tls_ca_file, error);
      if (error) throw std::runtime_error("cannot use " + settings.tls_ca_file + ": " + core::openssl_error(error));
    }
    context->set_verify_mode(ssl::verify_peer);
    return context;
  }

  bool reload_tls() {
    try {
      server_context = load_server_context();
    } catch (const std::exception& error) {
      tls_reload_failures.inc();
      spdlog::error("SIP over TLS: {}; keeping the certificate in use", error.what());
      return false;
    }
    spdlog::info("SIP over TLS: loaded {}", settings.tls_certificate);
    return true;
  }

  void check_tls_files() {
    if (tls_files.changed()) reload_tls();
    tls_check_timer = loop.start_timer(settings.tls_file_check, [this] { check_tls_files(); });
  }

  void wait_for_hangup() {
    hangup.async_wait([this](const boost::system::error_code& error, int) {
      if (error) return;
      reload_tls();
      wait_for_hangup();
    });
  }

  core::EventLoop& loop;
  TransportSettings settings;
  Receiver receiver;
  udp::socket udp_socket;
  udp::endpoint udp_sender;
  std::array<char, kMaxDatagram> udp_buffer{};
  Listener tcp_listener;
  Listener tls_listener;
  std::shared_ptr<ssl::context> server_context;  // for connections accepted from now on
  std::shared_ptr<ssl::context> client_context;
  core::TlsServerFiles tls_files{settings.tls_certificate, settings.tls_private_key};
  asio::signal_set hangup;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::unordered_map<std::string, std::size_t> per_address;  // open connections per remote IP
  std::uint64_t next_connection = 1;
  core::EventLoop::TimerId sweep_timer = 0;
  core::EventLoop::TimerId tls_check_timer = 0;
  core::Counter& received_udp;
  core::Counter& received_tcp;
  core::Counter& received_tls;
  core::Counter& malformed;
  core::Counter& sent;
  core::Counter& refused_per_address;
  core::Counter& refused_total;
  core::Counter& timed_out_message;
  core::Counter& timed_out_idle;
  core::Counter& accept_backoffs;
  core::Counter& tls_handshake_failures;
  core::Counter& tls_reload_failures;
  core::Gauge& open_connections;
};

TransportLayer::TransportLayer(core::EventLoop& loop, TransportSettings settings, core::Metrics& metrics)
    : impl_(std::make_unique<Impl>(loop, std::move(settings), metrics)) {}

TransportLayer::~TransportLayer() = default;

void TransportLayer::start(Receiver receiver) {
  auto& i = *impl_;
  i.receiver = std::move(receiver);
  const auto& s = i.settings;
  boost::system::error_code error;
  auto address = asio::ip::make_address(s.address, error);
  if (error) throw std::runtime_error("sip.address \"" + s.address + "\" is not an IP address");
  auto fail = [&](const char* what, std::uint16_t port) {
    throw std::runtime_error(std::string("cannot listen for SIP over ") + what + " on " + s.address + ":" +
                             std::to_string(port) + ": " + error.message());
  };
  if (s.tls) {
    // Before any socket opens, so a bad file stops the start cleanly.
    i.server_context = i.load_server_context();
    i.client_context = i.load_client_context();
  }
  if (s.udp) {
    i.udp_socket.open(address.is_v6() ? udp::v6() : udp::v4(), error);
    if (!error) i.udp_socket.bind(udp::endpoint(address, s.port), error);
    if (error) fail("UDP", s.port);
    // Bursts of retransmissions near full load overflow the default buffer; the
    // kernel caps this at net.core.rmem_max, which is fine.
    boost::system::error_code ignored;
    i.udp_socket.set_option(asio::socket_base::receive_buffer_size(4 << 20), ignored);
    i.receive_udp();
  }
  auto listen = [&](Impl::Listener& listener, std::uint16_t port) {
    tcp::endpoint endpoint(address, port);
    listener.acceptor.open(endpoint.protocol(), error);
    if (!error) listener.acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) listener.acceptor.bind(endpoint, error);
    if (!error) listener.acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) fail(listener.transport == Transport::kTls ? "TLS" : "TCP", port);
    i.accept(listener);
  };
  if (s.tcp) listen(i.tcp_listener, s.port);
  if (s.tls) {
    listen(i.tls_listener, s.tls_port);
    i.tls_check_timer = i.loop.start_timer(s.tls_file_check, [&i] { i.check_tls_files(); });
    i.hangup.add(SIGHUP, error);
    if (!error) i.wait_for_hangup();
  }
  if (s.tcp || s.tls) i.sweep_timer = i.loop.start_timer(i.sweep_period(), [&i] { i.sweep(); });
}

void TransportLayer::stop() {
  boost::system::error_code ignored;
  impl_->udp_socket.close(ignored);
  impl_->tcp_listener.acceptor.close(ignored);
  impl_->tls_listener.acceptor.close(ignored);
  impl_->cancel_timers();
  auto connections = impl_->connections;
  for (auto& [id, connection] : connections) impl_->close_connection(connection);
}

bool TransportLayer::send(const Endpoint& to, const std::string& bytes) { return impl_->send(to, bytes); }

bool TransportLayer::reload_tls() { return impl_->settings.tls && impl_->reload_tls(); }

std::uint16_t TransportLayer::udp_port() const {
  boost::system::error_code error;
  auto endpoint = impl_->udp_socket.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

std::uint16_t TransportLayer::tcp_port() const {
  boost::system::error_code error;
  auto endpoint = impl_->tcp_listener.acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

std::uint16_t TransportLayer::tls_port() const {
  boost::system::error_code error;
  auto endpoint = impl_->tls_listener.acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

}  // namespace unicc::sip
