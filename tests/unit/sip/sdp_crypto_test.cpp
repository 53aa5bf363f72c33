#include "sip/sdp_crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace unicc::sip {
namespace {

// RFC 4568 §9.1's example key (30 bytes).
constexpr std::string_view kKey = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

TEST(SdpCryptoTest, ReadsTagSuiteAndKey) {
  const std::string line = "1 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(kKey) + "|2^20|1:4";
  const auto crypto = parse_crypto(line);  // its suite is a view into `line`
  ASSERT_TRUE(crypto);
  EXPECT_EQ(crypto->tag, 1u);
  EXPECT_EQ(crypto->suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(crypto->key_salt.size(), 30u);
  EXPECT_TRUE(crypto->has_mki);
  EXPECT_FALSE(crypto->has_session_params);

  const auto plain = parse_crypto("7 AES_CM_128_HMAC_SHA1_32 inline:" + std::string(kKey));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->tag, 7u);
  EXPECT_FALSE(plain->has_mki);
  EXPECT_TRUE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(kKey) + " KDR=1")->has_session_params);
  EXPECT_TRUE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(kKey) + ";inline:" +
                           std::string(kKey))->has_mki);
}

TEST(SdpCryptoTest, FormatsWhatItReadsBack) {
  const std::string key(30, '\x5a');
  const std::string value = format_crypto(3, "AES_CM_128_HMAC_SHA1_80", key);
  EXPECT_EQ(value, "3 AES_CM_128_HMAC_SHA1_80 inline:WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa");
  const auto back = parse_crypto(value);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->tag, 3u);
  EXPECT_EQ(back->key_salt, key);
  // Padding is understood and not part of the key.
  EXPECT_EQ(parse_crypto(format_crypto(1, "X", std::string(29, 'k')))->key_salt, std::string(29, 'k'));
}

TEST(SdpCryptoTest, RefusesMalformedLines) {
  const std::string key(kKey);
  for (const std::string& bad : std::initializer_list<std::string>{
           "", std::string("1"), "0 AES_CM_128_HMAC_SHA1_80 inline:" + key,
        "1000000000 AES_CM_128_HMAC_SHA1_80 inline:" + key, "x AES_CM_128_HMAC_SHA1_80 inline:" + key,
        "-1 AES_CM_128_HMAC_SHA1_80 inline:" + key, "1  AES_CM_128_HMAC_SHA1_80 inline:" + key,
        "1 AES-CM inline:" + key, "1 AES_CM_128_HMAC_SHA1_80 " + key, "1 AES_CM_128_HMAC_SHA1_80 inline:",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1u*CVe", "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQ",
        "1 AES_CM_128_HMAC_SHA1_80 inline:====", "1 AES_CM_128_HMAC_SHA1_80 inline:" + std::string(132, 'A'),
        "1 AES_CM_128_HMAC_SHA1_80 inline:" + key + std::string(kMaxCryptoValue, ' ')}) {
    EXPECT_FALSE(parse_crypto(bad)) << bad;
  }
}

}  // namespace
}  // namespace unicc::sip
