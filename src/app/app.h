#pragma once
// The `unicc` program: wiring of the modules for each CLI command.
#include <string>

#include "core/config.h"

namespace unicc::app {

// Runs the server until SIGINT/SIGTERM; returns the process exit code.
int serve(const core::Config& config, bool demo);
// Applies pending schema migrations; returns the process exit code.
int migrate(const core::Config& config);

}  // namespace unicc::app
