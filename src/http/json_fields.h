#pragma once
// http::JsonFields — strict reading of a JSON request body.
//
// The body must be one JSON object whose keys are all in the allowed list; a
// field of the wrong type or length is named in the error. Every failure is an
// HttpError 400 ("bad_json", "unknown_field", "missing_field", "invalid_field").
//
// parse_json_body() is how every JSON request body is read: nested deeper than
// core::kMaxJsonDepth is 400 "json_too_deep", larger than kMaxJsonBodyBytes is 413
// "body_too_large", invalid JSON 400 "bad_json".
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace unicc::http {

inline constexpr std::size_t kMaxJsonBodyBytes = 1 << 20;

nlohmann::json parse_json_body(const std::string& body);
// As parse_json_body, and 400 "bad_json" unless the body is a JSON object.
nlohmann::json parse_json_object_body(const std::string& body);

class JsonFields {
 public:
  JsonFields(const std::string& body, std::initializer_list<std::string_view> allowed);

  std::string required_string(const std::string& name, std::size_t max_length = 1024) const;
  std::optional<std::string> optional_string(const std::string& name, std::size_t max_length = 1024) const;
  std::optional<bool> optional_bool(const std::string& name) const;
  std::optional<std::int64_t> optional_int(const std::string& name, std::int64_t min, std::int64_t max) const;
  // A JSON number (integer or not) within [min, max].
  std::optional<double> optional_number(const std::string& name, double min, double max) const;
  double required_number(const std::string& name, double min, double max) const;
  // A JSON array of strings; the caller checks counts and lengths.
  std::optional<std::vector<std::string>> optional_string_list(const std::string& name) const;
  // A JSON object whose values are strings; the caller checks counts and lengths.
  std::optional<std::map<std::string, std::string>> optional_string_map(const std::string& name) const;
  // The field as sent, of any JSON type (the caller checks it); 400 missing_field without it.
  const nlohmann::json& required(const std::string& name) const;
  bool has(const std::string& name) const { return object_.contains(name); }
  // Whether the field is present as JSON null (for fields where null clears a value).
  bool is_null(const std::string& name) const { return object_.contains(name) && object_.at(name).is_null(); }

 private:
  nlohmann::json object_;
};

// Reads an integer query or path parameter within [min, max]; 400 otherwise.
std::int64_t int_param(const std::string& name, const std::string& text, std::int64_t min, std::int64_t max);

}  // namespace unicc::http
