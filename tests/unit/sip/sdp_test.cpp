#include "sip/sdp.h"

#include <gtest/gtest.h>

namespace unicc::sip {
namespace {

constexpr std::string_view kOffer =
    "v=0\r\n"
    "o=alice 2890844526 2890844527 IN IP4 atlanta.example.com\r\n"
    "s=-\r\n"
    "i=A call\r\n"
    "c=IN IP4 192.0.2.101\r\n"
    "b=AS:64\r\n"
    "t=0 0\r\n"
    "a=tool:softphone 1.0\r\n"
    "m=audio 49172 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=rtcp:49173 IN IP4 192.0.2.101\r\n"
    "a=sendrecv\r\n"
    "a=x-vendor:thing\r\n";

SessionDescription parse_sdp_ok(std::string_view text) {
  auto sdp = SessionDescription::parse(text);
  EXPECT_TRUE(sdp.ok()) << (sdp.ok() ? "" : sdp.error().reason);
  return sdp.ok() ? *sdp : SessionDescription{};
}

TEST(SdpTest, ParsesAudioOfferWithTwoCodecsAndTelephoneEvent) {
  SessionDescription sdp = parse_sdp_ok(kOffer);
  EXPECT_EQ(sdp.origin.username, "alice");
  EXPECT_EQ(sdp.origin.session_id, 2890844526u);
  EXPECT_EQ(sdp.origin.session_version, 2890844527u);
  EXPECT_EQ(sdp.origin.address, "atlanta.example.com");
  ASSERT_TRUE(sdp.connection.has_value());
  EXPECT_EQ(sdp.connection->address, "192.0.2.101");
  ASSERT_EQ(sdp.media.size(), 1u);
  const SdpMedia& audio = sdp.media[0];
  EXPECT_EQ(audio.media, "audio");
  EXPECT_EQ(audio.port, 49172);
  EXPECT_EQ(audio.protocol, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string_view>{"0", "8", "101"}));
  ASSERT_EQ(audio.rtpmaps.size(), 3u);
  EXPECT_EQ(audio.find_rtpmap(8)->encoding, "PCMA");
  EXPECT_EQ(audio.find_rtpmap(101)->encoding, "telephone-event");
  EXPECT_EQ(audio.find_rtpmap(101)->clock_rate, 8000u);
  EXPECT_EQ(audio.find_rtpmap(18), nullptr);
  EXPECT_EQ(audio.find_fmtp(101), "0-16");
  EXPECT_EQ(audio.ptime, 20u);
  EXPECT_EQ(audio.rtcp_port, 49173);
  EXPECT_EQ(audio.rtcp_address, "IN IP4 192.0.2.101");
  EXPECT_EQ(sdp.direction_of(audio), SdpDirection::kSendRecv);
  EXPECT_EQ(sdp.connection_of(audio)->address, "192.0.2.101");
  ASSERT_EQ(audio.attributes.size(), 1u);
  EXPECT_EQ(audio.attributes[0].name, "x-vendor");
  EXPECT_EQ(audio.attributes[0].value, "thing");
  ASSERT_EQ(sdp.attributes.size(), 1u);
  EXPECT_EQ(sdp.attributes[0].value, "softphone 1.0");
}

TEST(SdpTest, SerializeReproducesCanonicalText) {
  EXPECT_EQ(parse_sdp_ok(kOffer).serialize(), kOffer);
}

TEST(SdpTest, RoundTripIsStableForReorderedInput) {
  constexpr std::string_view kLoose =
      "v=0\n"
      "o=- 1 1 IN IP6 ::1\n"
      "s=call\n"
      "t=0 0\n"
      "c=IN IP6 ::1\n"
      "a=recvonly\n"
      "m=audio 4000/2 RTP/AVP 9 96\n"
      "a=fmtp:96 mode=30; x=y\n"
      "a=rtpmap:96 opus/48000/2\n"
      "c=IN IP6 2001:db8::5\n"
      "a=ice-lite\n"
      "m=video 0 RTP/AVP 31\n"
      "m=image 0 udptl t38\n";
  SessionDescription first = parse_sdp_ok(kLoose);
  ASSERT_EQ(first.media.size(), 3u);
  EXPECT_EQ(first.media[0].port_count, 2);
  EXPECT_EQ(first.media[0].find_rtpmap(96)->channels, 2);
  EXPECT_EQ(first.media[0].find_fmtp(96), "mode=30; x=y");
  EXPECT_EQ(first.connection_of(first.media[0])->address, "2001:db8::5");
  EXPECT_EQ(first.direction_of(first.media[0]), SdpDirection::kRecvOnly);
  EXPECT_EQ(first.media[2].formats[0], "t38");
  std::string text = first.serialize();
  SessionDescription second = parse_sdp_ok(text);
  EXPECT_EQ(second.serialize(), text);
  EXPECT_EQ(second.media[0].find_rtpmap(96)->clock_rate, 48000u);
}

TEST(SdpTest, MediaDirectionOverridesSession) {
  SessionDescription sdp = parse_sdp_ok(
      "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=sendonly\r\n"
      "m=audio 5000 RTP/AVP 0\r\na=inactive\r\nm=audio 5002 RTP/AVP 0\r\n");
  EXPECT_EQ(sdp.direction_of(sdp.media[0]), SdpDirection::kInactive);
  EXPECT_EQ(sdp.direction_of(sdp.media[1]), SdpDirection::kSendOnly);
}

TEST(SdpTest, BuildsAnswerFromFields) {
  SessionDescription answer;
  answer.origin = {"unicc", 42, 43, "IN", "IP4", "198.51.100.1"};
  answer.connection = SdpConnection{"IN", "IP4", "198.51.100.1"};
  SdpMedia& audio = answer.media.emplace_back();
  audio.port = 30000;
  audio.formats = {"8", "101"};
  audio.rtpmaps = {{8, "PCMA", 8000, 0}, {101, "telephone-event", 8000, 0}};
  audio.fmtps = {{101, "0-15"}};
  audio.ptime = 20;
  audio.direction = SdpDirection::kSendRecv;
  EXPECT_EQ(answer.serialize(),
            "v=0\r\no=unicc 42 43 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
            "m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n");
}

TEST(SdpTest, RejectsMalformedDescriptions) {
  const std::string good_head = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";
  for (std::string bad : {
           std::string(""),
           std::string("v=1\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"),
           std::string("o=- 1 1 IN IP4 h\r\nv=0\r\ns=-\r\nt=0 0\r\n"),
           std::string("v=0\r\no=- x 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n"),
           std::string("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n"),
           std::string("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\n"),
           std::string("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"),
           good_head + "m=audio 70000 RTP/AVP 0\r\n",
           good_head + "m=audio 5000 RTP/AVP 128\r\n",
           good_head + "m=audio 5000 RTP/AVP\r\n",
           good_head + "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n",
           good_head + "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/0\r\n",
           good_head + "m=audio 5000 RTP/AVP 0\r\na=ptime:x\r\n",
           good_head + "m=audio 5000 RTP/AVP 0\r\na=sendonly\r\na=recvonly\r\n",
           good_head + "m=audio 5000 RTP/AVP 0\r\nu=http://x\r\n",
           good_head + "x=unknown\r\n",
           good_head + "a=\r\n",
           good_head + "garbage\r\n",
           good_head + "\r\nm=audio 5000 RTP/AVP 0\r\n",
           good_head + "c=IN IP4 10.0.0.2\r\n",
       }) {
    EXPECT_FALSE(SessionDescription::parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace unicc::sip
