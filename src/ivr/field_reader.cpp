#include "ivr/field_reader.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "ivr/json_source.h"
#include "ivr/template.h"

namespace unicc::ivr {
namespace {

bool valid_variable_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string json_type(const nlohmann::json& value) {
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  return "null";
}

bool valid_id(const std::string& id) { return core::is_name(id); }

bool valid_plain_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '-' || c == '.';
         });
}

FieldReader::FieldReader(const nlohmann::json& object, std::string node, std::string field_prefix,
                         std::string pointer, std::vector<Problem>& problems)
    : object_(object), node_(std::move(node)), prefix_(std::move(field_prefix)), pointer_(std::move(pointer)),
      problems_(problems) {}

void FieldReader::allow_only(const std::set<std::string>& allowed) {
  for (const auto& [name, value] : object_.items()) {
    if (!allowed.count(name)) report(name, "unknown field");
  }
}

const nlohmann::json* FieldReader::get(const std::string& name) const {
  auto it = object_.find(name);
  return it == object_.end() ? nullptr : &*it;
}

void FieldReader::report(const std::string& field, const std::string& message) {
  std::string name = prefix_ + field;
  if (field.empty() && !name.empty() && name.back() == '.') name.pop_back();  // the object itself
  problems_.push_back(Problem{node_, name, message, pointer_of(field), 0});
}

void FieldReader::report_at(const std::string& field, const std::string& pointer, const std::string& message) {
  problems_.push_back(Problem{node_, prefix_ + field, message, pointer, 0});
}

std::string FieldReader::pointer_of(const std::string& field) const {
  return field.empty() ? pointer_ : pointer_ + "/" + pointer_segment(field);
}

std::string FieldReader::string(const std::string& name, Need need, const std::string& fallback, std::size_t max) {
  const auto* value = get(name);
  if (!value) {
    if (need == Need::required) report(name, "missing");
    return fallback;
  }
  if (!value->is_string()) {
    report(name, "expected a string, got " + json_type(*value));
    return fallback;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (need == Need::required && text.empty()) {
    report(name, "must not be empty");
    return fallback;
  }
  if (text.size() > max) {
    report(name, "longer than " + std::to_string(max) + " characters");
    return fallback;
  }
  return text;
}

int FieldReader::integer(const std::string& name, int min, int max, int fallback) {
  const auto* value = get(name);
  if (!value) return fallback;
  if (!value->is_number_integer()) {
    report(name, "expected an integer, got " + json_type(*value));
    return fallback;
  }
  auto number = value->get<std::int64_t>();
  if (number < min || number > max) {
    report(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return fallback;
  }
  return static_cast<int>(number);
}

bool FieldReader::boolean(const std::string& name, bool fallback) {
  const auto* value = get(name);
  if (!value) return fallback;
  if (!value->is_boolean()) {
    report(name, "expected true or false, got " + json_type(*value));
    return fallback;
  }
  return value->get<bool>();
}

std::string FieldReader::exit(const std::string& name, Need need) {
  std::string target = string(name, need, "", 64);
  if (!target.empty() && !valid_id(target)) report(name, "'" + target + "' is not a node id");
  return target;
}

Prompt FieldReader::prompt(const nlohmann::json& value, const std::string& field, const std::string& pointer) {
  FieldReader reader(value, node_, prefix_ + field + ".", pointer, problems_);
  if (!value.is_object()) {
    report(field, "expected a prompt object ({\"file\": ...} or {\"text\": ...}), got " + json_type(value));
    return {};
  }
  reader.allow_only({"file", "text", "voice", "language"});
  Prompt out;
  out.file = reader.string("file", Need::optional, "", 512);
  out.text = reader.string("text", Need::optional, "", 4096);
  out.voice = reader.string("voice", Need::optional, "", 64);
  out.language = reader.string("language", Need::optional, "", 16);
  if (out.file.empty() == out.text.empty()) reader.report("", "needs exactly one of 'file' and 'text'");
  if (!out.file.empty() && (out.file.find("..") != std::string::npos || out.file[0] == '/')) {
    reader.report("file", "must be a relative path inside the sounds folder");
  }
  reader.check_references("text", out.text);
  return out;
}

Prompts FieldReader::prompts(const std::string& name, Need need) {
  const auto* value = get(name);
  if (!value) {
    if (need == Need::required) report(name, "missing prompt");
    return {};
  }
  if (!value->is_array()) return {prompt(*value, name, pointer_of(name))};
  if (value->empty()) {
    report(name, "the list of prompts is empty");
    return {};
  }
  Prompts out;
  for (std::size_t i = 0; i < value->size(); ++i) {
    out.push_back(prompt((*value)[i], name + "[" + std::to_string(i) + "]", pointer_of(name) + "/" + std::to_string(i)));
  }
  return out;
}

const nlohmann::json* FieldReader::member(const std::string& name, Need need, bool is_array) {
  const auto* value = get(name);
  if (!value) {
    if (need == Need::required) report(name, "missing");
    return nullptr;
  }
  if (is_array ? !value->is_array() : !value->is_object()) {
    report(name, std::string(is_array ? "expected an array of strings" : "expected an object") + ", got " +
                     json_type(*value));
    return nullptr;
  }
  return value;
}

std::vector<std::string> FieldReader::strings(const std::string& name, Need need) {
  std::vector<std::string> out;
  const auto* value = member(name, need, true);
  for (std::size_t i = 0; value && i < value->size(); ++i) {
    const auto& item = (*value)[i];
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else {
      report_at(name + "[" + std::to_string(i) + "]", pointer_of(name) + "/" + std::to_string(i),
                "expected a string, got " + json_type(item));
    }
  }
  return out;
}

std::map<std::string, std::string> FieldReader::string_map(const std::string& name, Need need) {
  std::map<std::string, std::string> out;
  const auto* value = member(name, need, false);
  if (!value) return out;
  for (const auto& [key, item] : value->items()) {
    if (item.is_string()) {
      out[key] = item.get<std::string>();
    } else {
      report_at(name + "." + key, pointer_of(name) + "/" + pointer_segment(key),
                "expected a string, got " + json_type(item));
    }
  }
  return out;
}

void FieldReader::check_references(const std::string& field, const std::string& text) {
  std::string why;
  for (const auto& name : template_references(text, why)) check_variable_name(field, name);
  if (!why.empty()) report(field, why);
}

void FieldReader::check_variable_name(const std::string& field, const std::string& name) {
  if (!valid_variable_name(name)) {
    report(field, "'" + name + "' is not a variable name (letters, digits and _, not starting with a digit)");
  } else if (name == "time" || name == "weekday" || name == "date") {
    report(field, "'" + name + "' is reserved for conditions on the clock");
  }
}

}  // namespace unicc::ivr
