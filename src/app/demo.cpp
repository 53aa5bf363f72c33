#include "app/demo.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace unicc::app {

void seed_demo(auth::Users& users) {
  if (users.find_by_name(kDemoAdmin)) return;
  users.create(kDemoAdmin, "Demo administrator", auth::Role::admin, kDemoPassword);
  spdlog::info("demo: created user '{}'", kDemoAdmin);
}

std::string demo_banner(const std::string& web_url) {
  return fmt::format(
      "\n"
      "  unicc demo is running\n"
      "    Web:      {}\n"
      "    Sign in:  user '{}', password '{}'\n"
      "  WARNING: the demo credentials are for evaluation only; change them before real use.\n",
      web_url, kDemoAdmin, kDemoPassword);
}

}  // namespace unicc::app
