#include "api/trunks.h"

#include <nlohmann/json.hpp>

#include "api/context.h"

namespace unicc::api {
namespace {

nlohmann::json time_or_null(std::int64_t ms) { return ms == 0 ? nlohmann::json(nullptr) : nlohmann::json(ms); }

nlohmann::json registration_json(const core::TrunkConfig& trunk, const sip::RegistrationState& state) {
  return {{"state", sip::registration_status_name(state.status)},
          {"user", trunk.register_user.empty() ? trunk.username : trunk.register_user},
          {"last_code", state.last_code == 0 ? nlohmann::json(nullptr) : nlohmann::json(state.last_code)},
          {"last_response_at", time_or_null(state.last_response_ms)},
          {"expires_at", time_or_null(state.expires_at_ms)},
          {"next_attempt_at", time_or_null(state.next_attempt_ms)}};
}

}  // namespace

void add_trunk_routes(http::Router& router, const std::vector<core::TrunkConfig>& trunks,
                      TrunkRegistrationStates registrations, auth::Sessions& sessions) {
  router.add("GET", "/api/v1/trunks", [&trunks, registrations = std::move(registrations), &sessions](
                                          http::Request& request) {
    require_role(request, sessions, {auth::Role::admin, auth::Role::supervisor});
    auto states = registrations();
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = 0; i < trunks.size(); ++i) {
      const auto& trunk = trunks[i];
      items.push_back({{"name", trunk.name},
                       {"address", trunk.address},
                       {"port", trunk.port},
                       {"transport", trunk.transport},
                       {"outbound_prefix", trunk.outbound_prefix},
                       {"registration", i < states.size() && states[i] ? registration_json(trunk, *states[i])
                                                                        : nlohmann::json(nullptr)}});
    }
    return http::json_response(200, {{"items", items}});
  });
}

}  // namespace unicc::api
