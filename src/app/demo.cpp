#include "app/demo.h"

#include "app/telephony.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace unicc::app {

void seed_demo(auth::Users& users, store::Database& db, const std::string& sip_realm, std::int64_t now_ms) {
  if (!users.find_by_name(kDemoAdmin)) {
    users.create(kDemoAdmin, "Demo administrator", auth::Role::admin, kDemoPassword);
    spdlog::info("demo: created user '{}'", kDemoAdmin);
  }
  for (int extension = 1001; extension <= 1005; ++extension) {
    std::string number = std::to_string(extension);
    ensure_sip_account(db, number, "Demo " + number, "demo" + number, sip_realm, now_ms);
  }
}

void add_demo_routes(core::Config& config) {
  if (config.trunks.empty()) {
    core::TrunkConfig trunk;
    trunk.name = "demo";
    trunk.address = "127.0.0.1";
    trunk.port = 5070;
    trunk.outbound_prefix = "0";
    config.trunks.push_back(trunk);
  }
  if (config.dids.empty()) config.dids.push_back({"4000-4099", "1001"});
}

std::string demo_banner(const std::string& web_url, const std::string& sip) {
  return fmt::format(
      "\n"
      "  unicc demo is running\n"
      "    Web:      {}\n"
      "    Sign in:  user '{}', password '{}'\n"
      "    SIP:      {}\n"
      "    Phones:   extensions 1001-1005, passwords demo1001-demo1005\n"
      "    Trunk:    calls from 127.0.0.1:5070 to DIDs 4000-4099 ring extension 1001;\n"
      "              phones dial 0 + number to call out through it\n"
      "  WARNING: the demo credentials are for evaluation only; change them before real use.\n",
      web_url, kDemoAdmin, kDemoPassword, sip);
}

}  // namespace unicc::app
