#include "media/srtp.h"

#include <gtest/gtest.h>

#include <vector>

#include "media/rtp.h"

namespace unicc::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes rtp_packet(std::uint16_t sequence) {
  RtpPacket packet;
  packet.sequence = sequence;
  packet.timestamp = sequence * 160u;
  packet.ssrc = 0x1234;
  const Bytes payload(160, 0x55);
  packet.payload = payload;
  Bytes bytes(serialized_size(packet) + kSrtpMaxTrailer);
  serialize_rtp(packet, bytes);
  bytes.resize(serialized_size(packet));
  return bytes;
}

// Two ends of one leg: what one protects, the other unprotects.
struct Ends {
  explicit Ends(SrtpSuite suite)
      : keys{random_srtp_key(suite), random_srtp_key(suite)},
        ours(SrtpSession::create(keys)),
        theirs(SrtpSession::create(SrtpKeys{keys.send, keys.receive})) {}
  SrtpKeys keys;
  std::unique_ptr<SrtpSession> ours;
  std::unique_ptr<SrtpSession> theirs;
};

TEST(SrtpTest, SuitesByName) {
  EXPECT_EQ(srtp_suite_named("AES_CM_128_HMAC_SHA1_80"), SrtpSuite::kAesCm128HmacSha1_80);
  EXPECT_EQ(srtp_suite_named("AES_CM_128_HMAC_SHA1_32"), SrtpSuite::kAesCm128HmacSha1_32);
  EXPECT_FALSE(srtp_suite_named("F8_128_HMAC_SHA1_80"));
  EXPECT_EQ(srtp_suite_name(SrtpSuite::kAesCm128HmacSha1_32), "AES_CM_128_HMAC_SHA1_32");
  EXPECT_NE(random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80), random_srtp_key(SrtpSuite::kAesCm128HmacSha1_80));
}

TEST(SrtpTest, RoundTripsRtpWithEitherTagLength) {
  for (auto [suite, tag] : {std::pair{SrtpSuite::kAesCm128HmacSha1_80, 10u}, {SrtpSuite::kAesCm128HmacSha1_32, 4u}}) {
    Ends ends(suite);
    const Bytes clear = rtp_packet(1);
    Bytes packet = clear;
    packet.resize(clear.size() + kSrtpMaxTrailer);
    std::size_t size = clear.size();
    ASSERT_TRUE(ends.ours->protect_rtp(packet, size));
    EXPECT_EQ(size, clear.size() + tag);
    EXPECT_NE(Bytes(packet.begin() + 12, packet.begin() + 172), Bytes(clear.begin() + 12, clear.end()));
    Bytes copy(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(size));
    std::size_t copy_size = size;
    ASSERT_TRUE(ends.theirs->unprotect_rtp(packet, size));
    EXPECT_EQ(Bytes(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(size)), clear);
    // The same packet again is a replay.
    EXPECT_FALSE(ends.theirs->unprotect_rtp(copy, copy_size));
  }
}

TEST(SrtpTest, RefusesTamperedShortAndUnroomyPackets) {
  Ends ends(SrtpSuite::kAesCm128HmacSha1_80);
  Bytes packet = rtp_packet(5);
  std::size_t size = packet.size();
  EXPECT_FALSE(ends.ours->protect_rtp(packet, size));  // no room for the tag
  packet.resize(size + kSrtpMaxTrailer);
  ASSERT_TRUE(ends.ours->protect_rtp(packet, size));
  packet[size - 1] ^= 0x80;
  EXPECT_FALSE(ends.theirs->unprotect_rtp(packet, size));
  for (std::size_t garbage_size : {0u, 1u, 11u, 12u, 20u}) {
    Bytes garbage(garbage_size + 4, 0x80);
    std::size_t length = garbage_size;
    EXPECT_FALSE(ends.theirs->unprotect_rtp(garbage, length));
    EXPECT_FALSE(ends.theirs->unprotect_rtcp(garbage, length));
  }
}

TEST(SrtpTest, RoundTripsRtcp) {
  Ends ends(SrtpSuite::kAesCm128HmacSha1_32);
  const Bytes report = {0x80, 0xc9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78};
  Bytes packet = report;
  packet.resize(report.size() + kSrtpMaxTrailer);
  std::size_t size = report.size();
  ASSERT_TRUE(ends.ours->protect_rtcp(packet, size));
  EXPECT_EQ(size, report.size() + 4 + 10);  // E|index, then the 80-bit tag whatever the suite
  ASSERT_TRUE(ends.theirs->unprotect_rtcp(packet, size));
  EXPECT_EQ(Bytes(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(size)), report);
}

}  // namespace
}  // namespace unicc::media
