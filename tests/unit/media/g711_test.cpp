#include "media/g711.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <vector>

namespace unicc::media {
namespace {

TEST(G711Test, KnownMuLawCodePoints) {
  EXPECT_EQ(pcmu_to_linear(0xff), 0);
  EXPECT_EQ(pcmu_to_linear(0x7f), 0);
  EXPECT_EQ(pcmu_to_linear(0x80), 32124);
  EXPECT_EQ(pcmu_to_linear(0x00), -32124);
  EXPECT_EQ(linear_to_pcmu(0), 0xff);
  EXPECT_EQ(linear_to_pcmu(32767), 0x80);
  EXPECT_EQ(linear_to_pcmu(-32768), 0x00);
}

TEST(G711Test, KnownALawCodePoints) {
  EXPECT_EQ(pcma_to_linear(0xd5), 8);
  EXPECT_EQ(pcma_to_linear(0x55), -8);
  EXPECT_EQ(pcma_to_linear(0xaa), 32256);
  EXPECT_EQ(pcma_to_linear(0x2a), -32256);
  EXPECT_EQ(linear_to_pcma(0), 0xd5);
  EXPECT_EQ(linear_to_pcma(32767), 0xaa);
  EXPECT_EQ(linear_to_pcma(-32768), 0x2a);
}

TEST(G711Test, RoundTripsWithinHalfAQuantisationStep) {
  for (int value = std::numeric_limits<std::int16_t>::min(); value <= std::numeric_limits<std::int16_t>::max();
       ++value) {
    const auto sample = static_cast<std::int16_t>(value);
    // Steps are 1/16 of the segment's base, so half a step is at most |x|/32 (x2 for
    // the clipped top of mu-law); near zero the steps are fixed.
    const int bound = std::abs(value) / 16 + 16;
    ASSERT_LE(std::abs(pcmu_to_linear(linear_to_pcmu(sample)) - value), bound) << value;
    ASSERT_LE(std::abs(pcma_to_linear(linear_to_pcma(sample)) - value), bound) << value;
  }
}

TEST(G711Test, EveryCodeDecodesToAValueThatEncodesBackToIt) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    EXPECT_EQ(linear_to_pcma(pcma_to_linear(byte)), byte) << code;
    // 0x7f is mu-law's negative zero; it decodes to 0, which encodes as 0xff.
    if (code != 0x7f) {
      EXPECT_EQ(linear_to_pcmu(pcmu_to_linear(byte)), byte) << code;
    }
  }
}

TEST(G711Test, EncodingIsMonotonic) {
  int previous_mu = pcmu_to_linear(linear_to_pcmu(-32768));
  int previous_a = pcma_to_linear(linear_to_pcma(-32768));
  for (int value = -32767; value <= 32767; ++value) {
    const int mu = pcmu_to_linear(linear_to_pcmu(static_cast<std::int16_t>(value)));
    const int a = pcma_to_linear(linear_to_pcma(static_cast<std::int16_t>(value)));
    ASSERT_GE(mu, previous_mu) << value;
    ASSERT_GE(a, previous_a) << value;
    previous_mu = mu;
    previous_a = a;
  }
}

TEST(G711Test, BuffersAndPayloadTypes) {
  EXPECT_EQ(g711_law_for_payload_type(0), G711Law::kMu);
  EXPECT_EQ(g711_law_for_payload_type(8), G711Law::kA);
  EXPECT_FALSE(g711_law_for_payload_type(9).has_value());
  EXPECT_FALSE(g711_law_for_payload_type(101).has_value());

  const std::vector<std::int16_t> samples = {0, 1000, -1000, 30000, -30000};
  for (G711Law law : {G711Law::kMu, G711Law::kA}) {
    std::vector<std::uint8_t> encoded(samples.size());
    std::vector<std::int16_t> decoded(samples.size());
    encode_g711(law, samples, encoded);
    decode_g711(law, encoded, decoded);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      EXPECT_NEAR(decoded[i], samples[i], std::abs(samples[i]) / 16 + 16);
    }
  }
}

}  // namespace
}  // namespace unicc::media
