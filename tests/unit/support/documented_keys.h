#pragma once
// The configuration keys docs/configuration.md lacks: each key must have a row
// "| `name` | `default` |" there, with its real default.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/config.h"

namespace unicc::testing {

// The missing rows; one row "docs/configuration.md is missing" when it cannot be read.
inline std::vector<std::string> undocumented_keys(const std::vector<core::ConfigKey>& keys) {
  std::ifstream in(std::string(UNICC_SOURCE_DIR) + "/docs/configuration.md");
  if (!in) return {"docs/configuration.md is missing"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  std::vector<std::string> missing;
  for (const auto& key : keys) {
    std::string row = "| `" + key.name + "` | `" + key.default_value + "` |";
    if (doc.find(row) == std::string::npos) missing.push_back(row);
  }
  return missing;
}

}  // namespace unicc::testing
