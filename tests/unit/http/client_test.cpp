// The HTTP client against a tiny loopback server written here, so each test
// controls exactly what the far side does: answer, stay silent, or send too much.
#include "http/client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace unicc::http {
namespace {

using namespace std::chrono_literals;

sockaddr_in loopback(unsigned short port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Reads one request (headers and a Content-Length body); "" when the peer closes first.
std::string read_request(int fd) {
  std::string text;
  char buffer[4096];
  while (true) {
    auto headers_end = text.find("\r\n\r\n");
    if (headers_end != std::string::npos) {
      std::size_t length = 0;
      auto field = text.find("Content-Length: ");
      if (field != std::string::npos && field < headers_end) length = std::stoul(text.substr(field + 16));
      if (text.size() >= headers_end + 4 + length) return text;
    }
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return "";
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

std::string response(const std::string& status_line, const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 " + status_line + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra +
         "Connection: close\r\n\r\n" + body;
}

// Waits until the peer closes: a server that accepts and never answers.
void stay_silent(int fd) {
  char buffer[1024];
  while (recv(fd, buffer, sizeof(buffer), 0) > 0) {
  }
}

// Accepts loopback connections and hands each to `serve` on a thread of its own.
class TinyServer {
 public:
  explicit TinyServer(std::function<void(int fd)> serve) : serve_(std::move(serve)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback(0);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(listener_, 16) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    socklen_t size = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~TinyServer() {
    shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : connections_) shutdown(fd, SHUT_RDWR);  // unblocks handlers still waiting
    }
    for (auto& handler : handlers_) handler.join();
    for (int fd : connections_) close(fd);
    close(listener_);
  }

  unsigned short port() const { return port_; }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  // Resolves when the first connection has been accepted.
  std::future<void> first_accept() { return accepted_.get_future(); }

 private:
  void accept_loop() {
    bool first = true;
    while (true) {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::lock_guard lock(mutex_);
      connections_.push_back(fd);
      handlers_.emplace_back([this, fd] { serve_(fd); });
      if (first) accepted_.set_value();
      first = false;
    }
  }

  std::function<void(int fd)> serve_;
  int listener_ = -1;
  unsigned short port_ = 0;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> handlers_;
  std::promise<void> accepted_;
};

class ClientTest : public ::testing::Test {
 protected:
  // Every fetch must have been answered exactly once by the time the client stops.
  void TearDown() override {
    client.stop();
    EXPECT_EQ(answers, fetches);
  }

  std::future<ClientResponse> start(ClientRequest request) {
    auto promise = std::make_shared<std::promise<ClientResponse>>();
    ++fetches;
    client.fetch(std::move(request), [this, promise](ClientResponse response) {
      if (++answers > fetches) ADD_FAILURE() << "a callback ran twice";
      answer_thread = std::this_thread::get_id();
      promise->set_value(std::move(response));
    });
    return promise->get_future();
  }

  ClientResponse fetch(ClientRequest request) {
    auto future = start(std::move(request));
    if (future.wait_for(10s) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within 10 s";
      return {};
    }
    return future.get();
  }

  ClientResponse get(const std::string& url) {
    ClientRequest request;
    request.url = url;
    return fetch(request);
  }

  // The tests' servers are on loopback, which a client refuses unless it is listed.
  Client client{core::AddressList({"127.0.0.1"})};
  std::atomic<int> fetches{0};
  std::atomic<int> answers{0};
  std::thread::id answer_thread;
};

TEST_F(ClientTest, GetReturnsStatusAndBodyAndNamesHostAndAgent) {
  std::string seen;  // read once the server's threads have ended
  std::string host;
  ClientResponse answer;
  {
    TinyServer server([&seen](int fd) {
      seen = read_request(fd);
      send_all(fd, response("200 OK", R"({"balance":"12.50"})"));
    });
    host = "127.0.0.1:" + std::to_string(server.port());
    answer = get(server.url("/accounts/42?pin=1"));
  }
  EXPECT_EQ(answer.error, "");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"balance":"12.50"})");
  EXPECT_NE(answer_thread, std::this_thread::get_id());
  EXPECT_EQ(seen.rfind("GET /accounts/42?pin=1 HTTP/1.1\r\n", 0), 0u) << seen;
  EXPECT_NE(seen.find("Host: " + host + "\r\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("User-Agent: unicc/"), std::string::npos) << seen;
}

TEST_F(ClientTest, PostSendsTheBodyWithItsContentType) {
  std::string seen;  // read once the server's threads have ended
  ClientResponse answer;
  {
    TinyServer server([&seen](int fd) {
      seen = read_request(fd);
      send_all(fd, response("201 Created", "made"));
    });
    ClientRequest request;
    request.method = "POST";
    request.url = server.url("/lookup");
    request.body = R"({"caller":"1001"})";
    answer = fetch(request);
  }
  EXPECT_EQ(answer.status, 201);
  EXPECT_EQ(answer.body, "made");
  EXPECT_EQ(seen.rfind("POST /lookup HTTP/1.1\r\n", 0), 0u) << seen;
  EXPECT_NE(seen.find("Content-Type: application/json\r\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("Content-Length: 17\r\n"), std::string::npos) << seen;
  EXPECT_EQ(seen.substr(seen.size() - 17), R"({"caller":"1001"})");
}

TEST_F(ClientTest, ErrorStatusesAndRedirectsPassThrough) {
  TinyServer server([](int fd) {
    std::string request = read_request(fd);
    if (request.rfind("GET /missing ", 0) == 0) return send_all(fd, response("404 Not Found", "no such account"));
    send_all(fd, response("302 Found", "", "Location: /elsewhere\r\n"));
  });
  auto missing = get(server.url("/missing"));
  EXPECT_EQ(missing.error, "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "no such account");
  EXPECT_EQ(get(server.url("/moved")).status, 302);
}

TEST_F(ClientTest, SilentServerTimesOut) {
  TinyServer server(stay_silent);
  ClientRequest request;
  request.url = server.url("/slow");
  request.timeout = 300ms;
  auto began = std::chrono::steady_clock::now();
  auto answer = fetch(request);
  auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.error, "timeout");
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);
}

TEST_F(ClientTest, ClosedPortIsRefused) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback(0);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t size = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  unsigned short port = ntohs(address.sin_port);
  close(fd);  // bound but never listening: nothing answers on this port
  auto answer = get("http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.error, "connection refused");
}

TEST_F(ClientTest, BadUrlsAndMethodsAreRefusedWithoutConnecting) {
  for (const char* url : {"", "ftp://127.0.0.1/", "https://127.0.0.1/", "http://", "http://:80/",
                          "http://127.0.0.1:0/", "http://127.0.0.1:70000/", "http://127.0.0.1:x/",
                          "http://user@127.0.0.1/", "http://127.0.0.1/a b", "http://[::1/"}) {
    auto answer = get(url);
    EXPECT_EQ(answer.status, 0) << url;
    EXPECT_EQ(answer.error.rfind("bad url: ", 0), 0u) << url << " -> " << answer.error;
  }
  EXPECT_EQ(get("https://127.0.0.1/").error, "bad url: https is not supported");
  ClientRequest put;
  put.method = "PUT";
  put.url = "http://127.0.0.1:1/";
  EXPECT_EQ(fetch(put).error, "unsupported method 'PUT'");
}

// The refusals must come before any packet: a TinyServer on loopback sees no
// connection, and a link-local literal is refused at once, naming the rule.
TEST(ClientDestinations, NonPublicAddressesAreRefusedUnlessListed) {
  std::atomic<int> connections{0};
  TinyServer server([&connections](int fd) {
    ++connections;
    read_request(fd);
    send_all(fd, response("200 OK", R"({"ok":true})"));
  });
  auto fetch = [](Client& client, const std::string& url) {
    std::promise<ClientResponse> answer;
    auto future = answer.get_future();
    client.fetch({"GET", url, "", "application/json", 3000ms}, [&answer](ClientResponse r) { answer.set_value(r); });
    EXPECT_EQ(future.wait_for(5s), std::future_status::ready) << url;
    return future.get();
  };
  std::string port = std::to_string(server.port());
  {
    Client unlisted;
    auto began = std::chrono::steady_clock::now();
    auto metadata = fetch(unlisted, "http://169.254.169.254/latest/meta-data/");
    EXPECT_LT(std::chrono::steady_clock::now() - began, 500ms) << "refused before any connection attempt";
    EXPECT_EQ(metadata.status, 0);
    EXPECT_EQ(metadata.error, "refused: 169.254.169.254 is link-local (not in the allow list)");
    for (const std::string& url : std::vector<std::string>{"http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/",
                                  "http://[::ffff:127.0.0.1]:" + port + "/", "http://0.0.0.0:" + port + "/",
                                  "http://10.1.2.3/", "http://[fe80::1]/", "http://[fd00::1]/",
                                  "http://224.0.0.1/"}) {
      auto answer = fetch(unlisted, url);
      EXPECT_EQ(answer.error.rfind("refused: ", 0), 0u) << url << " -> " << answer.error;
    }
  }
  EXPECT_EQ(connections, 0) << "a refused destination was connected to";
  Client by_network(core::AddressList({"127.0.0.0/8"}));
  EXPECT_EQ(fetch(by_network, "http://127.0.0.1:" + port + "/").status, 200);
  Client by_name(core::AddressList({"localhost"}, true));
  EXPECT_EQ(fetch(by_name, "http://localhost:" + port + "/").status, 200);
  EXPECT_EQ(fetch(by_name, "http://127.0.0.1:" + port + "/").error,
            "refused: 127.0.0.1 is loopback (not in the allow list)")
      << "a listed name does not open the address to URLs that name it otherwise";
  EXPECT_EQ(connections, 2);
}

TEST_F(ClientTest, BodiesUpToOneMebibyteArriveAndLargerAreRefused) {
  const std::size_t limit = 1024 * 1024;
  TinyServer server([limit](int fd) {
    std::string request = read_request(fd);
    if (request.rfind("GET /chunked ", 0) == 0) {
      char size[16];
      std::snprintf(size, sizeof(size), "%zx", limit + 1);
      return send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(size) + "\r\n" +
                              std::string(limit + 1, 'x') + "\r\n0\r\n\r\n");
    }
    bool over = request.rfind("GET /big ", 0) == 0;
    send_all(fd, response("200 OK", std::string(over ? limit + 1 : limit, 'x')));
  });
  auto fits = get(server.url("/exact"));
  EXPECT_EQ(fits.error, "");
  EXPECT_EQ(fits.body.size(), limit);
  auto big = get(server.url("/big"));
  EXPECT_EQ(big.status, 0);
  EXPECT_EQ(big.error, "response too large");
  EXPECT_TRUE(big.body.empty()) << big.body.size() << " bytes";
  EXPECT_EQ(get(server.url("/chunked")).error, "response too large");
}

TEST_F(ClientTest, StopAnswersRequestsInFlightAndLaterFetches) {
  TinyServer server(stay_silent);
  auto accepted = server.first_accept();
  ClientRequest request;
  request.url = server.url("/never");
  request.timeout = 30s;
  auto pending = start(request);
  ASSERT_EQ(accepted.wait_for(5s), std::future_status::ready);
  auto began = std::chrono::steady_clock::now();
  client.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);
  ASSERT_EQ(pending.wait_for(0s), std::future_status::ready);
  EXPECT_EQ(pending.get().error, "stopped");

  auto late = start(request);
  ASSERT_EQ(late.wait_for(0s), std::future_status::ready);
  EXPECT_EQ(late.get().error, "stopped");
}

TEST_F(ClientTest, ConcurrentFetchesFromManyThreadsAreEachAnsweredOnce) {
  TinyServer server([](int fd) {
    std::string request = read_request(fd);
    auto path_end = request.find(" HTTP/1.1");
    send_all(fd, response("200 OK", request.substr(4, path_end - 4)));
  });
  std::mutex mutex;
  std::vector<std::future<ClientResponse>> futures;
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        ClientRequest request;
        request.url = server.url("/" + std::to_string(t * 10 + i));
        auto future = start(request);
        std::lock_guard lock(mutex);
        futures.push_back(std::move(future));
      }
    });
  }
  for (auto& caller : callers) caller.join();
  std::set<std::string> bodies;
  for (auto& future : futures) {
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    auto answer = future.get();
    EXPECT_EQ(answer.status, 200) << answer.error;
    bodies.insert(answer.body);
  }
  EXPECT_EQ(bodies.size(), 40u);
}

}  // namespace
}  // namespace unicc::http
