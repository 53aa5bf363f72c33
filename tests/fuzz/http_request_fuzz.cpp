// libFuzzer target for the request handling unicc owns: query and %-decoding,
// routing with path parameters, and strict JSON body reading. Any input must give
// a well-formed response (an error body for client mistakes), never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_fields.h"
#include "http/router.h"

namespace {

using unicc::http::JsonFields;
using unicc::http::Request;
using unicc::http::Response;
using unicc::http::Router;

const Router& router() {
  static const Router instance = [] {
    Router r;
    r.add("POST", "/api/v1/users", [](Request& request) {
      JsonFields fields(request.body, {"username", "password", "role", "display_name", "disabled", "limit"});
      fields.required_string("username", 64);
      fields.optional_string("display_name", 200);
      fields.optional_bool("disabled");
      fields.optional_int("limit", 1, 1000);
      return unicc::http::json_response(201, nlohmann::json::object());
    });
    r.add("PATCH", "/api/v1/users/{id}", [](Request& request) {
      unicc::http::int_param("id", request.params["id"], 1, INT64_MAX);
      JsonFields(request.body, {"role"}).optional_string("role", 32);
      return unicc::http::json_response(200, nlohmann::json::object());
    });
    return r;
  }();
  return instance;
}

}  // namespace

// Input layout: METHOD ' ' TARGET '\n' BODY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto space = input.find(' ');
  auto newline = input.find('\n');
  if (space == std::string::npos || newline == std::string::npos || newline < space) return 0;
  Request request;
  request.method = input.substr(0, space);
  std::string target = input.substr(space + 1, newline - space - 1);
  request.body = input.substr(newline + 1);
  auto question = target.find('?');
  if (!unicc::http::percent_decode(target.substr(0, question), request.path)) return 0;
  if (question != std::string::npos) request.query = unicc::http::parse_query(target.substr(question + 1));
  Response response = router().dispatch(request);
  if (response.status >= 500) __builtin_trap();  // client input must never cause a server error
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) __builtin_trap();
  if (response.status >= 400 && !body["error"]["code"].is_string()) __builtin_trap();
  return 0;
}
