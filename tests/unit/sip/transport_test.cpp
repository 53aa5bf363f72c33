#include "sip/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace unicc::sip
