#include "ivr/json_source.h"

#include <gtest/gtest.h>

namespace unicc::ivr {
namespace {

TEST(JsonSource, RecordsTheLineOfEveryKeyAndArrayElement) {
  auto source = parse_json_source(
      "{\n"
      "  \"a\": 1,\n"
      "  \"b\": {\n"
      "    \"c/d\": [\n"
      "      true,\n"
      "      {\"e\": null}\n"
      "    ]\n"
      "  }\n"
      "}\n");
  EXPECT_EQ(source.lines.at(""), 1);
  EXPECT_EQ(source.lines.at("/a"), 2);
  EXPECT_EQ(source.lines.at("/b"), 3);
  EXPECT_EQ(source.lines.at("/b/c~1d"), 4);
  EXPECT_EQ(source.lines.at("/b/c~1d/0"), 5);
  EXPECT_EQ(source.lines.at("/b/c~1d/1"), 6);
  EXPECT_EQ(source.lines.at("/b/c~1d/1/e"), 6);
  EXPECT_EQ(source.value["b"]["c/d"][1]["e"], nullptr);
}

TEST(JsonSource, AMissingPointerTakesItsNearestAncestorsLine) {
  auto source = parse_json_source("{\n\"nodes\": {\n  \"x\": {\"type\": \"play\"}\n}}");
  EXPECT_EQ(source.line_of("/nodes/x/prompt"), 3);
  EXPECT_EQ(source.line_of("/nothing/here"), 1);
}

TEST(JsonSource, DeepNestingStopsAtTheLimitWithItsLine) {
  std::string deep = "{\n\"a\":\n" + std::string(100000, '[');
  try {
    parse_json_source(deep);
    ADD_FAILURE() << "no error";
  } catch (const JsonSyntaxError& error) {
    EXPECT_EQ(error.line(), 3);
    EXPECT_STREQ(error.what(), "nested deeper than 64 levels");
  }
  std::string at_limit = std::string(64, '[') + std::string(64, ']');
  std::string innermost;
  for (int i = 0; i < 63; ++i) innermost += "/0";
  EXPECT_EQ(parse_json_source(at_limit).lines.at(innermost), 1) << "64 levels are read";
}

TEST(JsonSource, NumbersAtTheEndOfALineKeepTheirLine) {
  auto source = parse_json_source("[1,\n2\n,3]");
  EXPECT_EQ(source.lines.at("/0"), 1);
  EXPECT_EQ(source.lines.at("/1"), 2);
  EXPECT_EQ(source.lines.at("/2"), 3);
}

TEST(JsonSource, ListsKeysGivenTwice) {
  auto source = parse_json_source("{\"a\": 1,\n \"a\": 2}");
  ASSERT_EQ(source.duplicate_keys.size(), 1u);
  EXPECT_EQ(source.duplicate_keys[0], "/a");
  EXPECT_EQ(source.value["a"], 2);
}

TEST(JsonSource, SyntaxErrorsCarryTheirLine) {
  try {
    parse_json_source("{\n  \"a\": 1,\n  \"b\" 2\n}");
    FAIL() << "expected a syntax error";
  } catch (const JsonSyntaxError& error) {
    EXPECT_EQ(error.line(), 3);
    EXPECT_NE(std::string(error.what()).find("syntax error"), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).find("json.exception"), std::string::npos) << error.what();
  }
}

TEST(JsonSource, NumbersOutOfRangeAreSyntaxErrorsToo) {
  try {
    parse_json_source("{\n\"a\": 8E3043}");
    FAIL() << "expected an error";
  } catch (const JsonSyntaxError& error) {
    EXPECT_EQ(error.line(), 2);
    EXPECT_EQ(std::string(error.what()), "number overflow parsing '8E3043'");
  }
}

}  // namespace
}  // namespace unicc::ivr
