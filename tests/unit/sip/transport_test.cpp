#include "sip/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>

namespace unicc::sip {
namespace {

const std::string kInvite =
    "OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bKt1;rport\r\n"
    "From: <sip:x@10.0.0.9>;tag=1\r\n"
    "To: <sip:1001@127.0.0.1>\r\n"
    "Call-ID: t-1\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Max-Forwards: 70\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(StampTopVia, AddsReceivedAndFillsRport) {
  std::string stamped = stamp_top_via(kInvite, "203.0.113.7", 40001);
  EXPECT_NE(stamped.find("Via: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bKt1;rport=40001;received=203.0.113.7\r\n"),
            std::string::npos)
      << stamped;
}

TEST(StampTopVia, OnlyTheFirstViaValueIsChanged) {
  std::string text = kInvite;
  text.replace(text.find("Via: "), 0, "");
  text.replace(text.find(";rport\r\n"), 8, ";rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx\r\n");
  std::string stamped = stamp_top_via(text, "1.2.3.4", 7);
  EXPECT_NE(stamped.find(";rport=7;received=1.2.3.4, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx"), std::string::npos)
      << stamped;
}

TEST(ReplyToMalformed, Answers400WithTheReasonWhenItCan) {
  std::string bad = kInvite;
  bad.replace(bad.find("CSeq: 1 OPTIONS"), 15, "CSeq: 1 INVITE");
  auto reply = reply_to_malformed(bad, "CSeq method does not match request method");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->rfind("SIP/2.0 400 CSeq method does not match request method\r\n", 0), 0u);
  EXPECT_NE(reply->find("Call-ID: t-1\r\n"), std::string::npos);
  EXPECT_NE(reply->find("Via: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bKt1;rport\r\n"), std::string::npos);
}

TEST(ReplyToMalformed, GarbageResponsesAndAckAreDropped) {
  EXPECT_FALSE(reply_to_malformed("\x01\x02garbage", "x"));
  EXPECT_FALSE(reply_to_malformed("SIP/2.0 200 OK\r\nVia: x\r\n\r\n", "x"));
  std::string ack = kInvite;
  ack.replace(0, 7, "ACK");
  EXPECT_FALSE(reply_to_malformed(ack, "x"));
  std::string no_call_id = kInvite;
  no_call_id.erase(no_call_id.find("Call-ID"), 13);
  EXPECT_FALSE(reply_to_malformed(no_call_id, "Missing Call-ID header"));
}

class TransportLayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    transport.start([this](const Message& message, const Endpoint& from) {
      received.push_back(std::string(message.call_id()));
      sources.push_back(from);
      top_vias.push_back(std::string(message.header("Via").value_or("")));
    });
  }

  int udp_peer() {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local));
    timeval timeout{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    return fd;
  }

  void send_udp(int fd, const std::string& text, std::uint16_t port) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }

  // Runs the loop until `done` or a second has passed.
  void pump(const std::function<bool()>& done) {
    for (int i = 0; i < 100 && !done(); ++i) {
      loop.run_for(std::chrono::milliseconds(10));
    }
  }

  core::EventLoop loop;
  core::Metrics metrics;
  TransportLayer transport{loop, TransportSettings{"127.0.0.1", 0, true, true}, metrics};
  std::vector<std::string> received;
  std::vector<Endpoint> sources;
  std::vector<std::string> top_vias;
};

TEST_F(TransportLayerTest, UdpRequestArrivesStampedWithItsSource) {
  int fd = udp_peer();
  send_udp(fd, kInvite, transport.udp_port());
  pump([&] { return !received.empty(); });
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0], "t-1");
  EXPECT_EQ(sources[0].address, "127.0.0.1");
  EXPECT_NE(top_vias[0].find("received=127.0.0.1"), std::string::npos);
  EXPECT_NE(top_vias[0].find("rport=" + std::to_string(sources[0].port)), std::string::npos);
  close(fd);
}

TEST_F(TransportLayerTest, MalformedUdpRequestGets400AndGarbageNothing) {
  int fd = udp_peer();
  std::string bad = kInvite;
  bad.replace(bad.find("CSeq: 1 OPTIONS"), 15, "CSeq: x OPTIONS");
  send_udp(fd, "\x16\x03\x01garbage-not-sip", transport.udp_port());
  send_udp(fd, bad, transport.udp_port());
  std::string reply(4096, '\0');
  std::thread runner([&] { pump([] { return false; }); });
  ssize_t n = recv(fd, reply.data(), reply.size(), 0);
  runner.join();
  ASSERT_GT(n, 0);
  reply.resize(static_cast<std::size_t>(n));
  EXPECT_EQ(reply.rfind("SIP/2.0 400 ", 0), 0u) << reply;
  EXPECT_TRUE(received.empty());
  EXPECT_EQ(metrics.counter("unicc_sip_malformed_total", "").value(), 2u);
  close(fd);
}

TEST_F(TransportLayerTest, TcpMessagesAreFramedAndAnsweredOnTheSameConnection) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(transport.tcp_port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
  std::string second = kInvite;
  second.replace(second.find("t-1"), 3, "t-2");
  std::string both = kInvite + second;
  send(fd, both.data(), 100, 0);  // split across reads
  pump([&] { return false; });
  send(fd, both.data() + 100, both.size() - 100, 0);
  pump([&] { return received.size() == 2; });
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[1], "t-2");
  EXPECT_EQ(sources[0].transport, Transport::kTcp);
  EXPECT_NE(sources[0].connection, 0u);
  EXPECT_TRUE(transport.send(sources[0], "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
  pump([&] { return false; });
  std::string reply(256, '\0');
  timeval timeout{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ssize_t n = recv(fd, reply.data(), reply.size(), 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(reply.rfind("SIP/2.0 200 OK", 0), 0u);
  close(fd);
}


// A transport with its own loop, for the tests of connection bounds (short timeouts
// and small limits given per test).
struct BoundedServer {
  explicit BoundedServer(TransportSettings settings) : transport(loop, std::move(settings), metrics) {
    transport.start([this](const Message& message, const Endpoint& from) {
      received.push_back(std::string(message.start_line()));
      sources.push_back(from);
    });
  }

  std::uint64_t count(const std::string& name, const std::string& labels) {
    return metrics.counter(name, "", labels).value();
  }

  core::EventLoop loop;
  core::Metrics metrics;
  TransportLayer transport;
  std::vector<std::string> received;
  std::vector<Endpoint> sources;
};

TransportSettings bounded(std::chrono::milliseconds message_timeout, std::chrono::milliseconds idle_timeout,
                          std::size_t max_total = 1024, std::size_t max_per_address = 32) {
  TransportSettings settings{"127.0.0.1", 0, false, true};
  settings.message_timeout = message_timeout;
  settings.idle_timeout = idle_timeout;
  settings.max_connections = max_total;
  settings.max_connections_per_address = max_per_address;
  return settings;
}

using Ms = std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

Ms since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<Ms>(SteadyClock::now() - start);
}

int tcp_client(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void send_text(int fd, const std::string& text) { ASSERT_EQ(send(fd, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size())); }

// Reads what the server sent without blocking; true once it has closed or reset
// the connection. Bytes read are appended to `got`.
bool server_closed(int fd, std::string* got = nullptr) {
  char buffer[4096];
  for (int reads = 0; reads < 64; ++reads) {
    ssize_t n = recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    if (got) got->append(buffer, static_cast<std::size_t>(n));
  }
  return false;
}

// Runs the server's loop in 10 ms steps for at most `limit`, calling `tick` each
// step, until `fd` is closed by the server; returns how long that took.
std::optional<Ms> run_until_closed(BoundedServer& server, int fd, Ms limit, const std::function<void()>& tick = {}) {
  auto start = SteadyClock::now();
  while (since(start) < limit) {
    server.loop.run_for(Ms(10));
    if (tick) tick();
    if (server_closed(fd)) return since(start);
  }
  return std::nullopt;
}

void run_for(BoundedServer& server, Ms duration, const std::function<void()>& tick = {}) {
  auto start = SteadyClock::now();
  while (since(start) < duration) {
    server.loop.run_for(Ms(10));
    if (tick) tick();
  }
}

// A request over TCP: `method` with its CSeq, Call-ID `call_id`.
std::string tcp_request(const std::string& method, const std::string& call_id) {
  return method + " sip:1001@127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/TCP 10.0.0.9:5062;branch=z9hG4bK" + call_id + method + "\r\n"
         "From: <sip:1001@10.0.0.9>;tag=1\r\n"
         "To: <sip:1001@127.0.0.1>\r\n"
         "Call-ID: " + call_id + "\r\n"
         "CSeq: 1 " + method + "\r\n"
         "Contact: <sip:1001@10.0.0.9:5062;transport=tcp>\r\n"
         "Max-Forwards: 70\r\n"
         "Content-Length: 0\r\n\r\n";
}

// Our 200 to such a request; `extra` adds header lines.
std::string ok_to(const std::string& method, const std::string& call_id, const std::string& extra = "") {
  return "SIP/2.0 200 OK\r\n"
         "Via: SIP/2.0/TCP 10.0.0.9:5062;branch=z9hG4bK" + call_id + method + "\r\n"
         "From: <sip:1001@10.0.0.9>;tag=1\r\n"
         "To: <sip:1001@127.0.0.1>;tag=2\r\n"
         "Call-ID: " + call_id + "\r\n"
         "CSeq: 1 " + method + "\r\n" + extra +
         "Content-Length: 0\r\n\r\n";
}

TEST(TcpBounds, ATrickledMessageIsCutOffAtTheBoundFromItsFirstByte) {
  BoundedServer server(bounded(Ms(400), Ms(60'000)));
  int fd = tcp_client(server.transport.tcp_port());
  ASSERT_GE(fd, 0);
  std::string text = tcp_request("OPTIONS", "slow");
  std::size_t sent_bytes = 0;
  auto last_byte = SteadyClock::now() - Ms(1000);
  // One byte every 30 ms: each byte is "recent", but the message never completes in time.
  auto closed = run_until_closed(server, fd, Ms(3000), [&] {
    if (since(last_byte) >= Ms(30) && sent_bytes < text.size()) {
      send(fd, text.data() + sent_bytes++, 1, MSG_NOSIGNAL);
      last_byte = SteadyClock::now();
    }
  });
  ASSERT_TRUE(closed) << "a trickling connection was kept open";
  EXPECT_GE(closed->count(), 300);
  EXPECT_LE(closed->count(), 900);
  EXPECT_LT(sent_bytes, text.size());
  EXPECT_TRUE(server.received.empty());
  EXPECT_EQ(server.count("unicc_sip_connections_timed_out_total", "reason=\"message\""), 1u);
  close(fd);
}

TEST(TcpBounds, AConnectionThatSendsNothingIsClosedAtTheMessageBound) {
  BoundedServer server(bounded(Ms(400), Ms(60'000)));
  int fd = tcp_client(server.transport.tcp_port());
  ASSERT_GE(fd, 0);
  auto closed = run_until_closed(server, fd, Ms(3000));
  ASSERT_TRUE(closed);
  EXPECT_GE(closed->count(), 300);
  close(fd);
}

TEST(TcpBounds, IdleConnectionsCloseAndKeepAlivesKeepThemOpen) {
  // An idle bound ten pings long: a loaded machine's late wake-up between two pings
  // must not look like silence (300 ms was missed under a parallel ctest).
  BoundedServer server(bounded(Ms(5000), Ms(1000)));
  int idle = tcp_client(server.transport.tcp_port());
  int pinging = tcp_client(server.transport.tcp_port());
  ASSERT_GE(idle, 0);
  ASSERT_GE(pinging, 0);
  send_text(idle, tcp_request("OPTIONS", "idle"));
  send_text(pinging, tcp_request("OPTIONS", "pinging"));
  auto last_ping = SteadyClock::now();
  std::string pongs;
  bool pinging_closed = false;
  auto closed = run_until_closed(server, idle, Ms(3000), [&] {
    if (since(last_ping) >= Ms(100)) {
      send(pinging, "\r\n\r\n", 4, MSG_NOSIGNAL);
      last_ping = SteadyClock::now();
    }
    pinging_closed = pinging_closed || server_closed(pinging, &pongs);
  });
  ASSERT_TRUE(closed);
  EXPECT_GE(closed->count(), 900);
  // Well past its idle time, the connection that pings is still there, answered.
  run_for(server, Ms(1500), [&] {
    if (since(last_ping) >= Ms(100)) {
      send(pinging, "\r\n\r\n", 4, MSG_NOSIGNAL);
      last_ping = SteadyClock::now();
    }
    pinging_closed = pinging_closed || server_closed(pinging, &pongs);
  });
  EXPECT_FALSE(pinging_closed);
  EXPECT_GE(pongs.size(), 6u);
  EXPECT_EQ(pongs.find_first_not_of("\r\n"), std::string::npos);
  EXPECT_EQ(server.received.size(), 2u);
  EXPECT_EQ(server.count("unicc_sip_connections_timed_out_total", "reason=\"idle\""), 1u);
  // Once the pings stop, it is idle like any other.
  EXPECT_TRUE(run_until_closed(server, pinging, Ms(3000)));
  close(idle);
  close(pinging);
}

TEST(TcpBounds, ARegistrationHoldsItsConnectionUntilItExpires) {
  BoundedServer server(bounded(Ms(5000), Ms(200)));
  int fd = tcp_client(server.transport.tcp_port());
  ASSERT_GE(fd, 0);
  send_text(fd, tcp_request("REGISTER", "reg"));
  run_for(server, Ms(50));
  ASSERT_EQ(server.sources.size(), 1u);
  auto granted = SteadyClock::now();
  ASSERT_TRUE(server.transport.send(server.sources[0],
                                    ok_to("REGISTER", "reg", "Contact: <sip:1001@10.0.0.9:5062;transport=tcp>;expires=2\r\n")));
  auto closed = run_until_closed(server, fd, Ms(5000));
  ASSERT_TRUE(closed);
  EXPECT_GE(since(granted).count(), 1900) << "closed while the registration was current";
  EXPECT_LE(since(granted).count(), 3000);
  close(fd);
}

TEST(TcpBounds, ACallHoldsItsConnectionUntilItsBye) {
  BoundedServer server(bounded(Ms(5000), Ms(200)));
  int fd = tcp_client(server.transport.tcp_port());
  ASSERT_GE(fd, 0);
  send_text(fd, tcp_request("INVITE", "call"));
  run_for(server, Ms(50));
  ASSERT_EQ(server.sources.size(), 1u);
  ASSERT_TRUE(server.transport.send(server.sources[0], ok_to("INVITE", "call")));
  // An unrelated BYE does not end this call's hold.
  send_text(fd, tcp_request("BYE", "another-call"));
  EXPECT_FALSE(run_until_closed(server, fd, Ms(1000))) << "closed during a call";
  send_text(fd, tcp_request("BYE", "call"));
  auto closed = run_until_closed(server, fd, Ms(3000));
  ASSERT_TRUE(closed);
  EXPECT_GE(closed->count(), 100);
  close(fd);
}

TEST(TcpBounds, ConnectionsBeyondThePerAddressLimitAreRefused) {
  BoundedServer server(bounded(Ms(60'000), Ms(60'000), 1024, 3));
  std::vector<int> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(tcp_client(server.transport.tcp_port()));
  run_for(server, Ms(200));
  std::size_t refused = 0;
  for (int fd : clients) refused += server_closed(fd) ? 1 : 0;
  EXPECT_EQ(refused, 2u);
  EXPECT_EQ(server.count("unicc_sip_connections_refused_total", "reason=\"per_address\""), 2u);
  // A slot that frees up can be taken again, and it works.
  for (int fd : clients) {
    if (!server_closed(fd)) {
      close(fd);
      break;
    }
  }
  run_for(server, Ms(100));
  int again = tcp_client(server.transport.tcp_port());
  send_text(again, tcp_request("OPTIONS", "again"));
  run_for(server, Ms(200));
  EXPECT_FALSE(server_closed(again));
  ASSERT_EQ(server.received.size(), 1u);
  EXPECT_EQ(server.count("unicc_sip_connections_refused_total", "reason=\"per_address\""), 2u);
  for (int fd : clients) close(fd);
  close(again);
}

TEST(TcpBounds, ConnectionsBeyondTheTotalLimitAreRefused) {
  BoundedServer server(bounded(Ms(60'000), Ms(60'000), 2, 100));
  std::vector<int> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(tcp_client(server.transport.tcp_port()));
  run_for(server, Ms(200));
  std::size_t refused = 0;
  for (int fd : clients) refused += server_closed(fd) ? 1 : 0;
  EXPECT_EQ(refused, 2u);
  EXPECT_EQ(server.count("unicc_sip_connections_refused_total", "reason=\"total\""), 2u);
  EXPECT_EQ(server.metrics.gauge("unicc_sip_connections", "").value(), 2);
  for (int fd : clients) close(fd);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

TEST(TcpBounds, AcceptBacksOffWhileOutOfDescriptorsAndResumes) {
  BoundedServer server(bounded(Ms(60'000), Ms(60'000)));
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  // The lowest free descriptor: with the limit there, every new one fails (EMFILE).
  int lowest_free = dup(fd);
  ASSERT_GE(lowest_free, 0);
  close(lowest_free);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(lowest_free);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(server.transport.tcp_port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int connected = connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  double cpu_before = cpu_seconds();
  run_for(server, Ms(1000));
  double cpu_used = cpu_seconds() - cpu_before;
  std::uint64_t backoffs = server.count("unicc_sip_accept_backoffs_total", "");
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_EQ(connected, 0);
  // 50, 100, 200, 400 ms ... : a handful of tries in a second, not a spinning loop.
  EXPECT_GE(backoffs, 2u);
  EXPECT_LE(backoffs, 8u);
  EXPECT_LT(cpu_used, 0.3);
  send_text(fd, tcp_request("OPTIONS", "resumed"));
  for (int i = 0; i < 300 && server.received.empty(); ++i) server.loop.run_for(Ms(10));
  EXPECT_EQ(server.received.size(), 1u) << "accepting did not resume";
  close(fd);
}

}  // namespace
}  // namespace unicc::sip
