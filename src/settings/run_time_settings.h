#pragma once
// settings::RunTimeSettings — the keys of the configuration file an administrator may
// change while the server runs (the console's Settings page, /api/v1/settings).
//
// The file stays the base. A change is checked as the file's value would be (type,
// range, choices: core::set_config_value), stored (table settings), laid over the
// file's value at every start until it is reset, and handed to `apply` with the whole
// configuration in effect, so the module that owns the key takes it at once. Only the
// keys given at construction can change: those whose owners take a change without a
// restart. A stored value the key's check no longer accepts (a narrower range in a
// newer version) is skipped at start with a warning: the file's value holds.
// Thread-safe; change() and reset() wait on the database (never the SIP thread).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "core/config_rules.h"
#include "store/database.h"

namespace unicc::settings {

struct SettingView {
  std::string name;
  core::ConfigValue value;       // in effect now
  core::ConfigValue file_value;  // the file's, or the default when the file has none
  std::string default_value;     // as TOML
  std::string meaning;           // config_keys()' English text
  bool changed = false;  // a value set at run time overrides the file's
  std::string changed_by;
  std::int64_t changed_at = 0;  // ms since epoch
};

class RunTimeSettings {
 public:
  using Apply = std::function<void(const std::string& name, const core::Config& config)>;

  // `keys`: the names of core's keys that may change ("log.level"; std::invalid_argument
  // for any other name). Reads the stored changes (throws store errors).
  RunTimeSettings(store::Database& db, core::Config file, std::vector<std::string> keys);

  // The configuration in effect: the file's with the stored changes laid over it.
  core::Config current() const;
  // Who takes a change (set once, before the first change).
  void on_change(Apply apply);

  std::vector<SettingView> list() const;
  // nullopt for a key that cannot change at run time.
  std::optional<SettingView> find(std::string_view name) const;
  // Sets `name` (one of list()'s) to `value`: the problem (as the file's would read)
  // and nothing changed, or nullopt once it is stored and applied.
  core::ConfigProblem change(std::string_view name, const core::ConfigValue& value, const std::string& by,
                             std::int64_t at_ms);
  // Back to the file's value; false when there was no change to drop.
  bool reset(std::string_view name);

 private:
  struct Stored {
    core::ConfigValue value;
    std::string by;
    std::int64_t at = 0;
  };
  bool changeable(std::string_view name) const;
  SettingView view(const std::string& name) const;  // with mutex_ held
  void rebuild();                                  // current_ from file_ and stored_, mutex_ held

  store::Database& db_;
  const core::Config file_;
  const std::vector<std::string> keys_;
  Apply apply_;
  std::mutex write_mutex_;    // one change at a time: database, memory and apply in step
  mutable std::mutex mutex_;  // guards stored_ and current_
  std::map<std::string, Stored, std::less<>> stored_;
  core::Config current_;
};

// A value as JSON (a string, an integer, true/false, an array of strings) and back;
// nullopt for JSON that is none of those (a float, null, an object, a mixed array).
nlohmann::json to_json(const core::ConfigValue& value);
std::optional<core::ConfigValue> from_json(const nlohmann::json& json);

}  // namespace unicc::settings
