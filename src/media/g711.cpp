#include "media/g711.h"

#include <algorithm>
#include <array>

namespace unicc::media {
namespace {

// mu-law works on magnitudes offset by a bias so every segment starts at a power of
// two; the clip keeps magnitude + bias inside 15 bits.
constexpr int kMuBias = 0x84;
constexpr int kMuClip = 32635;

// A-law works on 13-bit magnitudes; these are the upper bounds of segments 0..7.
constexpr std::array<int, 8> kALawSegmentEnds = {0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff};

}  // namespace

std::optional<G711Law> g711_law_for_payload_type(std::uint8_t payload_type) {
  if (payload_type == kPayloadTypePcmu) return G711Law::kMu;
  if (payload_type == kPayloadTypePcma) return G711Law::kA;
  return std::nullopt;
}

std::uint8_t linear_to_pcmu(std::int16_t sample) {
  int magnitude = sample;
  std::uint8_t sign = 0;
  if (magnitude < 0) {
    magnitude = -magnitude;
    sign = 0x80;
  }
  magnitude = std::min(magnitude, kMuClip) + kMuBias;
  // The segment (exponent) is the position of the highest set bit above bit 7.
  int exponent = 7;
  for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  const int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::int16_t pcmu_to_linear(std::uint8_t code) {
  code = static_cast<std::uint8_t>(~code);
  const int exponent = (code & 0x70) >> 4;
  const int magnitude = ((((code & 0x0f) << 3) + kMuBias) << exponent) - kMuBias;
  return static_cast<std::int16_t>((code & 0x80) != 0 ? -magnitude : magnitude);
}

std::uint8_t linear_to_pcma(std::int16_t sample) {
  int magnitude = sample >> 3;
  // Even bits are inverted on the wire (0x55); the sign bit is set for positive values.
  std::uint8_t mask = 0xd5;
  if (magnitude < 0) {
    mask = 0x55;
    magnitude = -magnitude - 1;
  }
  const auto segment = static_cast<int>(
      std::find_if(kALawSegmentEnds.begin(), kALawSegmentEnds.end(),
                   [magnitude](int end) { return magnitude <= end; }) -
      kALawSegmentEnds.begin());
  if (segment == static_cast<int>(kALawSegmentEnds.size())) return static_cast<std::uint8_t>(0x7f ^ mask);
  const int mantissa = (segment < 2 ? magnitude >> 1 : magnitude >> segment) & 0x0f;
  return static_cast<std::uint8_t>(((segment << 4) | mantissa) ^ mask);
}

std::int16_t pcma_to_linear(std::uint8_t code) {
  code ^= 0x55;
  const int segment = (code & 0x70) >> 4;
  // Reconstruct at the middle of the quantisation interval.
  int magnitude = ((code & 0x0f) << 4) + 8;
  if (segment >= 1) magnitude += 0x100;
  if (segment >= 2) magnitude <<= segment - 1;
  return static_cast<std::int16_t>((code & 0x80) != 0 ? magnitude : -magnitude);
}

void decode_g711(G711Law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out) {
  if (law == G711Law::kMu) {
    std::transform(in.begin(), in.end(), out.begin(), pcmu_to_linear);
  } else {
    std::transform(in.begin(), in.end(), out.begin(), pcma_to_linear);
  }
}

void encode_g711(G711Law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out) {
  if (law == G711Law::kMu) {
    std::transform(in.begin(), in.end(), out.begin(), linear_to_pcmu);
  } else {
    std::transform(in.begin(), in.end(), out.begin(), linear_to_pcma);
  }
}

}  // namespace unicc::media
