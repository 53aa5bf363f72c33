#include "http/server.h"

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "core/address_list.h"
#include "core/text.h"
#include "core/tls_files.h"

namespace unicc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kTlsFileCheck = std::chrono::seconds(5);
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 64 * 1024 * 1024;
// Logout and user changes made through the API close streams at once (EventHub);
// this re-check also catches expired tokens and changes made by other processes.
constexpr auto kWebSocketRecheck = std::chrono::seconds(15);

// A live connection the server may have to stop during shutdown.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void stop() = 0;
};

std::string remote_address_of(const tcp::socket& socket) {
  beast::error_code error;
  auto endpoint = socket.remote_endpoint(error);
  return error ? std::string() : endpoint.address().to_string();
}

// The client behind trusted reverse proxies: the rightmost X-Forwarded-For entry
// that is not itself a trusted proxy. Entries further left were written by the
// client and prove nothing; from an untrusted peer the header is ignored.
std::string client_address(const std::string& peer, const bhttp::request<bhttp::string_body>& in,
                           const core::AddressList& trusted_proxies) {
  if (trusted_proxies.empty() || !trusted_proxies.contains_address(peer)) return peer;
  std::vector<std::string> hops;  // left to right, over all X-Forwarded-For fields
  for (auto [field, end] = in.equal_range("X-Forwarded-For"); field != end; ++field) {
    core::for_each_item(std::string_view(field->value().data(), field->value().size()), ',',
                        [&hops](std::string_view entry) { hops.emplace_back(entry); });
  }
  std::string client = peer;
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    beast::error_code error;
    auto address = asio::ip::make_address(*hop, error);
    if (error) break;  // not an address: the last hop we trust is all we know
    client = address.to_string();
    if (!trusted_proxies.contains_address(client)) break;
  }
  return client;
}

std::string bearer_token(const Request& request) {
  std::string authorization = request.header("authorization");
  if (authorization.rfind("Bearer ", 0) == 0) return authorization.substr(7);
  auto it = request.query.find("token");
  return it == request.query.end() ? std::string() : it->second;
}

}  // namespace

struct Server::Impl {
  Impl(const core::HttpConfig& config, const Router& router, EventHub& hub, WebSocketHooks hooks,
       core::Metrics& metrics)
      : config(config),
        router(router),
        hub(hub),
        hooks(std::move(hooks)),
        ioc(static_cast<int>(config.threads)),
        acceptor(asio::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM),
        grace_timer(asio::make_strand(ioc)),
        in_flight(metrics.gauge("unicc_http_requests_in_flight", "HTTP requests being handled")),
        websockets(metrics.gauge("unicc_websocket_connections", "Open WebSocket connections")),
        metrics(metrics) {}

  core::Counter& responses(int status) {
    std::string label = "code=\"" + std::to_string(status / 100) + "xx\"";
    return metrics.counter("unicc_http_responses_total", "HTTP responses sent, by status class", label);
  }

  void accept();
  // The TLS context for a connection accepted now (nullptr for plain HTTP), re-read
  // when the files changed. Runs on the acceptor's strand.
  std::shared_ptr<ssl::context> tls_for_new_connection();
  void begin_shutdown();
  std::uint64_t track(const std::shared_ptr<Connection>& connection);
  void untrack(std::uint64_t id);

  const core::HttpConfig& config;
  const Router& router;
  EventHub& hub;
  WebSocketHooks hooks;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace_timer;
  core::Gauge& in_flight;
  core::Gauge& websockets;
  core::Metrics& metrics;
  core::AddressList trusted_proxies{config.trusted_proxies};
  std::optional<core::TlsServerFiles> tls_files;
  std::shared_ptr<ssl::context> tls_context;
  std::chrono::steady_clock::time_point tls_checked;

  std::atomic<bool> stopping{false};
  std::mutex connections_mutex;
  std::uint64_t next_connection_id = 1;
  std::map<std::uint64_t, std::weak_ptr<Connection>> connections;
};

namespace {

// What a WebSocket client may leave unread (events queued for it) before it is cut off.
constexpr std::size_t kMaxUnsentBytes = 4 * 1024 * 1024;
// The most a batch of events (?batch=1) joins into one message: a client reads it whole.
constexpr std::size_t kMaxBatchBytes = 256 * 1024;

// Over PlainStream or TlsStream (WSS).
template <class Stream>
class WebSocketSession final : public Connection, public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  WebSocketSession(Server::Impl& server, Stream&& stream, auth::Principal who, WebSocketPeer peer)
      : server_(server),
        ws_(std::move(stream)),
        recheck_(ws_.get_executor()),
        who_(std::move(who)),
        peer_(std::move(peer)) {}

  ~WebSocketSession() override {
    server_.hub.unsubscribe(subscription_);
    server_.untrack(connection_id_);
    server_.websockets.add(-1);
  }

  void start(bhttp::request<bhttp::string_body> upgrade) {
    server_.websockets.add(1);
    connection_id_ = server_.track(this->shared_from_this());
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept(upgrade, beast::bind_front_handler(&WebSocketSession::on_accept, this->shared_from_this()));
  }

  void stop() override {
    asio::post(ws_.get_executor(),
               [self = this->shared_from_this()] { self->close(websocket::close_code::going_away, "server stopping"); });
  }

 private:
  void on_accept(beast::error_code error) {
    if (error) return;
    std::weak_ptr<WebSocketSession> weak = this->shared_from_this();
    subscription_ = server_.hub.subscribe(
        who_,
        [weak](const EventHub::Text& text) {
          if (auto self = weak.lock()) {
            asio::post(self->ws_.get_executor(), [self, text] { self->send(text); });
          }
        },
        peer_.token,
        [weak] {
          if (auto self = weak.lock()) {
            asio::post(self->ws_.get_executor(),
                       [self] { self->close(websocket::close_code::policy_error, "session ended"); });
          }
        });
    if (server_.hooks.hello) send(std::make_shared<const std::string>(server_.hooks.hello(who_)));
    schedule_recheck();
    read();
  }

  // Runs on the session's strand.
  void close(websocket::close_code code, const char* reason) {
    if (closing_) return;
    closing_ = true;
    recheck_.cancel();
    ws_.async_close(websocket::close_reason(code, reason), [self = this->shared_from_this()](beast::error_code) {});
  }

  // The timer holds only a weak reference, so it never keeps a finished session alive.
  void schedule_recheck() {
    recheck_.expires_after(kWebSocketRecheck);
    recheck_.async_wait([weak = this->weak_from_this()](beast::error_code error) {
      auto self = weak.lock();
      if (error || !self || self->closing_) return;
      auto now = self->server_.hooks.authenticate ? self->server_.hooks.authenticate(self->peer_.token) : std::nullopt;
      if (!now || now->role != self->who_.role) {
        return self->close(websocket::close_code::policy_error, "session ended");
      }
      self->schedule_recheck();
    });
  }

  void read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t) {
    if (error) {  // closed, timed out or stopped
      recheck_.cancel();
      return;
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (server_.hooks.on_message) {
      std::string answer = server_.hooks.on_message(who_, peer_, text);
      if (!answer.empty()) send(std::make_shared<const std::string>(std::move(answer)));
    }
    read();
  }

  // Runs on the session's strand; keeps one write in flight at a time (a WebSocket
  // message is one write in Beast: queued events share one only as a batch).
  void send(EventHub::Text text) {
    if (closing_) return;
    outbox_bytes_ += text->size();
    if (outbox_bytes_ > kMaxUnsentBytes) {
      // A client that does not read is cut off, not buffered for without end.
      spdlog::warn("WebSocket of user {} from {}: {} bytes unread; disconnected", who_.user_id, peer_.remote_address,
                   outbox_bytes_);
      closing_ = true;
      recheck_.cancel();
      beast::get_lowest_layer(ws_).close();
      return;
    }
    outbox_.push_back(std::move(text));
    if (outbox_.size() == 1) write_next();
  }

  void write_next() {
    ws_.text(true);
    std::size_t count = 1;
    asio::const_buffer message = asio::buffer(*outbox_.front());
    if (peer_.batch && outbox_.size() > 1) {
      batch_ = "[";
      batch_ += *outbox_.front();
      for (; count < outbox_.size() && batch_.size() + outbox_[count]->size() < kMaxBatchBytes; ++count) {
        batch_ += ',';
        batch_ += *outbox_[count];
      }
      batch_ += ']';
      message = asio::buffer(batch_);
    }
    ws_.async_write(message, [self = this->shared_from_this(), count](beast::error_code error, std::size_t) {
      if (error) return;
      for (std::size_t i = 0; i < count; ++i) {
        self->outbox_bytes_ -= self->outbox_.front()->size();
        self->outbox_.pop_front();
      }
      if (!self->outbox_.empty()) self->write_next();
    });
  }

  Server::Impl& server_;
  websocket::stream<Stream> ws_;
  asio::steady_timer recheck_;
  auth::Principal who_;
  WebSocketPeer peer_;
  beast::flat_buffer buffer_;
  std::deque<EventHub::Text> outbox_;  // shared with the other sessions the events went to
  std::string batch_;                  // the message being written, when it is a batch
  std::size_t outbox_bytes_ = 0;
  std::uint64_t subscription_ = 0;
  std::uint64_t connection_id_ = 0;
  bool closing_ = false;
};

// Over PlainStream, or TlsStream (HTTPS) after the handshake.
template <class Stream>
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  HttpSession(Server::Impl& server, tcp::socket&& socket, std::shared_ptr<ssl::context> context)
      : server_(server),
        context_(std::move(context)),
        stream_(open(std::move(socket), context_.get())),
        remote_(remote_address_of(lowest().socket())) {}

  ~HttpSession() override { server_.untrack(connection_id_); }

  void start() {
    connection_id_ = server_.track(this->shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->lowest().expires_after(kTlsHandshakeTimeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code error) {
          if (error) return self->close();  // not TLS, or a failed or too slow handshake
          self->read();
        });
      } else {
        self->read();
      }
    });
  }

  void stop() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // A request being handled finishes and is answered; an idle connection closes now.
      if (!self->busy_) self->close();
    });
  }

 private:
  static Stream open(tcp::socket&& socket, ssl::context* context) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *context);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read() {
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(static_cast<std::uint64_t>(server_.config.max_body_bytes));
    lowest().expires_after(kIdleTimeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t) {
    if (error == bhttp::error::end_of_stream || error == asio::error::operation_aborted ||
        error == beast::error::timeout || error == asio::error::connection_reset ||
        error == ssl::error::stream_truncated) {
      return close();
    }
    if (error == bhttp::error::body_limit) {
      return reply_and_close(error_response(413, "body_too_large",
                                            "the request body is larger than " +
                                                std::to_string(server_.config.max_body_bytes) + " bytes"));
    }
    if (error == bhttp::error::header_limit) {
      return reply_and_close(error_response(431, "headers_too_large", "the request headers are too large"));
    }
    if (error) return reply_and_close(error_response(400, "bad_request", "malformed HTTP request: " + error.message()));

    auto request = parser_->release();
    if (websocket::is_upgrade(request)) return upgrade(std::move(request));
    busy_ = true;
    server_.in_flight.add(1);
    Response response = handle(request);
    server_.in_flight.add(-1);
    bool keep_alive = request.keep_alive() && !server_.stopping;
    write(std::move(response), request.method() == bhttp::verb::head, keep_alive, request.version());
  }

  bool to_request(const bhttp::request<bhttp::string_body>& in, Request& out) const {
    out.method = std::string(in.method_string());
    std::string target(in.target());
    auto question = target.find('?');
    if (!percent_decode(target.substr(0, question), out.path) || out.path.empty() || out.path[0] != '/') return false;
    if (question != std::string::npos) out.query = parse_query(target.substr(question + 1));
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    out.body = in.body();
    out.remote_address = client_address(remote_, in, server_.trusted_proxies);
    return true;
  }

  Response handle(const bhttp::request<bhttp::string_body>& in) {
    Request request;
    if (!to_request(in, request)) return error_response(400, "bad_request", "malformed request target");
    if (request.method == "HEAD") request.method = "GET";
    return server_.router.dispatch(request);
  }

  void upgrade(bhttp::request<bhttp::string_body> in) {
    Request request;
    if (!to_request(in, request) || request.path != "/api/v1/events") {
      return reply_and_close(error_response(404, "not_found", "WebSockets are served at /api/v1/events"));
    }
    auto who = server_.hooks.authenticate ? server_.hooks.authenticate(bearer_token(request)) : std::nullopt;
    if (!who) return reply_and_close(error_response(401, "unauthorized", "a valid token is required"));
    if (server_.stopping) return reply_and_close(error_response(503, "shutting_down", "the server is stopping"));
    lowest().expires_never();
    const auto batch = request.query.find("batch");
    WebSocketPeer peer{bearer_token(request), request.remote_address,
                       batch != request.query.end() && batch->second == "1"};
    std::make_shared<WebSocketSession<Stream>>(server_, std::move(stream_), std::move(*who), std::move(peer))
        ->start(std::move(in));
  }

  // After an error the client may still be sending the rest of its request; the
  // answer must reach it, so the unread input is drained before closing (a plain
  // close would reset the connection and lose the answer).
  void reply_and_close(Response response) {
    linger_ = true;
    write(std::move(response), false, false, 11);
  }

  // Under TLS the drained bytes are read below the TLS layer: they are discarded anyway.
  void drain_then_close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(kLingerTimeout);
    drain_buffer_.resize(64 * 1024);
    lowest().async_read_some(asio::buffer(drain_buffer_), [self = this->shared_from_this()](beast::error_code error,
                                                                                     std::size_t bytes) {
      self->drained_ += bytes;
      if (error || self->drained_ > kLingerMaxBytes) return self->close();
      self->drain_then_close();
    });
  }

  void write(Response response, bool head, bool keep_alive, unsigned version) {
    server_.responses(response.status).inc();
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status), version);
    out->set(bhttp::field::server, "unicc");
    out->set(bhttp::field::content_type, response.content_type);
    out->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) out->set(name, value);
    out->keep_alive(keep_alive);
    if (head) {
      out->content_length(response.body.size());
    } else {
      out->body() = std::move(response.body);
      out->prepare_payload();
    }
    bhttp::async_write(stream_, *out, [self = this->shared_from_this(), out, keep_alive](beast::error_code error, std::size_t) {
      self->busy_ = false;
      if (!error && self->linger_) return self->drain_then_close();
      if (error || !keep_alive) return self->close();
      self->read();
    });
  }

  // No TLS close_notify: every response carries its length, so a client cannot
  // mistake the close for a truncated answer, and waiting for the peer's reply to
  // close_notify would let it hold the connection.
  void close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
  }

  Server::Impl& server_;
  std::shared_ptr<ssl::context> context_;  // outlives stream_, which uses it
  Stream stream_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::uint64_t connection_id_ = 0;
  bool busy_ = false;
  bool linger_ = false;
  std::vector<char> drain_buffer_;
  std::size_t drained_ = 0;
};

}  // namespace

std::uint64_t Server::Impl::track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(connections_mutex);
  std::uint64_t id = next_connection_id++;
  connections[id] = connection;
  return id;
}

void Server::Impl::untrack(std::uint64_t id) {
  std::lock_guard lock(connections_mutex);
  connections.erase(id);
  if (stopping && connections.empty()) {
    asio::post(grace_timer.get_executor(), [this] { grace_timer.cancel(); });
  }
}

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || stopping) return;
    if (!error) {
      if (auto context = tls_for_new_connection()) {
        std::make_shared<HttpSession<TlsStream>>(*this, std::move(socket), std::move(context))->start();
      } else {
        std::make_shared<HttpSession<PlainStream>>(*this, std::move(socket), nullptr)->start();
      }
    }
    accept();
  });
}

std::shared_ptr<ssl::context> Server::Impl::tls_for_new_connection() {
  if (!tls_files) return nullptr;
  auto now = std::chrono::steady_clock::now();
  if (now - tls_checked >= kTlsFileCheck) {
    tls_checked = now;
    if (tls_files->changed()) {
      try {
        tls_context = tls_files->load();
        spdlog::info("HTTPS: loaded {}", tls_files->certificate());
      } catch (const std::exception& error) {
        spdlog::error("HTTPS: {}; keeping the certificate in use", error.what());
      }
    }
  }
  return tls_context;
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("HTTP server stopping: draining requests (up to {} ms)", config.shutdown_grace_ms);
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
  });
  asio::post(ioc, [this] {
    beast::error_code ignored;
    signals.cancel(ignored);
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(connections_mutex);
    for (auto& [id, weak] : connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) connection->stop();
  asio::post(grace_timer.get_executor(), [this] {
    grace_timer.expires_after(std::chrono::milliseconds(config.shutdown_grace_ms));
    grace_timer.async_wait([this](beast::error_code error) {
      if (error) return;  // cancelled: every connection finished in time
      spdlog::warn("HTTP server: grace period over, closing remaining connections");
      ioc.stop();
    });
    std::lock_guard lock(connections_mutex);
    if (connections.empty()) grace_timer.cancel();
  });
}

Server::Server(const core::HttpConfig& config, const Router& router, EventHub& hub, WebSocketHooks hooks,
               core::Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, router, hub, std::move(hooks), metrics)) {}

Server::~Server() = default;

unsigned short Server::listen() {
  if (!impl_->config.tls_certificate.empty()) {
    impl_->tls_files.emplace(impl_->config.tls_certificate, impl_->config.tls_private_key);
    impl_->tls_context = impl_->tls_files->load();
    impl_->tls_checked = std::chrono::steady_clock::now();
  }
  beast::error_code error;
  auto address = asio::ip::make_address(impl_->config.address, error);
  if (error) throw std::runtime_error("http.address \"" + impl_->config.address + "\" is not an IP address");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->config.port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    throw std::runtime_error("cannot listen on " + impl_->config.address + ":" +
                             std::to_string(impl_->config.port) + ": " + error.message());
  }
  return acceptor.local_endpoint().port();
}

void Server::run(const std::function<void(int signal)>& on_signal) {
  impl_->signals.async_wait([this, on_signal](beast::error_code error, int signal) {
    if (error) return;
    spdlog::info("received signal {}", signal);
    if (on_signal) on_signal(signal);
    shutdown();
  });
  impl_->accept();
  std::vector<std::thread> threads;
  for (std::int64_t i = 1; i < impl_->config.threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& thread : threads) thread.join();
}

void Server::shutdown() { impl_->begin_shutdown(); }

}  // namespace unicc::http
