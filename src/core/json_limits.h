#pragma once
// core::parse_json — the one way JSON from outside (REST bodies, flow documents,
// WebSocket messages, web-service answers) becomes a value: bounded in nesting and
// size. nlohmann's parser itself is iterative, but the values it builds are copied,
// compared and dumped recursively, so a document nested 100,000 deep would blow the
// stack later; refusing it while parsing keeps every later walk shallow. Never throws.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace unicc::core {

// Deeper than any document unicc reads (a flow is about 6 levels) and far below
// what a recursive walk of the value can survive.
inline constexpr std::size_t kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxJsonBytes = 1 << 20;

struct JsonLimits {
  std::size_t max_depth = kMaxJsonDepth;  // objects and arrays inside each other
  std::size_t max_bytes = kMaxJsonBytes;
};

enum class JsonFailure { none, syntax, too_deep, too_large };

struct JsonParse {
  nlohmann::json value;  // discarded unless failure == none
  JsonFailure failure = JsonFailure::none;
  std::string message;  // why, for people; "" on success
  std::size_t offset = 0;  // bytes read when parsing stopped

  bool ok() const { return failure == JsonFailure::none; }
};

JsonParse parse_json(std::string_view text, JsonLimits limits = {});

}  // namespace unicc::core
