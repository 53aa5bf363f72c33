#pragma once
// app::Telephony — the SIP side of `unicc serve`: the SIP thread with its
// transport, front and B2BUA, the media engine, the SIP accounts (loaded from the
// database into memory at start, so no call waits on disk), the CDR store, the
// registrations to carriers (made at start, removed at stop), the IVR that
// answers the numbers published flows claim, and the contact layer with the ACD
// router of its queues and agents (from the database through acd_store::AcdStore;
// agents logged out at start), reaching calls through call::VoiceControl.
// Queue and agent changes are applied while calls run (apply_*, remove_*).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acd/agent_view.h"
#include "acd/store/acd_store.h"
#include "call/b2bua.h"
#include "call/cdr.h"
#include "call/numbers.h"
#include "contact/contacts.h"
#include "core/config.h"
#include "core/metrics.h"
#include "ivr/call_runner.h"
#include "ivr/phone_recording.h"
#include "ivr/prompt_source.h"
#include "ivr/registry.h"
#include "sip/registration_client.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::app {

// What the IVR and the ACD on calls need from the rest of the server.
struct CallServices {
  const ivr::FlowRegistry& flows;
  decltype(ivr::CallRunnerParts::fetch) fetch;
  decltype(contact::ContactParts::voicemail) voicemail;
  // An agent's state changed (also the ACD's own changes: no answer, wrap-up).
  std::function<void(const acd::AgentView&)> agent_changed;
  // Something happened to a call in an ACD queue (queued, answered, abandoned...).
  std::function<void(const acd::QueueCallEvent&)> queue_event;
  decltype(contact::ContactParts::callback_changed) callback_changed;
  // A customer's contact changed (the CTI's live call); on the SIP thread.
  decltype(contact::ContactParts::contact_changed) contact_changed;
  decltype(contact::ContactParts::is_vip) is_vip;
  // The numbers pointed at a flow, a queue or an extension at run time; read on calls.
  const call::NumberStore* numbers = nullptr;
  // Recording prompts by phone (*77<code>): the codes the Prompts page hands out, and
  // what to do once one is stored (the audit); none when null.
  ivr::PhoneRecordingCodes* recording_codes = nullptr;
  std::function<void(const ivr::RecordedPrompt&)> prompt_recorded;
  // A call's final CDR was handed to the store (the reports' IVR figures); on the SIP
  // thread: must not block.
  std::function<void(const call::Cdr&)> call_ended = {};
  decltype(ivr::CallRunnerParts::calendars) calendars;
};


// The ACD's configuration at start, and the callbacks the last run left waiting.
struct AcdConfiguration {
  std::vector<acd_store::SkillRecord> skills;
  std::vector<acd_store::QueueRecord> queues;
  std::vector<acd_store::AgentRecord> agents;
  std::vector<contact::CallbackRecord> waiting_callbacks;
};

class Telephony {
 public:
  Telephony(const core::Config& config, store::Database& db, store::AsyncWriter& writer, core::Metrics& metrics,
            const core::Clock& clock, call::CallObserver& observer, CallServices services, AcdConfiguration acd);
  ~Telephony();

  // Binds the SIP sockets and starts the SIP thread; throws std::runtime_error
  // naming the address when binding fails.
  void start();
  // Hangs up every call (their CDRs are queued), then stops SIP and media.
  void stop();

  // "udp:127.0.0.1:5060 tcp:127.0.0.1:5060", for the start banner.
  std::string listening() const;
  call::CdrStore& cdrs();
  // Registration of each configured trunk to its carrier (nothing for trunks that
  // do not register); safe from any thread.
  std::vector<std::optional<sip::RegistrationState>> trunk_registrations() const;
  // Sources and users banned for failed SIP authentications; thread-safe.
  sip::BanList& sip_bans();
  // What calls play (thread-safe): the prompt files read so far, and the TTS.
  ivr::PromptSource& prompts();
  media::TtsCache& tts();
  // Reads the SIP accounts again after one was created or changed (the API); the
  // phones registered to `disabled` (if any) are forgotten at once. Any thread.
  void reload_sip_accounts(const std::string& disabled = "");
  // The phones registered now, by extension (where from, user agent, expiry). Any thread.
  std::map<std::string, std::vector<sip::Binding>, std::less<>> registrations();

  // The agents and their states, by extension; safe from any thread (runs on the SIP
  // thread, where the ACD lives), like every method below.
  std::vector<acd::AgentView> agents();
  // A queue's live figures; nullopt for a queue the ACD does not know.
  std::optional<acd::QueueView> queue(const std::string& name);
  // Carry a created or changed queue or agent into the running ACD (`skills`: every
  // skill, to resolve names); the problems if it cannot be (nothing changed then).
  std::vector<std::string> apply_queue(const acd_store::QueueRecord& queue,
                                       const std::vector<acd_store::SkillRecord>& skills);
  std::vector<std::string> remove_queue(const std::string& name);
  std::vector<std::string> apply_agent(const acd_store::AgentRecord& agent,
                                       const std::vector<acd_store::SkillRecord>& skills);
  std::vector<std::string> remove_agent(const std::string& extension);
  // Changes an agent's state: "logged_out", "ready" or "not_ready" (with `reason`);
  // logging in is the first "ready" or "not_ready". Returns "" or why not
  // ("unknown agent", "wrong state", ...).
  std::string set_agent_state(const std::string& extension, const std::string& state, const std::string& reason);
  // At start: records that agents the last run left logged in are logged out now;
  // returns those changes (for the audit log). Before start().
  std::vector<acd::AgentStateChange> log_out_agents_after_restart();
  // Takes back a waiting callback request (contact::Contacts::cancel_callback): "" or why not.
  std::string cancel_callback(const std::string& call_id, const std::string& by);
  // The customers' contacts alive now (the CTI's live calls), oldest first.
  std::vector<contact::ContactView> live_calls();
  // A command on the live call whose customer leg has the SIP Call-ID `call_id`:
  // "hold", "resume", "hangup", "transfer" (blind), "consult" (attended) or
  // "conference" (`argument`: whom), "transfer_complete", "transfer_cancel", "dtmf"
  // (`argument`: the digits), "monitor" (`argument`: "<extension> <mode>") or
  // "intercept" (`argument`: the supervisor's extension); `may` says whether whoever
  // asks may act on it.
  contact::CommandOutcome command_call(const std::string& call_id, const std::string& command,
                                 const std::string& argument,
                                 const std::function<bool(const contact::ContactView&)>& may);
  // Click-to-dial (contact::Contacts::dial): the agent at `extension` calls `number`.
  contact::DialOutcome dial(const std::string& extension, const std::string& number);
  // The flow designer's test call (ivr::CallRunner::test_flow): 0 with the call's
  // Call-ID, or the SIP status why `extension` cannot be rung.
  int test_flow(const std::string& extension, std::shared_ptr<const ivr::Flow> flow, std::string& call_id);
  // Ends the agent's wrap-up time if they are in it: ready, or not ready when they
  // asked for it during the call (or dialled out while not ready).
  void end_wrap_up(const std::string& extension);
  // The console changed a run-time setting: carries sip.ring_timeout_s,
  // media.record_calls and the outbound.* keys of `config` to the calls from now on
  // (on the SIP thread; any thread may call it).
  void change_settings(const core::Config& config);
  // contact::Contacts::set_customer, posted to the SIP thread (returns at once).
  void set_customer(contact::ContactId contact, std::int64_t customer_id);
  // An agent's state changes, newest first (from the database; any thread).
  std::vector<acd::AgentStateChange> agent_history(const std::string& extension, std::int64_t limit);
  // The answered and abandoned queue calls from `from_ms` on, oldest first (the
  // database; any thread but the SIP thread).
  std::vector<acd::QueueCallEvent> queue_calls_since(std::int64_t from_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --demo with SIP over TLS on and no certificate configured: makes a self-signed
// one for sip.public_address (else sip.address) in var/tls/, once, and points
// `sip` at it. Throws std::runtime_error when it cannot be written.
void use_demo_tls_certificate(core::SipConfig& sip);

}  // namespace unicc::app
