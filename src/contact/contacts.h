#pragma once
// contact::Contacts — a contact's life after the IVR: waiting in a queue, offered to
// agents, talking, wrap-up; a transfer to a number; a voicemail; a callback with its
// retries. One contact is one customer interaction on any channel. It hosts the one
// acd::Router and carries out its decisions (offers, stop-ringing, overflow,
// announcements, callbacks) through contact::Control, and reports back to the router
// what happened (answered, no answer, caller left, call over).
//
// The IVR hands a session over with queue(), transfer() or leave_voicemail(); from
// then on the session's events go to Contacts (owns() says which ones) until it is
// sent back to a flow (back_to_flow: an overflow to a flow, or a failure the queue
// node's on_failure exit takes) or ends.
//
// Where things sit (docs/design.md): contact/ is channel-neutral and includes only
// acd/, store/ and core/; the channels sit above it and implement Control (voice:
// call::VoiceControl over the B2BUA), and the IVR (above both) hands sessions down.
// Voicemail lives here rather than beside call/'s VoicemailStore because a message is
// a contact's outcome (a queue's overflow or a flow's node) and only needs Control.
//
// Single-threaded: every method, timer and hook runs on the channel's thread (voice:
// the SIP thread).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "acd/router.h"
#include "calendar/calendar.h"
#include "contact/callback_store.h"
#include "contact/control.h"
#include "contact/prompt.h"
#include "core/clock.h"
#include "core/timers.h"

namespace unicc::contact {

// Who is on a session the IVR hands over.
struct Customer {
  ContactId id = 0;
  std::string session_id;  // the channel's own id (SIP Call-ID); keys callback requests
  std::string caller;
  std::string caller_name;
  std::string dialled;
  std::string trunk;  // "" for one of our phones
  // What the IVR learnt: the nodes the caller went through, in order, and the flow's
  // variables (an account number typed in, a lookup's answer), for the agent's screen.
  std::vector<std::string> ivr_path = {};
  std::map<std::string, std::string> ivr_variables = {};
};

struct VoicemailMessage {
  std::string mailbox;
  std::string caller;
  std::string caller_name;
  std::string call_id;
  std::string path;
  std::int64_t created_at = 0;  // ms since epoch
  std::int64_t duration_ms = 0;
};

// The priority a VIP customer's call has in the ACD at least (higher is served first).
inline constexpr int kVipPriority = 10;

// An ACD overflow to this flow name (which no flow can have) sends the contact back
// to the queue node of its own flow, which takes its on_failure exit.
inline constexpr const char* kQueueNodeFailure = "(on_failure)";

// What a customer waiting in a queue hears and can do, and where the queue's
// contacts go.
struct QueueSettings {
  std::string name;  // set by Contacts::set_queue
  std::string ring;  // an extension to ring; "" = routed by the ACD to agents
  acd::QueueId acd_queue = 0;  // the router's id of the queue, when routed by the ACD
  Prompts music;     // looped while waiting; empty: ringback
  Prompts comfort;   // told every comfort_every while waiting; empty: none
  std::chrono::seconds comfort_every{30};
  std::string voice = "en";  // TTS voice of the announcements ("cmn": Chinese)
  bool announce_position = false;  // tell the router's position and wait announcements
  std::string callback_key;        // a key that asks to be called back; "" = none
  int callback_attempts = 3;       // calls back to a customer who does not answer, at most
  std::chrono::seconds callback_retry{300};  // between them
  // Business hours: a shared calendar's name ("" = always open). While it is closed a
  // contact handed to the queue goes to `closed_target` by `closed_kind` ("flow",
  // "queue", "voicemail", "number"; "" = told the queue is closed, then released).
  std::string calendar;
  std::string closed_kind;
  std::string closed_target;
};

struct ContactSettings {
  std::string voicemail_dir = "var/recordings/voicemail";
  // Each trunk's outbound prefix: a callback to a caller who came in on a trunk dials
  // the prefix and their number.
  std::map<std::string, std::string> trunk_prefixes;
  // The number customers see on agents' click-to-dial calls; "" = the agent's extension.
  std::string caller_id;
};

// What happened to a contact that the call's record keeps, in order: a transfer
// by an agent ("transfer", from the agent's extension to where), a return to the
// queue after a transfer failed ("transfer_failed").
struct ContactStep {
  std::int64_t at_ms = 0;
  std::string kind;
  std::string mode;  // "blind"
  std::string from;
  std::string to;
};

// A party the agent called into a contact: the guest of a three-way call, the
// target an attended transfer consults while the customer holds, or the target a
// blind transfer of the agent's own outbound call rings (the agent has left; it takes
// the customer once it answers).
struct ContactGuest {
  enum class Kind { kConference, kConsult, kTransfer };
  Kind kind = Kind::kConference;
  std::string with;       // the extension or number called
  bool answered = false;  // talking: with both (conference), with the agent (consult)
};

// A supervisor on a contact (listen, whisper, barge-in), from the ring of their
// phone on; `intercepting`: they take the agent's place once they answer.
struct ContactMonitor {
  std::string supervisor;  // their extension
  MonitorMode mode = MonitorMode::kListen;
  bool answered = false;
  bool intercepting = false;
  std::int64_t since_ms = 0;  // answered at
};

// A contact as the agent desktop and supervisors see it (the CTI's live call).
struct ContactView {
  ContactId id = 0;
  std::string session_id;  // the customer's leg's SIP Call-ID
  // queued (waits for an agent), offered (an agent's phone rings), talking, held,
  // transferring (a transfer target rings), voicemail, ended (the contact ended, or
  // left `agent`: transferred away), ivr (back to its flow).
  std::string state;
  std::string caller;
  std::string caller_name;
  std::string dialled;
  std::string trunk;
  std::string queue;  // the queue it came through; "" for a transfer from a flow
  std::string agent;  // the extension offered or talking to it; "" for none
  std::int64_t since_ms = 0;        // handed to the contact layer
  std::int64_t state_since_ms = 0;  // in `state`
  std::int64_t waited_ms = 0;       // in the queue before the first agent answered
  std::vector<ContactStep> steps;
  std::int64_t customer_id = 0;  // the CRM's record of the caller, once found; 0 for none
  std::vector<std::string> ivr_path;
  std::map<std::string, std::string> ivr_variables;
  std::optional<ContactGuest> guest;
  std::optional<ContactMonitor> monitor;
  // "inbound" (the customer called), or "outbound" (an agent's click-to-dial: `dialled`
  // is the customer's number, `caller` the number they are shown, and the states are
  // offered while the agent's phone rings, dialing while the customer's does).
  std::string direction = "inbound";
  // Why an outbound call ended without the customer: busy, no_answer, not_found,
  // rejected, blocked, unavailable, failed (the customer's line), cancelled (hung up
  // before the customer answered), or agent_ and one of those (the agent's phone).
  std::string reason;
};

// What an agent's click-to-dial came to: "" or the problem (unknown_agent, logged_out,
// busy, no_route, refused, unavailable), the call, and whether it was there already
// (the same request again while it rings: a double click).
struct DialOutcome {
  std::string problem;
  std::optional<ContactView> contact;
  bool repeated = false;
};

// What an agent's command on a contact came to: "" or the problem (not_found,
// forbidden, or the codes of Contacts' commands), and the contact as it is now (state
// "ended" when the command ended it).
struct CommandOutcome {
  std::string problem;
  std::optional<ContactView> contact;
};

struct ContactParts {
  Control& control;
  // Routes the contacts of queues without `ring`. May be null (no ACD).
  acd::Router* router;
  core::Timers& timers;
  const core::Clock& clock;
  // The contact goes back to its IVR flow: to start `flow`, or, when `flow` is "" or
  // not published, to take the queue node's failure exit with `failure`.
  std::function<void(ContactId contact, const std::string& flow, const std::string& failure)> back_to_flow;
  // A voicemail was left (its recording is complete at `path`).
  std::function<void(const VoicemailMessage& message)> voicemail;
  // The queue a queue node with `skills` hands its contacts to: `queue`'s contacts
  // that also need these skills ("name" or "name:level", level 1 by default), named
  // "queue+name:level+..." (skills sorted); nullopt with the problem when there is
  // none (an unknown skill, a queue not routed by the ACD). May be empty: such nodes
  // then fail.
  std::function<std::optional<QueueSettings>(const std::string& queue, const std::vector<std::string>& skills,
                                             std::string& problem)>
      skilled_queue;
  // A callback request was made or changed: asked for, an attempt failed (still
  // "waiting", with its retry time), or ended ("completed", "failed", "cancelled").
  // Kept so that a restart loses none.
  std::function<void(const CallbackRecord& callback)> callback_changed;
  // A contact changed state (ContactView::state); may be empty.
  std::function<void(const ContactView& contact)> contact_changed = {};
  // Whether the caller is a VIP customer (their calls wait ahead of others: at least
  // kVipPriority); from memory, never the database. May be empty.
  std::function<bool(const std::string& caller)> is_vip = {};
  // The shared calendar of the moment by name (calendar::CalendarStore's snapshot);
  // null for one that does not exist. May be empty: every queue is open.
  std::function<std::shared_ptr<const calendar::Calendar>(const std::string& name)> calendars = {};
  // A contact reached `queue` while its calendar was closed (the wallboard counts it).
  std::function<void(const std::string& queue, ContactId contact)> queue_closed = {};
};

class Contacts {
 public:
  Contacts(ContactParts parts, ContactSettings settings);
  ~Contacts();
  Contacts(const Contacts&) = delete;
  Contacts& operator=(const Contacts&) = delete;

  // ---- from the IVR: each returns the failure that keeps the session in its flow,
  // or nullopt once Contacts has it.
  // Queues the contact in `queue` (or its part needing `skills`): the ACD's agents,
  // or the extension the queue rings.
  std::optional<std::string> queue(const Customer& customer, const std::string& queue,
                                   const std::vector<std::string>& skills, int priority);
  // Rings `number` while the customer hears ringback; bridged once it answers.
  std::optional<std::string> transfer(const Customer& customer, const std::string& number);
  // Tells the greeting and the tone, then records a message of at most `max_seconds`
  // for `mailbox`, and hangs up.
  void leave_voicemail(const Customer& customer, const std::string& mailbox, int max_seconds, Prompts greeting);

  // ---- configuration and commands from outside a contact (REST, start-up).
  // Carries out what the router decided after a change made outside a contact (an
  // agent became ready): call it after every such command.
  void route_queued_calls() { carry_out_decisions(); }
  // The queues flows hand contacts to, by name, and the agents' phones, by the
  // router's id. Contacts already waiting keep the settings they started with.
  void set_queue(const std::string& name, QueueSettings queue);
  void remove_queue(const std::string& name);
  // `auto_answer`: offers ask the agent's phone to answer at once.
  void set_agent(acd::AgentId agent, const std::string& extension, bool auto_answer = false);
  void forget_agent(acd::AgentId agent);
  // The agent who last served `caller`, for last-agent routing (from the CDRs at
  // start; then every queued contact an agent answers).
  void remember_last_agent(const std::string& caller, acd::AgentId agent);
  // Queues again, oldest first, the callbacks the last run left waiting (at their
  // retry time, if they have one); after the queues and agents are set. One whose
  // queue is gone (or no longer routed by the ACD) is reported failed.
  void restore_callbacks(const std::vector<CallbackRecord>& waiting);
  // Takes back a waiting callback request (by the session id that made it) on
  // behalf of `by`: "" or why not ("no such waiting callback", or the agent is
  // calling the customer back right now).
  std::string cancel_callback(const std::string& session_id, const std::string& by);

  // ---- the agent's commands on a contact (CTI). Each answers "" when done (also
  // when it was done already: a double click changes nothing), or a code saying why
  // not: not_found (no such contact), not_talking (no agent is talking to it),
  // unknown_queue, the target's problem (not_found, unavailable, refused), or what
  // a guest on the call forbids (in_conference, consulting).
  // The contacts alive now, oldest first, and one of them.
  std::vector<ContactView> live() const;
  std::optional<ContactView> view(ContactId contact) const;
  std::string hold_contact(ContactId contact);
  std::string resume_contact(ContactId contact);
  std::string hang_up_contact(ContactId contact);
  // The agent answers on the desktop while their phone rings with the contact's
  // offer: the phone is rung again asking it to answer at once (Call-Info
  // answer-after=0; phones that honour it do, others ring on). not_offered when no
  // agent's phone rings for it; a second click, or one once answered, changes nothing.
  std::string answer_contact(ContactId contact);
  // `to`: "queue:<name>" (the customer waits there again, ahead of the queue's
  // other callers), an extension or an outside number (rung while the customer hears
  // ringback; when it does not answer the customer goes back to the queue they came
  // from, or to their flow). The agent goes to wrap-up.
  std::string transfer_contact(ContactId contact, const std::string& to);
  // The agent's phone asked for that transfer (a SIP REFER): 0, or the SIP status for
  // its problem (404 unknown target, 480 unreachable, 403 refused or not now). With
  // `replacing`: the phone consulted `to` itself on that session, and hands the
  // customer to it as an attended transfer completes.
  int refer_contact(ContactId contact, const std::string& to, ContactId replacing = 0);
  std::string send_digits(ContactId contact, const std::string& digits);
  // Three-way: calls `to` (an extension or a number, showing the customer's number)
  // and, once it answers, all three hear each other. While it lasts hold and transfer
  // answer in_conference; the guest hanging up leaves customer and agent talking, the
  // customer's call ending hangs the guest up. A held call answers "held"; the agent
  // already talking to `to`, "already_on_call".
  std::string conference_contact(ContactId contact, const std::string& to);
  // Attended transfer: the customer holds (the queue's music) while `to` (an
  // extension or a number, shown the customer's number) is called and, once it
  // answers, talks with the agent alone. Complete: `to` takes the agent's place with
  // the customer and the agent goes to wrap-up (not_consulting before `to` answered).
  // Cancel: the call to `to` ends and the agent talks to the customer again. `to`
  // hanging up or not answering leaves the customer on hold with the agent.
  std::string consult_contact(ContactId contact, const std::string& to);
  std::string complete_transfer(ContactId contact);
  std::string cancel_transfer(ContactId contact);
  // Click-to-dial: rings the phone of the agent at `extension` (auto-answer as for
  // their offers), and once they answer calls `number` showing the configured caller
  // ID while the agent hears ringback; a live contact like an inbound one, talking once
  // the customer answers. The agent is on a call in the ACD from the start (no queue
  // call is offered meanwhile) and wraps up after; an agent who was not ready may
  // dial and is not ready again after. It transfers as an inbound call does, except
  // to a queue (not_supported): a blind transfer rings the target as a guest while
  // the customer hears ringback, and the target takes the agent's leg once it answers
  // (when it does not, the customer's call ends: there is no queue or flow to go back to).
  DialOutcome dial(const std::string& extension, const std::string& number);
  // ---- a supervisor's commands on a contact an agent talks to (issue 17)
  // Calls the phone at `supervisor` (showing the customer's number) and, once it
  // answers, puts it on the conversation as `mode` (see Control::monitor_bridged).
  // The same supervisor again changes the mode (the same mode changes nothing);
  // another answers already_monitored. The supervisor leaves when they hang up, when
  // the agent leaves the customer (a transfer) or when the call ends; each start,
  // change and end is a step of the call ("monitor", "monitor_ended").
  // not_talking, not_found as for the agent's commands; already_on_call when
  // `supervisor` is a party; the phone's problem (not_found, unavailable).
  std::string monitor_contact(ContactId contact, const std::string& supervisor, MonitorMode mode);
  // The supervisor at `supervisor` (on the call already, or called now) takes the
  // agent's place with the customer, as an attended transfer completes: the agent's
  // leg ends and they wrap up (step "intercept"). in_conference/consulting while the
  // agent has a guest.
  std::string intercept_contact(ContactId contact, const std::string& supervisor);
  // The CRM found the caller's record (looked up off this thread); reported with the
  // contact from now on, and kept in the call's record.
  void set_customer(ContactId contact, std::int64_t customer_id);
  // The number customers see on agents' click-to-dial calls from now on ("" = the
  // agent's extension); the console's run-time settings.
  void set_caller_id(std::string caller_id);

  // ---- events from the channel, about the sessions owns() names.
  bool owns(ContactId contact) const;
  void on_answered(ContactId contact);  // a session originate() started
  void on_dtmf(ContactId contact, char digit);
  void on_play_finished(ContactId contact, std::uint64_t play_id);
  void on_play_failed(ContactId contact, std::uint64_t play_id);
  void on_recording_ended(ContactId contact, std::chrono::milliseconds length);
  void on_connect_result(ContactId contact, bool answered, int code);
  void on_originate_failed(ContactId contact, int code);
  void on_ended(ContactId contact);

  struct Contact;
  struct Callback;

 private:
  Contact* find(ContactId contact);
  Contact& adopt(const Customer& customer);
  // Sends the contact back to its flow (and forgets it here).
  void back_to_flow(Contact& contact, const std::string& flow, const std::string& failure);
  std::shared_ptr<const QueueSettings> queue_for(const std::string& queue, const std::vector<std::string>& skills,
                                                 std::string& problem);
  std::shared_ptr<const QueueSettings> queue_named(const std::string& name, std::string& problem);
  std::optional<std::string> hand_over(Contact& contact, const std::string& number,
                                       std::shared_ptr<const QueueSettings> queue);
  std::optional<std::string> enqueue_with_acd(Contact& contact, std::shared_ptr<const QueueSettings> queue,
                                              int priority);
  void schedule_comfort(Contact& contact);
  void stop_waiting(Contact& contact);
  void connect_result(Contact& contact, bool answered, int code);
  void acd_connect_result(Contact& contact, bool answered, int code);
  void overflow_out(Contact& contact, const acd::OverflowTarget& target);
  // Whether `queue`'s calendar (if any) is open now; and the way of a contact that
  // reached it while closed.
  bool open_now(const QueueSettings& queue) const;
  std::optional<std::string> closed_out(const Customer& customer, const std::string& queue,
                                        const QueueSettings& settings, int priority);
  void announce(Contact& contact, const acd::Announce& announcement);
  void carry_out_decisions();
  void schedule_router();
  std::optional<acd::AgentId> last_agent_of(const std::string& caller) const;
  // CTI.
  ContactView view_of(const Contact& contact) const;
  std::string state_of(const Contact& contact) const;
  void changed(Contact& contact);
  // The contact no longer talks to its agent (transfer): the agent hears the line go
  // and wraps up; their desktop sees the contact end.
  void leave_agent(Contact& contact);
  Contact* talking(ContactId contact, std::string& problem);
  // Reports the contact's last state as it leaves Contacts (ended, ivr).
  void report_final(const Contact& contact, const std::string& state);
  // A transfer's target did not answer (`why`): the customer goes back to the queue
  // an agent transferred them from, otherwise to their flow.
  void transfer_failed(Contact& contact, const std::string& target, const std::string& why);
  void ringing(Contact& contact, const std::string& target);
  std::optional<acd::AgentId> reserve_agent_at(ContactId contact, const std::string& extension);
  void agent_takes_call(Contact& contact, acd::AgentId agent);
  std::string join_phone_consult(ContactId contact, const std::string& to, ContactId consult);
  void handed_over(Contact& contact, ContactStep step);
  // Supervisors (supervisor_commands.cpp).
  std::string call_supervisor(Contact& contact, const std::string& supervisor, MonitorMode mode, bool intercept);
  std::string take_over(Contact& contact);
  void monitor_answered(ContactId leg);
  void monitor_leg_ended(ContactId leg);
  // The supervisor leaves the contact: their phone is hung up.
  void end_monitor(Contact& contact);
  // Calls `to` as the contact's guest (see ContactGuest).
  std::string call_guest(Contact& contact, ContactGuest::Kind kind, const std::string& to);
  std::string transfer_outbound(Contact& contact, ContactStep step);
  void transfer_target_answered(Contact& contact, ContactId leg);
  void target_rings(Contact& contact, ContactStep step);
  void transfer_target_reached(Contact& contact, const std::string& to);
  void transfer_target_lost(Contact& contact, const std::string& to, const std::string& why);
  // The number a party the agent brings in is shown: the customer's.
  static const std::string& customer_number(const Contact& contact);
  void guest_answered(ContactId leg);
  void guest_leg_ended(ContactId leg);
  // Why the contact's guest forbids other commands: in_conference or consulting.
  static std::string busy_with_guest(const Contact& contact);
  static bool repeats_transfer(const Contact& contact, const std::string& mode, const std::string& to);
  // Click-to-dial (click_to_dial.cpp).
  Contact* outbound_of(acd::AgentId agent);
  bool talks_to(const std::string& extension) const;
  void dial_agent_answered(Contact& contact);
  void dial_result(Contact& contact, bool answered, int code);
  void dial_ended(Contact& contact);
  std::optional<acd::AgentId> agent_at(const std::string& extension) const;
  // Voicemail.
  void start_voicemail(Contact& contact, const std::string& mailbox, int max_seconds, const Prompts& greeting);
  void start_recording(Contact& contact);
  void save_voicemail(Contact& contact, std::chrono::milliseconds length);
  // Callbacks.
  void request_callback(Contact& contact);
  void call_back(const acd::CallBack& decision);
  void callback_answered(ContactId leg);
  void callback_leg_ended(ContactId leg);
  void finish_callback(acd::CallId waiting);
  void save_callback(const CallbackRecord& record);
  void close_callback(CallbackRecord record, const std::string& state, const std::string& outcome);
  void schedule_callback(CallbackRecord record);
  void queue_callback(const CallbackRecord& record);

  ContactParts parts_;
  ContactSettings settings_;
  std::map<std::string, std::shared_ptr<const QueueSettings>> queues_;
  std::map<acd::AgentId, std::string> agent_extensions_;
  std::set<acd::AgentId> auto_answer_agents_;
  std::map<std::string, acd::AgentId> last_agents_;  // by caller number
  std::map<ContactId, std::unique_ptr<Contact>> contacts_;
  // Customers waiting to be called back, by the router's call id (their first
  // contact's id), and the sessions placed to agents for them, by the channel's id.
  std::map<acd::CallId, std::unique_ptr<Callback>> callbacks_;
  std::map<ContactId, acd::CallId> callback_legs_;
  // The sessions placed to call a guest, and the contact each is for.
  std::map<ContactId, ContactId> guest_legs_;
  std::map<ContactId, ContactId> monitor_legs_;  // a supervisor's session -> the contact
  // Requests waiting for their retry time, by the session id that made them.
  struct Retry {
    core::Timers::TimerId timer = 0;
    CallbackRecord record;
  };
  std::map<std::string, Retry> retries_;
  // The router's ids of callbacks queued again (after a restart or a failed
  // attempt), far above the channels' ids.
  acd::CallId next_callback_id_ = acd::CallId{1} << 62;
  core::Timers::TimerId router_timer_ = 0;
};

}  // namespace unicc::contact
