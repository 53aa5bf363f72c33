#pragma once
// RTP (RFC 3550) packets on raw bytes: parse, serialize, and the in-place rewrite a
// relay needs.
//
// parse_rtp() is strict and total: any byte sequence either yields a packet whose
// spans point into the input (which must outlive the result) or an RtpError; it never
// reads outside the input and never throws. RTCP packets (RFC 5761 §4: second byte in
// 192..223, which covers SR/RR/SDES/BYE/APP 200..204) are rejected as kRtcp so a
// stray RTCP packet is never taken for RTP with the marker bit set.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace unicc::media {

enum class RtpError : std::uint8_t {
  kNone,
  kTooShort,       // shorter than the fixed header plus its CSRCs and extension
  kBadVersion,     // version field is not 2
  kRtcp,           // an RTCP packet, not RTP
  kBadExtension,   // extension length runs past the end of the packet
  kBadPadding,     // padding count is 0 or larger than the room after the headers
};

std::string_view describe(RtpError error);

struct RtpPacket {
  static constexpr std::size_t kFixedHeaderSize = 12;
  static constexpr std::size_t kMaxCsrcs = 15;

  bool marker = false;
  std::uint8_t payload_type = 0;  // 0..127
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::uint8_t csrc_count = 0;  // 0..15; csrcs[0, csrc_count) are meaningful
  std::array<std::uint32_t, kMaxCsrcs> csrcs{};
  bool has_extension = false;
  std::uint16_t extension_profile = 0;
  std::span<const std::uint8_t> extension_data;  // a multiple of 4 bytes
  std::span<const std::uint8_t> payload;
  // Bytes of padding after the payload, including the final count byte; 0 = none.
  std::uint8_t padding_size = 0;
};

struct RtpParseResult {
  RtpError error = RtpError::kNone;
  RtpPacket packet;  // meaningful only when ok()
  bool ok() const { return error == RtpError::kNone; }
};

RtpParseResult parse_rtp(std::span<const std::uint8_t> bytes);

// True for a plausible RTCP compound packet start: version 2, an RTCP packet type,
// and at least the 8 bytes of a header with its sender SSRC.
bool looks_like_rtcp(std::span<const std::uint8_t> bytes);

// Bytes serialize_rtp() writes for `packet`.
std::size_t serialized_size(const RtpPacket& packet);

// Writes `packet` into `out` and returns the bytes written, or 0 when `out` is too
// small or the packet cannot be represented (csrc_count > 15, payload_type > 127,
// marker + payload type 64..95 which would read as RTCP, extension_data not a
// multiple of 4 bytes or longer than the 16-bit length allows).
// Padding is written as zero bytes followed by the count.
std::size_t serialize_rtp(const RtpPacket& packet, std::span<std::uint8_t> out);

// Overwrites the fields a relay rewrites on a packet that parse_rtp() accepted
// (precondition: bytes.size() >= 12); the marker bit and everything else are kept.
void rewrite_rtp_stream_fields(std::span<std::uint8_t> bytes, std::uint8_t payload_type,
                               std::uint16_t sequence, std::uint32_t timestamp,
                               std::uint32_t ssrc);

}  // namespace unicc::media
