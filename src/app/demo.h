#pragma once
// --demo: seeds what a newcomer needs to try unicc at once.
#include <string>

#include "auth/users.h"
#include "core/config.h"
#include "store/database.h"

namespace unicc::app {

inline constexpr const char* kDemoAdmin = "admin";
inline constexpr const char* kDemoPassword = "unicc-demo";

// Creates the demo accounts that do not exist yet (user admin; extensions
// 1001-1005 with passwords demo1001-demo1005); never changes existing ones.
void seed_demo(auth::Users& users, store::Database& db, const std::string& sip_realm, std::int64_t now_ms);
// Without trunks and DIDs in the configuration, --demo adds a trunk "demo" that
// sends from 127.0.0.1:5070 and DIDs 4000-4099 to extension 1001.
void add_demo_routes(core::Config& config);
// The banner printed at start: where to go and how to sign in.
std::string demo_banner(const std::string& web_url, const std::string& sip);

}  // namespace unicc::app
