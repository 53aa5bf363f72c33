#pragma once
// --demo: seeds what a newcomer needs to try unicc at once.
#include <string>

#include "auth/users.h"

namespace unicc::app {

inline constexpr const char* kDemoAdmin = "admin";
inline constexpr const char* kDemoPassword = "unicc-demo";

// Creates the demo accounts that do not exist yet; never changes existing ones.
void seed_demo(auth::Users& users);
// The banner printed at start: where to go and how to sign in.
std::string demo_banner(const std::string& web_url);

}  // namespace unicc::app
