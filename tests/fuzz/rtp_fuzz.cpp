// libFuzzer target: RTP parsing and serialization, and the RFC 4733 detector.
//
// Any input must parse or fail cleanly. A packet that parses must serialize to the
// same number of bytes, which parse again to the same fields and payload. Every
// input is also fed to a DTMF detector as a telephone-event payload, which must
// never report more than one digit per timestamp.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/dtmf.h"
#include "media/rtp.h"

namespace {

bool same_bytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

bool same_packet(const unicc::media::RtpPacket& a, const unicc::media::RtpPacket& b) {
  return a.marker == b.marker && a.payload_type == b.payload_type && a.sequence == b.sequence &&
         a.timestamp == b.timestamp && a.ssrc == b.ssrc && a.csrc_count == b.csrc_count &&
         std::equal(a.csrcs.begin(), a.csrcs.begin() + a.csrc_count, b.csrcs.begin()) &&
         a.has_extension == b.has_extension && a.extension_profile == b.extension_profile &&
         same_bytes(a.extension_data, b.extension_data) && same_bytes(a.payload, b.payload) &&
         a.padding_size == b.padding_size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace unicc::media;
  const std::span<const std::uint8_t> input(data, size);
  const RtpParseResult parsed = parse_rtp(input);
  if (parsed.ok()) {
    std::vector<std::uint8_t> written(serialized_size(parsed.packet));
    if (written.size() != size || serialize_rtp(parsed.packet, written) != size) std::abort();
    const RtpParseResult again = parse_rtp(written);
    if (!again.ok() || !same_packet(parsed.packet, again.packet)) std::abort();
  }

  // The same bytes as a run of 4-byte telephone-event payloads on one timestamp.
  DtmfDetector detector;
  int digits = 0;
  for (std::size_t at = 0; at + 4 <= size; at += 4) {
    if (detector.on_packet(0, input.subspan(at, 4))) ++digits;
  }
  if (digits > 1) std::abort();
  return 0;
}
