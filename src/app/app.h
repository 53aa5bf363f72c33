#pragma once
// The `unicc` program: wiring of the modules for each CLI command.
#include <string>

#include "acd/store/config_tables.h"
#include "core/config.h"

namespace unicc::app {

// Runs the server until SIGINT/SIGTERM; returns the process exit code. `acd` holds
// the file's [[queue]] and [[agent]] tables, which seed the database.
int serve(const core::Config& config, const acd_store::ConfigTables& acd, bool demo);
// Applies pending schema migrations; returns the process exit code.
int migrate(const core::Config& config);

}  // namespace unicc::app
