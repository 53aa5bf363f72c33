#include "media/relay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <thread>
#include <vector>

#include "media/engine.h"
#include "media/g711.h"
#include "media/rtp.h"
#include "signal.h"
#include "udp_peer.h"
#include "wav_reader.h"

namespace unicc::media {
namespace {

using namespace std::chrono_literals;
using testing::UdpPeer;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kTelephoneEvent = 101;
// Long enough for a packet to cross the loopback and the RTP thread; used to show
// that something does NOT arrive.
constexpr auto kNothingArrives = 150ms;

Bytes rtp_bytes(std::uint8_t payload_type, std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc,
                const Bytes& payload) {
  RtpPacket packet;
  packet.payload_type = payload_type;
  packet.sequence = sequence;
  packet.timestamp = timestamp;
  packet.ssrc = ssrc;
  packet.payload = payload;
  Bytes bytes(serialized_size(packet));
  serialize_rtp(packet, bytes);
  return bytes;
}

Bytes voice_payload(std::uint8_t fill = 0x55) { return Bytes(160, fill); }

RtpPacket parse_or_fail(const std::optional<Bytes>& bytes) {
  EXPECT_TRUE(bytes.has_value());
  if (!bytes) return {};
  const auto parsed = parse_rtp(*bytes);
  EXPECT_TRUE(parsed.ok());
  return parsed.packet;
}

Bytes payload_of(const std::optional<Bytes>& bytes) {
  const RtpPacket packet = parse_or_fail(bytes);
  return Bytes(packet.payload.begin(), packet.payload.end());
}

// Counters are updated on the RTP thread just after the send, so a test that has
// received a packet may look at them a moment too early.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 1s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

class RelayTest : public ::testing::Test {
 protected:
  static MediaSettings test_settings() {
    MediaSettings settings;
    settings.address = "127.0.0.1";
    settings.port_min = 47000;
    settings.port_max = 47199;
    return settings;
  }

  // A relay whose legs know the test peers as their remotes.
  std::unique_ptr<Relay> connected_relay(RelayCallbacks callbacks = {}) {
    auto relay = engine_->create_relay(std::move(callbacks));
    if (relay) {
      relay->set_remote(Leg::kA, "127.0.0.1", caller_.port(), caller_rtcp_.port());
      relay->set_remote(Leg::kB, "127.0.0.1", agent_.port(), agent_rtcp_.port());
    }
    return relay;
  }

  void start_engine(MediaSettings settings) { engine_ = std::make_unique<MediaEngine>(std::move(settings)); }

  void SetUp() override { start_engine(test_settings()); }

  std::unique_ptr<MediaEngine> engine_;
  UdpPeer caller_;
  UdpPeer caller_rtcp_;
  UdpPeer agent_;
  UdpPeer agent_rtcp_;
};

TEST_F(RelayTest, AllocatesEvenPortsInTheRangeForEachLeg) {
  auto relay = engine_->create_relay();
  ASSERT_TRUE(relay);
  for (Leg leg : {Leg::kA, Leg::kB}) {
    EXPECT_EQ(relay->local_port(leg) % 2, 0);
    EXPECT_GE(relay->local_port(leg), 47000);
    EXPECT_LE(relay->local_port(leg), 47198);
  }
  EXPECT_NE(relay->local_port(Leg::kA), relay->local_port(Leg::kB));
  EXPECT_FALSE(relay->set_remote(Leg::kA, "not-an-address", 4000));
}

TEST_F(RelayTest, ForwardsBothDirectionsWithPayloadIntact) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, 1, 160, 0xaaaa, voice_payload(0x11)));
  EXPECT_EQ(payload_of(agent_.receive()), voice_payload(0x11));
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 9, 900, 0xbbbb, voice_payload(0x22)));
  EXPECT_EQ(payload_of(caller_.receive()), voice_payload(0x22));

  EXPECT_TRUE(eventually([&] { return relay->stats(Leg::kA).packets_out == 1; }));
  const LegStats a = relay->stats(Leg::kA);
  const LegStats b = relay->stats(Leg::kB);
  EXPECT_EQ(a.packets_in, 1u);
  EXPECT_EQ(a.packets_out, 1u);
  EXPECT_EQ(b.packets_in, 1u);
  EXPECT_EQ(b.packets_out, 1u);
  EXPECT_EQ(a.bytes_in, 172u);
  EXPECT_TRUE(a.last_arrival.has_value());
}

// Sends `count` packets with one SSRC from `from` to `port`.
void send_stream(UdpPeer& from, std::uint16_t port, std::uint32_t ssrc, int count, std::uint16_t first_sequence = 1) {
  for (int i = 0; i < count; ++i) {
    const auto sequence = static_cast<std::uint16_t>(first_sequence + i);
    from.send_to(port, rtp_bytes(0, sequence, sequence * 160u, ssrc, voice_payload()));
  }
}

TEST_F(RelayTest, LatchesALegWhoseRemoteIsNotKnownYetOnceItsSourceProvesItself) {
  auto relay = engine_->create_relay();
  ASSERT_TRUE(relay);
  relay->set_remote(Leg::kB, "127.0.0.1", agent_.port());
  send_stream(caller_, relay->local_port(Leg::kA), 0xaaaa, kLatchConfirmPackets - 1);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  send_stream(caller_, relay->local_port(Leg::kA), 0xaaaa, 1, kLatchConfirmPackets);
  EXPECT_TRUE(agent_.receive());
}

TEST_F(RelayTest, LatchesToTheSourceThePhoneReallySendsFrom) {
  auto relay = engine_->create_relay();
  ASSERT_TRUE(relay);
  UdpPeer behind_nat;  // the SDP advertises caller_, packets come from behind_nat
  relay->set_remote(Leg::kA, "127.0.0.1", caller_.port());
  relay->set_remote(Leg::kB, "127.0.0.1", agent_.port());
  send_stream(behind_nat, relay->local_port(Leg::kA), 0xaaaa, kLatchConfirmPackets);
  ASSERT_TRUE(agent_.receive());

  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload(0x33)));
  EXPECT_EQ(payload_of(behind_nat.receive()), voice_payload(0x33));
  EXPECT_FALSE(caller_.receive(kNothingArrives));

  // Once latched, another source cannot inject into the call.
  UdpPeer intruder;
  send_stream(intruder, relay->local_port(Leg::kA), 0xaaaa, kLatchConfirmPackets + 2, 100);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
}

// A transfer: the agent's phone (behind NAT, latched) goes, a new party's SDP takes
// its leg, and the old phone keeps sending for a while; the new party, also behind
// NAT, is latched to, never the phone that left.
TEST_F(RelayTest, APhoneThatLeftTheLegIsNeverLatchedToAgain) {
  auto relay = engine_->create_relay();
  ASSERT_TRUE(relay);
  relay->set_remote(Leg::kA, "127.0.0.1", caller_.port());
  relay->set_remote(Leg::kB, "127.0.0.1", agent_.port());
  UdpPeer old_phone, new_phone_sdp, new_phone;
  send_stream(old_phone, relay->local_port(Leg::kB), 0xbbbb, kLatchConfirmPackets);
  ASSERT_TRUE(caller_.receive());
  relay->set_remote(Leg::kB, "127.0.0.1", new_phone_sdp.port());
  send_stream(old_phone, relay->local_port(Leg::kB), 0xbbbb, kLatchConfirmPackets + 2, 100);
  EXPECT_FALSE(caller_.receive(kNothingArrives));
  send_stream(new_phone, relay->local_port(Leg::kB), 0xcccc, kLatchConfirmPackets);
  EXPECT_TRUE(caller_.receive());
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, 1, 160, 0xaaaa, voice_payload(0x55)));
  EXPECT_EQ(payload_of(new_phone.receive()), voice_payload(0x55));
  EXPECT_FALSE(old_phone.receive(kNothingArrives));
  // The same SDP again (a re-INVITE of the new party) keeps its NAT source acceptable.
  relay->set_remote(Leg::kB, "127.0.0.1", new_phone_sdp.port());
  send_stream(new_phone, relay->local_port(Leg::kB), 0xcccc, kLatchConfirmPackets, 200);
  EXPECT_TRUE(caller_.receive());
}

// The attack: while the phone talks, a stranger sends RTP to the call's port,
// hoping to be latched to (and hear the agent) or to inject audio.
TEST_F(RelayTest, AStrangerCannotTakeOverALegWhosePhoneIsSending) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  const std::uint16_t local_a = relay->local_port(Leg::kA);
  send_stream(caller_, local_a, 0xaaaa, 1);
  ASSERT_TRUE(agent_.receive());
  UdpPeer intruder;
  send_stream(intruder, local_a, 0x1234, 20, 500);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload(0x44)));
  EXPECT_EQ(payload_of(caller_.receive()), voice_payload(0x44));
  EXPECT_FALSE(intruder.receive(kNothingArrives));
  EXPECT_EQ(relay->stats(Leg::kA).packets_in, 1u);
}

TEST_F(RelayTest, AStrangerWhoseSsrcChangesIsNeverLatched) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  UdpPeer intruder;
  for (std::uint32_t i = 0; i < 20; ++i) send_stream(intruder, relay->local_port(Leg::kA), 0x1000 + i, 1, 10 + i);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  // The phone, when it starts, is still heard.
  send_stream(caller_, relay->local_port(Leg::kA), 0xaaaa, 1);
  EXPECT_TRUE(agent_.receive());
}

TEST_F(RelayTest, LatchingEndsAfterTheFirstPacketsOfALeg) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  UdpPeer flooder;
  for (std::uint32_t i = 0; i < kLatchWindowPackets; ++i) {
    send_stream(flooder, relay->local_port(Leg::kA), 0x2000 + i, 1, static_cast<std::uint16_t>(i));
  }
  UdpPeer late;
  send_stream(late, relay->local_port(Leg::kA), 0xcccc, kLatchConfirmPackets + 2);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
}

TEST_F(RelayTest, RtcpFromAStrangerIsNotRelayed) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  const Bytes receiver_report = {0x80, 201, 0x00, 0x01, 0x00, 0x00, 0xaa, 0xaa};
  UdpPeer intruder;
  intruder.send_to(static_cast<std::uint16_t>(relay->local_port(Leg::kA) + 1), receiver_report);
  EXPECT_FALSE(agent_rtcp_.receive(kNothingArrives));
  caller_rtcp_.send_to(static_cast<std::uint16_t>(relay->local_port(Leg::kA) + 1), receiver_report);
  EXPECT_TRUE(agent_rtcp_.receive());
}

TEST_F(RelayTest, StrictLatchingAcceptsOnlyTheSdpRemote) {
  MediaSettings settings = test_settings();
  settings.latching = Latching::kStrict;
  start_engine(settings);
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  UdpPeer elsewhere;
  send_stream(elsewhere, relay->local_port(Leg::kA), 0xaaaa, kLatchConfirmPackets + 2);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  send_stream(caller_, relay->local_port(Leg::kA), 0xaaaa, 1);
  ASSERT_TRUE(agent_.receive());
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload()));
  EXPECT_TRUE(caller_.receive());
  EXPECT_FALSE(elsewhere.receive(kNothingArrives));
}

TEST_F(RelayTest, KeepsOneContinuousStreamWhenTheSourceChanges) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  const std::uint16_t local_a = relay->local_port(Leg::kA);
  std::vector<RtpPacket> received;
  std::vector<Bytes> datagrams;
  for (std::uint16_t i = 0; i < 3; ++i) {
    caller_.send_to(local_a, rtp_bytes(0, static_cast<std::uint16_t>(100 + i), 8000u + i * 160u, 0x1111, voice_payload()));
    datagrams.push_back(*agent_.receive());
  }
  // A transfer: a new sender with its own SSRC and random numbering.
  UdpPeer transferred;
  relay->set_remote(Leg::kA, "127.0.0.1", transferred.port());
  for (std::uint16_t i = 0; i < 3; ++i) {
    transferred.send_to(local_a, rtp_bytes(0, static_cast<std::uint16_t>(50000 + i), 123456789u + i * 160u, 0x2222,
                                           voice_payload()));
    datagrams.push_back(*agent_.receive());
  }
  for (const Bytes& datagram : datagrams) received.push_back(parse_or_fail(datagram));
  ASSERT_EQ(received.size(), 6u);
  for (std::size_t i = 1; i < received.size(); ++i) {
    EXPECT_EQ(received[i].ssrc, received[0].ssrc);
    EXPECT_EQ(received[i].sequence, static_cast<std::uint16_t>(received[i - 1].sequence + 1)) << i;
    EXPECT_GT(received[i].timestamp - received[i - 1].timestamp, 0u) << i;
    EXPECT_LT(received[i].timestamp - received[i - 1].timestamp, 8000u) << i;
  }
  // And the transferred phone hears the agent (set_remote re-latched).
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload()));
  EXPECT_TRUE(transferred.receive());
}

TEST_F(RelayTest, ForwardsNothingTowardsALegOnHold) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  const std::uint16_t local_a = relay->local_port(Leg::kA);
  caller_.send_to(local_a, rtp_bytes(0, 1, 160, 0xaaaa, voice_payload()));
  const RtpPacket before_hold = parse_or_fail(agent_.receive());

  relay->set_direction(Leg::kB, Direction::kSendOnly);  // the agent put the call on hold
  for (std::uint16_t seq = 2; seq <= 5; ++seq) {
    caller_.send_to(local_a, rtp_bytes(0, seq, seq * 160u, 0xaaaa, voice_payload()));
  }
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  // The held side's own packets (its music on hold) still reach the other side.
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload()));
  EXPECT_TRUE(caller_.receive());

  relay->set_direction(Leg::kB, Direction::kSendRecv);
  caller_.send_to(local_a, rtp_bytes(0, 6, 960, 0xaaaa, voice_payload()));
  const RtpPacket after_hold = parse_or_fail(agent_.receive());
  EXPECT_EQ(after_hold.sequence, static_cast<std::uint16_t>(before_hold.sequence + 1));
  EXPECT_EQ(after_hold.ssrc, before_hold.ssrc);

  relay->set_direction(Leg::kA, Direction::kInactive);
  caller_.send_to(local_a, rtp_bytes(0, 7, 1120, 0xaaaa, voice_payload()));
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 2, 320, 0xbbbb, voice_payload()));
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  EXPECT_FALSE(caller_.receive(kNothingArrives));
}

TEST_F(RelayTest, RelaysRtcpBetweenTheRtcpSockets) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  const Bytes receiver_report = {0x80, 0xc9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78};
  caller_rtcp_.send_to(static_cast<std::uint16_t>(relay->local_port(Leg::kA) + 1), receiver_report);
  EXPECT_EQ(agent_rtcp_.receive(), receiver_report);
  agent_rtcp_.send_to(static_cast<std::uint16_t>(relay->local_port(Leg::kB) + 1), receiver_report);
  EXPECT_EQ(caller_rtcp_.receive(), receiver_report);
  // RTCP sent to the RTP port is not taken for RTP.
  caller_.send_to(relay->local_port(Leg::kA), receiver_report);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
}

TEST_F(RelayTest, PassesTelephoneEventsThroughAndReportsEachDigitOnce) {
  std::promise<std::pair<char, std::chrono::milliseconds>> first_digit;
  std::atomic<int> digits{0};
  RelayCallbacks callbacks;
  callbacks.on_dtmf = [&](Leg leg, char digit, std::chrono::milliseconds duration) {
    EXPECT_EQ(leg, Leg::kA);
    if (digits++ == 0) first_digit.set_value({digit, duration});
  };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->set_dtmf_payload_type(Leg::kB, 96);  // the agent's phone negotiated another number

  const std::uint32_t event_timestamp = 48000;
  std::uint16_t seq = 10;
  for (std::uint16_t duration : {160, 320, 480}) {
    caller_.send_to(relay->local_port(Leg::kA),
                    rtp_bytes(kTelephoneEvent, seq++, event_timestamp, 0xaaaa,
                              {9, 10, static_cast<std::uint8_t>(duration >> 8), static_cast<std::uint8_t>(duration)}));
  }
  for (int copy = 0; copy < 3; ++copy) {
    caller_.send_to(relay->local_port(Leg::kA),
                    rtp_bytes(kTelephoneEvent, seq++, event_timestamp, 0xaaaa, {9, 0x80 | 10, 0x02, 0x80}));
  }
  std::uint32_t forwarded_timestamp = 0;
  for (int i = 0; i < 6; ++i) {
    const RtpPacket packet = parse_or_fail(agent_.receive());
    EXPECT_EQ(packet.payload_type, 96);
    EXPECT_EQ(packet.payload.size(), 4u);
    if (i == 0) forwarded_timestamp = packet.timestamp;
    EXPECT_EQ(packet.timestamp, forwarded_timestamp);  // still one event
  }
  auto reported = first_digit.get_future();
  ASSERT_EQ(reported.wait_for(1s), std::future_status::ready);
  const auto [digit, duration] = reported.get();
  EXPECT_EQ(digit, '9');
  EXPECT_EQ(duration, 80ms);  // 640 units at 8 kHz
  relay->close();
  EXPECT_EQ(digits.load(), 1);
}

TEST_F(RelayTest, EstimatesLossFromSequenceGaps) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  for (std::uint16_t seq : {1, 2, 5, 4, 6}) {
    caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, seq, seq * 160u, 0xaaaa, voice_payload()));
    ASSERT_TRUE(agent_.receive());
  }
  // 3 and 4 were missing when 5 arrived; 4 came late and is still counted.
  EXPECT_EQ(relay->stats(Leg::kA).packets_lost, 2u);
  EXPECT_EQ(relay->stats(Leg::kA).packets_in, 5u);
  EXPECT_TRUE(eventually([&] { return relay->stats(Leg::kB).packets_out == 5; }));
}

TEST_F(RelayTest, FailsCleanlyWhenThePortRangeIsExhausted) {
  MediaSettings settings = test_settings();
  settings.port_min = 47200;
  settings.port_max = 47203;  // two pairs: one relay
  start_engine(settings);
  auto first = engine_->create_relay();
  ASSERT_TRUE(first);
  EXPECT_EQ(engine_->free_port_pairs(), 0u);
  EXPECT_EQ(engine_->create_relay(), nullptr);
  first->close();
  EXPECT_EQ(engine_->free_port_pairs(), 2u);
  EXPECT_TRUE(engine_->create_relay());
}

TEST_F(RelayTest, SkipsPortsSomeoneElseHolds) {
  MediaSettings settings = test_settings();
  settings.port_min = 47200;
  settings.port_max = 47203;
  start_engine(settings);
  auto holder = engine_->create_relay();  // binds 47200-47203
  ASSERT_TRUE(holder);
  MediaSettings overlapping = settings;
  overlapping.port_max = 47207;
  MediaEngine other(overlapping);
  auto relay = other.create_relay();
  ASSERT_TRUE(relay);
  for (Leg leg : {Leg::kA, Leg::kB}) EXPECT_GE(relay->local_port(leg), 47204);
  EXPECT_EQ(other.free_port_pairs(), 2u);  // the busy pairs stay available for later
}

// The nice value of each of this process's threads, from /proc/self/task/*/stat.
std::vector<int> thread_nice_values() {
  std::vector<int> values;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::FILE* file = std::fopen((task.path() / "stat").c_str(), "r");
    if (!file) continue;
    char line[1024] = {};
    const bool read = std::fgets(line, sizeof line, file) != nullptr;
    std::fclose(file);
    const char* after_name = read ? std::strrchr(line, ')') : nullptr;
    int nice = 0;
    // After the name: state, then fields 4..18, then nice (field 19).
    if (after_name && std::sscanf(after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
                                  &nice) == 1) {
      values.push_back(nice);
    }
  }
  return values;
}

TEST_F(RelayTest, RtpThreadsRunAtTheConfiguredNiceValue) {
  MediaSettings settings = test_settings();
  settings.rtp_threads = 2;
  settings.rtp_nice = 7;  // lowering priority needs no privilege
  start_engine(settings);
  EXPECT_TRUE(eventually([] {
    auto values = thread_nice_values();
    return std::count(values.begin(), values.end(), 7) == 2;
  }));
}

TEST_F(RelayTest, ReportsWhenNoRtpArrives) {
  MediaSettings settings = test_settings();
  // Long beside the 40 ms between packets, so a loaded machine's late wake-ups
  // between them cannot look like silence.
  settings.rtp_timeout = 400ms;
  start_engine(settings);
  std::promise<std::chrono::steady_clock::time_point> timed_out;
  std::atomic<int> timeouts{0};
  RelayCallbacks callbacks;
  callbacks.on_rtp_timeout = [&] {
    if (timeouts++ == 0) timed_out.set_value(std::chrono::steady_clock::now());
  };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  // RTP keeps the call alive past the timeout...
  std::chrono::steady_clock::time_point last_sent;
  for (std::uint16_t seq = 1; seq <= 4; ++seq) {
    last_sent = std::chrono::steady_clock::now();
    caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, seq, seq * 160u, 0xaaaa, voice_payload()));
    ASSERT_TRUE(agent_.receive());
    std::this_thread::sleep_for(40ms);
  }
  // ...then silence.
  auto fired = timed_out.get_future();
  ASSERT_EQ(fired.wait_for(2s), std::future_status::ready);
  EXPECT_GE(fired.get() - last_sent, 400ms);
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(timeouts.load(), 1);
}

TEST_F(RelayTest, RecordsTheCallerOnTheLeftChannel) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("relay-recording-" + std::to_string(::getpid()) + ".wav"))
                               .string();
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  relay->start_recording(path);
  constexpr int kPackets = 15;  // 300 ms
  constexpr double kAmplitude = 8000;
  for (int i = 0; i < kPackets; ++i) {
    std::vector<std::int16_t> tone(160);
    for (int n = 0; n < 160; ++n) {
      tone[static_cast<std::size_t>(n)] =
          static_cast<std::int16_t>(kAmplitude * std::sin(2 * std::numbers::pi * 1000 * (i * 160 + n) / 8000.0));
    }
    Bytes payload(160);
    encode_g711(G711Law::kMu, tone, payload);
    caller_.send_to(relay->local_port(Leg::kA),
                    rtp_bytes(kPayloadTypePcmu, static_cast<std::uint16_t>(i), i * 160u, 0xaaaa, payload));
    ASSERT_TRUE(agent_.receive());
    std::this_thread::sleep_for(20ms);
  }
  relay->stop_recording();
  engine_->stop();  // the recorder has written and closed the file once stop() returns

  const auto wav = testing::read_wav(path);
  ASSERT_TRUE(wav.opened);
  EXPECT_EQ(wav.channels, 2);
  EXPECT_EQ(wav.sample_rate, 8000);
  EXPECT_GE(wav.frames, kPackets * 160 - 160);
  EXPECT_LE(wav.frames, kPackets * 160 + 1600);
  // Late packets (a loaded machine) leave silence between them in the file, so the
  // tone's energy is compared, not its level over the whole file.
  const double energy = wav.rms(0) * wav.rms(0) * static_cast<double>(wav.frames);
  EXPECT_NEAR(energy / (kPackets * 160 * kAmplitude * kAmplitude / 2), 1.0, 0.2);
  EXPECT_LT(wav.rms(1), 1.0);
  std::remove(path.c_str());
}

TEST_F(RelayTest, StopsForwardingAndFreesPortsOnClose) {
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  const std::size_t free_before = engine_->free_port_pairs();
  const std::uint16_t local_a = relay->local_port(Leg::kA);
  relay->close();
  relay->close();
  EXPECT_EQ(engine_->free_port_pairs(), free_before + 2);
  caller_.send_to(local_a, rtp_bytes(0, 1, 160, 0xaaaa, voice_payload()));
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  relay->set_direction(Leg::kA, Direction::kInactive);  // ignored once closed
}

TEST_F(RelayTest, SurvivesDestructionWhilePacketsAreInFlight) {
  for (int round = 0; round < 5; ++round) {
    auto relay = connected_relay();
    ASSERT_TRUE(relay);
    std::atomic<bool> sending{true};
    const std::uint16_t local_a = relay->local_port(Leg::kA);
    const std::uint16_t local_b = relay->local_port(Leg::kB);
    std::thread sender([&] {
      for (std::uint16_t seq = 0; sending; ++seq) {
        caller_.send_to(local_a, rtp_bytes(0, seq, seq * 160u, 0xaaaa, voice_payload()));
        agent_.send_to(local_b, rtp_bytes(0, seq, seq * 160u, 0xbbbb, voice_payload()));
      }
    });
    std::this_thread::sleep_for(10ms);
    relay.reset();
    sending = false;
    sender.join();
  }
}

// --- prompts, in-band DTMF and leg recordings (the IVR's side of the relay) ---

// 16-bit samples of `frequencies` summed, `ms` long, each at `amplitude`.
std::vector<std::int16_t> tones(std::initializer_list<double> frequencies, double amplitude, int ms) {
  std::vector<std::int16_t> out(static_cast<std::size_t>(ms * 8));
  for (std::size_t n = 0; n < out.size(); ++n) {
    double value = 0;
    for (double f : frequencies) value += amplitude * std::sin(2 * std::numbers::pi * f * static_cast<double>(n) / 8000);
    out[n] = static_cast<std::int16_t>(value);
  }
  return out;
}

// Sends `samples` from `peer` to `port` as 20 ms PCMU packets, paced like a phone.
void send_pcmu(const UdpPeer& peer, std::uint16_t port, const std::vector<std::int16_t>& samples,
               std::uint16_t& sequence) {
  for (std::size_t at = 0; at + 160 <= samples.size(); at += 160) {
    Bytes payload(160);
    encode_g711(G711Law::kMu, std::span(samples).subspan(at, 160), payload);
    peer.send_to(port, rtp_bytes(0, sequence, sequence * 160u, 0xcccc, payload));
    ++sequence;
    std::this_thread::sleep_for(2ms);  // no need for real time: the detector counts samples
  }
}

TEST_F(RelayTest, PlaysAPromptTowardsALegInTwentyMillisecondFrames) {
  std::promise<std::uint64_t> finished;
  RelayCallbacks callbacks;
  callbacks.on_play_finished = [&](Leg leg, std::uint64_t id) {
    EXPECT_EQ(leg, Leg::kA);
    finished.set_value(id);
  };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->set_audio_codec(Leg::kA, 8);
  relay->play(Leg::kA, {Prompt(tones({1000}, 8000, 500))}, false, false, 42);

  std::vector<RtpPacket> packets;
  std::vector<Bytes> kept;
  const auto first_at = std::chrono::steady_clock::now();
  auto last_at = first_at;
  while (auto bytes = caller_.receive(200ms)) {
    kept.push_back(*bytes);
    last_at = std::chrono::steady_clock::now();
  }
  for (const Bytes& bytes : kept) {
    const auto parsed = parse_rtp(bytes);  // spans into `kept`, which outlives `packets`
    ASSERT_TRUE(parsed.ok());
    packets.push_back(parsed.packet);
  }
  ASSERT_EQ(packets.size(), 25u);  // 500 ms
  EXPECT_TRUE(packets.front().marker);
  for (std::size_t i = 1; i < packets.size(); ++i) {
    EXPECT_EQ(packets[i].payload_type, 8);
    EXPECT_EQ(static_cast<std::uint16_t>(packets[i].sequence - packets[i - 1].sequence), 1);
    EXPECT_EQ(packets[i].timestamp - packets[i - 1].timestamp, 160u);
    EXPECT_EQ(packets[i].ssrc, packets[0].ssrc);
  }
  // Paced, not sent in a burst: 24 intervals of 20 ms.
  const auto spread = std::chrono::duration_cast<std::chrono::milliseconds>(last_at - first_at);
  EXPECT_GE(spread, 400ms);
  std::vector<std::int16_t> decoded(160);
  decode_g711(G711Law::kA, packets[5].payload, decoded);
  EXPECT_NEAR(testing::tone_amplitude(std::span<const std::int16_t>(decoded), 1000, 8000), 8000, 400);
  auto id = finished.get_future();
  ASSERT_EQ(id.wait_for(1s), std::future_status::ready);
  EXPECT_EQ(id.get(), 42u);
}

TEST_F(RelayTest, APromptReplacesTheOtherLegsAudioUntilItEnds) {
  std::promise<void> finished;
  RelayCallbacks callbacks;
  callbacks.on_play_finished = [&](Leg, std::uint64_t) { finished.set_value(); };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->play(Leg::kA, {Prompt(tones({1000}, 8000, 100))}, false, false, 1);
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload(0x11)));
  for (int i = 0; i < 5; ++i) EXPECT_NE(payload_of(caller_.receive()), voice_payload(0x11));
  ASSERT_EQ(finished.get_future().wait_for(1s), std::future_status::ready);
  EXPECT_FALSE(caller_.receive(kNothingArrives).has_value());
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 2, 320, 0xbbbb, voice_payload(0x22)));
  EXPECT_EQ(payload_of(caller_.receive()), voice_payload(0x22));
}

TEST_F(RelayTest, ADigitStopsABargeInPromptAndIsReported) {
  std::promise<char> digit;
  std::atomic<int> finished{0};
  RelayCallbacks callbacks;
  callbacks.on_dtmf = [&](Leg, char d, std::chrono::milliseconds) { digit.set_value(d); };
  callbacks.on_play_finished = [&](Leg, std::uint64_t) { ++finished; };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->play(Leg::kA, {Prompt(tones({1000}, 8000, 5000))}, false, true, 7);
  ASSERT_TRUE(caller_.receive().has_value());
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(kTelephoneEvent, 1, 800, 0xaaaa, {3, 0x80 | 10, 0x01, 0x40}));
  auto reported = digit.get_future();
  ASSERT_EQ(reported.wait_for(1s), std::future_status::ready);
  EXPECT_EQ(reported.get(), '3');
  while (caller_.receive(kNothingArrives)) {
  }  // frames already on their way
  EXPECT_FALSE(caller_.receive(kNothingArrives).has_value());
  EXPECT_EQ(finished.load(), 0);
}

TEST_F(RelayTest, DetectsDigitsInTheAudioWhenAsked) {
  std::mutex mutex;
  std::string heard;
  RelayCallbacks callbacks;
  callbacks.on_dtmf = [&](Leg leg, char digit, std::chrono::milliseconds) {
    EXPECT_EQ(leg, Leg::kA);
    std::lock_guard lock(mutex);
    heard += digit;
  };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  std::uint16_t sequence = 1;
  auto key_5 = tones({770, 1336}, 6000, 100);
  auto silence = tones({}, 0, 100);
  send_pcmu(caller_, relay->local_port(Leg::kA), key_5, sequence);  // not asked yet
  send_pcmu(caller_, relay->local_port(Leg::kA), silence, sequence);
  relay->set_inband_dtmf(Leg::kA, true);
  for (const auto* part : {&key_5, &silence, &key_5, &silence}) {
    send_pcmu(caller_, relay->local_port(Leg::kA), *part, sequence);
  }
  EXPECT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return heard == "55";
  }));
}

TEST_F(RelayTest, InbandDetectionStopsOnceALegSendsTelephoneEvents) {
  std::atomic<int> digits{0};
  RelayCallbacks callbacks;
  callbacks.on_dtmf = [&](Leg, char, std::chrono::milliseconds) { ++digits; };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->set_inband_dtmf(Leg::kA, true);
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(kTelephoneEvent, 1, 800, 0xaaaa, {5, 0x80 | 10, 0, 160}));
  ASSERT_TRUE(eventually([&] { return digits.load() == 1; }));
  std::uint16_t sequence = 2;
  send_pcmu(caller_, relay->local_port(Leg::kA), tones({770, 1336}, 6000, 100), sequence);
  std::this_thread::sleep_for(kNothingArrives);
  EXPECT_EQ(digits.load(), 1);  // the phone's tones in the audio are the same key press
}

TEST_F(RelayTest, RecordsOneLegUpToItsMaximumLength) {
  const auto path = (std::filesystem::temp_directory_path() / ("unicc-voicemail-" + std::to_string(::getpid()) + ".wav")).string();
  std::promise<std::pair<std::chrono::milliseconds, bool>> ended;
  RelayCallbacks callbacks;
  callbacks.on_leg_recording_ended = [&](Leg leg, std::chrono::milliseconds length, bool reached_max) {
    EXPECT_EQ(leg, Leg::kA);
    ended.set_value({length, reached_max});
  };
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->start_leg_recording(Leg::kA, path, 200ms);
  std::uint16_t sequence = 1;
  send_pcmu(caller_, relay->local_port(Leg::kA), tones({400}, 8000, 400), sequence);
  auto result = ended.get_future();
  ASSERT_EQ(result.wait_for(1s), std::future_status::ready);
  const auto [length, reached_max] = result.get();
  EXPECT_EQ(length, 200ms);
  EXPECT_TRUE(reached_max);
  relay->close();
  engine_->stop();  // the recorder thread has written and closed the file
  const auto wav = testing::read_wav(path);
  ASSERT_TRUE(wav.opened);
  EXPECT_EQ(wav.channels, 1);
  EXPECT_EQ(wav.frames, 1600);
  EXPECT_GT(wav.rms(0), 3000);
  std::filesystem::remove(path);
}

TEST(MediaEngineTest, RefusesABindAddressThatIsNotAnIpAddress) {
  MediaSettings settings;
  settings.address = "media.example.com";
  EXPECT_THROW(MediaEngine{settings}, std::invalid_argument);
}

TEST_F(RelayTest, EngineStopClosesOpenRelays) {
  const std::size_t all_pairs = engine_->free_port_pairs();
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  engine_->stop();
  EXPECT_EQ(engine_->free_port_pairs(), all_pairs);
  EXPECT_EQ(engine_->create_relay(), nullptr);
  relay->close();
  relay->start_recording("/tmp/never-written.wav");
}

// ---- SRTP legs ---------------------------------------------------------------

// A phone's side of an SRTP leg: its session mirrors the relay's keys for that leg.
struct SrtpPhone {
  SrtpKeys relay_keys{random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80),
                      random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80)};
  std::unique_ptr<SrtpSession> session = SrtpSession::create(SrtpKeys{relay_keys.send, relay_keys.receive});

  Bytes protect(Bytes packet, bool rtcp = false) {
    std::size_t size = packet.size();
    packet.resize(size + kSrtpMaxTrailer);
    EXPECT_TRUE(rtcp ? session->protect_rtcp(packet, size) : session->protect_rtp(packet, size));
    packet.resize(size);
    return packet;
  }
  std::optional<Bytes> unprotect(std::optional<Bytes> packet, bool rtcp = false) {
    if (!packet) return std::nullopt;
    std::size_t size = packet->size();
    if (!(rtcp ? session->unprotect_rtcp(*packet, size) : session->unprotect_rtp(*packet, size))) return std::nullopt;
    packet->resize(size);
    return packet;
  }
};

TEST_F(RelayTest, BridgesAnSrtpLegToAPlainOneBothWays) {
  SrtpPhone caller;
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  relay->set_srtp(Leg::kA, caller.relay_keys);

  caller_.send_to(relay->local_port(Leg::kA), caller.protect(rtp_bytes(0, 1, 160, 0xaaaa, voice_payload(0x11))));
  EXPECT_EQ(payload_of(agent_.receive()), voice_payload(0x11));
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 9, 900, 0xbbbb, voice_payload(0x22)));
  const auto sent_to_caller = caller_.receive();
  ASSERT_TRUE(sent_to_caller);
  EXPECT_NE(sent_to_caller->size(), 172u);  // carries the authentication tag
  EXPECT_EQ(payload_of(caller.unprotect(sent_to_caller)), voice_payload(0x22));

  // SRTCP in, RTCP out; RTCP in, SRTCP out.
  const Bytes receiver_report = {0x80, 0xc9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78};
  const auto rtcp_port = [&](Leg leg) { return static_cast<std::uint16_t>(relay->local_port(leg) + 1); };
  caller_rtcp_.send_to(rtcp_port(Leg::kA), caller.protect(receiver_report, true));
  EXPECT_EQ(agent_rtcp_.receive(), receiver_report);
  agent_rtcp_.send_to(rtcp_port(Leg::kB), receiver_report);
  EXPECT_EQ(caller.unprotect(caller_rtcp_.receive(), true), receiver_report);
}

TEST_F(RelayTest, DropsAndCountsSrtpThatFailsAuthentication) {
  SrtpPhone caller;
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  relay->set_srtp(Leg::kA, caller.relay_keys);

  Bytes tampered = caller.protect(rtp_bytes(0, 1, 160, 0xaaaa, voice_payload(0x11)));
  tampered[20] ^= 0x01;
  caller_.send_to(relay->local_port(Leg::kA), tampered);
  // Plain RTP on an SRTP leg is no better than a forgery.
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, 2, 320, 0xaaaa, voice_payload(0x11)));
  caller_.send_to(relay->local_port(Leg::kA), Bytes{0x80, 0x00, 0x01});
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  EXPECT_TRUE(eventually([&] { return relay->stats(Leg::kA).srtp_failures == 3; }));
  EXPECT_EQ(relay->stats(Leg::kA).packets_in, 0u);
  EXPECT_EQ(engine_->srtp_failures().rtp, 3u);
  EXPECT_EQ(engine_->srtp_failures().rtcp, 0u);

  // A replayed packet is dropped too; the genuine one before it passed.
  const Bytes genuine = caller.protect(rtp_bytes(0, 3, 480, 0xaaaa, voice_payload(0x33)));
  caller_.send_to(relay->local_port(Leg::kA), genuine);
  EXPECT_EQ(payload_of(agent_.receive()), voice_payload(0x33));
  caller_.send_to(relay->local_port(Leg::kA), genuine);
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  EXPECT_TRUE(eventually([&] { return relay->stats(Leg::kA).srtp_failures == 4; }));
}

TEST_F(RelayTest, ALegAwaitingItsSrtpKeyCarriesNothingUntilItHasIt) {
  SrtpPhone agent;
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  relay->await_srtp(Leg::kB);
  agent_.send_to(relay->local_port(Leg::kB), rtp_bytes(0, 1, 160, 0xbbbb, voice_payload(0x22)));
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, 1, 160, 0xaaaa, voice_payload(0x11)));
  EXPECT_FALSE(caller_.receive(kNothingArrives));
  EXPECT_FALSE(agent_.receive(kNothingArrives));
  relay->set_srtp(Leg::kB, agent.relay_keys);
  caller_.send_to(relay->local_port(Leg::kA), rtp_bytes(0, 2, 320, 0xaaaa, voice_payload(0x11)));
  EXPECT_EQ(payload_of(agent.unprotect(agent_.receive())), voice_payload(0x11));
}

TEST_F(RelayTest, BridgesTwoSrtpLegsWithTheirOwnKeys) {
  SrtpPhone caller;
  SrtpPhone agent;
  auto relay = connected_relay();
  ASSERT_TRUE(relay);
  relay->set_srtp(Leg::kA, caller.relay_keys);
  relay->set_srtp(Leg::kB, agent.relay_keys);
  relay->set_srtp(Leg::kB, agent.relay_keys);  // the same keys again (a re-INVITE) keep the session

  for (std::uint16_t sequence = 1; sequence <= 3; ++sequence) {
    caller_.send_to(relay->local_port(Leg::kA),
                    caller.protect(rtp_bytes(0, sequence, sequence * 160u, 0xaaaa, voice_payload(0x44))));
    EXPECT_EQ(payload_of(agent.unprotect(agent_.receive())), voice_payload(0x44));
  }
  agent_.send_to(relay->local_port(Leg::kB), agent.protect(rtp_bytes(0, 7, 700, 0xbbbb, voice_payload(0x55))));
  EXPECT_EQ(payload_of(caller.unprotect(caller_.receive())), voice_payload(0x55));
  EXPECT_EQ(relay->stats(Leg::kA).srtp_failures + relay->stats(Leg::kB).srtp_failures, 0u);
}

TEST_F(RelayTest, PromptsAndDigitsWorkOnAnSrtpLeg) {
  std::promise<char> digit;
  RelayCallbacks callbacks;
  callbacks.on_dtmf = [&](Leg, char key, std::chrono::milliseconds) { digit.set_value(key); };
  SrtpPhone caller;
  auto relay = connected_relay(std::move(callbacks));
  ASSERT_TRUE(relay);
  relay->set_srtp(Leg::kA, caller.relay_keys);
  relay->play(Leg::kA, {Prompt(tones({1000}, 8000, 100))}, false, false, 1);
  const RtpPacket frame = parse_or_fail(caller.unprotect(caller_.receive()));
  EXPECT_EQ(frame.payload.size(), 160u);

  // '5' as an RFC 4733 event, ended.
  const Bytes event = {5, 0x80, 0x03, 0x20};
  caller_.send_to(relay->local_port(Leg::kA), caller.protect(rtp_bytes(kTelephoneEvent, 10, 8000, 0xaaaa, event)));
  auto reported = digit.get_future();
  ASSERT_EQ(reported.wait_for(1s), std::future_status::ready);
  EXPECT_EQ(reported.get(), '5');
}

}  // namespace
}  // namespace unicc::media
