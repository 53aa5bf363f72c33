#include "http/router.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace unicc::http {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      found[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Request::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  // Replace invalid UTF-8 rather than throw: a stored odd byte must not turn a read into a 500.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response error_response(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int high = hex_value(in[i + 1]);
    int low = hex_value(in[i + 2]);
    if (high < 0 || low < 0) return false;
    char decoded = static_cast<char>(high * 16 + low);
    if (decoded == '\0') return false;
    out += decoded;
    i += 2;
  }
  return true;
}

std::map<std::string, std::string> parse_query(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string pair = query.substr(start, amp - start);
    for (char& c : pair) {
      if (c == '+') c = ' ';
    }
    std::size_t eq = pair.find('=');
    std::string key, value;
    if (!pair.empty() && percent_decode(pair.substr(0, eq), key) &&
        (eq == std::string::npos || percent_decode(pair.substr(eq + 1), value))) {
      out[key] = value;
    }
    start = amp + 1;
  }
  return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, split_path(pattern), std::move(handler)});
}

Response Router::dispatch(Request& request) const {
  try {
    std::vector<std::string> path = split_path(request.path);
    bool path_known = false;
    for (const auto& route : routes_) {
      std::map<std::string, std::string> params;
      if (!matches(route.segments, path, params)) continue;
      path_known = true;
      if (route.method != request.method) continue;
      request.params = std::move(params);
      return route.handler(request);
    }
    if (path_known) return error_response(405, "method_not_allowed", request.method + " is not allowed on " + request.path);
    bool is_api = request.path.rfind("/api/", 0) == 0;
    if (!is_api && fallback_ && (request.method == "GET" || request.method == "HEAD")) return fallback_(request);
    return error_response(404, "not_found", "no such resource: " + request.path);
  } catch (const HttpError& error) {
    Response response = error_response(error.status(), error.code(), error.what());
    response.headers = error.headers;
    return response;
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed: {}", request.method, request.path, error.what());
    return error_response(500, "internal", "the server could not complete the request");
  }
}

}  // namespace unicc::http
