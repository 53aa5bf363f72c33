#pragma once
// `unicc check-flow FILE` — validates an IVR flow document. Each problem goes to
// stderr as "FILE:LINE: node ID: field: problem" (document-level problems have no
// "node ID: ", whole-node problems no "field: "), and the exit code is 1; a valid
// flow prints "FILE: OK" and exits 0.
#include <string>

namespace unicc::app {

int check_flow_file(const std::string& path);

}  // namespace unicc::app
