#pragma once
// run_program — runs a helper program (the TTS renderer) and waits for it, bounded.
//
// The program is found in PATH and gets `argv` as its arguments exactly: no shell ever
// sees them, so nothing in them is interpreted. Its standard input and output are
// /dev/null, it inherits no other descriptor of ours, and what it writes to standard
// error is kept for the error message. A
// program still running after `timeout` is killed. Blocks the calling thread: run it on
// a worker thread, never on a media or SIP thread.
#include <chrono>
#include <string>
#include <vector>

namespace unicc::media {

struct ProgramOutcome {
  bool succeeded = false;  // started, and exited with status 0 in time
  std::string error;       // otherwise: why, with the end of its standard error
};

// `argv[0]` is the program; `stderr_path` a scratch file for its standard error, removed after.
ProgramOutcome run_program(const std::vector<std::string>& argv, const std::string& stderr_path,
                           std::chrono::milliseconds timeout);

}  // namespace unicc::media
