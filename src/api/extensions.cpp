#include "api/extensions.h"

#include <nlohmann/json.hpp>

#include "api/csv_import.h"
#include "auth/users.h"
#include "call/sip_accounts.h"
#include "http/json_fields.h"

namespace unicc::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDisplayName = 128;
constexpr std::size_t kMaxPassword = 256;

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

// What a change did, for the audit log: never the password itself.
json change_detail(const call::SipAccountChanges& changes) {
  json detail = json::object();
  if (changes.display_name) detail["display_name"] = *changes.display_name;
  if (changes.enabled) detail["enabled"] = *changes.enabled;
  if (changes.password) detail["password"] = "reset";
  return detail;
}

json one_extension(store::Database& db, const ExtensionHooks& hooks, const std::string& extension) {
  json items = extensions_json(db, hooks, extension);
  if (items.empty()) throw http::HttpError(404, "not_found", "no SIP account " + extension);
  return items[0];
}

const std::vector<std::string> kCsvColumns = {"extension", "display_name", "enabled", "password"};

// Every account as CSV; the password column stays empty (passwords are never shown).
std::string extensions_csv(store::Database& db) {
  std::string lines = http::csv_line(kCsvColumns);
  for (const auto& account : call::list_sip_accounts(db)) {
    lines += http::csv_line({account.extension, account.display_name, account.enabled ? "true" : "false", ""});
  }
  return lines;
}

// One record of an import against the account it names (null: a new one): what it
// would write, and its report line.
ImportLine read_import_record(const CsvUpload& upload, const http::CsvRecord& record,
                              const call::SipAccountRecord* current, call::SipAccountWrite& write) {
  ImportLine line{record.line, upload.field(record, "extension")};
  write = {line.extension, current == nullptr, {}};
  if (!valid_extension(line.extension)) line.refuse("extension", "2 to 16 digits");
  if (upload.has("display_name")) {
    const std::string name = upload.field(record, "display_name");
    if (name.size() > kMaxDisplayName) {
      line.refuse("display_name", "longer than " + std::to_string(kMaxDisplayName) + " bytes");
    } else if (!current || name != current->display_name) {
      write.changes.display_name = name;
    }
  }
  const std::string enabled = upload.field(record, "enabled");
  if (enabled == "true" || enabled == "false") {
    if (current ? (enabled == "true") != current->enabled : enabled == "false") write.changes.enabled = enabled == "true";
  } else if (!enabled.empty()) {
    line.refuse("enabled", "true or false (empty: unchanged)");
  }
  const std::string password = upload.field(record, "password");
  if (password.size() > kMaxPassword) {
    line.refuse("password", "longer than " + std::to_string(kMaxPassword) + " bytes");
  } else if (!password.empty()) {
    const std::string why = auth::password_problem(line.extension, password, auth::PasswordRule::strong);
    if (why.empty()) write.changes.password = password;
    else line.refuse("password", why);
  } else if (!current) {
    line.refuse("password", "a new extension needs one");
  }
  if (line.action == "refused") return line;
  if (current) {
    if (write.changes.display_name) line.changes.push_back("display_name");
    if (write.changes.enabled) line.changes.push_back("enabled");
    if (write.changes.password) line.changes.push_back("password");
    line.action = line.changes.empty() ? "unchanged" : "update";
  } else {
    line.action = "create";
  }
  return line;
}

}  // namespace

void add_extension_routes(http::Router& router, ApiContext& context, std::string realm, ExtensionHooks hooks) {
  router.add("GET", "/api/v1/extensions", [&context, hooks](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    return http::json_response(200, {{"items", extensions_json(context.db, hooks)}});
  });
  router.add("GET", "/api/v1/extensions/export", [&context](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    return http::csv_response(extensions_csv(context.db), "extensions.csv");
  });
  router.add("POST", "/api/v1/extensions/import", [&context, realm, hooks](http::Request& request) {
    const auto who = require_role(request, context.sessions, {auth::Role::admin});
    const CsvUpload upload(request.body, kCsvColumns, {"extension"});
    std::map<std::string, call::SipAccountRecord> accounts;
    for (auto& account : call::list_sip_accounts(context.db)) accounts[account.extension] = account;
    std::vector<ImportLine> lines;
    std::vector<call::SipAccountWrite> writes;
    for (const auto& record : upload.records()) {
      auto found = accounts.find(upload.field(record, "extension"));
      call::SipAccountWrite write;
      lines.push_back(read_import_record(upload, record, found == accounts.end() ? nullptr : &found->second, write));
      if (lines.back().action == "create" || lines.back().action == "update") writes.push_back(std::move(write));
    }
    refuse_repeated(lines);
    return answer_import(request, lines, [&]() -> std::optional<http::Response> {
      if (!call::write_sip_accounts(context.db, writes, realm, context.clock.now_ms())) {
        return http::error_response(409, "extension_taken",
                                    "an extension of the file was created meanwhile; nothing imported");
      }
      // The SIP side reloads every account on each call: once for all, and once per
      // account disabled, whose phones it forgets.
      std::string reload;
      for (const auto& write : writes) {
        if (write.changes.enabled == false) hooks.accounts_changed(write.extension, true);
        else if (reload.empty()) reload = write.extension;
      }
      if (!reload.empty()) hooks.accounts_changed(reload, false);
      for (const auto& write : writes) {
        json detail = change_detail(write.changes);
        detail["via"] = "import";
        if (write.create) detail.erase("password");
        record_audit(context, who, request, write.create ? "extension.create" : "extension.update",
                     "extension:" + write.extension, detail);
      }
      record_audit(context, who, request, "extension.import", "extensions", {{"records", writes.size()}});
      return std::nullopt;
    });
  });
  router.add("POST", "/api/v1/extensions", [&context, realm, hooks](http::Request& request) {
    const auto who = require_role(request, context.sessions, {auth::Role::admin});
    http::JsonFields fields(request.body, {"extension", "display_name", "password"});
    const std::string extension = fields.required_string("extension", 16);
    if (!valid_extension(extension)) {
      throw http::HttpError(400, "invalid_field", "field 'extension': 2 to 16 digits");
    }
    const std::string display_name = fields.optional_string("display_name", kMaxDisplayName).value_or("");
    const std::string password = fields.required_string("password", kMaxPassword);
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
    changes.display_name = fields.optional_string("display_name", kMaxDisplayName);
    changes.password = fields.optional_string("password", kMaxPassword);
    changes.enabled = fields.optional_bool("enabled");
    if (changes.password) check_password(extension, *changes.password);
    if (!call::update_sip_account(context.db, extension, changes, realm)) {
      throw http::HttpError(404, "not_found", "no SIP account " + extension);
    }
    hooks.accounts_changed(extension, changes.enabled == false);
    record_audit(context, who, request, "extension.update", "extension:" + extension, change_detail(changes));
    return http::json_response(200, one_extension(context.db, hooks, extension));
  });
}

}  // namespace unicc::api
