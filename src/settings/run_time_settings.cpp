#include "settings/run_time_settings.h"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

namespace unicc::settings {

nlohmann::json to_json(const core::ConfigValue& value) {
  struct Json {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(const std::string& v) const { return v; }
    nlohmann::json operator()(std::int64_t v) const { return v; }
    nlohmann::json operator()(bool v) const { return v; }
    nlohmann::json operator()(const std::vector<std::string>& v) const { return v; }
  };
  return std::visit(Json{}, value);
}

std::optional<core::ConfigValue> from_json(const nlohmann::json& json) {
  if (json.is_string()) return json.get<std::string>();
  if (json.is_boolean()) return json.get<bool>();
  if (json.is_number_integer()) return json.get<std::int64_t>();
  if (!json.is_array()) return std::nullopt;
  std::vector<std::string> items;
  for (const auto& item : json) {
    if (!item.is_string()) return std::nullopt;
    items.push_back(item.get<std::string>());
  }
  return items;
}

RunTimeSettings::RunTimeSettings(store::Database& db, core::Config file, std::vector<std::string> keys)
    : db_(db), file_(std::move(file)), keys_(std::move(keys)), current_(file_) {
  for (const auto& name : keys_) {
    if (!core::config_value(file_, name)) throw std::invalid_argument("not a configuration key: " + name);
  }
  soci::session sql(db_.pool());
  std::string name, text, by;
  long long at = 0;
  soci::statement st = (sql.prepare << "SELECT name, value, changed_by, changed_at FROM settings ORDER BY name",
                        soci::into(name), soci::into(text), soci::into(by), soci::into(at));
  st.execute(false);
  while (st.fetch()) {
    std::optional<core::ConfigValue> value;
    if (nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false); !parsed.is_discarded()) {
      value = from_json(parsed);
    }
    core::Config check = file_;
    core::ConfigProblem problem = !changeable(name) ? core::ConfigProblem("cannot be changed while the server runs")
                                  : !value          ? core::ConfigProblem("the stored value is not a setting's value")
                                                    : core::set_config_value(check, name, *value);
    if (problem) {
      spdlog::warn("settings: the change of {} made by {} is ignored ({}); the file's value holds", name, by,
                   *problem);
      continue;
    }
    stored_[name] = Stored{*value, by, at};
  }
  std::lock_guard lock(mutex_);
  rebuild();
}

void RunTimeSettings::rebuild() {
  core::Config config = file_;
  for (const auto& [name, stored] : stored_) core::set_config_value(config, name, stored.value);
  current_ = std::move(config);
}

bool RunTimeSettings::changeable(std::string_view name) const {
  return std::find(keys_.begin(), keys_.end(), name) != keys_.end();
}

core::Config RunTimeSettings::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void RunTimeSettings::on_change(Apply apply) { apply_ = std::move(apply); }

SettingView RunTimeSettings::view(const std::string& name) const {
  const auto info = core::config_key(name);
  const auto stored = stored_.find(name);
  const bool changed = stored != stored_.end();
  return SettingView{name,
                     *core::config_value(current_, name),
                     *core::config_value(file_, name),
                     info->default_value,
                     info->meaning,
                     changed,
                     changed ? stored->second.by : "",
                     changed ? stored->second.at : 0};
}

std::vector<SettingView> RunTimeSettings::list() const {
  std::lock_guard lock(mutex_);
  std::vector<SettingView> out;
  for (const auto& name : keys_) out.push_back(view(name));
  return out;
}

std::optional<SettingView> RunTimeSettings::find(std::string_view name) const {
  if (!changeable(name)) return std::nullopt;
  std::lock_guard lock(mutex_);
  return view(std::string(name));
}

core::ConfigProblem RunTimeSettings::change(std::string_view name, const core::ConfigValue& value,
                                            const std::string& by, std::int64_t at_ms) {
  if (!changeable(name)) return "cannot be changed while the server runs";
  core::Config check = current();
  if (auto problem = core::set_config_value(check, name, value)) return problem;
  std::lock_guard writing(write_mutex_);
  const std::string text = to_json(value).dump();
  const std::string key_name(name);
  const long long at = at_ms;
  {
    soci::session sql(db_.pool());
    soci::transaction tx(sql);
    sql << "DELETE FROM settings WHERE name = :n", soci::use(key_name);
    sql << "INSERT INTO settings (name, value, changed_by, changed_at) VALUES (:n, :v, :b, :a)", soci::use(key_name),
        soci::use(text), soci::use(by), soci::use(at);
    tx.commit();
  }
  core::Config now;
  {
    std::lock_guard lock(mutex_);
    stored_[key_name] = Stored{value, by, at_ms};
    rebuild();
    now = current_;
  }
  if (apply_) apply_(key_name, now);
  return std::nullopt;
}

bool RunTimeSettings::reset(std::string_view name) {
  std::lock_guard writing(write_mutex_);
  const std::string key_name(name);
  {
    std::lock_guard lock(mutex_);
    if (!stored_.contains(key_name)) return false;
  }
  {
    soci::session sql(db_.pool());
    sql << "DELETE FROM settings WHERE name = :n", soci::use(key_name);
  }
  core::Config now;
  {
    std::lock_guard lock(mutex_);
    stored_.erase(key_name);
    rebuild();
    now = current_;
  }
  if (apply_) apply_(key_name, now);
  return true;
}

}  // namespace unicc::settings
