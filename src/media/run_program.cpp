#include "media/run_program.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

extern char** environ;

namespace unicc::media {
namespace {

// Enough of a failing program's standard error to say why, not a whole dump.
constexpr std::size_t kMaxErrorText = 400;

std::string error_text(const std::string& stderr_path) {
  std::ifstream file(stderr_path);
  std::stringstream text;
  text << file.rdbuf();
  std::string message = text.str();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (message.size() > kMaxErrorText) message = "..." + message.substr(message.size() - kMaxErrorText);
  return message;
}

// Waits for `pid` until `deadline`; nullopt when it is still running then.
std::optional<int> wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Renderers take a fraction of a second; polling keeps this free of signal handling.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

ProgramOutcome run_program(const std::vector<std::string>& argv, const std::string& stderr_path,
                           std::chrono::milliseconds timeout) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The server's sockets and files are none of the program's business.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  pid_t pid = 0;
  const int spawn_error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  const std::string program = argv.front();
  if (spawn_error != 0) {
    std::remove(stderr_path.c_str());
    return {false, program + ": cannot start: " + std::strerror(spawn_error)};
  }

  ProgramOutcome outcome;
  const std::optional<int> status = wait_until(pid, std::chrono::steady_clock::now() + timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    outcome.error = program + ": still running after " + std::to_string(timeout.count()) + " ms, killed";
  } else if (WIFEXITED(*status) && WEXITSTATUS(*status) == 0) {
    outcome.succeeded = true;
  } else {
    const std::string how = WIFEXITED(*status) ? "exited with status " + std::to_string(WEXITSTATUS(*status))
                                               : "ended abnormally";
    const std::string said = error_text(stderr_path);
    outcome.error = program + ": " + how + (said.empty() ? "" : ": " + said);
  }
  std::remove(stderr_path.c_str());
  return outcome;
}

}  // namespace unicc::media
