#pragma once
// contact::Control — the narrow interface through which the contact layer acts on a
// customer's session, whatever the channel: tell them something, keep them waiting,
// place a leg to an agent (or a number) and bridge it when it answers, withdraw it,
// record, hang up, and start a session to a customer (a callback). Voice implements
// it over the B2BUA (call::VoiceControl); chat will implement it for text, so the one
// acd::Router behind contact::Contacts serves both.
//
// Outcomes come back as events on contact::Contacts (on_play_finished,
// on_connect_result, on_answered, on_ended...), from the channel's own thread, which
// is the thread Contacts runs on. Commands about a session that has ended are ignored.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "contact/prompt.h"

namespace unicc::contact {

// The channel's id of a customer's session (voice: the B2BUA's call id); stable for
// the session's life.
using ContactId = std::uint64_t;

// How a supervisor takes part in a customer's conversation with an agent: hears both
// and is heard by no one, by the agent only, or by both.
enum class MonitorMode { kListen, kWhisper, kBarge };
// "listen", "whisper", "barge" (supervisor_commands.cpp).
const char* monitor_mode_name(MonitorMode mode);
std::optional<MonitorMode> monitor_mode_named(std::string_view name);

class Control {
 public:
  virtual ~Control() = default;

  // Tells the customer `prompts` once, then `then_tone` (voice: the beep that invites
  // a message). Reported by on_play_finished(contact, play_id); when a prompt cannot
  // be had nothing is told and on_play_failed(contact, play_id) is reported instead.
  // A newer play, hold or stop_playing replaces it, also while it is being fetched.
  virtual void play(ContactId contact, const Prompts& prompts, std::uint64_t play_id, bool then_tone) = 0;
  // Keeps the customer waiting with `music` looped (voice: ringback when there is
  // none or it cannot be read) until the next play, hold or stop_playing.
  virtual void hold(ContactId contact, const Prompts& music) = 0;
  virtual void stop_playing(ContactId contact) = 0;
  // Records what the customer says, into `path`, for at most `max_length`; reported
  // by on_recording_ended.
  virtual void record(ContactId contact, const std::string& path, std::chrono::milliseconds max_length) = 0;
  virtual void stop_recording(ContactId contact) = 0;
  // Places a leg to `to` (an agent's extension, or a number) and bridges it to the
  // customer once it answers. 0 while it is placed (on_connect_result follows), or at
  // once the SIP-style status saying why it cannot be (404 unknown, 480 not reachable,
  // 491 already connecting). `shown_as`, if given, is shown to the callee instead of
  // the customer's own number. `auto_answer` asks the callee's phone to answer at once
  // (voice: Call-Info answer-after=0), for agents who work on a headset.
  virtual int connect(ContactId contact, const std::string& to, const std::string& shown_as = "",
                      bool auto_answer = false) = 0;
  // Withdraws the leg connect() placed; no on_connect_result follows.
  virtual void cancel_connect(ContactId contact) = 0;
  virtual void hang_up(ContactId contact) = 0;

  // ---- a customer bridged to an agent (after connect() answered)
  // Puts the customer on hold: they hear `music` looped (voice: ringback when there
  // is none), the agent hears nothing from them; the bridge stays.
  virtual void hold_bridged(ContactId contact, const Prompts& music) = 0;
  // Takes the customer off hold: the two hear each other again.
  virtual void resume_bridged(ContactId contact) = 0;
  // Ends the agent's leg; the customer stays on the line for what comes next (the
  // customer hears silence until then).
  virtual void release_bridged(ContactId contact) = 0;
  // Ends the agent's leg and places one to `to` at once, bridged once it answers
  // (on_connect_result follows), as connect(). When `to` cannot be reached the
  // agent's leg stays and the status says why (404, 480, 403 refused by the
  // outbound guard).
  virtual int transfer_bridged(ContactId contact, const std::string& to) = 0;
  // Sends `digits` (0-9, *, #, A-D) to the customer, as if the agent's phone had.
  virtual void send_digits(ContactId contact, const std::string& digits) = 0;
  // Brings `guest` (a session originate() started, answered) into the customer's
  // conversation with the agent: each of the three hears the other two. With
  // `with_customer` false only the agent and the guest hear each other (a consult
  // while the customer holds). False when it cannot be.
  virtual bool join_bridged(ContactId contact, ContactId guest, bool with_customer) = 0;
  // Ends the mix join_bridged() made: customer and agent as before it (the guest's
  // session is not touched).
  virtual void unjoin_bridged(ContactId contact) = 0;
  // The agent's leg ends and `guest`'s party (a session originate() started,
  // answered; or the callee of a call the agent's phone made, which the phone then
  // leaves) takes its place with the customer; `guest`'s session ends without
  // hanging that party up (on_ended follows). False when it cannot be.
  virtual bool hand_over_bridged(ContactId contact, ContactId guest) = 0;
  // A supervisor on the customer's conversation with the agent: `supervisor` (a
  // session originate() started, answered) hears both; who hears the supervisor
  // follows `mode`. A listen leaves what customer and agent hear of each other
  // untouched. Again with another mode changes it. Works alongside join_bridged().
  // False when it cannot be.
  virtual bool monitor_bridged(ContactId contact, ContactId supervisor, MonitorMode mode) = 0;
  // The supervisor leaves (their session is not touched).
  virtual void unmonitor_bridged(ContactId contact) = 0;
  // Starts a session to `to` showing `caller` and `caller_name`: its id, or 0 with
  // `code` saying why not. Answered: on_answered(id); not: on_originate_failed, then
  // on_ended.
  virtual ContactId originate(const std::string& to, const std::string& caller, const std::string& caller_name,
                              int& code) = 0;

  // ---- click-to-dial: an agent calls a customer, their own phone first
  // Whether `to` may be called now on behalf of the agent at `extension`, as their
  // phone would dial it: 0, or 404 (it goes nowhere), 480 (an extension with no phone
  // registered), 403 (the outbound rules refuse it). Nothing is placed or counted.
  virtual int check_dial(const std::string& to, const std::string& extension) = 0;
  // Rings the agent's phone at `extension`, showing `shown` (whom they are calling),
  // asking it to answer at once with `auto_answer`: as originate(), and `session_id`
  // is set to the channel's own id of the session (voice: its SIP Call-ID).
  virtual ContactId ring_agent(const std::string& extension, const std::string& shown, bool auto_answer,
                               std::string& session_id, int& code) = 0;
  // The agent's session (ring_agent(), answered) calls `to` showing `shown_as`, counted
  // by the outbound rules for `extension`, and bridges it once it answers: as connect().
  virtual int dial(ContactId agent_session, const std::string& to, const std::string& shown_as,
                   const std::string& extension) = 0;
};

}  // namespace unicc::contact
