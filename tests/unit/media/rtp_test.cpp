#include "media/rtp.h"

#include <gtest/gtest.h>

#include <vector>

namespace unicc::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// V=2, PT 0, seq 0x1234, ts 0x01020304, SSRC 0xdeadbeef, payload "abc".
const Bytes kMinimal = {0x80, 0x00, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0xde, 0xad, 0xbe, 0xef, 'a', 'b', 'c'};

// P, X, CC=2, marker, PT 96; two CSRCs; extension profile 0xbede with one word;
// payload "xy"; three bytes of padding.
const Bytes kFull = {0xb2, 0xe0, 0x00, 0x07, 0x00, 0x00, 0x00, 0xa0, 0x11, 0x22, 0x33, 0x44,
                     0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
                     0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00,
                     'x',  'y',  0x00, 0x00, 0x03};

RtpError error_of(const Bytes& bytes) { return parse_rtp(bytes).error; }

TEST(RtpTest, ParsesTheFixedHeader) {
  const auto parsed = parse_rtp(kMinimal);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed.packet.marker);
  EXPECT_EQ(parsed.packet.payload_type, 0);
  EXPECT_EQ(parsed.packet.sequence, 0x1234);
  EXPECT_EQ(parsed.packet.timestamp, 0x01020304u);
  EXPECT_EQ(parsed.packet.ssrc, 0xdeadbeefu);
  EXPECT_EQ(parsed.packet.csrc_count, 0);
  EXPECT_FALSE(parsed.packet.has_extension);
  EXPECT_EQ(parsed.packet.padding_size, 0);
  EXPECT_EQ(Bytes(parsed.packet.payload.begin(), parsed.packet.payload.end()), Bytes({'a', 'b', 'c'}));
}

TEST(RtpTest, ParsesCsrcsExtensionAndPadding) {
  const auto parsed = parse_rtp(kFull);
  ASSERT_TRUE(parsed.ok()) << describe(parsed.error);
  const RtpPacket& packet = parsed.packet;
  EXPECT_TRUE(packet.marker);
  EXPECT_EQ(packet.payload_type, 96);
  EXPECT_EQ(packet.sequence, 7);
  EXPECT_EQ(packet.timestamp, 160u);
  EXPECT_EQ(packet.ssrc, 0x11223344u);
  ASSERT_EQ(packet.csrc_count, 2);
  EXPECT_EQ(packet.csrcs[0], 1u);
  EXPECT_EQ(packet.csrcs[1], 2u);
  ASSERT_TRUE(packet.has_extension);
  EXPECT_EQ(packet.extension_profile, 0xbede);
  EXPECT_EQ(Bytes(packet.extension_data.begin(), packet.extension_data.end()), Bytes({0x10, 0xaa, 0x00, 0x00}));
  EXPECT_EQ(Bytes(packet.payload.begin(), packet.payload.end()), Bytes({'x', 'y'}));
  EXPECT_EQ(packet.padding_size, 3);
}

TEST(RtpTest, SerializesBackToTheSameBytes) {
  for (const Bytes& original : {kMinimal, kFull}) {
    const auto parsed = parse_rtp(original);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(serialized_size(parsed.packet), original.size());
    Bytes out(original.size());
    ASSERT_EQ(serialize_rtp(parsed.packet, out), original.size());
    EXPECT_EQ(out, original);
  }
}

TEST(RtpTest, SerializeRefusesWhatCannotBeWritten) {
  RtpPacket packet;
  Bytes out(64);
  Bytes too_small(11);
  EXPECT_EQ(serialize_rtp(packet, too_small), 0u);
  packet.csrc_count = 16;
  EXPECT_EQ(serialize_rtp(packet, out), 0u);
  packet.csrc_count = 0;
  const Bytes three_bytes = {1, 2, 3};
  packet.has_extension = true;
  packet.extension_data = three_bytes;
  EXPECT_EQ(serialize_rtp(packet, out), 0u);
  packet.has_extension = false;
  packet.marker = true;
  packet.payload_type = 72;  // with the marker bit this is the RTCP SR type 200
  EXPECT_EQ(serialize_rtp(packet, out), 0u);
  packet.payload_type = 128;
  packet.marker = false;
  EXPECT_EQ(serialize_rtp(packet, out), 0u);
}

TEST(RtpTest, RejectsGarbage) {
  EXPECT_EQ(error_of({}), RtpError::kTooShort);
  EXPECT_EQ(error_of(Bytes(kMinimal.begin(), kMinimal.begin() + 11)), RtpError::kTooShort);
  Bytes version1 = kMinimal;
  version1[0] = 0x40;
  EXPECT_EQ(error_of(version1), RtpError::kBadVersion);
  Bytes csrcs_missing = kMinimal;
  csrcs_missing[0] = 0x81;  // one CSRC announced, three bytes follow
  EXPECT_EQ(error_of(csrcs_missing), RtpError::kTooShort);
  Bytes extension_header_cut(kFull.begin(), kFull.begin() + 22);
  extension_header_cut[0] = 0x92;  // no padding bit, so the cut is in the extension header
  EXPECT_EQ(error_of(extension_header_cut), RtpError::kTooShort);
  Bytes extension_overrun = kFull;
  extension_overrun[23] = 0x09;
  EXPECT_EQ(error_of(extension_overrun), RtpError::kBadExtension);
  Bytes zero_padding = kFull;
  zero_padding.back() = 0;
  EXPECT_EQ(error_of(zero_padding), RtpError::kBadPadding);
  Bytes padding_into_header = kFull;
  padding_into_header.back() = 6;  // only 5 bytes follow the headers
  EXPECT_EQ(error_of(padding_into_header), RtpError::kBadPadding);
}

TEST(RtpTest, RecognisesRtcp) {
  // A receiver report with no report blocks.
  const Bytes receiver_report = {0x80, 0xc9, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0};
  EXPECT_EQ(error_of(receiver_report), RtpError::kRtcp);
  EXPECT_TRUE(looks_like_rtcp(receiver_report));
  for (std::uint8_t type = 200; type <= 204; ++type) {
    Bytes packet = receiver_report;
    packet[1] = type;
    EXPECT_EQ(error_of(packet), RtpError::kRtcp) << int{type};
  }
  EXPECT_FALSE(looks_like_rtcp(kMinimal));
  EXPECT_FALSE(looks_like_rtcp(Bytes(receiver_report.begin(), receiver_report.begin() + 7)));
}

TEST(RtpTest, RewritesStreamFieldsInPlaceKeepingTheMarker) {
  Bytes bytes = kFull;
  rewrite_rtp_stream_fields(bytes, 101, 0xfffe, 0xcafef00d, 0x01020304);
  const auto parsed = parse_rtp(bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.packet.marker);
  EXPECT_EQ(parsed.packet.payload_type, 101);
  EXPECT_EQ(parsed.packet.sequence, 0xfffe);
  EXPECT_EQ(parsed.packet.timestamp, 0xcafef00du);
  EXPECT_EQ(parsed.packet.ssrc, 0x01020304u);
  EXPECT_EQ(parsed.packet.csrc_count, 2);
  EXPECT_EQ(parsed.packet.payload.size(), 2u);
}

}  // namespace
}  // namespace unicc::media
