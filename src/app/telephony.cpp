#include "app/telephony.h"

#include <future>
#include <map>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/agent_log.h"
#include "app/trunk_registrations.h"
#include "core/event_loop.h"
#include "sip/transport.h"

namespace unicc::app {
namespace {

// How long shutdown waits for carriers to confirm that our registrations are removed.
constexpr std::chrono::milliseconds kUnregisterLimit{3000};

std::vector<sip::SipAccount> load_accounts(store::Database& db, const std::string& realm) {
  soci::session sql(db.pool());
  sip::SipAccount row;
  std::string stored_realm;
  soci::statement st = (sql.prepare << "SELECT extension, display_name, realm, ha1_md5, ha1_sha256 FROM sip_accounts"
                                       " WHERE enabled = 1",
                        soci::into(row.user), soci::into(row.display_name), soci::into(stored_realm),
                        soci::into(row.ha1_md5), soci::into(row.ha1_sha256));
  st.execute(false);
  std::vector<sip::SipAccount> accounts;
  while (st.fetch()) {
    if (stored_realm != realm) {
      // HA1 binds the password to the realm: such an account can no longer authenticate.
      spdlog::error("SIP account {} was created for realm '{}', not sip.realm '{}'; reset its password",
                    row.user, stored_realm, realm);
      continue;
    }
    accounts.push_back(row);
  }
  return accounts;
}

}  // namespace

void ensure_sip_account(store::Database& db, const std::string& extension, const std::string& display_name,
                        const std::string& password, const std::string& realm, std::int64_t now_ms) {
  soci::session sql(db.pool());
  int existing = 0;
  sql << "SELECT COUNT(*) FROM sip_accounts WHERE extension = :e", soci::use(extension), soci::into(existing);
  if (existing > 0) return;
  std::string md5 = sip::digest_ha1(sip::DigestAlgorithm::kMd5, extension, realm, password);
  std::string sha256 = sip::digest_ha1(sip::DigestAlgorithm::kSha256, extension, realm, password);
  long long created = now_ms;
  sql << "INSERT INTO sip_accounts (extension, display_name, realm, ha1_md5, ha1_sha256, enabled, created_at)"
         " VALUES (:e, :d, :r, :m, :s, 1, :c)",
      soci::use(extension), soci::use(display_name), soci::use(realm), soci::use(md5), soci::use(sha256),
      soci::use(created);
}

namespace {

media::ToneRegion tone_region(const std::string& name) {
  if (name == "us") return media::ToneRegion::kUs;
  return name == "europe" ? media::ToneRegion::kEurope : media::ToneRegion::kChina;
}

acd::Strategy strategy_named(const std::string& name) {
  static const std::map<std::string, acd::Strategy> strategies = {
      {"longest_idle", acd::Strategy::kLongestIdle}, {"round_robin", acd::Strategy::kRoundRobin},
      {"fewest_calls", acd::Strategy::kFewestCalls}, {"least_talk_time", acd::Strategy::kLeastTalkTime},
      {"ring_all", acd::Strategy::kRingAll},         {"linear", acd::Strategy::kLinear},
      {"random", acd::Strategy::kRandom},            {"best_skill", acd::Strategy::kBestSkill}};
  return strategies.at(name);  // the config allows only these names
}

// Queue ids are the queues' positions in the configuration (1-based), agent ids the
// agents'. An agent serves the queues it names (groups = queue names).
void configure_router(acd::Router& router, const core::Config& config) {
  for (std::size_t i = 0; i < config.queues.size(); ++i) {
    const auto& queue = config.queues[i];
    if (!queue.ring.empty()) continue;
    acd::QueueConfig routed;
    routed.id = i + 1;
    routed.name = queue.name;
    routed.groups = {queue.name};
    routed.strategy = strategy_named(queue.strategy);
    routed.ring_timeout = std::chrono::seconds(queue.ring_timeout_s);
    routed.wrap_up = std::chrono::seconds(queue.wrap_up_s);
    // A call that leaves the queue without an agent goes back to its flow, which takes
    // the queue node's on_failure exit.
    routed.overflow.kind = acd::OverflowTarget::Kind::kIvrFlow;
    routed.overflow.destination = "on_failure";
    for (const auto& problem : router.add_queue(routed)) spdlog::error("queue {}: {}", queue.name, problem);
  }
  for (std::size_t i = 0; i < config.agents.size(); ++i) {
    const auto& agent = config.agents[i];
    acd::AgentConfig routed;
    routed.id = i + 1;
    routed.name = agent.name;
    routed.extension = agent.extension;
    std::stringstream queues(agent.queues);
    for (std::string name; std::getline(queues, name, ',');) {
      if (!name.empty()) routed.groups.push_back(name);
    }
    for (const auto& problem : router.add_agent(routed)) spdlog::error("agent {}: {}", agent.extension, problem);
  }
}

std::map<acd::AgentId, std::string> agent_extensions(const core::Config& config) {
  std::map<acd::AgentId, std::string> out;
  for (std::size_t i = 0; i < config.agents.size(); ++i) out[i + 1] = config.agents[i].extension;
  return out;
}

std::map<acd::AgentId, AgentView> agent_views(const core::Config& config) {
  std::map<acd::AgentId, AgentView> out;
  for (std::size_t i = 0; i < config.agents.size(); ++i) {
    out[i + 1] = AgentView{config.agents[i].extension, config.agents[i].name, "logged_out", "", 0};
  }
  return out;
}

ivr::CallRunnerSettings ivr_settings(const core::Config& config) {
  ivr::CallRunnerSettings settings;
  settings.voicemail_dir = config.ivr.voicemail_dir;
  for (std::size_t i = 0; i < config.queues.size(); ++i) {
    const auto& queue = config.queues[i];
    ivr::QueueSettings& settings_of = settings.queues[queue.name];
    settings_of.ring = queue.ring;
    settings_of.acd_queue = i + 1;
    if (!queue.music.empty()) settings_of.music = {ivr::Prompt{queue.music, "", "", ""}};
    if (!queue.comfort_text.empty()) settings_of.comfort = {ivr::Prompt{"", queue.comfort_text, queue.comfort_voice, ""}};
    settings_of.comfort_every = std::chrono::seconds(queue.comfort_every_s);
  }
  settings.tone_region = tone_region(config.ivr.tone_region);
  return settings;
}

}  // namespace

struct Telephony::Impl {
  Impl(const core::Config& config, store::Database& db, store::AsyncWriter& writer, core::Metrics& metrics,
       const core::Clock& clock, call::CallObserver& observer, CallServices services)
      : config(config),
        db(db),
        clock(clock),
        observer(observer),
        transport(loop,
                  sip::TransportSettings{config.sip.address, static_cast<std::uint16_t>(config.sip.port), config.sip.udp,
                                         config.sip.tcp},
                  metrics),
        timers(loop),
        digest(config.sip.realm, clock, *sip::parse_digest_algorithms(config.sip.digest_algorithms)),
        registrations(config.trunks, transport, timers, clock),
        plan(config.trunks, config.dids),
        media(media::MediaSettings{config.media.address, static_cast<std::uint16_t>(config.media.rtp_port_min),
                                   static_cast<std::uint16_t>(config.media.rtp_port_max), true,
                                   std::chrono::seconds(config.media.rtp_timeout_s),
                                   static_cast<std::size_t>(config.media.rtp_threads),
                                   static_cast<int>(config.media.rtp_nice)}),
        cdrs(writer, db),
        tts(media::TtsSettings{config.ivr.tts_cache_dir, config.ivr.tts_command}),
        prompts(config.ivr.sounds_dir, tts),
        agent_log(writer, db, agent_views(config), std::move(services.agent_changed)),
        router(clock, acd::RouterOptions{&agent_log, 1}),
        runner(ivr::CallRunnerParts{services.flows, &router, agent_extensions(config), prompts, loop, clock,
                                    std::move(services.fetch), std::move(services.voicemail)},
               ivr_settings(config)) {
    configure_router(router, config);
  }

  // Runs `work` on the SIP thread and waits for its result.
  template <typename Work>
  auto on_sip_thread(Work work) -> decltype(work()) {
    std::packaged_task<decltype(work())()> task(std::move(work));
    auto result = task.get_future();
    loop.post([&task] { task(); });
    return result.get();
  }

  const core::Config& config;
  store::Database& db;
  const core::Clock& clock;
  call::CallObserver& observer;
  core::EventLoop loop;
  sip::TransportLayer transport;
  sip::LoopTimers timers;
  sip::AccountDirectory accounts;
  sip::LocationService locations;
  sip::DigestAuthenticator digest;
  TrunkRegistrations registrations;
  call::NumberPlan plan;
  media::MediaEngine media;
  call::CdrStore cdrs;
  media::TtsCache tts;
  ivr::PromptSource prompts;
  AgentLog agent_log;
  acd::Router router;
  ivr::CallRunner runner;
  std::unique_ptr<call::B2bua> b2bua;
  std::thread thread;
};

Telephony::Telephony(const core::Config& config, store::Database& db, store::AsyncWriter& writer,
                     core::Metrics& metrics, const core::Clock& clock, call::CallObserver& observer,
                     CallServices services)
    : impl_(std::make_unique<Impl>(config, db, writer, metrics, clock, observer, std::move(services))) {}

Telephony::~Telephony() { stop(); }

void Telephony::start() {
  auto& i = *impl_;
  i.accounts.replace(load_accounts(i.db, i.config.sip.realm));
  i.transport.start([&i](const sip::Message& message, const sip::Endpoint& from) {
    if (TrunkRegistrations::handles(message)) return i.registrations.receive(message, from);
    i.b2bua->receive(message, from);
  });
  std::string advertised = i.config.sip.public_address.empty() ? i.config.sip.address : i.config.sip.public_address;
  call::B2buaSettings settings;
  settings.sip_address = advertised;
  settings.sip_udp_port = i.transport.udp_port();
  settings.sip_tcp_port = i.transport.tcp_port();
  settings.media_address = i.config.sip.public_address.empty() ? i.config.media.address : i.config.sip.public_address;
  settings.ring_timeout = std::chrono::seconds(i.config.sip.ring_timeout_s);
  settings.record_calls = i.config.media.record_calls;
  settings.recordings_dir = i.config.media.recordings_dir;
  settings.registrar = sip::RegistrarSettings{i.config.sip.registration_min_expires_s,
                                              i.config.sip.registration_max_expires_s,
                                              i.config.sip.registration_max_expires_s};
  i.b2bua = std::make_unique<call::B2bua>(
      call::B2buaParts{i.transport, i.timers, i.clock, i.accounts, i.locations, i.digest, i.plan, i.media, i.cdrs,
                       i.observer, [&i](std::function<void()> task) { i.loop.post(std::move(task)); }, &i.runner},
      settings);
  i.runner.attach(*i.b2bua);
  TrunkRegistrations::LocalAddress local{advertised, i.transport.udp_port(), i.transport.tcp_port()};
  i.loop.post([&i, local] { i.registrations.start(local); });
  i.thread = std::thread([&i] { i.loop.run(); });
  spdlog::info("SIP listening on {} with {} accounts", listening(), i.accounts.size());
}

void Telephony::stop() {
  auto& i = *impl_;
  if (!i.thread.joinable()) return;
  i.loop.post([&i] {
    i.b2bua->hang_up_all();
    i.registrations.stop(kUnregisterLimit, [&i] {
      // Give the BYEs and final responses a moment to leave before the sockets close.
      i.loop.start_timer(std::chrono::milliseconds(200), [&i] {
        i.transport.stop();
        i.loop.stop();
      });
    });
  });
  i.thread.join();
  i.media.stop();
}

std::string Telephony::listening() const {
  const auto& i = *impl_;
  std::string out;
  if (i.config.sip.udp) out += "udp:" + i.config.sip.address + ":" + std::to_string(i.transport.udp_port());
  if (i.config.sip.tcp) out += (out.empty() ? "" : " ") + ("tcp:" + i.config.sip.address + ":" + std::to_string(i.transport.tcp_port()));
  return out;
}

call::CdrStore& Telephony::cdrs() { return impl_->cdrs; }

std::vector<std::optional<sip::RegistrationState>> Telephony::trunk_registrations() const {
  return impl_->registrations.states();
}

std::vector<AgentView> Telephony::agents() {
  auto& i = *impl_;
  if (!i.thread.joinable()) return {};
  return i.on_sip_thread([&i] {
    std::vector<AgentView> out;
    for (std::size_t n = 0; n < i.config.agents.size(); ++n) {
      const auto& agent = i.config.agents[n];
      AgentView view{agent.extension, agent.name, "logged_out", "", 0};
      if (auto status = i.router.agent_status(n + 1)) {
        view.state = AgentLog::state_name(status->state);
        view.reason = status->reason;
        view.since_ms = status->since_ms;
      }
      out.push_back(view);
    }
    return out;
  });
}

std::vector<AgentStateChange> Telephony::log_out_agents_after_restart() {
  return impl_->agent_log.log_out_after_restart(impl_->clock.now_ms());
}

std::vector<AgentStateChange> Telephony::agent_history(const std::string& extension, std::int64_t limit) {
  return impl_->agent_log.history(extension, limit);
}

std::string Telephony::set_agent_state(const std::string& extension, const std::string& state,
                                       const std::string& reason) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return "telephony is not running";
  return i.on_sip_thread([&i, &extension, &state, &reason]() -> std::string {
    acd::AgentId id = 0;
    for (std::size_t n = 0; n < i.config.agents.size(); ++n) {
      if (i.config.agents[n].extension == extension) id = n + 1;
    }
    if (id == 0) return "unknown agent";
    auto current = i.router.agent_status(id);
    const bool logged_out = !current || current->state == acd::AgentState::kLoggedOut;
    acd::Status status = acd::Status::kOk;
    if (state == "logged_out") {
      status = i.router.log_out(id);
    } else {
      if (logged_out) status = i.router.log_in(id);
      if (status == acd::Status::kOk) {
        status = state == "ready" ? i.router.set_ready(id) : i.router.set_not_ready(id, reason);
      }
    }
    i.runner.route_queued_calls();
    return status == acd::Status::kOk ? "" : std::string(acd::to_string(status));
  });
}

}  // namespace unicc::app
