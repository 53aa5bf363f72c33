#include "media/rtp.h"

#include <algorithm>

namespace unicc::media {
namespace {

constexpr std::uint8_t kVersion = 2;
constexpr std::size_t kExtensionHeaderSize = 4;

std::uint16_t read_u16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

void write_u16(std::span<std::uint8_t> bytes, std::size_t at, std::uint16_t value) {
  bytes[at] = static_cast<std::uint8_t>(value >> 8);
  bytes[at + 1] = static_cast<std::uint8_t>(value);
}

void write_u32(std::span<std::uint8_t> bytes, std::size_t at, std::uint32_t value) {
  bytes[at] = static_cast<std::uint8_t>(value >> 24);
  bytes[at + 1] = static_cast<std::uint8_t>(value >> 16);
  bytes[at + 2] = static_cast<std::uint8_t>(value >> 8);
  bytes[at + 3] = static_cast<std::uint8_t>(value);
}

bool is_rtcp_packet_type(std::uint8_t second_byte) {
  return second_byte >= 192 && second_byte <= 223;
}

}  // namespace

std::string_view describe(RtpError error) {
  switch (error) {
    case RtpError::kNone: return "ok";
    case RtpError::kTooShort: return "packet too short";
    case RtpError::kBadVersion: return "RTP version is not 2";
    case RtpError::kRtcp: return "RTCP packet";
    case RtpError::kBadExtension: return "header extension runs past the packet";
    case RtpError::kBadPadding: return "bad padding count";
  }
  return "unknown error";
}

RtpParseResult parse_rtp(std::span<const std::uint8_t> bytes) {
  RtpParseResult result;
  if (bytes.size() < RtpPacket::kFixedHeaderSize) {
    result.error = RtpError::kTooShort;
    return result;
  }
  if ((bytes[0] >> 6) != kVersion) {
    result.error = RtpError::kBadVersion;
    return result;
  }
  if (is_rtcp_packet_type(bytes[1])) {
    result.error = RtpError::kRtcp;
    return result;
  }
  RtpPacket& packet = result.packet;
  const bool has_padding = (bytes[0] & 0x20) != 0;
  packet.has_extension = (bytes[0] & 0x10) != 0;
  packet.csrc_count = bytes[0] & 0x0f;
  packet.marker = (bytes[1] & 0x80) != 0;
  packet.payload_type = bytes[1] & 0x7f;
  packet.sequence = read_u16(bytes, 2);
  packet.timestamp = read_u32(bytes, 4);
  packet.ssrc = read_u32(bytes, 8);

  std::size_t offset = RtpPacket::kFixedHeaderSize;
  if (bytes.size() < offset + 4u * packet.csrc_count) {
    result.error = RtpError::kTooShort;
    return result;
  }
  for (std::size_t i = 0; i < packet.csrc_count; ++i, offset += 4) {
    packet.csrcs[i] = read_u32(bytes, offset);
  }
  if (packet.has_extension) {
    if (bytes.size() < offset + kExtensionHeaderSize) {
      result.error = RtpError::kTooShort;
      return result;
    }
    packet.extension_profile = read_u16(bytes, offset);
    const std::size_t extension_bytes = 4u * read_u16(bytes, offset + 2);
    offset += kExtensionHeaderSize;
    if (bytes.size() - offset < extension_bytes) {
      result.error = RtpError::kBadExtension;
      return result;
    }
    packet.extension_data = bytes.subspan(offset, extension_bytes);
    offset += extension_bytes;
  }
  std::size_t end = bytes.size();
  if (has_padding) {
    const std::uint8_t count = bytes.back();
    // The count includes itself, so it cannot be 0 and must fit after the headers.
    if (count == 0 || count > end - offset) {
      result.error = RtpError::kBadPadding;
      return result;
    }
    packet.padding_size = count;
    end -= count;
  }
  packet.payload = bytes.subspan(offset, end - offset);
  return result;
}

bool looks_like_rtcp(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 8 && (bytes[0] >> 6) == kVersion && is_rtcp_packet_type(bytes[1]);
}

std::size_t serialized_size(const RtpPacket& packet) {
  std::size_t size = RtpPacket::kFixedHeaderSize + 4u * packet.csrc_count;
  if (packet.has_extension) size += kExtensionHeaderSize + packet.extension_data.size();
  return size + packet.payload.size() + packet.padding_size;
}

std::size_t serialize_rtp(const RtpPacket& packet, std::span<std::uint8_t> out) {
  const std::size_t extension_words = packet.extension_data.size() / 4;
  const auto second_byte = static_cast<std::uint8_t>((packet.marker ? 0x80 : 0) | packet.payload_type);
  const bool representable = packet.csrc_count <= RtpPacket::kMaxCsrcs &&
                             packet.payload_type <= 0x7f && !is_rtcp_packet_type(second_byte) &&
                             packet.extension_data.size() % 4 == 0 && extension_words <= 0xffff;
  const std::size_t size = serialized_size(packet);
  if (!representable || out.size() < size) return 0;

  out[0] = static_cast<std::uint8_t>((kVersion << 6) | (packet.padding_size > 0 ? 0x20 : 0) |
                                     (packet.has_extension ? 0x10 : 0) | packet.csrc_count);
  out[1] = second_byte;
  write_u16(out, 2, packet.sequence);
  write_u32(out, 4, packet.timestamp);
  write_u32(out, 8, packet.ssrc);
  std::size_t offset = RtpPacket::kFixedHeaderSize;
  for (std::size_t i = 0; i < packet.csrc_count; ++i, offset += 4) {
    write_u32(out, offset, packet.csrcs[i]);
  }
  if (packet.has_extension) {
    write_u16(out, offset, packet.extension_profile);
    write_u16(out, offset + 2, static_cast<std::uint16_t>(extension_words));
    offset += kExtensionHeaderSize;
    std::copy(packet.extension_data.begin(), packet.extension_data.end(), out.begin() + offset);
    offset += packet.extension_data.size();
  }
  std::copy(packet.payload.begin(), packet.payload.end(), out.begin() + offset);
  offset += packet.payload.size();
  if (packet.padding_size > 0) {
    std::fill_n(out.begin() + offset, packet.padding_size - 1, std::uint8_t{0});
    out[size - 1] = packet.padding_size;
  }
  return size;
}

void rewrite_rtp_stream_fields(std::span<std::uint8_t> bytes, std::uint8_t payload_type,
                               std::uint16_t sequence, std::uint32_t timestamp,
                               std::uint32_t ssrc) {
  bytes[1] = static_cast<std::uint8_t>((bytes[1] & 0x80) | (payload_type & 0x7f));
  write_u16(bytes, 2, sequence);
  write_u32(bytes, 4, timestamp);
  write_u32(bytes, 8, ssrc);
}

}  // namespace unicc::media
