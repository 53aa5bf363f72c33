#pragma once
// http::StaticFiles — serves the built web UI from one folder.
//
// Paths never leave the folder ("..", NUL and symlinks out are refused); a path
// without a file extension that matches nothing serves index.html, so the
// single-page app's own routes (/desk, /wallboard) load on refresh.
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

}  // namespace unicc::http
