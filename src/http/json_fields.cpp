#include "http/json_fields.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/json_limits.h"
#include "http/router.h"

namespace unicc::http {
namespace {

[[noreturn]] void invalid(const std::string& name, const std::string& problem) {
  throw HttpError(400, "invalid_field", "field '" + name + "' " + problem);
}

// Whether every element of an array, or every value of an object, is a string.
bool all_strings(const nlohmann::json& container) {
  return std::all_of(container.begin(), container.end(), [](const nlohmann::json& item) { return item.is_string(); });
}

}  // namespace

nlohmann::json parse_json_body(const std::string& body) {
  auto parsed = core::parse_json(body, {core::kMaxJsonDepth, kMaxJsonBodyBytes});
  switch (parsed.failure) {
    case core::JsonFailure::none:
      return std::move(parsed.value);
    case core::JsonFailure::too_large:
      throw HttpError(413, "body_too_large", "the JSON body is larger than " + std::to_string(kMaxJsonBodyBytes) +
                                                 " bytes");
    case core::JsonFailure::too_deep:
      throw HttpError(400, "json_too_deep", "the JSON body is nested deeper than " +
                                                std::to_string(core::kMaxJsonDepth) + " levels");
    case core::JsonFailure::syntax:
      break;
  }
  throw HttpError(400, "bad_json", "the request body is not valid JSON: " + parsed.message);
}

nlohmann::json parse_json_object_body(const std::string& body) {
  auto value = parse_json_body(body);
  if (!value.is_object()) throw HttpError(400, "bad_json", "the request body must be a JSON object");
  return value;
}

JsonFields::JsonFields(const std::string& body, std::initializer_list<std::string_view> allowed) {
  object_ = parse_json_object_body(body);
  for (const auto& [key, value] : object_.items()) {
    bool known = false;
    for (auto name : allowed) known = known || name == key;
    if (!known) throw HttpError(400, "unknown_field", "unknown field '" + key + "'");
  }
}

const nlohmann::json& JsonFields::required(const std::string& name) const {
  if (!object_.contains(name)) throw HttpError(400, "missing_field", "field '" + name + "' is required");
  return object_.at(name);
}

std::string JsonFields::required_string(const std::string& name, std::size_t max_length) const {
  auto value = optional_string(name, max_length);
  if (!value) throw HttpError(400, "missing_field", "field '" + name + "' is required");
  return *value;
}

std::optional<std::string> JsonFields::optional_string(const std::string& name, std::size_t max_length) const {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_string()) invalid(name, "must be a string");
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() > max_length) invalid(name, "is longer than " + std::to_string(max_length) + " bytes");
  return text;
}

std::optional<bool> JsonFields::optional_bool(const std::string& name) const {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_boolean()) invalid(name, "must be true or false");
  return it->get<bool>();
}

std::optional<std::int64_t> JsonFields::optional_int(const std::string& name, std::int64_t min,
                                                     std::int64_t max) const {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_number_integer()) invalid(name, "must be an integer");
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    invalid(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  std::int64_t value = it->get<std::int64_t>();
  if (value < min || value > max) {
    invalid(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

std::optional<double> JsonFields::optional_number(const std::string& name, double min, double max) const {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_number()) invalid(name, "must be a number");
  const double value = it->get<double>();
  if (!(value >= min && value <= max)) invalid(name, fmt::format("must be between {:g} and {:g}", min, max));
  return value;
}

double JsonFields::required_number(const std::string& name, double min, double max) const {
  auto value = optional_number(name, min, max);
  if (!value) throw HttpError(400, "missing_field", "field '" + name + "' is required");
  return *value;
}

std::optional<std::vector<std::string>> JsonFields::optional_string_list(const std::string& name) const {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_array() || !all_strings(*it)) invalid(name, "must be an array of strings");
  return it->get<std::vector<std::string>>();
}

std::optional<std::map<std::string, std::string>> JsonFields::optional_string_map(const std::string& name) const {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_object() || !all_strings(*it)) invalid(name, "must be an object whose values are strings");
  return it->get<std::map<std::string, std::string>>();
}

std::int64_t int_param(const std::string& name, const std::string& text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw HttpError(400, "invalid_parameter",
                    "'" + name + "' must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

}  // namespace unicc::http
