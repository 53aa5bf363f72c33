#include "media/run_program.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace unicc::media {
namespace {

using std::chrono::milliseconds;

std::string stderr_path() {
  return (std::filesystem::temp_directory_path() / ("unicc-run-program-" + std::to_string(::getpid()) + ".err"))
      .string();
}

ProgramOutcome run(const std::vector<std::string>& argv, milliseconds timeout = milliseconds(5000)) {
  return run_program(argv, stderr_path(), timeout);
}

TEST(RunProgramTest, ArgumentsArriveExactlyAsGiven) {
  // $1 must be the whole string: no word splitting, globbing or command separators.
  const std::string tricky = "a b;echo x*|$(false) -w";
  EXPECT_TRUE(run({"sh", "-c", "test \"$1\" = '" + tricky + "'", "sh", tricky}).succeeded);
  EXPECT_FALSE(run({"sh", "-c", "test \"$1\" = 'something else'", "sh", tricky}).succeeded);
}

TEST(RunProgramTest, FailureSaysHowItEndedAndWhatTheProgramSaid) {
  const ProgramOutcome outcome = run({"sh", "-c", "echo 'voice not found' >&2; exit 3"});
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_NE(outcome.error.find("status 3"), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("voice not found"), std::string::npos) << outcome.error;
  EXPECT_FALSE(std::filesystem::exists(stderr_path()));
}

TEST(RunProgramTest, AMissingProgramCannotStart) {
  const ProgramOutcome outcome = run({"unicc-no-such-program"});
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_NE(outcome.error.find("cannot start"), std::string::npos) << outcome.error;
}

TEST(RunProgramTest, AProgramThatHangsIsKilledAtTheTimeout) {
  const auto started = std::chrono::steady_clock::now();
  const ProgramOutcome outcome = run({"sleep", "30"}, milliseconds(200));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_NE(outcome.error.find("killed"), std::string::npos) << outcome.error;
}

}  // namespace
}  // namespace unicc::media
