#include "support/api_harness.h"

#include <gtest/gtest.h>

namespace unicc::testing {

std::string refusal(const http::Response& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.body;
  const auto error = nlohmann::json::parse(response.body)["error"];
  EXPECT_EQ(error["code"], code) << response.body;
  return error["message"];
}

std::vector<std::string> import_report_lines(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& line : report["lines"]) {
    std::string text = std::to_string(line["line"].get<int>()) + " " + line["action"].get<std::string>() + " " +
                       line["extension"].get<std::string>();
    for (const auto& change : line["changes"]) text += " " + change.get<std::string>();
    for (const auto& problem : line["problems"]) {
      text += " | " + problem["field"].get<std::string>() + ": " + problem["message"].get<std::string>();
    }
    out.push_back(text);
  }
  return out;
}

ApiHarness::ApiHarness() {
  api::add_foundation_routes(router, context);
  users.create("root", "Root", auth::Role::admin, "", "root-password");
}

ApiHarness::~ApiHarness() { writer.stop(); }

http::Response ApiHarness::call(const std::string& method, const std::string& path, const std::string& body,
                                const std::string& token, const std::string& remote) {
  http::Request request;
  request.method = method;
  auto question = path.find('?');
  request.path = path.substr(0, question);
  if (question != std::string::npos) request.query = http::parse_query(path.substr(question + 1));
  request.body = body;
  request.remote_address = remote;
  if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
  return router.dispatch(request);
}

std::string ApiHarness::login(const std::string& username, const std::string& password) {
  auto response = call("POST", "/api/v1/login",
                       nlohmann::json{{"username", username}, {"password", password}}.dump());
  EXPECT_EQ(response.status, 200) << response.body;
  return nlohmann::json::parse(response.body).value("token", "");
}

}  // namespace unicc::testing
