#pragma once
// core::KeyRule, core::TableArray — how keys of the configuration file are read, for
// core's own sections and for the [[name]] table arrays that modules above core own
// (the ACD's [[queue]] and [[agent]], acd_store::ConfigTables).
//
// A KeyRule reads one key into a target: it names the key, shows its default, says
// what it means and checks the value (type first, then the check). A TableArray is a
// [[name]] array that parse_config() reads element by element with the rules of its
// module; the module keeps the elements it read (TableArrayOf<Item>::items), and every
// problem is reported with core's own, as "FILE:LINE: name[i].key: problem".
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/config.h"

namespace unicc::core {

// A value of the file as rules see it; anything else TOML can hold (a float, a date,
// a table, a mixed array) is std::monostate and fails every rule's type.
using ConfigValue = std::variant<std::monostate, std::string, std::int64_t, bool, std::vector<std::string>>;
using ConfigProblem = std::optional<std::string>;

template <class T>
using ConfigCheck = std::function<ConfigProblem(const T&)>;

ConfigCheck<std::int64_t> in_range(std::int64_t low, std::int64_t high);
ConfigCheck<std::string> one_of(std::vector<std::string> allowed);
ConfigCheck<std::string> not_empty();
// Dialable digits (0-9, *, #, +); `allow_empty` lets "" through.
ConfigCheck<std::string> digits(bool allow_empty);
template <class T>
ConfigCheck<T> anything() {
  return [](const T&) -> ConfigProblem { return std::nullopt; };
}

// A value as it would be written in TOML ("\"en\"", "20", "true", "[\"a\"]").
std::string show_config_value(const ConfigValue& value);
// What a value of that alternative is called in problems ("an integer").
std::string config_type_name(const ConfigValue& value);

// How one key is read into a Target (a section's struct, or one element of a table array),
// and, for keys stored in a field, read back (`read` is empty otherwise).
template <class Target>
struct KeyRule {
  ConfigKey info;
  std::function<ConfigProblem(const ConfigValue&, Target&)> apply;
  std::function<ConfigValue(const Target&)> read = {};
};

// A key that `set` stores into the target once `check` accepts it; `fallback` is its default.
template <class Target, class T, class Set>
KeyRule<Target> key_with(std::string name, T fallback, ConfigCheck<T> check, Set set, std::string meaning) {
  KeyRule<Target> rule{{std::move(name), show_config_value(fallback), std::move(meaning)}, {}};
  rule.apply = [check = std::move(check), set = std::move(set)](const ConfigValue& value, Target& target) -> ConfigProblem {
    const T* typed = std::get_if<T>(&value);
    if (!typed) return "expected " + config_type_name(T{});
    if (auto problem = check(*typed)) return problem;
    set(target, *typed);
    return std::nullopt;
  };
  return rule;
}

// A key whose value lives at `field(target)` (callable on a Target and a const Target);
// its default is that of a default Target.
template <class Target, class T, class Field>
KeyRule<Target> key(std::string name, Field field, ConfigCheck<T> check, std::string meaning) {
  Target defaults;
  auto rule = key_with<Target, T>(
      std::move(name), static_cast<T>(field(defaults)), std::move(check),
      [field](Target& target, const T& value) { field(target) = value; }, std::move(meaning));
  rule.read = [field](const Target& target) -> ConfigValue { return static_cast<T>(field(target)); };
  return rule;
}

// A key stored in `member` of the target.
template <class Target, class T>
KeyRule<Target> key(std::string name, T Target::*member, ConfigCheck<T> check, std::string meaning) {
  auto rule = key_with<Target, T>(
      std::move(name), Target{}.*member, std::move(check),
      [member](Target& target, const T& value) { target.*member = value; }, std::move(meaning));
  rule.read = [member](const Target& target) -> ConfigValue { return target.*member; };
  return rule;
}

// One key of core's own sections ("log.level"), for settings changed while the server
// runs (settings::RunTimeSettings). set_config_value checks the value as the file's
// would be (type, then the key's check) and stores it; "unknown key" for a name that
// is not one of config_keys()' plain keys. config_value is nullopt for such a name.
ConfigProblem set_config_value(Config& config, std::string_view name, const ConfigValue& value);
std::optional<ConfigValue> config_value(const Config& config, std::string_view name);
// The key's default and meaning (config_keys()); nullopt for an unknown name.
std::optional<ConfigKey> config_key(std::string_view name);

// A [[name]] table array that a module above core reads (see the top of this file).
class TableArray {
 public:
  TableArray(std::string name, std::vector<std::string> required)
      : name_(std::move(name)), required_(std::move(required)) {}
  virtual ~TableArray() = default;

  const std::string& name() const { return name_; }
  // Keys every element must have.
  const std::vector<std::string>& required() const { return required_; }
  // Every key, named "name[].key", with its default and meaning (config_keys()).
  virtual std::vector<ConfigKey> keys() const = 0;
  // parse_config: a new element, then each of its keys ("name[].key"). nullopt from
  // set() means no such key; otherwise the problem with the value, if any.
  virtual void add_element() = 0;
  virtual std::optional<ConfigProblem> set(const std::string& key, const ConfigValue& value) = 0;

 private:
  std::string name_;
  std::vector<std::string> required_;
};

template <class Item>
class TableArrayOf : public TableArray {
 public:
  TableArrayOf(std::string name, std::vector<std::string> required, std::vector<KeyRule<Item>> rules)
      : TableArray(std::move(name), std::move(required)), rules_(std::move(rules)) {}

  std::vector<ConfigKey> keys() const override {
    std::vector<ConfigKey> out;
    for (const auto& rule : rules_) out.push_back(rule.info);
    return out;
  }
  void add_element() override { items.emplace_back(); }
  std::optional<ConfigProblem> set(const std::string& key, const ConfigValue& value) override {
    for (const auto& rule : rules_) {
      if (rule.info.name == key) return rule.apply(value, items.back());
    }
    return std::nullopt;
  }

  // The elements read, in file order (an element with problems too: the file is
  // rejected then).
  std::vector<Item> items;

 private:
  std::vector<KeyRule<Item>> rules_;
};

}  // namespace unicc::core
