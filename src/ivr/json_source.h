#pragma once
// ivr::JsonSource — a JSON text parsed together with the line of every value, by
// JSON pointer, so that problems found later in the parsed value can be reported
// as FILE:LINE. An object member's line is the line of its key; an array element's
// line is where the element starts. Keys given twice are listed (the last one wins,
// as in the parsed value).
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace unicc::ivr {

struct JsonSource {
  nlohmann::json value;
  std::map<std::string, int> lines;         // JSON pointer -> 1-based line
  std::vector<std::string> duplicate_keys;  // JSON pointers

  // The line of `pointer`, or of its nearest ancestor that has one; 0 if none.
  int line_of(std::string pointer) const;
};

class JsonSyntaxError : public std::runtime_error {
 public:
  JsonSyntaxError(int line, const std::string& message) : std::runtime_error(message), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Throws JsonSyntaxError (with the line and nlohmann's description) for invalid JSON,
// and for text over core::kMaxJsonBytes or nested deeper than core::kMaxJsonDepth.
JsonSource parse_json_source(std::string_view text);

// `key` escaped for use as one JSON pointer segment ("~" -> "~0", "/" -> "~1").
std::string pointer_segment(const std::string& key);

}  // namespace unicc::ivr
