#pragma once
// http::StaticFiles — serves the built web UI from one folder — and the two pieces of
// it that API routes serving files (recordings, voicemail) share: file_reply, a file
// whole or the byte range a player asks for, and canonical_inside, which keeps a path
// inside its folder.
//
// Paths never leave the folder ("..", NUL and symlinks out are refused); a path
// without a file extension that matches nothing serves index.html, so the
// single-page app's own routes (/desk, /wallboard) load on refresh.
#include <filesystem>
#include <optional>
#include <string>

#include "http/router.h"

namespace unicc::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  Response serve(const Request& request) const;

 private:
  std::string root_;  // canonical, or empty when the folder does not exist
};

struct FileReply {
  Response response;
  // The request asked for the file from its first byte (whole, or a range from 0):
  // a player starting rather than seeking.
  bool from_start = false;
};

// `file` as `content_type`: whole (200, Accept-Ranges: bytes), or the single range
// the request's Range header asks for — "bytes=a-b", "bytes=a-", "bytes=-n" — as 206
// with Content-Range, or 416 range_not_satisfiable when the range starts past the
// end. A Range header of another form (several ranges, another unit, malformed) is
// ignored, as RFC 9110 allows, and the whole file is sent. nullopt when the file
// cannot be read.
std::optional<FileReply> file_reply(const Request& request, const std::filesystem::path& file,
                                    const std::string& content_type);

// `file` with symlinks and ".." resolved, when it exists and lies inside `root`;
// nullopt otherwise (also when `root` does not exist).
std::optional<std::filesystem::path> canonical_inside(const std::filesystem::path& root,
                                                      const std::filesystem::path& file);

}  // namespace unicc::http
