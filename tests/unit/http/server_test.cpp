// The HTTP server over real loopback sockets: limits, malformed input, the
// WebSocket event stream and draining on shutdown.
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <numeric>
#include <thread>
#include <tuple>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace unicc::http {
namespace {

using nlohmann::json;

// Sends raw bytes on a fresh connection and returns everything the server sends
// back until it closes the connection.
std::string round_trip(unsigned short port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "";
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) reply.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  return reply;
}

std::string request(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::string& token = "") {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n";
  if (!token.empty()) text += "Authorization: Bearer " + token + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return text;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config.port = 0;
    config.max_body_bytes = 4096;
    config.shutdown_grace_ms = 5000;
    api.router.add("GET", "/api/v1/slow", [this](Request&) {
      slow_started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      return json_response(200, {{"slow", "done"}});
    });
    server = std::make_unique<Server>(config, api.router, api.hub, websocket_hooks(api.context, api.router), api.metrics);
    port = server->listen();
    runner = std::thread([this] { server->run(); });
  }

  void TearDown() override {
    server->shutdown();
    if (runner.joinable()) runner.join();
  }

  core::HttpConfig config;
  testing::ApiHarness api;
  std::unique_ptr<Server> server;
  unsigned short port = 0;
  std::thread runner;
  std::promise<void> slow_started;
};

TEST_F(ServerTest, ServesJsonOverHttp) {
  std::string reply = round_trip(port, request("GET", "/api/v1/health"));
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"status\":\"ok\""), std::string::npos);
  EXPECT_NE(reply.find("Content-Type: application/json"), std::string::npos);
}

TEST_F(ServerTest, OversizedBodyGets413WithAnErrorBody) {
  std::string reply = round_trip(port, request("POST", "/api/v1/login", std::string(10000, 'x')));
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"code\":\"body_too_large\""), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestsGet400AndTheServerKeepsServing) {
  for (const char* garbage : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
                              "POST /api/v1/login HTTP/1.1\r\nContent-Length: -5\r\n\r\n"}) {
    std::string reply = round_trip(port, garbage);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << garbage << " -> " << reply;
    EXPECT_NE(reply.find("\"code\":\"bad_request\""), std::string::npos);
  }
  std::string reply = round_trip(port, request("GET", "/api/v1/%zz"));
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_EQ(round_trip(port, request("GET", "/api/v1/health")).rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ServerTest, WebSocketNeedsAToken) {
  std::string upgrade =
      "GET /api/v1/events HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  std::string reply = round_trip(port, upgrade);
  EXPECT_EQ(reply.rfind("HTTP/1.1 401", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"code\":\"unauthorized\""), std::string::npos);
}

TEST_F(ServerTest, WebSocketGreetsAnswersAndDeliversEvents) {
  namespace beast = boost::beast;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::websocket::stream<boost::asio::ip::tcp::socket> ws(ioc);
  boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
  ws.handshake("127.0.0.1", "/api/v1/events?token=" + api.admin_token());
  auto read_json = [&] {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return json::parse(beast::buffers_to_string(buffer.data()));
  };
  EXPECT_EQ(read_json()["type"], "hello");
  ws.write(boost::asio::buffer(std::string(R"({"type":"ping","id":"p1"})")));
  EXPECT_EQ(read_json(), (json{{"type", "pong"}, {"id", "p1"}}));
  // A REST call over the stream, with the stream's token and the client's address.
  ws.write(boost::asio::buffer(std::string(R"({"type":"request","id":2,"method":"GET","path":"/api/v1/me"})")));
  json me = read_json();
  EXPECT_EQ((std::tuple{me["type"], me["id"], me["status"], me["body"]["username"]}),
            (std::tuple{json("response"), json(2), json(200), json("root")}));
  // An admin action is published to admins' streams as it happens.
  auto created = round_trip(port, request("POST", "/api/v1/users",
                                        R"({"username":"wsuser","password":"password-1","role":"qa"})",
                                        api.admin_token()));
  ASSERT_EQ(created.rfind("HTTP/1.1 201", 0), 0u) << created;
  json event;
  do {
    event = read_json();
  } while (event["entry"]["action"] != "user.create");
  EXPECT_EQ(event["type"], "audit");
  EXPECT_EQ(event["entry"]["actor"], "root");
  ws.close(beast::websocket::close_code::normal);
}

// With ?batch=1, events that wait while a write is under way go out together as one
// message holding their array, in order and none lost; without it each is its own.
TEST_F(ServerTest, ABatchingStreamGetsQueuedEventsAsOneArray) {
  namespace beast = boost::beast;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  auto open = [&](beast::websocket::stream<boost::asio::ip::tcp::socket>& ws, const std::string& query) {
    boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws.handshake("127.0.0.1", "/api/v1/events?token=" + api.admin_token() + query);
    beast::flat_buffer hello;
    ws.read(hello);
    EXPECT_EQ(json::parse(beast::buffers_to_string(hello.data()))["type"], "hello");
  };
  beast::websocket::stream<boost::asio::ip::tcp::socket> batched(ioc), single(ioc);
  open(batched, "&batch=1");
  open(single, "");
  constexpr int kEvents = 2000;
  for (int i = 0; i < kEvents; ++i) api.hub.publish({{"type", "tick"}, {"n", i}});
  auto read_ticks = [](beast::websocket::stream<boost::asio::ip::tcp::socket>& ws, int& arrays) {
    std::vector<int> ticks;
    arrays = 0;
    while (ticks.size() < static_cast<std::size_t>(kEvents)) {
      beast::flat_buffer buffer;
      ws.read(buffer);
      json message = json::parse(beast::buffers_to_string(buffer.data()));
      if (message.is_array()) ++arrays;
      for (const json& event : message.is_array() ? message : json::array({message})) {
        if (event["type"] == "tick") ticks.push_back(event["n"].get<int>());
      }
    }
    return ticks;
  };
  std::vector<int> expected(kEvents);
  std::iota(expected.begin(), expected.end(), 0);
  int arrays = 0;
  EXPECT_EQ(read_ticks(batched, arrays), expected);
  EXPECT_GT(arrays, 0) << "2000 events published at once all went out one by one";
  EXPECT_EQ(read_ticks(single, arrays), expected);
  EXPECT_EQ(arrays, 0);
}

// Logout reaches the open stream through the hub; the server ends it with 1008,
// while another token's stream goes on receiving events.
TEST_F(ServerTest, WebSocketOfALoggedOutTokenIsClosedAtOnce) {
  namespace beast = boost::beast;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  auto open = [&](beast::websocket::stream<boost::asio::ip::tcp::socket>& ws, const std::string& token) {
    boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws.handshake("127.0.0.1", "/api/v1/events?token=" + token);
    beast::flat_buffer hello;
    ws.read(hello);
  };
  beast::websocket::stream<boost::asio::ip::tcp::socket> ended(ioc), kept(ioc);
  std::string token = api.admin_token();
  open(ended, token);
  open(kept, api.admin_token());
  auto began = std::chrono::steady_clock::now();
  ASSERT_EQ(round_trip(port, request("POST", "/api/v1/logout", "", token)).rfind("HTTP/1.1 204", 0), 0u);
  beast::error_code error;
  for (int i = 0; i < 10 && !error; ++i) {  // audit events of the logins may come first
    beast::flat_buffer buffer;
    ended.read(buffer, error);
  }
  EXPECT_EQ(error, beast::websocket::error::closed);
  EXPECT_EQ(ended.reason().code, beast::websocket::close_code::policy_error);
  EXPECT_EQ(std::string(ended.reason().reason.c_str()), "session ended");
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(1));

  api.hub.publish({{"type", "still-here"}});
  json event;
  for (int i = 0; i < 10 && event["type"] != "still-here"; ++i) {
    beast::flat_buffer buffer;
    kept.read(buffer);
    event = json::parse(beast::buffers_to_string(buffer.data()));
  }
  EXPECT_EQ(event["type"], "still-here");
  kept.close(beast::websocket::close_code::normal);
}

// A client that reads nothing while events pile up is disconnected: its unsent events
// are bounded, and the others' streams go on.
TEST_F(ServerTest, AWebSocketClientThatDoesNotReadIsCutOff) {
  namespace beast = boost::beast;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  beast::websocket::stream<boost::asio::ip::tcp::socket> idle(ioc);
  boost::asio::connect(idle.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
  idle.next_layer().set_option(boost::asio::socket_base::receive_buffer_size(64 * 1024));
  idle.handshake("127.0.0.1", "/api/v1/events?token=" + api.admin_token());
  auto open_streams = [&] {
    std::string metrics = round_trip(port, request("GET", "/metrics"));
    const std::string name = "\nunicc_websocket_connections ";
    auto at = metrics.find(name);
    return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + name.size()));
  };
  ASSERT_EQ(open_streams(), 1);
  const std::string filler(64 * 1024, 'x');
  for (int i = 0; i < 400 && open_streams() == 1; ++i) api.hub.publish({{"type", "bulk"}, {"filler", filler}});
  EXPECT_EQ(open_streams(), 0) << "26 MB unread and still connected";
}

TEST_F(ServerTest, ShutdownLetsInFlightRequestsFinish) {
  auto reply = std::async(std::launch::async, [this] { return round_trip(port, request("GET", "/api/v1/slow")); });
  slow_started.get_future().wait();
  server->shutdown();
  std::string text = reply.get();
  EXPECT_EQ(text.rfind("HTTP/1.1 200", 0), 0u) << text;
  EXPECT_NE(text.find("\"slow\":\"done\""), std::string::npos);
  runner.join();
  // The listener is closed: a new connection is refused.
  EXPECT_EQ(round_trip(port, request("GET", "/api/v1/health")), "");
}

}  // namespace
}  // namespace unicc::http
