#pragma once
// ivr::FieldReader — reads the fields of one JSON object of a flow document (the
// document itself, a node, a rule, a prompt) and reports every field that is
// missing, of the wrong type, out of range or not allowed as a Problem naming the
// node and the field. Each getter returns a usable default after reporting, so one
// pass finds all the problems of a document.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ivr/flow.h"
#include "ivr/problem.h"

namespace unicc::ivr {

enum class Need { required, optional };

class FieldReader {
 public:
  // `object` must outlive the reader; `field_prefix` is prepended to field names
  // ("rules[0]."), `pointer` is the object's JSON pointer.
  FieldReader(const nlohmann::json& object, std::string node, std::string field_prefix, std::string pointer,
              std::vector<Problem>& problems);

  // Reports every member not in `allowed` as unknown.
  void allow_only(const std::set<std::string>& allowed);

  bool has(const std::string& name) const { return object_.contains(name); }
  const nlohmann::json* get(const std::string& name) const;

  std::string string(const std::string& name, Need need, const std::string& fallback = "", std::size_t max = 1024);
  int integer(const std::string& name, int min, int max, int fallback);
  bool boolean(const std::string& name, bool fallback);
  // An exit: the id of another node (checked to exist later).
  std::string exit(const std::string& name, Need need);
  // One prompt object or a non-empty array of them.
  Prompts prompts(const std::string& name, Need need);
  std::vector<std::string> strings(const std::string& name, Need need);
  // An object whose values are all strings.
  std::map<std::string, std::string> string_map(const std::string& name, Need need);
  // A ${variable} reference check for text that will be filled in at run time.
  void check_references(const std::string& field, const std::string& text);
  void check_variable_name(const std::string& field, const std::string& name);

  void report(const std::string& field, const std::string& message);
  std::string pointer_of(const std::string& field) const;
  const std::string& node() const { return node_; }
  std::vector<Problem>& problems() { return problems_; }

 private:
  // The member `name` when it is an array (or else an object); reports otherwise.
  const nlohmann::json* member(const std::string& name, Need need, bool is_array);
  // A problem inside the field (an element or a member of it).
  void report_at(const std::string& field, const std::string& pointer, const std::string& message);
  Prompt prompt(const nlohmann::json& value, const std::string& field, const std::string& pointer);

  const nlohmann::json& object_;
  std::string node_;
  std::string prefix_;
  std::string pointer_;
  std::vector<Problem>& problems_;
};

// "object", "array", "string", "number", "boolean" or "null", for messages.
std::string json_type(const nlohmann::json& value);
// Node ids and flow names: 1-64 of letters, digits, "_" and "-".
bool valid_id(const std::string& id);
// The ACD's names (queues, skills) and extensions: 1-64 of letters, digits, "_", "-"
// and ".".
bool valid_plain_name(const std::string& name);

}  // namespace unicc::ivr
