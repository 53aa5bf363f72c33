#include "http/static_files.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <string_view>

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

// The one range a Range header asks of a file of `size` bytes (file_reply).
struct RangeAsked {
  bool honoured = false;  // false: no Range header of a form we read; the whole file goes
  bool satisfiable = false;
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};

bool parse_offset(std::string_view text, std::uint64_t& value) {
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  return !text.empty() && error == std::errc() && stop == end;
}

RangeAsked range_asked(const std::string& header, std::uint64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  RangeAsked asked;
  if (header.rfind(kUnit, 0) != 0) return asked;
  const std::string_view spec = std::string_view(header).substr(kUnit.size());
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return asked;
  const std::string_view first_text = spec.substr(0, dash), last_text = spec.substr(dash + 1);
  std::uint64_t first = 0, last = 0;
  if (first_text.empty()) {  // "-n": the last n bytes
    if (!parse_offset(last_text, last)) return asked;
    asked.honoured = true;
    asked.satisfiable = last > 0 && size > 0;
    asked.first = size - std::min(last, size);
    asked.last = size - 1;
    return asked;
  }
  if (!parse_offset(first_text, first)) return asked;
  if (last_text.empty()) {
    last = UINT64_MAX;
  } else if (!parse_offset(last_text, last) || last < first) {
    return asked;
  }
  asked.honoured = true;
  asked.satisfiable = first < size;
  asked.first = first;
  asked.last = std::min(last, size - 1);
  return asked;
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
  auto canonical = canonical_inside(root, file);
  if (!canonical) return error_response(404, "not_found", "no such resource: " + request.path);
  auto reply = file_reply(request, *canonical, content_type_for(*canonical));
  if (!reply) return error_response(404, "not_found", "no such resource: " + request.path);
  reply->response.headers.emplace_back("Cache-Control",
                                       canonical->filename() == "index.html" ? "no-cache" : "max-age=3600");
  return std::move(reply->response);
}

std::optional<FileReply> file_reply(const Request& request, const std::filesystem::path& file,
                                    const std::string& content_type) {
  std::ifstream in(file, std::ios::binary);
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(file, error);
  if (!in || error) return std::nullopt;
  const RangeAsked asked = range_asked(request.header("range"), size);
  FileReply reply;
  if (asked.honoured && !asked.satisfiable) {
    reply.response = error_response(416, "range_not_satisfiable",
                                    "the range lies past the end of the file (" + std::to_string(size) + " bytes)");
    reply.response.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return reply;
  }
  const std::uint64_t first = asked.honoured ? asked.first : 0;
  const std::uint64_t length = asked.honoured ? asked.last - first + 1 : size;
  reply.response.body.resize(length);
  in.seekg(static_cast<std::streamoff>(first));
  // Fails when the file shrank since its size was taken.
  if (!in.read(reply.response.body.data(), static_cast<std::streamsize>(length))) return std::nullopt;
  reply.response.status = asked.honoured ? 206 : 200;
  reply.response.content_type = content_type;
  reply.response.headers.emplace_back("Accept-Ranges", "bytes");
  if (asked.honoured) {
    reply.response.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                             std::to_string(asked.last) + "/" + std::to_string(size));
  }
  reply.from_start = first == 0;
  return reply;
}

std::optional<std::filesystem::path> canonical_inside(const std::filesystem::path& root,
                                                      const std::filesystem::path& file) {
  std::error_code error;
  const auto canonical_root = std::filesystem::canonical(root, error);
  if (error) return std::nullopt;
  auto canonical_file = std::filesystem::canonical(file, error);
  if (error) return std::nullopt;
  // Compared part by part, so /var/rec does not contain /var/recordings.
  if (std::mismatch(canonical_root.begin(), canonical_root.end(), canonical_file.begin(), canonical_file.end()).first !=
      canonical_root.end()) {
    return std::nullopt;
  }
  return canonical_file;
}

}  // namespace unicc::http
