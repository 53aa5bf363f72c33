#include "api/cti_codes.h"

#include <nlohmann/json.hpp>

namespace unicc::api {
namespace {

nlohmann::json code_list_json(const std::vector<core::CtiCode>& codes) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& code : codes) {
    items.push_back({{"code", code.code}, {"label", {{"en", code.en}, {"zh-CN", code.zh}}}});
  }
  return items;
}

}  // namespace

void add_cti_code_routes(http::Router& router, ApiContext& context, core::CtiConfig codes) {
  // The lists never change while the server runs: rendered once.
  const std::string body = nlohmann::json{{"dispositions", code_list_json(codes.dispositions)},
                                          {"not_ready_reasons", code_list_json(codes.not_ready_reasons)}}
                               .dump();
  router.add("GET", "/api/v1/cti/codes", [&context, body](http::Request& request) {
    require_login(request, context.sessions);
    return http::Response{200, "application/json", body, {}};
  });
}

}  // namespace unicc::api
