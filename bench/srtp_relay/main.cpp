// unicc_srtp_relay — what SRTP costs the relay, next to plain RTP, in one run.
//
// One MediaEngine (one RTP thread) and `streams` relays. Each stream is a phone on
// leg A sending 20 ms PCMA packets that the relay forwards to a sink on leg B. The
// same packets go through twice: plain RTP on both legs, then SRTP on both legs
// (decrypted from A, encrypted again towards B, different keys: what a call between
// two SRTP phones costs). The phones' packets are protected before the clock starts,
// and the sinks only count, so the CPU measured is the relay's RTP thread
// (CLOCK_THREAD_CPUTIME_ID is not reachable from here: the process's CPU minus this
// thread's own is). Prints CPU per forwarded packet and per stream (50 packets/s each
// way), and the ratio. Usage: unicc_srtp_relay [STREAMS] [PACKETS_PER_STREAM].
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "media/engine.h"
#include "media/rtp.h"
#include "media/srtp.h"

namespace {

using namespace unicc::media;
using Bytes = std::vector<std::uint8_t>;

double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

int bound_socket(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
  int size = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

struct Stream {
  std::unique_ptr<Relay> relay;
  int phone = -1;
  int sink = -1;
  std::uint16_t phone_port = 0;
  std::uint16_t sink_port = 0;
  std::unique_ptr<SrtpSession> phone_srtp;  // the phone's side of leg A
  std::vector<Bytes> packets;               // what the phone sends, ready
};

// Sends every stream's packets in rounds of one packet per stream; returns the
// relay's CPU seconds (process CPU minus this thread's) and counts what arrived.
double run(std::vector<Stream>& streams, int packets_per_stream, long& delivered) {
  const double process_before = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const double thread_before = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  std::vector<std::uint8_t> drain(2048);
  for (int i = 0; i < packets_per_stream; ++i) {
    for (Stream& stream : streams) {
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      to.sin_port = htons(stream.relay->local_port(Leg::kA));
      const Bytes& packet = stream.packets[static_cast<std::size_t>(i)];
      ::sendto(stream.phone, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
    // Paced (one packet per stream every 2 ms, 50,000 packets/s for 100 streams) so the
    // relay keeps up and nothing is dropped in its sockets' buffers.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const double relay_cpu = (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_before) -
                           (cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - thread_before);
  for (Stream& stream : streams) {
    while (::recv(stream.sink, drain.data(), drain.size(), MSG_DONTWAIT) > 0) ++delivered;
  }
  return relay_cpu;
}

std::vector<Bytes> make_packets(int count, std::uint32_t ssrc, SrtpSession* srtp) {
  std::vector<Bytes> packets;
  const Bytes payload(160, 0xd5);
  for (int i = 0; i < count; ++i) {
    RtpPacket packet;
    packet.payload_type = 8;
    packet.sequence = static_cast<std::uint16_t>(i + 1);
    packet.timestamp = static_cast<std::uint32_t>(i) * 160u;
    packet.ssrc = ssrc;
    packet.payload = payload;
    Bytes bytes(serialized_size(packet) + kSrtpMaxTrailer);
    serialize_rtp(packet, bytes);
    std::size_t size = serialized_size(packet);
    if (srtp && !srtp->protect_rtp(bytes, size)) std::abort();
    bytes.resize(size);
    packets.push_back(std::move(bytes));
  }
  return packets;
}

std::vector<Stream> open_streams(MediaEngine& engine, int count, int packets, bool srtp) {
  std::vector<Stream> streams(static_cast<std::size_t>(count));
  std::uint32_t ssrc = 1000;
  for (Stream& stream : streams) {
    stream.relay = engine.create_relay();
    if (!stream.relay) std::abort();
    stream.phone = bound_socket(stream.phone_port);
    stream.sink = bound_socket(stream.sink_port);
    stream.relay->set_remote(Leg::kA, "127.0.0.1", stream.phone_port);
    stream.relay->set_remote(Leg::kB, "127.0.0.1", stream.sink_port);
    if (srtp) {
      const SrtpKeys a{random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80),
                       random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80)};
      stream.relay->set_srtp(Leg::kA, a);
      stream.relay->set_srtp(Leg::kB, SrtpKeys{random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80),
                                                random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80)});
      stream.phone_srtp = SrtpSession::create(SrtpKeys{a.send, a.receive});
    }
    stream.packets = make_packets(packets, ++ssrc, stream.phone_srtp.get());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // settings reach the RTP thread
  return streams;
}

void close_streams(std::vector<Stream>& streams) {
  for (Stream& stream : streams) {
    stream.relay->close();
    ::close(stream.phone);
    ::close(stream.sink);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int stream_count = argc > 1 ? std::atoi(argv[1]) : 100;
  const int packets = argc > 2 ? std::atoi(argv[2]) : 2000;
  if (stream_count < 1 || stream_count > 2000 || packets < 1 || packets > 100000) {
    std::fprintf(stderr, "usage: unicc_srtp_relay [STREAMS 1-2000] [PACKETS_PER_STREAM 1-100000]\n");
    return 2;
  }
  MediaSettings settings;
  settings.port_min = 40000;
  settings.port_max = 49999;
  settings.rtp_threads = 1;
  MediaEngine engine(settings);
  double cpu[2] = {0, 0};
  long delivered[2] = {0, 0};
  for (bool srtp : {false, true}) {
    auto streams = open_streams(engine, stream_count, packets, srtp);
    cpu[srtp] = run(streams, packets, delivered[srtp]);
    close_streams(streams);
  }
  const double total = static_cast<double>(stream_count) * packets;
  // Per packet forwarded: a packet dropped before the relay read it cost it nothing.
  const double plain_us = cpu[0] / static_cast<double>(std::max(delivered[0], 1L)) * 1e6;
  const double srtp_us = cpu[1] / static_cast<double>(std::max(delivered[1], 1L)) * 1e6;
  std::printf("streams %d x %d packets (PCMA 20 ms), one RTP thread; forwarded: plain %ld, SRTP %ld of %.0f\n",
              stream_count, packets, delivered[0], delivered[1], total);
  std::printf("plain RTP -> RTP  : %.2f us relay CPU per packet, %.3f %% of a core per stream (50 pkt/s)\n",
              plain_us, plain_us * 50 / 1e4);
  std::printf("SRTP -> SRTP      : %.2f us relay CPU per packet, %.3f %% of a core per stream (50 pkt/s)\n",
              srtp_us, srtp_us * 50 / 1e4);
  std::printf("ratio SRTP/plain  : %.2f; SRTP failures counted: %llu\n", srtp_us / plain_us,
              static_cast<unsigned long long>(engine.srtp_failures().rtp));
  return 0;
}
