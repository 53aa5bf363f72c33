#include "api/settings.h"

#include "http/json_fields.h"

namespace unicc::api {
namespace {

using nlohmann::json;
using auth::Role;

constexpr std::size_t kMaxValueBytes = 4096;

const char* type_name(const core::ConfigValue& value) {
  static const char* const names[] = {"none", "string", "integer", "boolean", "list"};
  return names[value.index()];
}

json setting_json(const settings::SettingView& setting) {
  return {{"name", setting.name},
          {"value", settings::to_json(setting.value)},
          {"file_value", settings::to_json(setting.file_value)},
          {"default", setting.default_value},
          {"meaning", setting.meaning},
          {"type", type_name(setting.file_value)},
          {"changed", setting.changed},
          {"changed_by", setting.changed_by},
          {"changed_at", setting.changed ? json(setting.changed_at) : json(nullptr)}};
}

// Every admin's open Settings page takes the setting as it is now.
http::Response changed(ApiContext& context, const settings::SettingView& setting) {
  json body = setting_json(setting);
  context.hub.publish({{"type", "setting"}, {"record", body}}, {Role::admin});
  return http::json_response(200, body);
}

settings::SettingView existing(settings::RunTimeSettings& settings, const std::string& name) {
  auto found = settings.find(name);
  if (!found) throw http::HttpError(404, "not_found", "no such setting, or it cannot change while the server runs");
  return *found;
}

}  // namespace

void add_setting_routes(http::Router& router, ApiContext& context, settings::RunTimeSettings& settings) {
  router.add("GET", "/api/v1/settings", [&context, &settings](http::Request& request) {
    require_role(request, context.sessions, {Role::admin});
    json items = json::array();
    for (const auto& setting : settings.list()) items.push_back(setting_json(setting));
    return http::json_response(200, {{"items", items}});
  });

  router.add("PUT", "/api/v1/settings/{name}", [&context, &settings](http::Request& request) {
    const auto who = require_role(request, context.sessions, {Role::admin});
    const std::string& name = request.params.at("name");
    const auto before = existing(settings, name);
    const http::JsonFields fields(request.body, {"value"});
    const json& sent = fields.required("value");
    if (sent.dump().size() > kMaxValueBytes) {
      throw http::HttpError(400, "invalid_field", name + ": at most " + std::to_string(kMaxValueBytes) + " bytes");
    }
    const auto value = settings::from_json(sent);
    if (!value) {
      throw http::HttpError(400, "invalid_field", name + ": expected a string, an integer, true or false, or an array of strings");
    }
    if (auto problem = settings.change(name, *value, who.username, context.clock.now_ms())) {
      throw http::HttpError(400, "invalid_field", name + ": " + *problem);
    }
    record_audit(context, who, request, "setting.change", "setting:" + name,
                 {{"value", settings::to_json(*value)}, {"was", settings::to_json(before.value)}});
    return changed(context, existing(settings, name));
  });

  router.add("DELETE", "/api/v1/settings/{name}", [&context, &settings](http::Request& request) {
    const auto who = require_role(request, context.sessions, {Role::admin});
    const std::string& name = request.params.at("name");
    const auto before = existing(settings, name);
    if (!settings.reset(name)) return http::json_response(200, setting_json(before));
    const auto after = existing(settings, name);
    record_audit(context, who, request, "setting.reset", "setting:" + name,
                 {{"value", settings::to_json(after.value)}, {"was", settings::to_json(before.value)}});
    return changed(context, after);
  });
}

}  // namespace unicc::api
