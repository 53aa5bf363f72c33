#include "http/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace unicc::http {
namespace {

Request make(const std::string& method, const std::string& path) {
  Request request;
  request.method = method;
  request.path = path;
  return request;
}

nlohmann::json body_of(const Response& response) { return nlohmann::json::parse(response.body); }

TEST(Router, MatchesMethodPathAndParameters) {
  Router router;
  router.add("GET", "/api/v1/users/{id}", [](Request& r) { return json_response(200, {{"id", r.params["id"]}}); });
  auto request = make("GET", "/api/v1/users/42");
  auto response = router.dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response)["id"], "42");
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405WithErrorBodies) {
  Router router;
  router.add("GET", "/api/v1/things", [](Request&) { return json_response(200, nlohmann::json::object()); });
  auto unknown = make("GET", "/api/v1/nothing");
  auto response = router.dispatch(unknown);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(body_of(response)["error"]["code"], "not_found");
  auto wrong = make("DELETE", "/api/v1/things");
  response = router.dispatch(wrong);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(body_of(response)["error"]["code"], "method_not_allowed");
}

TEST(Router, HttpErrorBecomesItsStatusAndOtherExceptionsA500) {
  Router router;
  router.add("GET", "/api/v1/teapot", [](Request&) -> Response {
    HttpError error(429, "slow_down", "wait");
    error.headers.emplace_back("Retry-After", "5");
    throw error;
  });
  router.add("GET", "/api/v1/broken", [](Request&) -> Response { throw std::runtime_error("boom"); });
  auto teapot = make("GET", "/api/v1/teapot");
  auto response = router.dispatch(teapot);
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(body_of(response)["error"]["message"], "wait");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "5");
  auto broken = make("GET", "/api/v1/broken");
  response = router.dispatch(broken);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(body_of(response)["error"]["code"], "internal");
  EXPECT_EQ(response.body.find("boom"), std::string::npos) << "internal details must not leak";
}

TEST(Router, FallbackServesNonApiGetsOnly) {
  Router router;
  router.set_fallback([](Request&) { return Response{200, "text/html", "<html>", {}}; });
  auto page = make("GET", "/desk");
  EXPECT_EQ(router.dispatch(page).status, 200);
  auto api = make("GET", "/api/v1/missing");
  EXPECT_EQ(router.dispatch(api).status, 404);
  auto post = make("POST", "/desk");
  EXPECT_EQ(router.dispatch(post).status, 404);
}

TEST(Query, DecodesPairsAndRejectsBadEscapes) {
  auto query = parse_query("a=1&b=x%20y&c=a+b&bad=%zz&empty=");
  EXPECT_EQ(query["a"], "1");
  EXPECT_EQ(query["b"], "x y");
  EXPECT_EQ(query["c"], "a b");
  EXPECT_EQ(query.count("bad"), 0u);
  EXPECT_EQ(query["empty"], "");
  std::string out;
  EXPECT_FALSE(percent_decode("%00", out));
  EXPECT_FALSE(percent_decode("abc%4", out));
  EXPECT_TRUE(percent_decode("%2e%2E", out));
  EXPECT_EQ(out, "..");
}

}  // namespace
}  // namespace unicc::http
