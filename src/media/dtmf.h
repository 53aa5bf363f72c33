#pragma once
// DtmfDetector — RFC 4733 telephone-event digits from the RTP payloads of one stream.
//
// A sender repeats each event in several packets sharing one RTP timestamp, and sends
// the final packet (E bit set) three times. The detector reports each event exactly
// once, on the first end packet for its timestamp, with the duration that packet
// carries. Events other than the DTMF digits 0-9 * # A-D (flash, tones) are ignored,
// as are malformed payloads. An event whose end packets were all lost is not
// reported. Not thread-safe: one detector per stream, fed from one thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

namespace unicc::media {

struct DtmfDigit {
  char digit = 0;  // '0'-'9', '*', '#', 'A'-'D'
  std::chrono::milliseconds duration{0};
};

class DtmfDetector {
 public:
  // `clock_rate` is the telephone-event RTP clock from the SDP (a=rtpmap:101
  // telephone-event/8000), used to turn durations into milliseconds.
  explicit DtmfDetector(std::uint32_t clock_rate = 8000) : clock_rate_(clock_rate) {}

  // Feed the payload of every packet of the telephone-event payload type; returns the
  // digit when this packet completes an event not reported before.
  std::optional<DtmfDigit> on_packet(std::uint32_t rtp_timestamp, std::span<const std::uint8_t> payload);

 private:
  std::uint32_t clock_rate_;
  std::optional<std::uint32_t> last_reported_timestamp_;
};

}  // namespace unicc::media
