#include "app/sip_ban_api.h"

#include <nlohmann/json.hpp>

namespace unicc::app {

void add_sip_ban_routes(http::Router& router, http::ApiContext& context, sip::BanList& bans) {
  router.add("GET", "/api/v1/sip/bans", [&context, &bans](http::Request& request) {
    http::require_role(request, context.sessions, {auth::Role::admin});
    nlohmann::json items = nlohmann::json::array();
    for (const auto& ban : bans.list()) {
      items.push_back({{"kind", ban.kind},
                       {"key", ban.key},
                       {"since", ban.since_ms},
                       {"until", ban.until_ms},
                       {"failures", ban.failures}});
    }
    return http::json_response(200, {{"items", items}});
  });
  router.add("DELETE", "/api/v1/sip/bans/{kind}/{key}", [&context, &bans](http::Request& request) {
    const auto who = http::require_role(request, context.sessions, {auth::Role::admin});
    const std::string kind = request.params["kind"];
    const std::string key = request.params["key"];
    if (kind != "address" && kind != "user") {
      throw http::HttpError(400, "invalid_kind", "kind must be \"address\" or \"user\"");
    }
    if (!bans.lift(kind, key)) throw http::HttpError(404, "not_found", "no " + kind + " ban in force for that key");
    http::record_audit(context, who, request, "sip_ban.lift", kind + ":" + key, nlohmann::json::object());
    return http::Response{204, "application/json", "", {}};
  });
}

}  // namespace unicc::app
