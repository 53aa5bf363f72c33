#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/acd_config.h"
#include "api/agents.h"
#include "api/calendars.h"
#include "api/calls.h"
#include "api/callbacks.h"
#include "api/cases.h"
#include "api/cdrs.h"
#include "api/cti_codes.h"
#include "api/customers.h"
#include "api/extensions.h"
#include "api/flows.h"
#include "api/numbers.h"
#include "api/foundation.h"
#include "api/prompts.h"
#include "api/qa.h"
#include "api/reports.h"
#include "api/settings.h"
#include "api/sip_bans.h"
#include "api/staffing.h"
#include "api/trunks.h"
#include "api/voicemails.h"
#include "api/wallboard.h"
#include "app/app.h"
#include "app/demo.h"
#include "app/telephony.h"
#include "auth/audit.h"
#include "auth/login_throttle.h"
#include "auth/sessions.h"
#include "auth/users.h"
#include "call/case_store.h"
#include "call/recording_retention.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "http/client.h"
#include "http/event_hub.h"
#include "http/server.h"
#include "http/static_files.h"
#include "report/rollups.h"
#include "report/visits.h"
#include "settings/run_time_settings.h"
#include "store/async_writer.h"
#include "store/database.h"
#include "unicc/version.h"

namespace unicc::app {
namespace {

std::unique_ptr<store::Database> open_database(const core::Config& config) {
  auto db = store::Database::open(config.database.url, static_cast<std::size_t>(config.database.pool_size),
                                  config.database.sqlite_synchronous == "full" ? store::SqliteSync::kFull
                                                                               : store::SqliteSync::kNormal);
  db->migrate();
  return db;
}

// The IVR's HTTP lookups over http::Client; the executor's turn is set by the IVR.
decltype(CallServices::fetch) ivr_fetch(http::Client& client) {
  return [&client](const ivr::HttpRequest& request, std::function<void(ivr::HttpResult)> done) {
    client.fetch({request.method, request.url, request.body, "application/json",
                  std::chrono::milliseconds(request.timeout_ms)},
                 [done = std::move(done)](http::ClientResponse response) {
                   done(ivr::HttpResult{0, response.status, std::move(response.body), std::move(response.error)});
                 });
  };
}

// The keys an administrator may change in the console while the server runs: those
// whose owners take a change at once (the applier in serve()).
std::vector<std::string> run_time_keys() {
  return {"log.level",
          "media.record_calls",
          "media.recording_retention_days",
          "sip.ring_timeout_s",
          "outbound.caller_id",
          "outbound.international_callers",
          "outbound.premium_callers",
          "outbound.calls_per_minute_per_caller",
          "outbound.calls_per_minute",
          "outbound.concurrent_per_caller",
          "outbound.concurrent",
          "auth.token_ttl_s",
          "reports.sl_formula",
          "reports.short_abandon_s",
          "reports.fcr_window_h"};
}

acd::QueueAlerts queue_alerts(const acd_store::QueueRecord& queue) {
  return {queue.service_level_s, queue.alert_wait_s, queue.alert_waiting, queue.alert_service_level_pct};
}

}  // namespace

int migrate(const core::Config& config) {
  try {
    auto db = store::Database::open(config.database.url, 1);
    auto applied = db->migrate();
    std::cout << db->display_url() << ": schema version " << db->schema_version() << " (" << applied.size()
              << " migration(s) applied now)\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "unicc migrate: " << error.what() << "\n";
    return 1;
  }
}

// Call events for the CTI and wallboard: published to supervisors and admins,
// and counted for /metrics.
class CallEvents final : public call::CallObserver {
 public:
  CallEvents(http::EventHub& hub, core::Metrics& metrics) : hub_(hub), metrics_(metrics) {}
  void on_call_event(const call::CallEvent& event) override {
    metrics_.counter("unicc_call_events_total", "Call state changes", "state=\"" + event.state + "\"").inc();
    hub_.publish({{"type", "call"},
                  {"call_id", event.call_id},
                  {"state", event.state},
                  {"direction", event.direction},
                  {"caller", event.caller},
                  {"caller_name", event.caller_name},
                  {"dialled", event.dialled},
                  {"callee", event.callee},
                  {"disposition", event.disposition},
                  {"at", event.at}},
                 {auth::Role::admin, auth::Role::supervisor});
  }
  void on_alert(const call::CallAlert& alert) override {
    metrics_.counter("unicc_call_alerts_total", "Calls refused for supervisors' attention (e.g. toll-fraud guard)",
                     "kind=\"" + alert.kind + "\",reason=\"" + alert.reason + "\"")
        .inc();
    hub_.publish({{"type", "alert"},
                  {"kind", alert.kind},
                  {"caller", alert.caller},
                  {"number", alert.number},
                  {"reason", alert.reason},
                  {"at", alert.at}},
                 {auth::Role::admin, auth::Role::supervisor});
  }

 private:
  http::EventHub& hub_;
  core::Metrics& metrics_;
};

int serve(const core::Config& base_config, const acd_store::ConfigTables& file_acd, bool demo) {
  core::Config config = base_config;
  acd_store::ConfigTables acd_tables = file_acd;
  if (demo) add_demo_routes(config, acd_tables);
  try {
    if (demo) use_demo_tls_certificate(config.sip);
  } catch (const std::exception& error) {
    std::cerr << "unicc: " << error.what() << "\n";
    return 1;
  }
  core::init_logging(config.log);
  core::SystemClock clock;
  core::Metrics metrics;
  std::unique_ptr<store::Database> db;
  try {
    db = open_database(config);
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return 1;
  }
  // The file's values with the console's changes over them, from here on.
  std::unique_ptr<settings::RunTimeSettings> run_time;
  try {
    run_time = std::make_unique<settings::RunTimeSettings>(*db, config, run_time_keys());
  } catch (const std::exception& error) {
    spdlog::critical("the settings changed in the console cannot be read: {}", error.what());
    return 1;
  }
  config = run_time->current();
  core::set_log_level(config.log.level);
  store::AsyncWriter writer(*db, static_cast<std::size_t>(config.database.writer_batch_max),
                            static_cast<std::size_t>(config.database.writer_queue_max), metrics);
  auth::Users users(*db, clock);
  auth::LoginThrottle throttle(clock, config.auth.login_failures_per_user, config.auth.login_failures_per_address,
                               std::chrono::seconds(config.auth.login_window_s),
                               core::AddressList(config.auth.trusted_networks));
  auth::Sessions sessions(*db, users, throttle, clock, config.auth.token_ttl_s);
  auth::AuditLog audit(writer, *db, clock);
  http::EventHub hub;
  if (demo) seed_demo(users, *db, config.sip.realm, clock.now_ms());

  api::ApiContext context{*db, users, sessions, audit, hub, metrics, clock, clock.now_ms()};
  http::Router router;
  api::add_foundation_routes(router, context);
  call::CtiCodeStore cti_codes(*db);
  try {
    cti_codes.seed(config.cti);
  } catch (const std::exception& error) {
    spdlog::critical("the agent desktop's code lists cannot be read: {}", error.what());
    return 1;
  }
  api::add_cti_code_routes(router, context, cti_codes);
  http::StaticFiles web(config.http.web_root);
  router.set_fallback([&web](http::Request& request) { return web.serve(request); });
  CallEvents call_events(hub, metrics);
  ivr::FlowStore flow_store(*db, clock);
  ivr::FlowRegistry flows(flow_store);
  flows.load();
  call::NumberStore numbers(*db);
  ivr::PhoneRecordingCodes recording_codes;
  try {
    numbers.load();
  } catch (const std::exception& error) {
    spdlog::critical("the numbers table cannot be read: {}", error.what());
    return 1;
  }
  calendar::CalendarStore calendars(*db, clock);
  try {
    calendars.load();
  } catch (const std::exception& error) {
    spdlog::critical("the calendars cannot be read: {}", error.what());
    return 1;
  }
  api::add_flow_routes(router, context, flow_store, flows, &numbers, &calendars);
  call::VoicemailStore voicemails(writer, *db);
  api::add_voicemail_routes(router, context, voicemails);
  // The IVR's http nodes. The demo menu looks its balances up on this server itself.
  if (demo) config.ivr.http_allow.push_back(config.http.address);
  http::Client lookups(core::AddressList(config.ivr.http_allow, /*host_names_allowed=*/true));
  acd_store::AcdStore acd_store(*db, clock);
  contact::CallbackStore callbacks(writer, *db);
  AcdConfiguration acd;
  try {
    acd_store.seed(acd_tables.queues.items, acd_tables.agents.items);
    acd = AcdConfiguration{acd_store.skills(), acd_store.queues(), acd_store.agents(), callbacks.waiting()};
  } catch (const std::exception& error) {
    spdlog::critical("the ACD's queues and agents cannot be read: {}", error.what());
    return 1;
  }
  const std::size_t recovered_queues = acd.queues.size(), recovered_agents = acd.agents.size(),
                    recovered_callbacks = acd.waiting_callbacks.size();
  crm::CustomerStore customers(*db, writer, clock,
                               crm::PhoneNormalizer({config.crm.country_code, config.crm.trunk_prefix}));
  // The CTI's events find the caller's customer record off the SIP thread, and tell
  // the call which one it is; the telephony they tell exists once it is built.
  std::atomic<Telephony*> running_telephony = nullptr;
  acd::Wallboard wallboard(clock);
  metrics.gauge_fn("unicc_queue_waiting", "Callers waiting in the ACD's queues", [&wallboard] {
    double waiting = 0;
    for (const auto& queue : wallboard.queues()) waiting += static_cast<double>(queue.waiting);
    return waiting;
  });
  metrics.gauge_fn("unicc_recordings_disk_free_bytes", "Space left for recordings (media.recordings_dir's file system)",
                   [dir = config.media.recordings_dir] {
                     std::error_code error;
                     const auto space = std::filesystem::space(dir, error);
                     return error ? -1.0 : static_cast<double>(space.available);
                   });
  for (const auto& queue : acd.queues) wallboard.set_queue(queue.name, queue_alerts(queue));
  // Reports: each queue visit, as it ends, becomes a fact and its roll-ups.
  const report::NamedZone local_zone = report::local_zone();
  std::atomic<report::SlFormula> default_formula = *report::parse_sl_formula(config.reports.sl_formula);
  std::atomic<std::int64_t> fcr_window_ms = config.reports.fcr_window_h * 3'600'000;
  api::ReportSettings report_settings{local_zone.zone, local_zone.name,
                                     [&default_formula] { return default_formula.load(); }, nullptr, {}};
  if (!config.reports.time_zone.empty()) {
    if (!cctz::load_time_zone(config.reports.time_zone, &report_settings.zone)) {
      spdlog::critical("reports.time_zone: unknown time zone '{}'", config.reports.time_zone);
      return 1;
    }
    report_settings.zone_name = config.reports.time_zone;
  }
  report::Rollups rollups(writer, *db);
  report::VisitTracker visits(config.reports.short_abandon_s * 1000,
                              [&rollups](const report::Visit& visit) { rollups.record(visit); });
  for (const auto& queue : acd.queues) visits.set_queue(queue.name, queue.service_level_s * 1000);
  report::QueueFormulas queue_formulas;
  for (const auto& queue : acd.queues) queue_formulas.set(queue.name, report::parse_sl_formula(queue.sl_formula));
  report_settings.queue_formulas = &queue_formulas;
  report_settings.agent_groups = [&acd_store] {
    std::map<std::string, std::vector<std::string>> groups;
    for (const auto& agent : acd_store.agents()) groups[agent.extension] = agent.groups;
    return groups;
  };
  report::AgentStateTracker agent_states([&rollups](const report::StateSpan& span) { rollups.record_state(span); });
  api::LiveCallEvents live_calls(hub, customers, audit, [&running_telephony](contact::ContactId call, std::int64_t customer) {
    if (Telephony* telephony = running_telephony.load()) telephony->set_customer(call, customer);
  });
  Telephony telephony(config, *db, writer, metrics, clock, call_events,
                      CallServices{flows, ivr_fetch(lookups),
                                   [&voicemails](const contact::VoicemailMessage& message) {
                                     voicemails.record({0, message.mailbox, message.caller, message.caller_name,
                                                        message.call_id, message.created_at, message.duration_ms,
                                                        message.path, false});
                                   },
                                   [&hub, &wallboard, &visits, &agent_states](const acd::AgentView& agent) {
                                     wallboard.on_agent(agent);
                                     visits.on_agent(agent);
                                     agent_states.on_agent(agent);
                                     hub.publish_to(api::agent_event(agent), [&agent](const auth::Principal& who) {
                                       return api::sees_agent(who, agent.extension);
                                     });
                                   },
                                   [&hub, &wallboard, &visits](const acd::QueueCallEvent& event) {
                                     wallboard.on_queue_event(event);
                                     visits.on_queue_event(event);
                                     hub.publish(api::queue_call_event(event), api::kSupervisors);
                                   },
                                   [&callbacks, &rollups](const contact::CallbackRecord& callback) {
                                     callbacks.save(callback);
                                     if (callback.state == "completed") {
                                       rollups.callback_completed(callback.queue, callback.dialled, callback.agent,
                                                                  callback.requested_at);
                                     }
                                   },
                                   [&live_calls, &visits](const contact::ContactView& call) {
                                     live_calls.changed(call);
                                     visits.on_contact({call.id, call.dialled, call.state, call.state_since_ms,
                                                        static_cast<std::size_t>(std::count_if(
                                                            call.steps.begin(), call.steps.end(),
                                                            [](const auto& step) { return step.kind == "transfer"; }))});
                                   },
                                   [&customers](const std::string& caller) { return customers.is_vip(caller); },
                                   &numbers, &recording_codes,
                                   [&audit, &hub, &clock](const ivr::RecordedPrompt& recorded) {
                                     auth::AuditEntry entry{0, clock.now_ms(), recorded.grant.user_id, recorded.grant.username,
                                                            "admin", "prompt.record_by_phone",
                                                            "prompt:" + recorded.grant.prompt,
                                                            nlohmann::json{{"extension", recorded.grant.extension},
                                                                           {"duration_ms", recorded.duration_ms},
                                                                           {"bytes", recorded.bytes}}
                                                                .dump(),
                                                            "phone:" + recorded.grant.extension};
                                     audit.record(entry);
                                     hub.publish({{"type", "audit"}, {"entry", api::audit_json(entry)}},
                                                 {auth::Role::admin});
                                   },
                                   [&rollups, &fcr_window_ms](const call::Cdr& cdr) {
                                     rollups.record_flow_call(cdr.ivr_trace, cdr.agent);
                                     if (auto contact = report::contact_of(cdr.direction, cdr.caller, cdr.customer_id,
                                                                           cdr.started_at, cdr.queue, cdr.agent,
                                                                           !cdr.ivr_trace.empty())) {
                                       rollups.record_contact(*contact, fcr_window_ms);
                                     }
                                   },
                                   [&calendars](const std::string& name) { return calendars.find(name); }},
                      std::move(acd));
  running_telephony = &telephony;
  // The day so far, from the database once: a restart keeps the wallboard's figures.
  for (const auto& event : telephony.queue_calls_since(acd::Wallboard::day_start_ms(clock.now_ms()))) {
    wallboard.on_queue_event(event);
  }
  // What the last run left (docs/durability.md): the calls a kill interrupted are
  // closed, agents it left logged in are logged out (their phones must register
  // again), waiting callbacks were queued again above.
  const std::int64_t interrupted = telephony.cdrs().close_interrupted(clock.now_ms());
  const auto logged_out = telephony.log_out_agents_after_restart();
  for (const auto& change : logged_out) {
    audit.record(auth::AuditEntry{0, 0, 0, "system", "system", "agent.logged_out", "agent:" + change.extension,
                                  nlohmann::json{{"reason", "restart"}, {"was", change.from}}.dump(), ""});
  }
  spdlog::info("recovered: {} queues, {} agents ({} logged out by the restart), {} waiting callbacks, "
               "{} interrupted calls closed",
               recovered_queues, recovered_agents, logged_out.size(), recovered_callbacks, interrupted);
  api::add_cdr_routes(router, context, telephony.cdrs(), config.media.recordings_dir);
  api::add_flow_call_routes(
      router, context, flow_store,
      [&telephony](const std::string& flow, std::int64_t from, std::int64_t to, std::int64_t limit) {
        return telephony.cdrs().ivr_traces(flow, from, to, limit);
      },
      [&telephony](const std::string& extension, std::shared_ptr<const ivr::Flow> flow, std::string& call_id) {
        return telephony.test_flow(extension, std::move(flow), call_id);
      });
  call::CaseStore cases(writer, *db);
  api::add_case_routes(router, context, cases, telephony.cdrs(), config.media.recordings_dir);
  call::RecordingRetention retention(*db, clock, {config.media.recording_retention_days, config.media.recordings_dir});
  // A record made for an unknown caller mid-call belongs to that call (its CDR too).
  api::add_customer_routes(router, context, customers, [&telephony, &customers](const crm::Customer& customer) {
    const crm::PhoneNormalizer& normalizer = customers.normalizer();
    std::set<std::string> numbers;
    for (const auto& phone : customer.phones) {
      if (auto normalized = normalizer.normalize(phone)) numbers.insert(*normalized);
    }
    for (const auto& call : telephony.live_calls()) {
      const auto number = normalizer.normalize(call.direction == "outbound" ? call.dialled : call.caller);
      if (call.customer_id == 0 && number && numbers.contains(*number)) telephony.set_customer(call.id, customer.id);
    }
  });
  qa::FormStore qa_forms(*db, clock);
  qa::EvaluationStore qa_evaluations(*db, writer, clock);
  if (demo) publish_demo_qa_form(qa_forms);
  api::add_qa_routes(router, context, qa_forms, qa_evaluations, telephony.cdrs());
  api::add_staffing_routes(router, context);
  api::add_report_routes(router, context, rollups, report_settings);
  api::add_calendar_routes(router, context, calendars, flow_store, [&acd_store](const std::string& name) {
    std::vector<std::string> users;
    for (const auto& queue : acd_store.queues()) {
      if (queue.calendar == name) users.push_back("queue '" + queue.name + "'");
    }
    return users;
  });
  api::add_trunk_routes(router, config.trunks, [&telephony] { return telephony.trunk_registrations(); }, sessions);
  api::add_sip_ban_routes(router, context, telephony.sip_bans());
  ivr::PromptLibrary prompt_library(config.ivr.prompts_dir, config.ivr.sounds_dir);
  api::add_prompt_routes(router, context, prompt_library,
                         {[&telephony](const std::string& file) { telephony.prompts().forget(file); }, telephony.tts(),
                          &recording_codes});
  api::add_extension_routes(router, context, config.sip.realm,
                            {[&telephony] { return telephony.registrations(); },
                             [&telephony](const std::string& extension, bool disabled) {
                               telephony.reload_sip_accounts(disabled ? extension : "");
                             }});
  api::add_number_routes(router, context, numbers, {config.dids, flows, acd_store});
  if (demo) add_demo_balance_route(router);
  api::add_acd_routes(
      router, context, acd_store,
      api::RunningAcd{[&telephony](const std::string& name) { return telephony.queue(name); },
                      [&telephony] { return telephony.agents(); },
                      [&telephony, &wallboard, &visits, &queue_formulas](const acd_store::QueueRecord& queue,
                                                        const std::vector<acd_store::SkillRecord>& skills) {
                        auto problems = telephony.apply_queue(queue, skills);
                        if (problems.empty()) wallboard.set_queue(queue.name, queue_alerts(queue));
                        if (problems.empty()) visits.set_queue(queue.name, queue.service_level_s * 1000);
                        if (problems.empty()) {
                          queue_formulas.set(queue.name, report::parse_sl_formula(queue.sl_formula));
                        }
                        return problems;
                      },
                      [&telephony, &wallboard](const std::string& name) {
                        auto problems = telephony.remove_queue(name);
                        if (problems.empty()) wallboard.remove_queue(name);
                        return problems;
                      },
                      [&telephony, &wallboard](const acd_store::AgentRecord& agent,
                                               const std::vector<acd_store::SkillRecord>& skills) {
                        auto problems = telephony.apply_agent(agent, skills);
                        // The queues it serves may have changed without a change of state.
                        if (!problems.empty()) return problems;
                        for (const auto& view : telephony.agents()) {
                          if (view.extension == agent.extension) wallboard.on_agent(view);
                        }
                        return problems;
                      },
                      [&telephony, &wallboard](const std::string& extension) {
                        auto problems = telephony.remove_agent(extension);
                        if (problems.empty()) wallboard.remove_agent(extension);
                        return problems;
                      },
                      [&calendars](const std::string& name) { return calendars.find(name) != nullptr; }});
  for (const auto& agent : telephony.agents()) wallboard.on_agent(agent);
  api::add_wallboard_routes(
      router, context, wallboard, [&telephony] { return telephony.live_calls(); },
      [&customers](std::int64_t id) {
        try {
          const auto customer = customers.get(id);
          return customer ? customer->name : std::string();
        } catch (const std::exception& error) {  // the board without the name rather than no board
          spdlog::warn("wallboard: customer {} cannot be read: {}", id, error.what());
          return std::string();
        }
      });
  api::WallboardFeed wallboard_feed(hub, wallboard, clock, std::chrono::milliseconds(250));
  api::add_call_routes(router, context,
                       api::LiveCalls{[&telephony] { return telephony.live_calls(); },
                                      [&telephony](const std::string& call_id, const std::string& command,
                                                   const std::string& argument, const auto& may) {
                                        return telephony.command_call(call_id, command, argument, may);
                                      },
                                      customers, live_calls,
                                      [&telephony](const std::string& call_id, const std::string& code,
                                                   const std::string& notes) {
                                        return telephony.cdrs().wrap_up(call_id, code, notes);
                                      },
                                      [&telephony](const std::string& extension) { telephony.end_wrap_up(extension); },
                                      [&cti_codes](const std::string& code) { return cti_codes.has_disposition(code); },
                                      [&telephony](const std::string& extension, const std::string& number) {
                                        return telephony.dial(extension, number);
                                      }});
  run_time->on_change([&](const std::string& name, const core::Config& now) {
    spdlog::info("settings: {} is now {}", name, core::show_config_value(*core::config_value(now, name)));
    if (name == "log.level") {
      core::set_log_level(now.log.level);
    } else if (name == "media.recording_retention_days") {
      retention.set_retention_days(now.media.recording_retention_days);
    } else if (name == "auth.token_ttl_s") {
      sessions.set_token_ttl_s(now.auth.token_ttl_s);
    } else if (name == "reports.sl_formula") {
      default_formula = *report::parse_sl_formula(now.reports.sl_formula);
    } else if (name == "reports.short_abandon_s") {
      visits.set_short_abandon_ms(now.reports.short_abandon_s * 1000);
    } else if (name == "reports.fcr_window_h") {
      fcr_window_ms = now.reports.fcr_window_h * 3'600'000;
    } else {  // sip.ring_timeout_s, media.record_calls, outbound.*
      telephony.change_settings(now);
    }
  });
  api::add_setting_routes(router, context, *run_time);
  api::add_callback_routes(router, context, callbacks, [&telephony](const std::string& call_id, const std::string& by) {
    return telephony.cancel_callback(call_id, by);
  });
  api::add_agent_routes(router, context,
                   api::AgentControl{[&telephony] { return telephony.agents(); },
                                [&telephony](const std::string& extension, const std::string& state,
                                             const std::string& reason) {
                                  return telephony.set_agent_state(extension, state, reason);
                                },
                                [&telephony](const std::string& extension, std::int64_t limit) {
                                  return telephony.agent_history(extension, limit);
                                }});

  http::Server server(config.http, router, hub, api::websocket_hooks(context, router), metrics);
  unsigned short port = 0;
  try {
    port = server.listen();
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return 1;
  }
  try {
    telephony.start();
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return 1;
  }
  std::string url = "http://" + config.http.address + ":" + std::to_string(port) + "/";
  if (demo) publish_demo_flows(flow_store, flows, "etc/flows", url.substr(0, url.size() - 1));
  spdlog::info("unicc {} serving {} (database {})", kVersion, url, db->display_url());
  if (demo) {
    std::cout << demo_banner(url, telephony.listening()) << std::flush;
  }
  retention.start();
  server.run();
  retention.stop();
  telephony.stop();
  live_calls.stop();
  wallboard_feed.stop();
  lookups.stop();  // answers what is still in flight while the SIP loop they post to exists
  spdlog::info("HTTP and SIP stopped; flushing {} queued database writes", writer.pending());
  writer.stop();
  spdlog::info("unicc stopped cleanly");
  return 0;
}

}  // namespace unicc::app
