#include "http/json_fields.h"

#include <gtest/gtest.h>

#include "http/router.h"

namespace unicc::http {
namespace {

std::string error_code(const std::function<void()>& action) {
  try {
    action();
  } catch (const HttpError& error) {
    EXPECT_EQ(error.status(), 400);
    return error.code();
  }
  return "none";
}

TEST(JsonFields, ReadsTypedFields) {
  JsonFields fields(R"({"name":"x","on":true,"n":5})", {"name", "on", "n", "other"});
  EXPECT_EQ(fields.required_string("name"), "x");
  EXPECT_EQ(fields.optional_bool("on"), true);
  EXPECT_EQ(fields.optional_int("n", 0, 10), 5);
  EXPECT_FALSE(fields.optional_string("other"));
}

TEST(JsonFields, EveryClientMistakeIsA400WithItsCode) {
  EXPECT_EQ(error_code([] { JsonFields("{", {"a"}); }), "bad_json");
  EXPECT_EQ(error_code([] { JsonFields("", {"a"}); }), "bad_json");
  EXPECT_EQ(error_code([] { JsonFields("[1,2]", {"a"}); }), "bad_json");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":1,"zz":2})", {"a"}); }), "unknown_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({})", {"a"}).required_string("a"); }), "missing_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"b":1})", {"a", "b"}).required("a"); }), "missing_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":1})", {"a"}).required_string("a"); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":"long"})", {"a"}).required_string("a", 2); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":"yes"})", {"a"}).optional_bool("a"); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":1.5})", {"a"}).optional_int("a", 0, 9); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":99})", {"a"}).optional_int("a", 0, 9); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":18446744073709551615})", {"a"}).optional_int("a", 0, 9); }),
            "invalid_field");
}

TEST(JsonFields, GivesAFieldOfAnyTypeAsSent) {
  const JsonFields fields(R"({"a":[1,"x"],"b":null})", {"a", "b"});
  EXPECT_EQ(fields.required("a"), nlohmann::json::parse(R"([1,"x"])"));
  EXPECT_TRUE(fields.required("b").is_null());
}

TEST(JsonFields, ReadsNumbersWithinTheirRange) {
  JsonFields fields(R"({"a":1.5,"b":3,"c":"2"})", {"a", "b", "c", "d"});
  EXPECT_EQ(fields.required_number("a", 0, 2), 1.5);
  EXPECT_EQ(fields.optional_number("b", 3, 3), 3.0);
  EXPECT_FALSE(fields.optional_number("d", 0, 1));
  EXPECT_EQ(error_code([&] { fields.optional_number("c", 0, 9); }), "invalid_field");
  EXPECT_EQ(error_code([&] { fields.optional_number("a", 2, 9); }), "invalid_field");
  EXPECT_EQ(error_code([&] { fields.required_number("d", 0, 9); }), "missing_field");
}

TEST(JsonFields, ReadsListsAndMapsOfStrings) {
  JsonFields fields(R"({"tags":["a","b"],"fields":{"plan":"gold"},"empty":[]})", {"tags", "fields", "empty", "x"});
  EXPECT_EQ(fields.optional_string_list("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fields.optional_string_list("empty"), std::vector<std::string>{});
  EXPECT_EQ(fields.optional_string_map("fields"), (std::map<std::string, std::string>{{"plan", "gold"}}));
  EXPECT_FALSE(fields.optional_string_list("x"));
  EXPECT_FALSE(fields.optional_string_map("x"));
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":["x",1]})", {"a"}).optional_string_list("a"); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":"x"})", {"a"}).optional_string_list("a"); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":{"k":2}})", {"a"}).optional_string_map("a"); }), "invalid_field");
  EXPECT_EQ(error_code([] { JsonFields(R"({"a":["k"]})", {"a"}).optional_string_map("a"); }), "invalid_field");
}

TEST(IntParam, ParsesOnlyWholeNumbersInRange) {
  EXPECT_EQ(int_param("limit", "20", 1, 100), 20);
  EXPECT_EQ(error_code([] { int_param("limit", "20x", 1, 100); }), "invalid_parameter");
  EXPECT_EQ(error_code([] { int_param("limit", "0", 1, 100); }), "invalid_parameter");
  EXPECT_EQ(error_code([] { int_param("limit", "", 1, 100); }), "invalid_parameter");
}

}  // namespace
}  // namespace unicc::http
