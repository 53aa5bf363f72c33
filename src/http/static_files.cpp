#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace unicc::http {
namespace {

std::string content_type_for(const std::filesystem::path& file) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".wav", "audio/wav"},                 {".txt", "text/plain; charset=utf-8"},
  };
  std::string ext = file.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

bool read_file(const std::filesystem::path& file, std::string& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code error;
  auto canonical = std::filesystem::canonical(root, error);
  if (!error) root_ = canonical.string();
}

Response StaticFiles::serve(const Request& request) const {
  if (root_.empty()) return error_response(404, "not_found", "the web UI is not built (run make)");
  std::filesystem::path relative = std::filesystem::path(request.path).relative_path();
  for (const auto& part : relative) {
    if (part == "..") return error_response(404, "not_found", "no such resource: " + request.path);
  }
  std::filesystem::path root(root_);
  std::filesystem::path file = root / relative;
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) file /= "index.html";
  if (!std::filesystem::is_regular_file(file, error)) {
    if (relative.has_extension()) return error_response(404, "not_found", "no such resource: " + request.path);
    file = root / "index.html";
  }
  auto canonical = std::filesystem::canonical(file, error);
  std::string resolved = canonical.string();
  if (error || resolved.compare(0, root_.size(), root_) != 0 ||
      (resolved.size() > root_.size() && resolved[root_.size()] != '/')) {
    return error_response(404, "not_found", "no such resource: " + request.path);
  }
  Response response;
  if (!read_file(canonical, response.body)) return error_response(404, "not_found", "no such resource: " + request.path);
  response.content_type = content_type_for(canonical);
  response.headers.emplace_back("Cache-Control", canonical.filename() == "index.html" ? "no-cache" : "max-age=3600");
  return response;
}

}  // namespace unicc::http
