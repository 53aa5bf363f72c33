#include "core/json_limits.h"

#include <gtest/gtest.h>

namespace unicc::core {
namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ParseJson, ReadsWhatNlohmannReads) {
  const std::string text = R"({"a":[1,-2,3.5,"x",true,null,{"b":{}}],"a2":{"c":[]},"dup":1,"dup":2})";
  auto parsed = parse_json(text);
  ASSERT_TRUE(parsed.ok()) << parsed.message;
  EXPECT_EQ(parsed.value, nlohmann::json::parse(text));
  EXPECT_EQ(parsed.value["dup"], 2) << "the last of a repeated key wins";
  EXPECT_EQ(parse_json("7").value, 7);
}

TEST(ParseJson, NestingUpToTheLimitIsRead) {
  auto parsed = parse_json(nested(kMaxJsonDepth));
  ASSERT_TRUE(parsed.ok()) << parsed.message;
  std::size_t depth = 0;
  for (const auto* value = &parsed.value; value->is_array(); value = value->empty() ? nullptr : &(*value)[0]) {
    ++depth;
    if (value->empty()) break;
  }
  EXPECT_EQ(depth, kMaxJsonDepth);
}

TEST(ParseJson, DeeperDocumentsStopWithoutReadingFurther) {
  for (std::size_t depth : {kMaxJsonDepth + 1, std::size_t{100000}, std::size_t{500000}}) {
    auto parsed = parse_json(nested(depth));
    EXPECT_EQ(parsed.failure, JsonFailure::too_deep) << depth;
    EXPECT_TRUE(parsed.value.is_discarded());
    EXPECT_EQ(parsed.offset, kMaxJsonDepth + 1) << "stops at the first bracket too many";
    EXPECT_EQ(parsed.message, "the document is nested deeper than 64 levels");
  }
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += R"({"a":)";
  EXPECT_EQ(parse_json(objects).failure, JsonFailure::too_deep);
  EXPECT_EQ(parse_json(nested(5), {4, kMaxJsonBytes}).failure, JsonFailure::too_deep);
}

TEST(ParseJson, LargerDocumentsAreRefusedBeforeParsing) {
  std::string big = "\"" + std::string(100, 'a') + "\"";
  EXPECT_EQ(parse_json(big, {kMaxJsonDepth, 50}).failure, JsonFailure::too_large);
  EXPECT_TRUE(parse_json(big, {kMaxJsonDepth, big.size()}).ok());
}

TEST(ParseJson, SyntaxErrorsSayWhereAndWhy) {
  auto parsed = parse_json(R"({"a": tru})");
  EXPECT_EQ(parsed.failure, JsonFailure::syntax);
  EXPECT_TRUE(parsed.value.is_discarded());
  EXPECT_EQ(parsed.message.find("[json.exception"), std::string::npos) << parsed.message;
  EXPECT_NE(parsed.message.find("syntax error"), std::string::npos) << parsed.message;
  EXPECT_EQ(parse_json("").failure, JsonFailure::syntax);
  EXPECT_EQ(parse_json("[1] x").failure, JsonFailure::syntax);
}

}  // namespace
}  // namespace unicc::core
