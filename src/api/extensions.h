#pragma once
// The phones' SIP accounts (extensions) for admins; supervisors may read them:
//   GET   /api/v1/extensions              every account with the phones registered to it
//   POST  /api/v1/extensions              {"extension","display_name","password"} → 201
//   PATCH /api/v1/extensions/{extension}  {"display_name","password","enabled"}
//   GET   /api/v1/extensions/export       every account as CSV (no passwords)
//   POST  /api/v1/extensions/import       CSV; ?dry_run=true reports only (api/csv_import.h)
// A password must be strong (auth::password_problem: 422 weak_password) and is kept
// only as digest HA1s; it is never shown or audited. Each change is audited and takes
// effect at once: `accounts_changed(extension, disabled)` reloads the SIP side (a
// disabled account's phones are forgotten). An import calls it once per account it
// disables and once for all its other changes.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/context.h"
#include "http/router.h"
#include "sip/location.h"

namespace unicc::api {

struct ExtensionHooks {
  // The phones registered now, by extension; callable from HTTP threads.
  std::function<std::map<std::string, std::vector<sip::Binding>, std::less<>>()> registrations;
  std::function<void(const std::string& extension, bool disabled)> accounts_changed;
};

void add_extension_routes(http::Router& router, ApiContext& context, std::string realm, ExtensionHooks hooks);

}  // namespace unicc::api
