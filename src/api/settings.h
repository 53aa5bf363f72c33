#pragma once
// The settings an administrator may change while the server runs (settings::RunTimeSettings).
//   GET    /api/v1/settings         admin: every such key with `value` (in effect),
//                                   `file_value`, `default` (as TOML), `meaning`,
//                                   `type` (integer, string, boolean, list),
//                                   `changed` (a run-time value overrides the file's),
//                                   `changed_by`, `changed_at`
//   PUT    /api/v1/settings/{name}  admin: {"value": ...}; checked as the file's value
//                                   would be (400 invalid_field "name: problem"), stored,
//                                   applied at once, kept across restarts; audited as
//                                   setting.change (target "setting:<name>"); 404
//                                   not_found for a key that cannot change at run time
//   DELETE /api/v1/settings/{name}  admin: back to the file's value (the answer is the
//                                   setting then); audited as setting.reset when there
//                                   was a change to drop
// Each change and reset is sent to admins' event streams as
// {"type":"setting","record":<the setting as listed>}.
#include "api/context.h"
#include "http/router.h"
#include "settings/run_time_settings.h"

namespace unicc::api {

void add_setting_routes(http::Router& router, ApiContext& context, settings::RunTimeSettings& settings);

}  // namespace unicc::api
