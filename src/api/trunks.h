#pragma once
// GET /api/v1/trunks — the configured SIP trunks for supervisors and admins, in
// configuration order, each with its registration to the carrier (null for
// trunks that do not register). Credentials are never shown.
#include <functional>
#include <optional>
#include <vector>

#include "auth/sessions.h"
#include "core/config.h"
#include "http/router.h"
#include "sip/registration_client.h"

namespace unicc::api {

// The registration of each trunk, in the order of `trunks`; callable from HTTP threads.
using TrunkRegistrationStates = std::function<std::vector<std::optional<sip::RegistrationState>>()>;

void add_trunk_routes(http::Router& router, const std::vector<core::TrunkConfig>& trunks,
                      TrunkRegistrationStates registrations, auth::Sessions& sessions);

}  // namespace unicc::api
