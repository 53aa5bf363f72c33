#pragma once
// http::Router — REST routing on plain Request/Response values, so handlers and
// their tests never see Boost.Beast (which stays in server.cpp).
//
// Every failure leaves as {"error":{"code","message"}}: handlers throw HttpError
// for client mistakes (4xx); any other exception becomes a logged 500.
//
// Routes are added while the server is wired, before it listens; dispatch() is then
// const and runs on every HTTP thread at once (handlers bring their own locking).
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace unicc::http {

struct Request {
  std::string method;                            // upper case, e.g. "GET"
  std::string path;                              // without the query, %-decoded
  std::map<std::string, std::string> query;      // %-decoded
  std::map<std::string, std::string> headers;    // names in lower case
  std::string body;
  std::string remote_address;
  std::map<std::string, std::string> params;     // filled from {name} segments

  std::string header(const std::string& lower_case_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  std::vector<std::pair<std::string, std::string>> headers;

 private:
  int status_;
  std::string code_;
};

Response json_response(int status, const nlohmann::json& body);
Response error_response(int status, const std::string& code, const std::string& message);

// Splits "a=1&b=x%20y" into decoded pairs; "+" means space.
std::map<std::string, std::string> parse_query(const std::string& query);
// Decodes %XX escapes; returns false for a malformed escape or an encoded NUL.
bool percent_decode(const std::string& in, std::string& out);

class Router {
 public:
  using Handler = std::function<Response(Request&)>;

  // `pattern` is a path whose segments may be "{name}" placeholders.
  void add(const std::string& method, const std::string& pattern, Handler handler);
  // For GET/HEAD requests no route matched (static files).
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }

  // Never throws: 404 for unknown paths, 405 for a known path with another method.
  Response dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace unicc::http
