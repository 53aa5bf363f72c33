// unicc — the contact center server. Commands: serve, migrate, check-config, check-flow.
#include <iostream>

#include <CLI/CLI.hpp>

#include "acd/store/config_tables.h"
#include "app/app.h"
#include "app/check_flow.h"
#include "core/config.h"
#include "unicc/version.h"

namespace {

// Reads the configuration (core's sections into `config`, the ACD's into `acd`), or
// the defaults when no file is given.
bool load(const std::string& path, unicc::core::Config& config, unicc::acd_store::ConfigTables& acd) {
  if (path.empty()) return true;
  try {
    config = unicc::core::load_config(path, acd.tables());
    return true;
  } catch (const unicc::core::ConfigError& error) {
    std::cerr << error.what() << "\n";
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"unicc — an all-in-one contact center server"};
  cli.set_version_flag("--version", std::string("unicc ") + unicc::kVersion);
  cli.require_subcommand(1);

  std::string config_path;
  bool demo = false;
  auto* serve = cli.add_subcommand("serve", "Run the server");
  serve->add_option("--config", config_path, "TOML configuration file")->check(CLI::ExistingFile);
  serve->add_flag("--demo", demo, "Seed demo users and settings (evaluation only)");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database schema migrations");
  migrate->add_option("--config", config_path, "TOML configuration file")->required()->check(CLI::ExistingFile);

  std::string check_path;
  auto* check = cli.add_subcommand("check-config", "Validate a configuration file and report every problem");
  check->add_option("file", check_path, "TOML configuration file")->required();

  std::string flow_path;
  auto* check_flow = cli.add_subcommand("check-flow", "Validate an IVR flow document and report every problem");
  check_flow->add_option("file", flow_path, "flow document (JSON)")->required();

  CLI11_PARSE(cli, argc, argv);

  unicc::core::Config config;
  unicc::acd_store::ConfigTables acd;
  if (*serve) {
    if (config_path.empty() && !demo) {
      std::cerr << "unicc serve: give --config FILE (or --demo to run with the defaults)\n";
      return 2;
    }
    if (!load(config_path, config, acd)) return 1;
    return unicc::app::serve(config, acd, demo);
  }
  if (*migrate) {
    if (!load(config_path, config, acd)) return 1;
    return unicc::app::migrate(config);
  }
  if (*check_flow) return unicc::app::check_flow_file(flow_path);
  if (!load(check_path, config, acd)) return 1;
  std::cout << check_path << ": OK\n";
  return 0;
}
