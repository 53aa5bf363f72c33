#pragma once
// G.711 (ITU-T G.711) companding: PCMU (mu-law, RTP payload type 0) and PCMA (A-law,
// payload type 8) to and from 16-bit linear PCM, written from the segment/mantissa
// definition. Encoding clips to the largest code; decode(encode(x)) is within half a
// quantisation step of x (about 3% of |x|, at least 16 near zero).
#include <cstdint>
#include <optional>
#include <span>

namespace unicc::media {

enum class G711Law : std::uint8_t { kMu, kA };

inline constexpr std::uint8_t kPayloadTypePcmu = 0;
inline constexpr std::uint8_t kPayloadTypePcma = 8;

// The law of a static RTP payload type, or nullopt for anything but 0 and 8.
std::optional<G711Law> g711_law_for_payload_type(std::uint8_t payload_type);

std::uint8_t linear_to_pcmu(std::int16_t sample);
std::int16_t pcmu_to_linear(std::uint8_t code);
std::uint8_t linear_to_pcma(std::int16_t sample);
std::int16_t pcma_to_linear(std::uint8_t code);

// Whole buffers; `out` must be at least as long as `in` (one sample per byte).
void decode_g711(G711Law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out);
void encode_g711(G711Law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out);

}  // namespace unicc::media
