#pragma once
// http::Server — the HTTP/1.1 and WebSocket front door (Boost.Beast, its own
// io_context on `http.threads` threads).
//
// Requests are parsed with the configured body limit (413 beyond it), turned into
// http::Request and handed to the Router. A WebSocket upgrade on /api/v1/events
// needs a valid token (Authorization: Bearer, or ?token= for browsers) and then
// receives events from the EventHub.
// Shutdown (shutdown(), SIGINT or SIGTERM): stop accepting, let requests already
// received finish and their responses go out, close idle and WebSocket
// connections, and return from run() — at the latest after shutdown_grace_ms.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth/sessions.h"
#include "core/config.h"
#include "core/metrics.h"
#include "http/event_hub.h"
#include "http/router.h"

namespace unicc::http {

// Who is at the other end of a WebSocket: the token it was opened with, and its address;
// `batch` (?batch=1): events waiting to be written go out together, as one message
// holding a JSON array of them, so a busy stream (a wallboard during a peak) costs one
// write per batch instead of one per event.
struct WebSocketPeer {
  std::string token;
  std::string remote_address;
  bool batch = false;
};

struct WebSocketHooks {
  std::function<std::optional<auth::Principal>(const std::string& token)> authenticate;
  // First message sent to a new connection.
  std::function<std::string(const auth::Principal&)> hello;
  // Answers one text message from the client (may return "" for no answer). Messages
  // of one connection are answered one at a time, in order.
  std::function<std::string(const auth::Principal&, const WebSocketPeer&, const std::string& text)> on_message;
};

class Server {
 public:
  Server(const core::HttpConfig& config, const Router& router, EventHub& hub, WebSocketHooks hooks,
         core::Metrics& metrics);
  ~Server();

  // Binds the listening socket; returns the port (useful with port 0). Throws
  // std::runtime_error naming the address when binding fails.
  unsigned short listen();
  // Serves until shutdown; `on_signal` is called (once) when SIGINT/SIGTERM arrives.
  void run(const std::function<void(int signal)>& on_signal = {});
  // Thread-safe; starts the drain described above.
  void shutdown();

  struct Impl;  // public only so server.cpp's connection classes can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::http
