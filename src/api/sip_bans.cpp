#include "api/sip_bans.h"

#include <nlohmann/json.hpp>

namespace unicc::api {

void add_sip_ban_routes(http::Router& router, ApiContext& context, sip::BanList& bans) {
  router.add("GET", "/api/v1/sip/bans", [&context, &bans](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin});
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
    const auto who = require_role(request, context.sessions, {auth::Role::admin});
    const std::string kind = request.params["kind"];
    const std::string key = request.params["key"];
    if (kind != "address" && kind != "user") {
      throw http::HttpError(400, "invalid_kind", "kind must be \"address\" or \"user\"");
    }
    if (!bans.lift(kind, key)) throw http::HttpError(404, "not_found", "no " + kind + " ban in force for that key");
    record_audit(context, who, request, "sip_ban.lift", kind + ":" + key, nlohmann::json::object());
    return http::Response{204, "application/json", "", {}};
  });
}

}  // namespace unicc::api
