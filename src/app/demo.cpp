#include "app/demo.h"

#include "app/telephony.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "call/sip_accounts.h"
#include "ivr/check.h"

namespace unicc::app {

void seed_demo(auth::Users& users, store::Database& db, const std::string& sip_realm, std::int64_t now_ms) {
  if (!users.find_by_name(kDemoAdmin)) {
    users.create(kDemoAdmin, "Demo administrator", auth::Role::admin, "", kDemoPassword, auth::PasswordRule::demo);
    spdlog::info("demo: created user '{}'", kDemoAdmin);
  }
  for (int extension = 1001; extension <= 1010; ++extension) {
    std::string number = std::to_string(extension);
    call::create_sip_account(db, number, "Demo " + number, "demo" + number, sip_realm, now_ms);  // unless it exists
  }
  // After the SIP accounts: an agent's extension must be one.
  for (const auto& agent : kDemoAgents) {
    if (users.find_by_name(agent.username)) continue;
    try {
      users.create(agent.username, std::string("Demo agent ") + agent.extension, auth::Role::agent, agent.extension,
                   kDemoPassword, auth::PasswordRule::demo);
      spdlog::info("demo: created agent user '{}' on extension {}", agent.username, agent.extension);
    } catch (const auth::UserError& error) {
      // An earlier run's user may have taken the extension; the demo does not change it.
      spdlog::warn("demo: agent user '{}' not created: {}", agent.username, error.what());
    }
  }
}

void add_demo_routes(core::Config& config, acd_store::ConfigTables& acd) {
  if (config.trunks.empty()) {
    core::TrunkConfig trunk;
    trunk.name = "demo";
    trunk.address = "127.0.0.1";
    trunk.port = 5070;
    trunk.outbound_prefix = "0";
    config.trunks.push_back(trunk);
  }
  if (config.dids.empty()) config.dids.push_back({"4000-4099", "1001"});
  if (acd.queues.items.empty()) {
    for (auto [name, ring] : {std::pair{"sales", "1001"}, std::pair{"support", "1002"}}) {
      acd_store::QueueRecord queue;
      queue.name = name;
      queue.groups = {name};  // as a queue of the file's
      queue.ring = ring;
      queue.comfort_text = "坐席正忙，请稍候。All our agents are busy, please hold.";
      queue.voice = "cmn";
      queue.comfort_every_s = 20;
      acd.queues.items.push_back(queue);
    }
  }
}

void publish_demo_flows(ivr::FlowStore& store, ivr::FlowRegistry& registry, const std::string& flows_dir,
                        const std::string& http_base) {
  if (!std::filesystem::is_directory(flows_dir)) {
    spdlog::warn("demo: no {} folder here (run from the source tree); the demo IVR is not published", flows_dir);
    return;
  }
  for (const char* name : {"demo-main", "demo-sales", "demo-support"}) {
    if (store.current_version(name) > 0) continue;
    const auto path = std::filesystem::path(flows_dir) / (std::string(name) + ".json");
    std::ifstream in(path);
    if (!in) {
      spdlog::warn("demo: {} cannot be read; that demo flow is not published", path.string());
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string document = text.str();
    for (auto at = document.find("http://127.0.0.1:8080"); at != std::string::npos;
         at = document.find("http://127.0.0.1:8080", at + http_base.size())) {
      document.replace(at, std::string("http://127.0.0.1:8080").size(), http_base);
    }
    auto check = ivr::check_flow(document);
    if (!check.ok()) {
      spdlog::error("demo: {} is not a valid flow ({} problems); not published", path.string(), check.problems.size());
      continue;
    }
    store.save_draft(name, document, kDemoAdmin);
    store.publish(name, kDemoAdmin);
    registry.refresh(name);
    spdlog::info("demo: published flow {}", name);
  }
}

void publish_demo_qa_form(qa::FormStore& forms) {
  if (forms.current_version("standard") > 0) return;
  const std::string document = R"({
  "name": "standard",
  "title": {"en": "Standard call review", "zh-CN": "标准通话质检"},
  "sections": [
    {"id": "opening", "title": {"en": "Opening", "zh-CN": "开场"}, "items": [
      {"id": "greeting", "label": {"en": "Standard greeting with name and company", "zh-CN": "规范问候，报工号和公司"}, "max": 10},
      {"id": "verify", "label": {"en": "Verified the customer's identity", "zh-CN": "核实客户身份"}, "kind": "pass_fail", "max": 10, "critical": true}
    ]},
    {"id": "handling", "title": {"en": "Handling", "zh-CN": "业务处理"}, "items": [
      {"id": "understanding", "label": {"en": "Understood the request", "zh-CN": "准确理解客户需求"}, "max": 20},
      {"id": "solution", "label": {"en": "Correct and complete answer", "zh-CN": "解答正确、完整"}, "max": 30},
      {"id": "hold", "label": {"en": "Hold and transfer etiquette", "zh-CN": "保持与转接规范"}, "max": 5, "na_allowed": true}
    ]},
    {"id": "manner", "title": {"en": "Manner", "zh-CN": "服务态度"}, "items": [
      {"id": "courtesy", "label": {"en": "Courteous, patient tone", "zh-CN": "礼貌用语，语气耐心"}, "max": 15},
      {"id": "closing", "label": {"en": "Closing: confirmed the customer is satisfied", "zh-CN": "结束语，确认客户满意"}, "max": 10}
    ]},
    {"id": "compliance", "title": {"en": "Compliance", "zh-CN": "合规"}, "items": [
      {"id": "privacy", "label": {"en": "No customer data disclosed to others", "zh-CN": "未泄露客户信息"}, "kind": "pass_fail", "max": 10, "critical": true}
    ]}
  ],
  "bands": [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60}, {"grade": "D", "min": 0}]
})";
  forms.save_draft("standard", document, kDemoAdmin);
  forms.publish("standard", kDemoAdmin);
  spdlog::info("demo: published QA form standard");
}

void add_demo_balance_route(http::Router& router) {
  router.add("GET", "/api/v1/demo/balance", [](http::Request& request) {
    auto found = request.query.find("number");
    if (found == request.query.end() || found->second.empty() ||
        found->second.find_first_not_of("0123456789+") != std::string::npos) {
      throw http::HttpError(400, "invalid_field", "number: give the caller's number as ?number=DIGITS");
    }
    const std::string& number = found->second;
    long long cents = 0;
    for (char c : number) cents = (cents * 31 + (c - '0' + 7)) % 1'000'000;
    return http::json_response(200, {{"number", number}, {"balance", fmt::format("{}.{:02d}", cents / 100, cents % 100)}});
  });
}

std::string demo_banner(const std::string& web_url, const std::string& sip) {
  return fmt::format(
      "\n"
      "  unicc demo is running\n"
      "    Web:      {}\n"
      "    Sign in:  user '{}', password '{}'\n"
      "    Agents:   users '{}' (extension {}) and '{}' ({}), the same password\n"
      "    SIP:      {}\n"
      "    Phones:   extensions 1001-1010, passwords demo1001-demo1010\n"
      "    Trunk:    calls from 127.0.0.1:5070 to DID 4000 reach the IVR (中文/English menu),\n"
      "              4001 the sales queue, 4002 support; 4003-4099 ring extension 1001;\n"
      "              phones dial 0 + number to call out through it\n"
      "  WARNING: the demo credentials are for evaluation only; change them before real use.\n",
      web_url, kDemoAdmin, kDemoPassword, kDemoAgents[0].username, kDemoAgents[0].extension, kDemoAgents[1].username,
      kDemoAgents[1].extension, sip);
}

}  // namespace unicc::app
