#pragma once
// http::Client — asynchronous HTTP/1.1 requests for the IVR's lookups (e.g. an
// account balance), so a call never waits on a slow web service.
//
// One I/O thread per Client. fetch() is thread-safe and never blocks; `done` runs
// exactly once on the client's thread with the response or an error: "timeout" (the
// whole exchange — resolve, connect, write, read — exceeded `timeout`), "connection
// refused", "bad url: …", "response too large" (body over 1 MiB), "stopped", or the
// system's description of another failure. Any status is passed through as received:
// redirects are not followed. Plain http:// only; https:// is refused as a bad url.
// The request carries Host, User-Agent unicc/<version> and Connection: close.
// Destinations: an address that is not public (core::restricted_range: loopback,
// link-local, private, multicast, ...) is refused with "refused: ADDRESS is RANGE
// (not in the allow list)" unless `allowed` lists it, its network, or the URL's host
// name. The check is made on the very addresses connected to, after resolving, so a
// name that resolves differently later cannot slip past it; an IP literal is refused
// before anything is sent.
// stop() (also run by the destructor) answers every request in flight with
// "stopped" and joins the thread; after it, fetch() calls `done` at once, on the
// caller's thread, with "stopped".
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/address_list.h"

namespace unicc::http {

struct ClientRequest {
  std::string method = "GET";  // GET or POST
  std::string url;             // http://host[:port]/path?query
  std::string body;            // sent for POST
  std::string content_type = "application/json";
  std::chrono::milliseconds timeout{3000};
};

struct ClientResponse {
  int status = 0;  // 0 when no response arrived
  std::string body;
  std::string error;  // "" when a response arrived
};

class Client {
 public:
  explicit Client(core::AddressList allowed = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void fetch(ClientRequest request, std::function<void(ClientResponse)> done);
  // Idempotent; returns once the I/O thread has ended. Not to be called from `done`.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::http
