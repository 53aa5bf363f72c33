#include "call/media_sdp.h"

#include <gtest/gtest.h>

namespace unicc::call {
namespace {

const char* kOffer =
    "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 9 0 8 96\r\na=rtpmap:9 G722/8000\r\na=rtpmap:96 telephone-event/8000\r\n"
    "a=fmtp:96 0-16\r\na=ptime:20\r\na=sendonly\r\n";

TEST(ReadAudio, KeepsOnlyWhatTheRelayCarries) {
  auto outcome = read_audio(kOffer);
  ASSERT_TRUE(outcome.offer) << outcome.reason;
  const AudioOffer& offer = *outcome.offer;
  EXPECT_EQ(offer.address, "10.0.0.5");
  EXPECT_EQ(offer.port, 40000);
  ASSERT_EQ(offer.codecs.size(), 3u);  // G722 dropped
  EXPECT_EQ(offer.codecs[0].name, "PCMU");
  EXPECT_EQ(offer.codecs[1].name, "PCMA");
  EXPECT_EQ(offer.codecs[2].name, "telephone-event");
  EXPECT_EQ(offer.codecs[2].fmtp, "0-16");
  EXPECT_EQ(offer.dtmf_payload_type(), 96);
  EXPECT_EQ(offer.direction, media::Direction::kSendOnly);
  EXPECT_EQ(offer.ptime, 20u);
}

TEST(ReadAudio, RefusesWhatCannotBeRelayed) {
  EXPECT_EQ(read_audio("garbage").status, 400);
  EXPECT_EQ(read_audio("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                       "m=audio 4000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n")
                .status,
            488);
  EXPECT_EQ(read_audio("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                       "m=video 4000 RTP/AVP 96\r\n")
                .status,
            488);
}

TEST(DescribeAudio, NamesOurRelayAndTheDirection) {
  auto offer = *read_audio(kOffer).offer;
  std::string sdp = describe_audio(offer.codecs, "192.0.2.1", 20000, answer_direction(offer.direction), 7, 2, 20);
  EXPECT_NE(sdp.find("o=unicc 7 2 IN IP4 192.0.2.1\r\n"), std::string::npos) << sdp;
  EXPECT_NE(sdp.find("c=IN IP4 192.0.2.1\r\n"), std::string::npos);
  EXPECT_NE(sdp.find("m=audio 20000 RTP/AVP 0 8 96\r\n"), std::string::npos);
  EXPECT_NE(sdp.find("a=fmtp:96 0-16\r\n"), std::string::npos);
  EXPECT_NE(sdp.find("a=recvonly\r\n"), std::string::npos);
  auto reparsed = read_audio(sdp);
  ASSERT_TRUE(reparsed.offer);
  EXPECT_EQ(reparsed.offer->port, 20000);
}

TEST(CommonCodecs, KeepsTheAnswersOrder) {
  std::vector<Codec> offer = {{0, "PCMU", 8000, ""}, {8, "PCMA", 8000, ""}, {101, "telephone-event", 8000, ""}};
  std::vector<Codec> answer = {{8, "PCMA", 8000, ""}, {0, "PCMU", 8000, ""}};
  auto common = common_codecs(offer, answer);
  ASSERT_EQ(common.size(), 2u);
  EXPECT_EQ(common[0].name, "PCMA");
}

}  // namespace
}  // namespace unicc::call
