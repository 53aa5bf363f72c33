#include "api/extensions.h"

#include <nlohmann/json.hpp>

#include "auth/users.h"
#include "call/sip_accounts.h"
#include "http/json_fields.h"

namespace unicc::api {
namespace {

using nlohmann::json;

// Extensions are dialled and matched as digits: 2 to 16 of them.
bool valid_extension(const std::string& extension) {
  return extension.size() >= 2 && extension.size() <= 16 &&
         extension.find_first_not_of("0123456789") == std::string::npos;
}

void check_password(const std::string& extension, const std::string& password) {
  const std::string why = auth::password_problem(extension, password, auth::PasswordRule::strong);
  if (!why.empty()) throw http::HttpError(422, "weak_password", why);
}

json registration_json(const sip::Binding& binding) {
  return {{"address", binding.source.to_string()},
          {"contact", binding.contact},
          {"user_agent", binding.user_agent},
          {"expires_at", binding.expires_at}};
}

json extension_json(const call::SipAccountRecord& account, const std::vector<sip::Binding>* bindings) {
  json registrations = json::array();
  if (bindings) {
    for (const auto& binding : *bindings) registrations.push_back(registration_json(binding));
  }
  return {{"extension", account.extension},
          {"display_name", account.display_name},
          {"enabled", account.enabled},
          {"created_at", account.created_at},
          {"registered", !registrations.empty()},
          {"registrations", registrations}};
}

// Every account, or only `extension`'s, with the phones registered to it.
json extensions_json(store::Database& db, const ExtensionHooks& hooks, const std::string& only = "") {
  const auto registrations = hooks.registrations();
  json items = json::array();
  for (const auto& account : call::list_sip_accounts(db)) {
    if (!only.empty() && account.extension != only) continue;
    auto found = registrations.find(account.extension);
    items.push_back(extension_json(account, found == registrations.end() ? nullptr : &found->second));
  }
  return items;
}

json one_extension(store::Database& db, const ExtensionHooks& hooks, const std::string& extension) {
  json items = extensions_json(db, hooks, extension);
  if (items.empty()) throw http::HttpError(404, "not_found", "no SIP account " + extension);
  return items[0];
}

}  // namespace

void add_extension_routes(http::Router& router, ApiContext& context, std::string realm, ExtensionHooks hooks) {
  router.add("GET", "/api/v1/extensions", [&context, hooks](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    return http::json_response(200, {{"items", extensions_json(context.db, hooks)}});
  });
  router.add("POST", "/api/v1/extensions", [&context, realm, hooks](http::Request& request) {
    const auto who = require_role(request, context.sessions, {auth::Role::admin});
    http::JsonFields fields(request.body, {"extension", "display_name", "password"});
    const std::string extension = fields.required_string("extension", 16);
    if (!valid_extension(extension)) {
      throw http::HttpError(400, "invalid_field", "field 'extension': 2 to 16 digits");
    }
    const std::string display_name = fields.optional_string("display_name", 128).value_or("");
    const std::string password = fields.required_string("password", 256);
    check_password(extension, password);
    if (!call::create_sip_account(context.db, extension, display_name, password, realm, context.clock.now_ms())) {
      throw http::HttpError(409, "extension_taken", "extension " + extension + " has a SIP account already");
    }
    hooks.accounts_changed(extension, false);
    record_audit(context, who, request, "extension.create", "extension:" + extension,
                 {{"display_name", display_name}});
    return http::json_response(201, one_extension(context.db, hooks, extension));
  });
  router.add("PATCH", "/api/v1/extensions/{extension}", [&context, realm, hooks](http::Request& request) {
    const auto who = require_role(request, context.sessions, {auth::Role::admin});
    const std::string extension = request.params["extension"];
    http::JsonFields fields(request.body, {"display_name", "password", "enabled"});
    call::SipAccountChanges changes;
    changes.display_name = fields.optional_string("display_name", 128);
    changes.password = fields.optional_string("password", 256);
    changes.enabled = fields.optional_bool("enabled");
    if (changes.password) check_password(extension, *changes.password);
    if (!call::update_sip_account(context.db, extension, changes, realm)) {
      throw http::HttpError(404, "not_found", "no SIP account " + extension);
    }
    hooks.accounts_changed(extension, changes.enabled == false);
    json detail = json::object();  // what changed, never the password itself
    if (changes.display_name) detail["display_name"] = *changes.display_name;
    if (changes.enabled) detail["enabled"] = *changes.enabled;
    if (changes.password) detail["password"] = "reset";
    record_audit(context, who, request, "extension.update", "extension:" + extension, detail);
    return http::json_response(200, one_extension(context.db, hooks, extension));
  });
}

}  // namespace unicc::api
