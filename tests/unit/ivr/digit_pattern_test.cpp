#include "ivr/digit_pattern.h"

#include <gtest/gtest.h>

namespace unicc::ivr {
namespace {

DigitPattern pattern(const std::string& text) {
  std::string why;
  auto parsed = DigitPattern::parse(text, why);
  EXPECT_TRUE(parsed) << text << ": " << why;
  return parsed.value_or(DigitPattern());
}

TEST(DigitPattern, MatchesTheWholeInput) {
  EXPECT_TRUE(pattern("1XX").matches("123"));
  EXPECT_FALSE(pattern("1XX").matches("12"));
  EXPECT_FALSE(pattern("1XX").matches("1234"));
  EXPECT_FALSE(pattern("1XX").matches("223"));
}

TEST(DigitPattern, ClassesAndSets) {
  EXPECT_TRUE(pattern("NZX").matches("210"));
  EXPECT_FALSE(pattern("NZX").matches("110"));
  EXPECT_FALSE(pattern("NZX").matches("200"));
  EXPECT_TRUE(pattern("[1-3]#").matches("3#"));
  EXPECT_FALSE(pattern("[1-3]#").matches("4#"));
  EXPECT_TRUE(pattern("[159]*").matches("5*"));
}

TEST(DigitPattern, AFinalDotNeedsOneOrMoreMore) {
  EXPECT_TRUE(pattern("138.").matches("13800001111"));
  EXPECT_FALSE(pattern("138.").matches("138"));
}

TEST(DigitPattern, RejectsWhatItDoesNotKnow) {
  std::string why;
  EXPECT_FALSE(DigitPattern::parse("1.2", why));
  EXPECT_NE(why.find("'.'"), std::string::npos) << why;
  EXPECT_FALSE(DigitPattern::parse("[3-1]", why));
  EXPECT_FALSE(DigitPattern::parse("[12", why));
  EXPECT_FALSE(DigitPattern::parse("", why));
  EXPECT_FALSE(DigitPattern::parse("(a*)*", why));
}

}  // namespace
}  // namespace unicc::ivr
