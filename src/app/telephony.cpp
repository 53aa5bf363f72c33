#include "app/telephony.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "acd/store/agent_log.h"
#include "call/voice_control.h"
#include "contact/queue_name.h"
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

contact::QueueSettings queue_settings(const QueueRecord& queue) {
  contact::QueueSettings settings;
  settings.ring = queue.ring;
  settings.acd_queue = queue.ring.empty() ? static_cast<acd::QueueId>(queue.id) : 0;
  if (!queue.music.empty()) settings.music = {contact::Prompt{queue.music, "", "", ""}};
  if (!queue.comfort_text.empty()) settings.comfort = {contact::Prompt{"", queue.comfort_text, queue.voice, ""}};
  settings.comfort_every = std::chrono::seconds(queue.comfort_every_s);
  settings.voice = queue.voice;
  settings.announce_position = queue.announce_position;
  settings.callback_key = queue.callback_key;
  settings.callback_attempts = static_cast<int>(queue.callback_attempts);
  settings.callback_retry = std::chrono::seconds(queue.callback_retry_s);
  return settings;
}

contact::ContactSettings contact_settings(const core::Config& config) {
  contact::ContactSettings settings;
  settings.voicemail_dir = config.ivr.voicemail_dir;
  for (const auto& trunk : config.trunks) settings.trunk_prefixes[trunk.name] = trunk.outbound_prefix;
  return settings;
}

// The ACD's configuration as the router and the IVR see it: records translated to
// acd and contact values, ids mapped to the names and extensions the records use. Lives
// on the SIP thread with the router.
class AcdDirectory {
 public:
  AcdDirectory(acd::Router& router, contact::Contacts& contacts, AgentLog& log)
      : router_(router), contacts_(contacts), log_(log) {}

  void set_skills(const std::vector<SkillRecord>& skills) {
    skill_ids_.clear();
    for (const auto& skill : skills) skill_ids_[skill.name] = static_cast<acd::SkillId>(skill.id);
  }

  // Adds queues in an order that has every overflow target before the queue naming it.
  void load(std::vector<QueueRecord> queues, const std::vector<AgentRecord>& agents) {
    // Agents first: a linear queue's agent_order names them.
    for (const auto& agent : agents) {
      for (const auto& problem : apply(agent)) spdlog::error("agent {}: {}", agent.extension, problem);
    }
    for (const auto& queue : queues) queue_ids_[queue.name] = static_cast<acd::QueueId>(queue.id);
    while (!queues.empty()) {
      auto ready = std::stable_partition(queues.begin(), queues.end(), [this](const QueueRecord& queue) {
        return std::all_of(targets(queue).begin(), targets(queue).end(),
                           [this](const std::string& target) { return routed_.contains(queue_ids_[target]); });
      });
      if (ready == queues.begin()) ready = queues.begin() + 1;  // a loop or a ring target: report, go on
      for (auto it = queues.begin(); it != ready; ++it) {
        for (const auto& problem : apply(*it)) spdlog::error("queue {}: {}", it->name, problem);
      }
      queues.erase(queues.begin(), ready);
    }
  }

  std::vector<std::string> apply(const QueueRecord& record) {
    const auto id = static_cast<acd::QueueId>(record.id);
    std::vector<std::string> problems;
    if (record.ring.empty()) {
      acd::QueueConfig queue = queue_config(record, problems);
      if (!problems.empty()) return problems;
      problems = routed_.contains(id) ? router_.update_queue(queue) : router_.add_queue(queue);
      if (!problems.empty()) return problems;
      routed_.insert(id);
    } else if (routed_.contains(id)) {
      if (!remove_skilled_queues(record.name) || router_.remove_queue(id) != acd::Status::kOk) {
        return {"calls are waiting in it or queues overflow to it"};
      }
      routed_.erase(id);
    }
    queue_ids_[record.name] = id;
    queues_[record.name] = record;
    log_.set_queue(id, record.name);
    contacts_.set_queue(record.name, queue_settings(record));
    if (auto skilled_queues = skilled_queues_.find(record.name); skilled_queues != skilled_queues_.end()) {
      for (const auto& [name, skilled] : skilled_queues->second) {
        // The queue's calls that need more skills follow its changes.
        std::vector<std::string> ignored;
        for (const auto& problem : router_.update_queue(skilled_config(record, name, skilled, ignored))) {
          spdlog::error("queue {}: {}", name, problem);
        }
        contacts_.set_queue(name, skilled_settings(record, name, skilled));
      }
    }
    contacts_.route_queued_calls();
    return {};
  }

  // The queue of `base`'s calls that also need `skills` ("name" or "name:level"),
  // made the first time a call needs them: a queue of its own for the router, so
  // that routing stays an index lookup, reported as `base` in events.
  std::optional<contact::QueueSettings> skilled_queue(const std::string& base, const std::vector<std::string>& skills,
                                                  std::string& problem) {
    constexpr std::size_t kMostPerQueue = 64;
    auto record = queues_.find(base);
    if (record == queues_.end() || !routed_.contains(queue_ids_.at(base))) {
      problem = "queue " + base + " is not routed by the ACD";
      return std::nullopt;
    }
    SkilledQueue wanted;
    for (const auto& text : skills) {
      const auto need = ivr::parse_skill_need(text);
      if (!need || !skill_ids_.contains(need->skill)) {
        problem = "queue " + base + ": '" + text + "' is not a skill (name or name:level 1-10)";
        return std::nullopt;
      }
      wanted.skills[need->skill] = std::max(wanted.skills[need->skill], need->level);
    }
    const std::string name = contact::skilled_queue_name(base, wanted.skills);
    auto& known = skilled_queues_[base];
    if (!known.contains(name)) {
      if (known.size() >= kMostPerQueue) {
        problem = "queue " + base + " has " + std::to_string(kMostPerQueue) + " skill combinations already";
        return std::nullopt;
      }
      wanted.id = next_skilled_queue_++;
      std::vector<std::string> problems;
      acd::QueueConfig config = skilled_config(record->second, name, wanted, problems);
      if (problems.empty()) problems = router_.add_queue(config);
      if (!problems.empty()) {
        problem = "queue " + name + ": " + problems.front();
        return std::nullopt;
      }
      known[name] = wanted;
      log_.set_queue(wanted.id, base);
    }
    return skilled_settings(record->second, name, known[name]);
  }

  std::vector<std::string> remove_queue(const std::string& name) {
    auto found = queue_ids_.find(name);
    if (found == queue_ids_.end()) return {};
    if (routed_.contains(found->second)) {
      if (!remove_skilled_queues(name) || router_.remove_queue(found->second) != acd::Status::kOk) {
        return {"calls are waiting in it or queues overflow to it"};
      }
      routed_.erase(found->second);
    }
    contacts_.remove_queue(name);
    queues_.erase(name);
    queue_ids_.erase(found);
    return {};
  }

  std::vector<std::string> apply(const AgentRecord& record) {
    const auto id = static_cast<acd::AgentId>(record.id);
    // An agent without a name is known by their extension.
    acd::AgentConfig agent{id, record.name.empty() ? record.extension : record.name, record.extension, {},
                           record.groups, record.newly_trained};
    std::vector<std::string> problems;
    for (const auto& skill : record.skills) {
      auto found = skill_ids_.find(skill.skill);
      if (found == skill_ids_.end()) problems.push_back("skill '" + skill.skill + "' does not exist");
      else agent.skills.push_back({found->second, skill.level});
    }
    if (!problems.empty()) return problems;
    const bool is_new = !agent_extensions_.contains(id);
    problems = is_new ? router_.add_agent(agent) : router_.update_agent(agent);
    if (!problems.empty()) return problems;
    if (!is_new) agent_ids_.erase(agent_extensions_[id]);
    agent_extensions_[id] = record.extension;
    agent_ids_[record.extension] = id;
    if (is_new) place_in_linear_orders(record.extension);
    agent_names_[id] = record.name;
    contacts_.set_agent(id, record.extension);
    log_.set_agent(id, record.extension, record.name);
    contacts_.route_queued_calls();
    return {};
  }

  std::vector<std::string> remove_agent(const std::string& extension) {
    const acd::AgentId id = agent_id(extension);
    if (id == 0) return {};
    if (router_.remove_agent(id) != acd::Status::kOk) return {"the agent is logged in; log them out first"};
    agent_extensions_.erase(id);
    agent_ids_.erase(extension);
    agent_names_.erase(id);
    contacts_.forget_agent(id);
    log_.forget_agent(id);
    return {};
  }

  acd::AgentId agent_id(const std::string& extension) const {
    auto found = agent_ids_.find(extension);
    return found == agent_ids_.end() ? 0 : found->second;
  }

  std::vector<AgentView> agents() const {
    std::vector<AgentView> out;
    for (const auto& [id, extension] : agent_extensions_) {
      AgentView view{extension, agent_names_.at(id), "logged_out", "", 0, {}};
      if (auto status = router_.agent_status(id)) {
        view.state = AgentLog::state_name(status->state);
        view.reason = status->reason;
        view.since_ms = status->since_ms;
      }
      for (acd::QueueId queue : router_.queues_served(id)) {
        // A queue's calls that need more skills are that queue's, already listed.
        if (std::string name = queue_name(queue); !name.empty()) view.queues.push_back(name);
      }
      out.push_back(view);
    }
    std::sort(out.begin(), out.end(), [](const AgentView& a, const AgentView& b) { return a.extension < b.extension; });
    return out;
  }

  std::optional<QueueView> queue(const std::string& name) const {
    auto found = queue_ids_.find(name);
    if (found == queue_ids_.end()) return std::nullopt;
    QueueView view;
    if (auto status = router_.queue_status(found->second)) {
      view = QueueView{status->waiting, status->logged_in, status->working, status->ready, status->handle_time.count()};
    }
    auto skilled = skilled_queues_.find(name);
    if (skilled == skilled_queues_.end()) return view;
    for (const auto& [skilled_name, queue] : skilled->second) {
      if (auto status = router_.queue_status(queue.id)) view.waiting += status->waiting;
    }
    return view;
  }

 private:
  struct SkilledQueue {
    acd::QueueId id = 0;
    std::map<std::string, int> skills;  // beyond the queue's own, with the least level
  };

  acd::QueueConfig skilled_config(const QueueRecord& base, const std::string& name, const SkilledQueue& skilled,
                                  std::vector<std::string>& problems) const {
    acd::QueueConfig config = queue_config(base, problems);
    config.id = skilled.id;
    config.name = name;
    for (const auto& [skill, level] : skilled.skills) {
      const acd::SkillId id = skill_ids_.at(skill);
      auto same =
          std::find_if(config.skills.begin(), config.skills.end(), [id](const auto& s) { return s.skill == id; });
      if (same == config.skills.end()) {
        config.skills.push_back({id, level});
      } else {
        same->min_level = std::max(same->min_level, level);
      }
    }
    return config;
  }

  static contact::QueueSettings skilled_settings(const QueueRecord& base, const std::string& name,
                                             const SkilledQueue& skilled) {
    contact::QueueSettings settings = queue_settings(base);
    settings.name = name;
    settings.acd_queue = skilled.id;
    return settings;
  }

  // False when the router keeps one of them (calls are in it); the others are gone
  // (the next call that needs them makes them again).
  bool remove_skilled_queues(const std::string& base) {
    auto found = skilled_queues_.find(base);
    if (found == skilled_queues_.end()) return true;
    auto& known = found->second;
    for (auto it = known.begin(); it != known.end();) {
      if (router_.remove_queue(it->second.id) != acd::Status::kOk) {
        ++it;
        continue;
      }
      contacts_.remove_queue(it->first);
      it = known.erase(it);
    }
    if (!known.empty()) return false;
    skilled_queues_.erase(found);
    return true;
  }

  static std::vector<std::string> targets(const QueueRecord& queue) {
    std::vector<std::string> out;
    for (const auto& tier : queue.overflow_tiers) out.push_back(tier.queue);
    if (queue.overflow_kind == "queue") out.push_back(queue.overflow_target);
    return out;
  }

  // A linear queue that names a new agent in its agent_order gets it in its place.
  void place_in_linear_orders(const std::string& extension) {
    for (const auto& [name, record] : queues_) {
      if (!routed_.contains(queue_ids_.at(name))) continue;
      if (std::find(record.agent_order.begin(), record.agent_order.end(), extension) == record.agent_order.end()) {
        continue;
      }
      std::vector<std::string> problems;
      acd::QueueConfig queue = queue_config(record, problems);
      if (problems.empty()) problems = router_.update_queue(queue);
      for (const auto& problem : problems) spdlog::error("queue {}: {}", name, problem);
    }
  }

  std::string queue_name(acd::QueueId id) const {
    for (const auto& [name, known] : queue_ids_) {
      if (known == id) return name;
    }
    return "";
  }

  acd::QueueConfig queue_config(const QueueRecord& record, std::vector<std::string>& problems) const {
    acd::QueueConfig queue;
    queue.id = static_cast<acd::QueueId>(record.id);
    queue.name = record.name;
    for (const auto& skill : record.skills) {
      auto found = skill_ids_.find(skill.skill);
      if (found == skill_ids_.end()) problems.push_back("skill '" + skill.skill + "' does not exist");
      else queue.skills.push_back({found->second, skill.level});
    }
    queue.groups = record.groups;
    queue.strategy = *acd::strategy_named(record.strategy);  // records allow only these names
    queue.priority = static_cast<int>(record.priority);
    queue.max_wait = std::chrono::seconds(record.max_wait_s);
    queue.max_size = static_cast<std::size_t>(record.max_size);
    queue.wrap_up = std::chrono::seconds(record.wrap_up_s);
    queue.ring_timeout = std::chrono::seconds(record.ring_timeout_s);
    queue.service_level = std::chrono::seconds(record.service_level_s);
    queue.announce_every = std::chrono::seconds(record.announce_every_s);
    queue.last_agent_wait = std::chrono::seconds(record.last_agent_wait_s);
    queue.default_handle_time = std::chrono::seconds(record.default_handle_time_s);
    queue.prefer_newly_trained = record.prefer_newly_trained;
    for (const auto& extension : record.agent_order) {
      if (acd::AgentId agent = agent_id(extension)) queue.agent_order.push_back(agent);
    }
    auto queue_id = [&](const std::string& name) -> acd::QueueId {
      auto found = queue_ids_.find(name);
      if (found == queue_ids_.end()) problems.push_back("overflow queue '" + name + "' does not exist");
      return found == queue_ids_.end() ? 0 : found->second;
    };
    for (const auto& tier : record.overflow_tiers) {
      queue.overflow_tiers.push_back({std::chrono::seconds(tier.after_s), queue_id(tier.queue)});
    }
    if (record.overflow_kind == "queue") {
      queue.overflow.kind = acd::OverflowTarget::Kind::kQueue;
      queue.overflow.queue = queue_id(record.overflow_target);
    } else if (record.overflow_kind.empty()) {
      // The call goes back to its flow, which takes the queue node's on_failure exit.
      queue.overflow.kind = acd::OverflowTarget::Kind::kIvrFlow;
      queue.overflow.destination = contact::kQueueNodeFailure;
    } else {
      using Kind = acd::OverflowTarget::Kind;
      queue.overflow.kind = record.overflow_kind == "flow"        ? Kind::kIvrFlow
                            : record.overflow_kind == "voicemail" ? Kind::kVoicemail
                                                                  : Kind::kExternalNumber;
      queue.overflow.destination = record.overflow_target;
    }
    return queue;
  }

  acd::Router& router_;
  contact::Contacts& contacts_;
  AgentLog& log_;
  std::map<std::string, acd::SkillId> skill_ids_;
  std::map<std::string, QueueRecord> queues_;
  std::map<std::string, acd::QueueId> queue_ids_;  // every queue, ring ones too
  std::set<acd::QueueId> routed_;                  // the queues the router has
  // By queue name: the queues of its calls that need more skills, by their names.
  std::map<std::string, std::map<std::string, SkilledQueue>> skilled_queues_;
  acd::QueueId next_skilled_queue_ = acd::QueueId{1} << 40;  // far above the database's ids
  std::map<acd::AgentId, std::string> agent_extensions_;
  std::map<std::string, acd::AgentId> agent_ids_;  // by extension
  std::map<acd::AgentId, std::string> agent_names_;
};

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
        digest(config.sip.realm, clock, *sip::parse_digest_algorithms(config.sip.digest_algorithms),
               std::chrono::seconds(300), &bans),
        banned_drops(metrics.counter("unicc_sip_banned_dropped_total",
                                     "SIP messages dropped unanswered because their source is banned")),
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
        tts(media::TtsSettings{config.ivr.tts_cache_dir, config.ivr.tts_command}),
        prompts(config.ivr.sounds_dir, tts),
        agent_log(writer, db, std::move(services.agent_changed), std::move(services.queue_event)),
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
                                       std::move(services.callback_changed)},
                 contact_settings(config)),
        runner(ivr::CallRunnerParts{services.flows, prompts, loop, clock, std::move(services.fetch), contacts}),
        directory(router, contacts, agent_log) {
    metrics.gauge_fn("unicc_srtp_failed_packets_total", "SRTP packets dropped: failed authentication, replays, garbage",
                     [this] { return static_cast<double>(media.srtp_failures().rtp); });
    metrics.gauge_fn("unicc_srtcp_failed_packets_total",
                     "SRTCP packets dropped: failed authentication (RTCP sent in clear on an SRTP leg), replays",
                     [this] { return static_cast<double>(media.srtp_failures().rtcp); });
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
  sip::DigestAuthenticator digest;
  core::Counter& banned_drops;
  sip::TrunkRegistrations registrations;
  sip::Front front;
  call::NumberPlan plan;
  call::OutboundGuard outbound;
  media::MediaEngine media;
  call::CdrStore cdrs;
  media::TtsCache tts;
  ivr::PromptSource prompts;
  AgentLog agent_log;
  acd::Router router;
  call::VoiceControl voice;
  contact::Contacts contacts;
  ivr::CallRunner runner;
  AcdDirectory directory;
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
  i.accounts.replace(load_accounts(i.db, i.config.sip.realm));
  for (const auto& trunk : i.config.trunks) i.bans.exempt(trunk.address);
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
      call::B2buaParts{i.front.transactions(), i.timers, i.clock, i.accounts, i.locations, i.digest, i.plan, i.media, i.cdrs,
                       i.observer, [&i](std::function<void()> task) { i.loop.post(std::move(task)); }, &i.runner,
                       &i.outbound},
      settings);
  i.front.attach(*i.b2bua);
  i.runner.attach(*i.b2bua);
  i.voice.attach(*i.b2bua);
  sip::TrunkRegistrations::LocalAddress local{advertised, i.transport.udp_port(), i.transport.tcp_port(),
                                         i.transport.tls_port()};
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
  if (i.config.sip.tls) out += (out.empty() ? "" : " ") + ("tls:" + i.config.sip.address + ":" + std::to_string(i.transport.tls_port()));
  return out;
}

call::CdrStore& Telephony::cdrs() { return impl_->cdrs; }

sip::BanList& Telephony::sip_bans() { return impl_->bans; }

std::vector<std::optional<sip::RegistrationState>> Telephony::trunk_registrations() const {
  return impl_->registrations.states();
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

std::vector<AgentStateChange> Telephony::agent_history(const std::string& extension, std::int64_t limit) {
  return impl_->agent_log.history(extension, limit);
}

std::string Telephony::cancel_callback(const std::string& call_id, const std::string& by) {
  auto& i = *impl_;
  if (!i.thread.joinable()) return "telephony is not running";
  return i.on_sip_thread([&i, &call_id, &by] { return i.contacts.cancel_callback(call_id, by); });
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
