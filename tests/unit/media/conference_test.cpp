#include "media/conference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <set>
#include <thread>
#include <vector>

#include "media/engine.h"
#include "media/g711.h"
#include "media/relay.h"
#include "media/rtp.h"
#include "signal.h"
#include "udp_peer.h"

namespace unicc::media {
namespace {

using namespace std::chrono_literals;
using testing::UdpPeer;

constexpr double kPhoneRate = 8000;
constexpr double kToneLevel = 6000;
constexpr int kFrames = 60;  // 1.2 s of audio from every phone

// A phone on one leg: its RTP socket, the tone it speaks, and what it heard (decoded).
struct Phone {
  explicit Phone(double frequency_in) : frequency(frequency_in) {}
  UdpPeer rtp;
  double frequency;
  std::uint16_t unicc_port = 0;  // where its leg listens
  std::vector<std::int16_t> heard;
  std::set<std::uint32_t> sources;  // the RTP sources it heard
  std::uint32_t ssrc = static_cast<std::uint32_t>(frequency * 7);

  void speak(int index) {
    std::vector<std::uint8_t> payload(160);
    for (std::size_t n = 0; n < payload.size(); ++n) {
      const double t = static_cast<double>(static_cast<std::size_t>(index) * 160 + n) / kPhoneRate;
      payload[n] = linear_to_pcmu(static_cast<std::int16_t>(kToneLevel * std::sin(2 * std::numbers::pi * frequency * t)));
    }
    RtpPacket packet;
    packet.payload_type = kPayloadTypePcmu;
    packet.sequence = static_cast<std::uint16_t>(index);
    packet.timestamp = static_cast<std::uint32_t>(index * 160);
    packet.ssrc = ssrc;
    packet.payload = payload;
    std::vector<std::uint8_t> bytes(serialized_size(packet));
    serialize_rtp(packet, bytes);
    rtp.send_to(unicc_port, bytes);
  }

  void listen() {
    while (auto bytes = rtp.receive(0ms)) {
      const auto parsed = parse_rtp(*bytes);
      if (!parsed.ok()) continue;
      sources.insert(parsed.packet.ssrc);
      std::vector<std::int16_t> samples(parsed.packet.payload.size());
      decode_g711(G711Law::kMu, parsed.packet.payload, samples);
      heard.insert(heard.end(), samples.begin(), samples.end());
    }
  }

  // The level of `other`'s tone in what this phone heard: the median over 50 ms
  // windows (whole cycles of every tone here), so that a frame lost to the loaded
  // test machine's jitter does not count as not hearing.
  double hears(const Phone& other) const {
    constexpr std::size_t kWindow = 400;
    std::vector<double> levels;
    for (std::size_t start = 0; start + kWindow <= heard.size(); start += kWindow) {
      levels.push_back(testing::tone_amplitude(std::span(heard).subspan(start, kWindow), other.frequency, kPhoneRate));
    }
    if (levels.size() < 10) return 0;
    std::nth_element(levels.begin(), levels.begin() + levels.size() / 2, levels.end());
    return levels[levels.size() / 2];
  }
};

class ConferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MediaSettings settings;
    settings.address = "127.0.0.1";
    settings.port_min = 47400;
    settings.port_max = 47599;
    engine_ = std::make_unique<MediaEngine>(settings);
    call_ = engine_->create_relay();
    monitor_ = engine_->create_relay();  // a third phone's own call (leg B unused)
    ASSERT_TRUE(call_ && monitor_);
    attach(*call_, Leg::kA, customer_);
    attach(*call_, Leg::kB, agent_);
    attach(*monitor_, Leg::kA, supervisor_);
    conference_ = engine_->create_conference();
    ASSERT_TRUE(conference_);
  }

  static void attach(Relay& relay, Leg leg, Phone& phone) {
    relay.set_remote(leg, "127.0.0.1", phone.rtp.port());
    phone.unicc_port = relay.local_port(leg);
  }

  // Every phone speaks kFrames frames, paced at 20 ms, and keeps what it hears.
  void talk(std::vector<Phone*> phones) {
    auto next = std::chrono::steady_clock::now();
    for (int index = 0; index < kFrames; ++index) {
      for (Phone* phone : phones) phone->speak(index);
      next += 20ms;
      std::this_thread::sleep_until(next);
      for (Phone* phone : phones) phone->listen();
    }
    std::this_thread::sleep_for(60ms);
    for (Phone* phone : phones) phone->listen();
  }

  std::unique_ptr<MediaEngine> engine_;
  std::unique_ptr<Relay> call_;
  std::unique_ptr<Relay> monitor_;
  std::unique_ptr<Conference> conference_;
  Phone customer_{440};
  Phone agent_{1000};
  Phone supervisor_{1700};
};

// Heard clearly: above half the speaker's level (G.711 and the mix keep it whole).
constexpr double kClear = kToneLevel / 2;
// Not heard: below 2 % of it.
constexpr double kSilent = kToneLevel / 50;

TEST_F(ConferenceTest, InAThreeWayCallEachPhoneHearsBothOthersAndNotItself) {
  call_->join(Leg::kA, *conference_);
  call_->join(Leg::kB, *conference_);
  monitor_->join(Leg::kA, *conference_);
  EXPECT_EQ(conference_->participants(), 3u);
  talk({&customer_, &agent_, &supervisor_});
  const std::vector<Phone*> phones = {&customer_, &agent_, &supervisor_};
  for (Phone* listener : phones) {
    for (Phone* speaker : phones) {
      if (speaker == listener) {
        EXPECT_LT(listener->hears(*speaker), kSilent) << listener->frequency << " hears itself";
      } else {
        EXPECT_GT(listener->hears(*speaker), kClear) << listener->frequency << " hearing " << speaker->frequency;
      }
    }
  }
}

TEST_F(ConferenceTest, ASupervisorWhoListensHearsTheCallAndIsHeardByNobody) {
  const auto customer = call_->join(Leg::kA, *conference_);
  const auto agent = call_->join(Leg::kB, *conference_);
  const auto supervisor = monitor_->join(Leg::kA, *conference_);
  conference_->set_hears(customer, supervisor, false);
  conference_->set_hears(agent, supervisor, false);
  talk({&customer_, &agent_, &supervisor_});
  EXPECT_GT(supervisor_.hears(customer_), kClear);
  EXPECT_GT(supervisor_.hears(agent_), kClear);
  EXPECT_LT(customer_.hears(supervisor_), kSilent);
  EXPECT_LT(agent_.hears(supervisor_), kSilent);
  EXPECT_GT(customer_.hears(agent_), kClear);
  EXPECT_GT(agent_.hears(customer_), kClear);
}

TEST_F(ConferenceTest, AWhisperReachesOnlyTheAgent) {
  const auto customer = call_->join(Leg::kA, *conference_);
  call_->join(Leg::kB, *conference_);
  const auto supervisor = monitor_->join(Leg::kA, *conference_);
  conference_->set_hears(customer, supervisor, false);
  talk({&customer_, &agent_, &supervisor_});
  EXPECT_GT(agent_.hears(supervisor_), kClear);
  EXPECT_LT(customer_.hears(supervisor_), kSilent);
}

TEST_F(ConferenceTest, TapsOfAListenedCallKeepHearingEachOthersOwnPackets) {
  call_->join(Leg::kA, *conference_, JoinAs::kTap);
  call_->join(Leg::kB, *conference_, JoinAs::kTap);
  monitor_->join(Leg::kA, *conference_);
  talk({&customer_, &agent_, &supervisor_});
  EXPECT_GT(supervisor_.hears(customer_), kClear);
  EXPECT_GT(supervisor_.hears(agent_), kClear);
  EXPECT_GT(customer_.hears(agent_), kClear);
  EXPECT_GT(agent_.hears(customer_), kClear);
  EXPECT_LT(customer_.hears(supervisor_), kSilent);
  EXPECT_LT(agent_.hears(supervisor_), kSilent);
  // Nothing of the mix reaches the call (it would come from a source of its own):
  // each side gets only the other's forwarded stream.
  EXPECT_EQ(customer_.sources.size(), 1u);
  EXPECT_EQ(agent_.sources.size(), 1u);
}

TEST_F(ConferenceTest, AWhisperToAMemberAgentLeavesTheTappedCustomerHearingTheAgentAlone) {
  call_->join(Leg::kA, *conference_, JoinAs::kTap);
  call_->join(Leg::kB, *conference_);
  monitor_->join(Leg::kA, *conference_);
  talk({&customer_, &agent_, &supervisor_});
  EXPECT_GT(agent_.hears(supervisor_), kClear);
  EXPECT_GT(agent_.hears(customer_), kClear);
  EXPECT_GT(customer_.hears(agent_), kClear);
  EXPECT_LT(customer_.hears(supervisor_), kSilent);
  EXPECT_EQ(customer_.sources.size(), 1u);
}

TEST_F(ConferenceTest, LegsThatLeaveOrOutliveTheConferenceTalkDirectlyAgain) {
  call_->join(Leg::kA, *conference_);
  call_->join(Leg::kB, *conference_);
  monitor_->join(Leg::kA, *conference_);
  monitor_.reset();  // the supervisor hangs up: its leg leaves with its relay
  talk({&customer_, &agent_});
  EXPECT_EQ(conference_->participants(), 2u);
  EXPECT_GT(customer_.hears(agent_), kClear);

  conference_.reset();  // the conference ends: the call forwards packets as they are
  std::this_thread::sleep_for(50ms);
  agent_.listen();
  customer_.speak(7);
  const auto forwarded = agent_.rtp.receive(500ms);
  ASSERT_TRUE(forwarded.has_value());
  const auto parsed = parse_rtp(*forwarded);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.packet.payload[0], linear_to_pcmu(static_cast<std::int16_t>(
                                          kToneLevel * std::sin(2 * std::numbers::pi * 440 * (7 * 160) / kPhoneRate))));
}

TEST_F(ConferenceTest, AStoppedEngineMakesNoConference) {
  call_->join(Leg::kA, *conference_);
  engine_->stop();  // closes the relays; the mix stops ticking, so the threads can end
  EXPECT_EQ(engine_->create_conference(), nullptr);
}

}  // namespace
}  // namespace unicc::media
