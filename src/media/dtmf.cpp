#include "media/dtmf.h"

namespace unicc::media {
namespace {

constexpr std::size_t kEventPayloadSize = 4;
constexpr std::uint8_t kEndBit = 0x80;

std::optional<char> digit_for_event(std::uint8_t event) {
  constexpr char kDigits[] = "0123456789*#ABCD";
  if (event >= sizeof(kDigits) - 1) return std::nullopt;
  return kDigits[event];
}

}  // namespace

std::optional<DtmfDigit> DtmfDetector::on_packet(std::uint32_t rtp_timestamp,
                                                 std::span<const std::uint8_t> payload) {
  // Bytes after the 4-byte event block are tolerated: some senders pad the payload.
  if (payload.size() < kEventPayloadSize) return std::nullopt;
  if ((payload[1] & kEndBit) == 0) return std::nullopt;
  if (last_reported_timestamp_ == rtp_timestamp) return std::nullopt;
  const auto digit = digit_for_event(payload[0]);
  if (!digit) return std::nullopt;
  last_reported_timestamp_ = rtp_timestamp;
  const std::uint32_t duration_units = (std::uint32_t{payload[2]} << 8) | payload[3];
  const auto milliseconds = clock_rate_ == 0 ? 0 : std::uint64_t{duration_units} * 1000 / clock_rate_;
  return DtmfDigit{*digit, std::chrono::milliseconds(milliseconds)};
}

}  // namespace unicc::media
