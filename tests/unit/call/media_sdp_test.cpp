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

std::string srtp_offer(std::string_view profile, std::string_view crypto_lines) {
  return "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 40000 " +
         std::string(profile) + " 0 101\r\na=rtpmap:101 telephone-event/8000\r\n" + std::string(crypto_lines);
}
constexpr std::string_view kCrypto80 =
    "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n";

TEST(ReadAudio, TakesTheFirstCryptoLineWeImplement) {
  const std::string lines = "a=crypto:1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n"
                            "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4\r\n" +
                            std::string(kCrypto80);
  auto outcome = read_audio(srtp_offer("RTP/SAVP", lines));
  ASSERT_TRUE(outcome.offer) << outcome.reason;
  ASSERT_TRUE(outcome.offer->srtp);
  EXPECT_EQ(outcome.offer->srtp->tag, 2u);
  EXPECT_EQ(outcome.offer->srtp->key.suite, media::SrtpSuite::kAesCm128HmacSha1_80);
  EXPECT_TRUE(outcome.offer->srtp->savp);
  // Best-effort SRTP: crypto lines in an RTP/AVP offer.
  auto best_effort = read_audio(srtp_offer("RTP/AVP", kCrypto80));
  ASSERT_TRUE(best_effort.offer && best_effort.offer->srtp);
  EXPECT_FALSE(best_effort.offer->srtp->savp);
  // RTP/SAVP without a usable key, or with garbage, cannot be relayed.
  EXPECT_EQ(read_audio(srtp_offer("RTP/SAVP", "")).status, 488);
  EXPECT_EQ(read_audio(srtp_offer("RTP/SAVP", "a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:%%%\r\n")).status, 488);
}

TEST(SrtpNegotiation, FollowsThePolicy) {
  const AudioOffer savp = *read_audio(srtp_offer("RTP/SAVP", kCrypto80)).offer;
  const AudioOffer plain = *read_audio(srtp_offer("RTP/AVP", "")).offer;
  const AudioOffer best_effort = *read_audio(srtp_offer("RTP/AVP", kCrypto80)).offer;

  EXPECT_EQ(answer_srtp(SrtpPolicy::kRequired, plain).refusal, 488);
  EXPECT_EQ(answer_srtp(SrtpPolicy::kOff, savp).refusal, 488);
  EXPECT_FALSE(answer_srtp(SrtpPolicy::kOff, best_effort).own);
  EXPECT_FALSE(answer_srtp(SrtpPolicy::kOptional, plain).own);
  for (SrtpPolicy policy : {SrtpPolicy::kOptional, SrtpPolicy::kRequired}) {
    const SrtpAnswer answer = answer_srtp(policy, savp);
    ASSERT_EQ(answer.refusal, 0);
    ASSERT_TRUE(answer.own);
    EXPECT_EQ(answer.own->tag, 2u);
    EXPECT_NE(answer.own->key, savp.srtp->key);  // ours is our own
    const auto keys = relay_keys(answer.own, savp);
    ASSERT_TRUE(keys);
    EXPECT_EQ(keys->receive, savp.srtp->key);
    EXPECT_EQ(keys->send, answer.own->key);
    // A re-INVITE in the same suite keeps our key.
    EXPECT_EQ(answer_srtp(policy, savp, answer.own).own->key, answer.own->key);
  }
  EXPECT_TRUE(answer_srtp(SrtpPolicy::kOptional, best_effort).own);

  EXPECT_FALSE(offer_srtp(SrtpPolicy::kOptional));
  const auto own = offer_srtp(SrtpPolicy::kRequired);
  ASSERT_TRUE(own);
  EXPECT_FALSE(answer_matches_srtp(own, plain));
  EXPECT_TRUE(answer_matches_srtp(std::nullopt, savp));
  EXPECT_EQ(srtp_policy_named("required"), SrtpPolicy::kRequired);
  EXPECT_FALSE(srtp_policy_named("sometimes"));
}

TEST(DescribeAudio, CarriesOurKeyInTheProfileOffered) {
  const auto own = offer_srtp(SrtpPolicy::kRequired);
  const std::string sdp = describe_audio({{0, "PCMU", 8000, ""}}, "192.0.2.1", 20000, media::Direction::kSendRecv, 1,
                                         1, std::nullopt, own);
  EXPECT_NE(sdp.find("m=audio 20000 RTP/SAVP 0\r\n"), std::string::npos) << sdp;
  EXPECT_NE(sdp.find("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"), std::string::npos);
  const auto back = read_audio(sdp);
  ASSERT_TRUE(back.offer && back.offer->srtp);
  EXPECT_EQ(back.offer->srtp->key, own->key);
  EXPECT_TRUE(answer_matches_srtp(own, *back.offer));
  SdesKey best_effort = *own;
  best_effort.savp = false;
  EXPECT_NE(describe_audio({{0, "PCMU", 8000, ""}}, "192.0.2.1", 20000, media::Direction::kSendRecv, 1, 1,
                           std::nullopt, best_effort)
                .find("RTP/AVP 0"),
            std::string::npos);
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
