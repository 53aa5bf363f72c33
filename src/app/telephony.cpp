#include "app/telephony.h"

#include <filesystem>
#include <future>
#include <thread>

#include <spdlog/spdlog.h>

#include "acd/store/acd_directory.h"
#include "acd/store/agent_log.h"
#include "call/sip_accounts.h"
#include "call/sip_bans.h"
#include "call/voice_control.h"
#include "core/event_loop.h"
#include "sip/self_signed.h"
#include "sip/front.h"
#include "sip/trunk_registrations.h"
#include "sip/transport.h"

namespace unicc::app {

using acd::AgentStateChange;
using acd::AgentView;
using acd::QueueView;
using acd_store::AgentLog;
using acd_store::AgentRecord;
using acd_store::QueueRecord;
using acd_store::SkillRecord;
namespace {

// How long shutdown waits for carriers to confirm that our registrations are removed.
constexpr std::chrono::milliseconds kUnregisterLimit{3000};

}  // namespace

void use_demo_tls_certificate(core::SipConfig& sip) {
  if (!sip.tls || !sip.tls_certificate.empty() || !sip.tls_private_key.empty()) return;
  const std::string certificate = "var/tls/sip-demo.pem";
  const std::string key = "var/tls/sip-demo.key";
  // Kept across restarts, so phones that were told to trust it go on doing so.
  if (!std::filesystem::exists(certificate) || !std::filesystem::exists(key)) {
    std::filesystem::create_directories("var/tls");
    sip::write_self_signed_certificate(certificate, key, sip.public_address.empty() ? sip.address : sip.public_address);
    spdlog::warn("SIP over TLS: made a self-signed demo certificate {} (not for production)", certificate);
  }
  sip.tls_certificate = certificate;
  sip.tls_private_key = key;
}

namespace {

media::ToneRegion tone_region(const std::string& name) {
  if (name == "us") return media::ToneRegion::kUs;
  return name == "europe" ? media::ToneRegion::kEurope : media::ToneRegion::kChina;
}

contact::ContactSettings contact_settings(const core::Config& config) {
  contact::ContactSettings settings;
  settings.voicemail_dir = config.ivr.voicemail_dir;
  for (const auto& trunk : config.trunks) settings.trunk_prefixes[trunk.name] = trunk.outbound_prefix;
  settings.caller_id = config.outbound.caller_id;
  return settings;
}

sip::TransportSettings transport_settings(const core::SipConfig& sip) {
  sip::TransportSettings settings{sip.address, static_cast<std::uint16_t>(sip.port), sip.udp, sip.tcp};
  settings.message_timeout = std::chrono::seconds(sip.tcp_message_timeout_s);
  settings.idle_timeout = std::chrono::seconds(sip.tcp_idle_timeout_s);
  settings.max_connections = static_cast<std::size_t>(sip.tcp_max_connections);
  settings.max_connections_per_address = static_cast<std::size_t>(sip.tcp_max_connections_per_address);
  settings.tls = sip.tls;
  settings.tls_port = static_cast<std::uint16_t>(sip.tls_port);
  settings.tls_certificate = sip.tls_certificate;
  settings.tls_private_key = sip.tls_private_key;
  settings.tls_ca_file = sip.tls_ca_file;
  settings.tls_verify_client = sip.tls_verify_client;
  return settings;
}

// The CDRs go to the store; each final record is also told to `ended`.
class CdrTap final : public call::CdrSink {
 public:
  CdrTap(call::CdrSink& next, std::function<void(const call::Cdr&)> ended) : next_(next), ended_(std::move(ended)) {}
  void answered(const call::Cdr& cdr) override { next_.answered(cdr); }
  void record(const call::Cdr& cdr, Durable durable) override {
    next_.record(cdr, std::move(durable));
    if (ended_) ended_(cdr);
  }

 private:
  call::CdrSink& next_;
  const std::function<void(const call::Cdr&)> ended_;
};

}  // namespace

struct Telephony::Impl {
  Impl(const core::Config& config, store::Database& db, store::AsyncWriter& writer, core::Metrics& metrics,
       const core::Clock& clock, call::CallObserver& observer, CallServices services, AcdConfiguration acd_setup)
      : config(config),
        db(db),
        clock(clock),
        observer(observer),
        transport(loop, transport_settings(config.sip), metrics),
        timers(loop),
        bans(clock, sip::BanSettings{config.sip.ban_failures_per_address, config.sip.ban_failures_per_user,
                                     std::chrono::seconds(config.sip.ban_window_s),
                                     std::chrono::seconds(config.sip.ban_duration_s)}),
        stored_bans(writer, db),
        digest(config.sip.realm, clock, *sip::parse_digest_algorithms(config.sip.digest_algorithms),
               std::chrono::seconds(300), &bans),
        banned_drops(metrics.counter("unicc_sip_banned_dropped_total",
                                     "SIP messages dropped unanswered because their source is banned")),
        registered_phones(metrics.gauge("unicc_sip_registrations", "Phones registered (bindings); every 5 s")),
        live_contacts(metrics.gauge("unicc_calls_live",
                                    "Customers' calls in progress: in the IVR, waiting or with an agent; every 5 s")),
        registrations(config.trunks, transport, timers, clock),
        front(sip::FrontParts{transport, timers, clock, accounts, locations, digest, registrations},
              sip::RegistrarSettings{config.sip.registration_min_expires_s, config.sip.registration_max_expires_s,
                                     config.sip.registration_max_expires_s}),
        plan(config.trunks, config.dids),
        outbound(clock, config.outbound),
        media(media::MediaSettings{config.media.address, static_cast<std::uint16_t>(config.media.rtp_port_min),
                                   static_cast<std::uint16_t>(config.media.rtp_port_max),
                                   config.media.latching == "strict" ? media::Latching::kStrict
                                                                     : media::Latching::kSymmetric,
                                   std::chrono::seconds(config.media.rtp_timeout_s),
                                   static_cast<std::size_t>(config.media.rtp_threads),
                                   static_cast<int>(config.media.rtp_nice)}),
        cdrs(writer, db),
        cdr_tap(cdrs, std::move(services.call_ended)),
        tts(media::TtsSettings{config.ivr.tts_cache_dir, config.ivr.tts_command}),
        prompts(config.ivr.prompts_dir, config.ivr.sounds_dir, tts),
        agent_log(writer, db,
                  [this, changed = std::move(services.agent_changed)](acd::AgentView agent) {
                    // The log knows states; the queues an agent serves are the directory's.
                    agent.queues = directory.queues_served(agent.extension);
                    if (changed) changed(agent);
                  },
                  std::move(services.queue_event)),
        router(clock, acd::RouterOptions{&agent_log, 1}),
        voice(call::VoiceControlParts{loop,
                                      [this](const contact::Prompts& wanted, auto done) {
                                        prompts.resolve(wanted, [done = std::move(done)](ivr::ResolvedPrompts got) {
                                          done(std::move(got.audio), std::move(got.error));
                                        });
                                      },
                                      [this](contact::ContactId contact, std::uint64_t play_id) {
                                        contacts.on_play_failed(contact, play_id);
                                      },
                                      tone_region(config.ivr.tone_region)}),
        contacts(contact::ContactParts{voice, &router, timers, clock,
                                       [this](contact::ContactId call, const std::string& flow,
                                              const std::string& failure) { runner.back_to_flow(call, flow, failure); },
                                       std::move(services.voicemail),
                                       [this](const std::string& queue, const std::vector<std::string>& skills,
                                              std::string& problem) {
                                         return directory.skilled_queue(queue, skills, problem);
                                       },
                                       std::move(services.callback_changed), std::move(services.contact_changed),
                                       std::move(services.is_vip), services.calendars,
                                       [this](const std::string& queue, contact::ContactId contact) {
                                         agent_log.queue_closed(queue, contact, this->clock.now_ms());
                                       }},
                 contact_settings(config)),
        recorder(services.recording_codes
                     ? std::make_unique<ivr::PromptRecorder>(ivr::PromptRecorderParts{
                           *services.recording_codes, prompts, config.ivr.prompts_dir, config.ivr.sounds_dir, loop,
                           clock, std::move(services.prompt_recorded)})
                     : nullptr),
        runner(ivr::CallRunnerParts{services.flows, prompts, loop, clock, std::move(services.fetch), contacts,
                                            services.numbers, recorder.get(), std::move(services.calendars)}),
        directory(router, contacts, agent_log) {
    metrics.gauge_fn("unicc_srtp_failed_packets_total", "SRTP packets dropped: failed authentication, replays, garbage",
                     [this] { return static_cast<double>(media.srtp_failures().rtp); });
    metrics.gauge_fn("unicc_srtcp_failed_packets_total",
                     "SRTCP packets dropped: failed authentication (RTCP sent in clear on an SRTP leg), replays",
                     [this] { return static_cast<double>(media.srtp_failures().rtcp); });
    plan.use_numbers(services.numbers);
    directory.set_skills(acd_setup.skills);
    directory.load(std::move(acd_setup.queues), acd_setup.agents);
    remember_last_agents();
    contacts.restore_callbacks(acd_setup.waiting_callbacks);
  }

  // Last-agent routing needs who served each caller last: the answered calls of the
  // last 30 days whose callee is an agent, oldest first so the latest wins.
  void remember_last_agents() {
    constexpr std::int64_t kDays = 30;
    const long long since = clock.now_ms() - kDays * 86'400'000;
    soci::session sql(db.pool());
    std::string caller, callee;
    soci::statement st = (sql.prepare << "SELECT caller, callee FROM cdrs WHERE answered_at > 0 AND started_at >= :s"
                                         " AND caller <> '' AND callee <> '' ORDER BY started_at",
                          soci::into(caller), soci::into(callee), soci::use(since));
    st.execute(false);
    while (st.fetch()) {
      if (acd::AgentId agent = directory.agent_id(callee)) contacts.remember_last_agent(caller, agent);
    }
  }

  // The gauges of what lives on the SIP thread, set there: /metrics reads them from
  // other threads, which must not wait for this one.
  void refresh_gauges() {
    std::int64_t phones = 0;
    for (const auto& [user, bindings] : locations.all(clock.now_ms())) phones += std::ssize(bindings);
    registered_phones.set(phones);
    live_contacts.set(std::ssize(contacts.live()));
    timers.start(std::chrono::seconds(5), [this] { refresh_gauges(); });
  }

  // Runs `work` on the SIP thread and waits for its result; before start() and after
  // stop() nothing else touches the SIP thread's state, so it runs here.
  template <typename Work>
  auto on_sip_thread(Work work) -> decltype(work()) {
    if (!thread.joinable()) return work();
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
  sip::BanList bans;
  call::SipBanStore stored_bans;
  sip::DigestAuthenticator digest;
  core::Counter& banned_drops;
  core::Gauge& registered_phones;
  core::Gauge& live_contacts;
  sip::TrunkRegistrations registrations;
  sip::Front front;
  call::NumberPlan plan;
  call::OutboundGuard outbound;
  media::MediaEngine media;
  call::CdrStore cdrs;
  CdrTap cdr_tap;
  media::TtsCache tts;
  ivr::PromptSource prompts;
  AgentLog agent_log;
  acd::Router router;
  call::VoiceControl voice;
  contact::Contacts contacts;
  std::unique_ptr<ivr::PromptRecorder> recorder;
  ivr::CallRunner runner;
  acd_store::AcdDirectory directory;
  std::unique_ptr<call::B2bua> b2bua;
  std::thread thread;
};

Telephony::Telephony(const core::Config& config, store::Database& db, store::AsyncWriter& writer,
                     core::Metrics& metrics, const core::Clock& clock, call::CallObserver& observer,
                     CallServices services, AcdConfiguration acd)
    : impl_(std::make_unique<Impl>(config, db, writer, metrics, clock, observer, std::move(services),
                                   std::move(acd))) {}

Telephony::~Telephony() { stop(); }

void Telephony::start() {
  auto& i = *impl_;
  i.accounts.replace(call::load_sip_accounts(i.db, i.config.sip.realm));
  for (const auto& trunk : i.config.trunks) i.bans.exempt(trunk.address);
  i.stored_bans.attach(i.bans, i.clock.now_ms());
  i.transport.start([&i](const sip::Message& message, const sip::Endpoint& from) {
    if (i.bans.banned(from.address)) return i.banned_drops.inc();
    i.front.receive(message, from);
  });
  std::string advertised = i.config.sip.public_address.empty() ? i.config.sip.address : i.config.sip.public_address;
  call::B2buaSettings settings;
  settings.sip_address = advertised;
  settings.sip_udp_port = i.transport.udp_port();
  settings.sip_tcp_port = i.transport.tcp_port();
  settings.sip_tls_port = i.transport.tls_port();
  settings.srtp = call::srtp_policy_named(i.config.media.srtp).value_or(call::SrtpPolicy::kOptional);
  settings.srtp_required_extensions = i.config.media.srtp_required_extensions;
  settings.media_address = i.config.sip.public_address.empty() ? i.config.media.address : i.config.sip.public_address;
  settings.ring_timeout = std::chrono::seconds(i.config.sip.ring_timeout_s);
  settings.record_calls = i.config.media.record_calls;
  settings.recordings_dir = i.config.media.recordings_dir;
  i.b2bua = std::make_unique<call::B2bua>(
      call::B2buaParts{i.front.transactions(), i.timers, i.clock, i.accounts, i.locations, i.digest, i.plan, i.media, i.cdr_tap,
                       i.observer, [&i](std::function<void()> task) { i.loop.post(std::move(task)); }, &i.runner,
                       &i.outbound},
      settings);
  i.front.attach(*i.b2bua);
  i.runner.attach(*i.b2bua);
  if (i.recorder) i.recorder->attach(*i.b2bua);
  i.voice.attach(*i.b2bua);
  sip::TrunkRegistrations::LocalAddress local{advertised, i.transport.udp_port(), i.transport.tcp_port(),
                                         i.transport.tls_port()};
  i.loop.post([&i, local] {
    i.registrations.start(local);
    i.refresh_gauges();
  });
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
  if (i.config.sip.tls) out += (out.empty() ? "" : " ") + ("tls:" + i.config.sip.address + ":" + std::to_string(i.transport.tls_port()));
  return out;
}

call::CdrStore& Telephony::cdrs() { return impl_->cdrs; }

sip::BanList& Telephony::sip_bans() { return impl_->bans; }

ivr::PromptSource& Telephony::prompts() { return impl_->prompts; }

media::TtsCache& Telephony::tts() { return impl_->tts; }

std::vector<std::optional<sip::RegistrationState>> Telephony::trunk_registrations() const {
  return impl_->registrations.states();
}

void Telephony::reload_sip_accounts(const std::string& disabled) {
  auto& i = *impl_;
  i.accounts.replace(call::load_sip_accounts(i.db, i.config.sip.realm));
  if (!disabled.empty()) i.on_sip_thread([&i, &disabled] { i.locations.remove_all(disabled); });
}

std::map<std::string, std::vector<sip::Binding>, std::less<>> Telephony::registrations() {
  auto& i = *impl_;
  return i.on_sip_thread([&i] { return i.locations.all(i.clock.now_ms()); });
}

std::vector<AgentView> Telephony::agents() {
  auto& i = *impl_;
  return i.on_sip_thread([&i] { return i.directory.agents(); });
}

std::optional<QueueView> Telephony::queue(const std::string& name) {
  auto& i = *impl_;
  return i.on_sip_thread([&i, &name] { return i.directory.queue(name); });
}

std::vector<std::string> Telephony::apply_queue(const QueueRecord& queue, const std::vector<SkillRecord>& skills) {
  auto& i = *impl_;
  return i.on_sip_thread([&i, &queue, &skills] {
    i.directory.set_skills(skills);
    return i.directory.apply(queue);
  });
}

std::vector<std::string> Telephony::remove_queue(const std::string& name) {
  auto& i = *impl_;
  return i.on_sip_thread([&i, &name] { return i.directory.remove_queue(name); });
}

std::vector<std::string> Telephony::apply_agent(const AgentRecord& agent, const std::vector<SkillRecord>& skills) {
  auto& i = *impl_;
  return i.on_sip_thread([&i, &agent, &skills] {
    i.directory.set_skills(skills);
    return i.directory.apply(agent);
  });
}

std::vector<std::string> Telephony::remove_agent(const std::string& extension) {
  auto& i = *impl_;
  return i.on_sip_thread([&i, &extension] { return i.directory.remove_agent(extension); });
}

std::vector<AgentStateChange> Telephony::log_out_agents_after_restart() {
  return impl_->agent_log.log_out_after_restart(impl_->clock.now_ms());
}

std::vector<acd::QueueCallEvent> Telephony::queue_calls_since(std::int64_t from_ms) {
  return impl_->agent_log.queue_calls_since(from_ms);
}

std::vector<AgentStateChange> Telephony::agent_history(const std::string& extension, std::int64_t limit) {
  return impl_->agent_log.history(extension, limit);
}

std::string Telephony::cancel_callback(const std::string& call_id, const std::string& by) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return "telephony is not running";
  return i.on_sip_thread([&i, &call_id, &by] { return i.contacts.cancel_callback(call_id, by); });
}

std::vector<contact::ContactView> Telephony::live_calls() {
  auto& i = *impl_;
  return i.on_sip_thread([&i] { return i.contacts.live(); });
}

contact::CommandOutcome Telephony::command_call(const std::string& call_id, const std::string& command,
                                          const std::string& argument,
                                          const std::function<bool(const contact::ContactView&)>& may) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return {"not_found", std::nullopt};
  return i.on_sip_thread([&]() -> contact::CommandOutcome {
    std::optional<contact::ContactView> before;
    for (auto& view : i.contacts.live()) {
      if (view.session_id == call_id) before = std::move(view);
    }
    if (!before) return {"not_found", std::nullopt};
    if (!may(*before)) return {"forbidden", std::nullopt};
    const contact::ContactId id = before->id;
    std::string problem;
    if (command == "hold") {
      problem = i.contacts.hold_contact(id);
    } else if (command == "resume") {
      problem = i.contacts.resume_contact(id);
    } else if (command == "hangup") {
      problem = i.contacts.hang_up_contact(id);
    } else if (command == "transfer") {
      problem = i.contacts.transfer_contact(id, argument);
    } else if (command == "consult") {
      problem = i.contacts.consult_contact(id, argument);
    } else if (command == "transfer_complete") {
      problem = i.contacts.complete_transfer(id);
    } else if (command == "transfer_cancel") {
      problem = i.contacts.cancel_transfer(id);
    } else if (command == "conference") {
      problem = i.contacts.conference_contact(id, argument);
    } else if (command == "dtmf") {
      problem = i.contacts.send_digits(id, argument);
    } else if (command == "answer") {
      problem = i.contacts.answer_contact(id);
    } else if (command == "monitor") {  // "<extension> <mode>"
      const auto space = argument.find(' ');
      const auto mode = contact::monitor_mode_named(space == std::string::npos ? "" : argument.substr(space + 1));
      problem = mode ? i.contacts.monitor_contact(id, argument.substr(0, space), *mode) : "unknown_command";
    } else if (command == "intercept") {
      problem = i.contacts.intercept_contact(id, argument);
    } else {
      problem = "unknown_command";
    }
    auto after = i.contacts.view(id);
    if (!after) {
      before->state = "ended";
      after = std::move(before);
    }
    return {problem, std::move(after)};
  });
}

void Telephony::end_wrap_up(const std::string& extension) {
  auto& i = *impl_;
  i.on_sip_thread([&i, &extension] {
    const acd::AgentId id = i.directory.agent_id(extension);
    auto status = id == 0 ? std::nullopt : i.router.agent_status(id);
    if (!status || status->state != acd::AgentState::kWrapUp) return;
    i.router.end_wrap_up(id);
    i.contacts.route_queued_calls();
  });
}

contact::DialOutcome Telephony::dial(const std::string& extension, const std::string& number) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return {"unavailable", std::nullopt};
  return i.on_sip_thread([&i, &extension, &number] { return i.contacts.dial(extension, number); });
}

int Telephony::test_flow(const std::string& extension, std::shared_ptr<const ivr::Flow> flow, std::string& call_id) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return 503;
  return i.on_sip_thread([&] { return i.runner.test_flow(extension, std::move(flow), call_id); });
}

void Telephony::change_settings(const core::Config& config) {
  auto& i = *impl_;
  i.on_sip_thread([&i, &config] {
    if (i.b2bua) i.b2bua->change_settings(std::chrono::seconds(config.sip.ring_timeout_s), config.media.record_calls);
    i.outbound.set_policy(config.outbound);
    i.contacts.set_caller_id(config.outbound.caller_id);
  });
}

void Telephony::set_customer(contact::ContactId contact, std::int64_t customer_id) {
  auto& i = *impl_;
  i.loop.post([&i, contact, customer_id] { i.contacts.set_customer(contact, customer_id); });
}

std::string Telephony::set_agent_state(const std::string& extension, const std::string& state,
                                       const std::string& reason) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return "telephony is not running";
  return i.on_sip_thread([&i, &extension, &state, &reason]() -> std::string {
    const acd::AgentId id = i.directory.agent_id(extension);
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
    i.contacts.route_queued_calls();
    return status == acd::Status::kOk ? "" : std::string(acd::to_string(status));
  });
}

}  // namespace unicc::app
