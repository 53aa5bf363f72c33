#include "core/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace unicc::core {
namespace {

std::vector<std::string> items(std::string_view list) {
  std::vector<std::string> out;
  for_each_item(list, ',', [&out](std::string_view item) { out.emplace_back(item); });
  return out;
}

TEST(Text, TrimDropsSpacesAndTabsAtBothEndsOnly) {
  EXPECT_EQ(trim(" \t a b\t "), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("\r\nx"), "\r\nx");  // line breaks are not blanks: a caller must refuse them
}

TEST(Text, ItemsAreTrimmedAndEmptyOnesKept) {
  EXPECT_EQ(items("10.0.0.1, 10.0.0.2 ,\t10.0.0.3"), (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  EXPECT_EQ(items("a,,b,"), (std::vector<std::string>{"a", "", "b", ""}));
  EXPECT_TRUE(items("").empty());
}

}  // namespace
}  // namespace unicc::core
