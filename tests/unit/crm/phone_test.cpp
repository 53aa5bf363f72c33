// crm::PhoneNormalizer: every way a number is written or arrives reads as one number;
// what is no phone number is refused.
#include "crm/phone.h"

#include <gtest/gtest.h>

namespace unicc::crm {
namespace {

struct Case {
  const char* input;
  const char* normalized;  // nullptr = refused
};

TEST(PhoneNormalizer, ReadsEverySpellingAsTheNationalNumber) {
  const PhoneNormalizer normalizer;  // 86, trunk prefix 0
  const Case cases[] = {
      {"13800000000", "13800000000"},
      {"+86 138 0000 0000", "13800000000"},
      {"+8613800000000", "13800000000"},
      {"008613800000000", "13800000000"},
      {"8613800000000", "13800000000"},
      {"013800000000", "13800000000"},
      {"138-0000-0000", "13800000000"},
      {"(+86) 138.0000.0000", "13800000000"},
      {"+86 (0)10 1234 5678", "1012345678"},
      {"010-12345678", "1012345678"},
      {"861012345678", "1012345678"},
      {"+1 555 010 0200", "+15550100200"},
      {"0015550100200", "+15550100200"},
      {"1001", "1001"},     // an extension stays as it is
      {"8601", "8601"},     // too short to carry a country code
      {"86123", "86123"},
      {"0", "0"},           // the trunk prefix alone is not removed down to nothing
      {"4000", "4000"},
      {"", nullptr},
      {"   ", nullptr},
      {"-()", nullptr},
      {"+", nullptr},
      {"+86", nullptr},
      {"00", nullptr},
      {"anonymous", nullptr},
      {"138 0000 000x", nullptr},
      {"1+38", nullptr},
      {"++8613800000000", nullptr},
      {"*86", nullptr},
      {"123456789012345678901234567890123", nullptr},  // 33 characters
  };
  for (const auto& c : cases) {
    auto got = normalizer.normalize(c.input);
    if (c.normalized) {
      EXPECT_EQ(got.value_or("(refused)"), c.normalized) << "input: '" << c.input << "'";
    } else {
      EXPECT_FALSE(got) << "input: '" << c.input << "' read as " << got.value_or("");
    }
  }
  EXPECT_TRUE(normalizer.normalize("+86 138 0000 0000  0000 0000 000"));  // 32 characters: long, but a number
}

TEST(PhoneNormalizer, FollowsTheCountryAndTrunkPrefixItIsGiven) {
  const PhoneNormalizer uk({"44", "0"});
  EXPECT_EQ(uk.normalize("+44 20 7946 0000"), "2079460000");
  EXPECT_EQ(uk.normalize("020 7946 0000"), "2079460000");
  EXPECT_EQ(uk.normalize("442079460000"), "2079460000");
  EXPECT_EQ(uk.normalize("+86 138 0000 0000"), "+8613800000000");
  const PhoneNormalizer no_trunk_prefix({"1", ""});
  EXPECT_EQ(no_trunk_prefix.normalize("+1 555 010 0200"), "5550100200");
  EXPECT_EQ(no_trunk_prefix.normalize("15550100200"), "5550100200");
  EXPECT_EQ(no_trunk_prefix.normalize("0555"), "0555");
}

TEST(PhoneNormalizer, SpellingsAreTheFormsACallerArrivesIn) {
  const PhoneNormalizer normalizer;
  EXPECT_EQ(normalizer.spellings("13800000000"),
            (std::vector<std::string>{"13800000000", "013800000000", "8613800000000", "+8613800000000",
                                      "008613800000000"}));
  EXPECT_EQ(normalizer.spellings("+15550100200"), (std::vector<std::string>{"+15550100200", "0015550100200"}));
  // Short numbers have no bare country-code form (it would read as another number).
  EXPECT_EQ(normalizer.spellings("1001"), (std::vector<std::string>{"1001", "01001", "+861001", "00861001"}));
  for (const auto& number : {"13800000000", "1012345678", "+15550100200", "1001", "0"}) {
    for (const auto& spelling : normalizer.spellings(number)) EXPECT_EQ(normalizer.normalize(spelling), number);
  }
}

}  // namespace
}  // namespace unicc::crm
