#pragma once
// --demo: seeds what a newcomer needs to try unicc at once.
#include <string>

#include "acd/store/config_tables.h"
#include "auth/users.h"
#include "core/config.h"
#include "http/router.h"
#include "ivr/flow_store.h"
#include "ivr/registry.h"
#include "qa/evaluations.h"
#include "store/database.h"

namespace unicc::app {

inline constexpr const char* kDemoAdmin = "admin";
inline constexpr const char* kDemoPassword = "unicc-demo";

struct DemoAgent {
  const char* username;
  const char* extension;
};
// Agent users on the extensions the demo queues ring (sales 1001, support 1002),
// with kDemoPassword, so that a newcomer can sign in as an agent.
inline constexpr DemoAgent kDemoAgents[] = {{"agent1001", "1001"}, {"agent1002", "1002"}};

// Creates the demo accounts that do not exist yet (user admin; extensions
// 1001-1010 with passwords demo1001-demo1010; agent users agent1001 and
// agent1002); never changes existing ones.
void seed_demo(auth::Users& users, store::Database& db, const std::string& sip_realm, std::int64_t now_ms);
// Without trunks, DIDs and queues in the configuration, --demo adds a trunk "demo"
// that sends from 127.0.0.1:5070, DIDs 4000-4099 to extension 1001, and queues
// sales (ringing 1001) and support (1002).
void add_demo_routes(core::Config& config, acd_store::ConfigTables& acd);
// Publishes the demo flows from `flows_dir` (etc/flows/demo-*.json: DID 4000's
// bilingual menu, 4001 sales, 4002 support) unless a version of them is published
// already; their balance lookup is pointed at `http_base` (e.g. http://127.0.0.1:8080).
void publish_demo_flows(ivr::FlowStore& store, ivr::FlowRegistry& registry, const std::string& flows_dir,
                        const std::string& http_base);
// Publishes the QA form "standard" (labels in Chinese and English) unless a version of
// it is published already.
void publish_demo_qa_form(qa::FormStore& forms);
// GET /api/v1/demo/balance?number=N → {"balance": "…"}: the account-balance service the
// demo menu looks up (a made-up balance derived from the number; no sign-in).
void add_demo_balance_route(http::Router& router);
// The banner printed at start: where to go and how to sign in.
std::string demo_banner(const std::string& web_url, const std::string& sip);

}  // namespace unicc::app
