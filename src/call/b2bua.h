#pragma once
// call::B2bua — every call through unicc: two SIP dialogs (A: the caller's, B:
// the callee's) bridged with the media anchored in a media::Relay.
//
// It is the sip::Front's DialogHandler: an INVITE outside a dialog starts a call,
// and in-dialog requests (re-INVITE for hold and resume, BYE) are handled on their
// leg and mirrored on the other. Each leg is a sip::Dialog; the front hands the
// B2BUA only requests that match one (Call-ID, both tags, from the leg's peer) and
// answers the rest 481 itself. Our 2xx to an INVITE is resent until its ACK; a call
// whose 2xx is never acknowledged is hung up.
// Phones must authenticate their INVITEs (407 challenge); trunks are recognised
// by source address.
// Every call that would leave through a trunk passes the OutboundGuard first (403
// and an alert when it refuses). Failures map to what a caller expects: 404 for a number
// that goes nowhere, 480 when the callee has no registered phone or does not
// answer in time, the callee's 486 as busy, 488 when no codec is common.
// Each state change is reported to the CallObserver; an answered call's CDR goes
// to the CdrSink in progress, and again when the call ends; the BYE that ends it is
// answered once the sink says the CDR is durable (docs/durability.md). Numbers a
// CallApplication takes (IVR flows) are answered by unicc itself and then driven
// by the application through the control methods.
// The application can also have unicc place a call (originate): its A leg is then a
// dialog unicc started, and once answered the call is driven like one it answered.
//
// Single-threaded: runs on the SIP event loop. Relay callbacks arrive on the
// RTP thread and are re-posted with `post`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "call/application.h"
#include "call/cdr.h"
#include "call/media_sdp.h"
#include "call/outbound_guard.h"
#include "call/routing.h"
#include "contact/control.h"
#include "core/clock.h"
#include "media/engine.h"
#include "sip/dialog.h"
#include "sip/digest.h"
#include "sip/front.h"
#include "sip/location.h"
#include "sip/transaction.h"

namespace unicc::call {

struct CallEvent {
  std::string call_id;
  std::string state;  // "ringing", "answered", "held", "resumed", "ended"
  std::string direction;
  std::string caller;
  std::string caller_name;
  std::string dialled;
  std::string callee;
  std::string disposition;  // for "ended"
  std::int64_t at = 0;
};

// Something supervisors must know at once, e.g. a call refused by the OutboundGuard.
struct CallAlert {
  std::string kind;    // "outbound_blocked"
  std::string caller;  // the extension, "ivr" or "callback"
  std::string number;  // as it would have gone to the trunk
  std::string reason;  // "international", "premium", "rate", "concurrent"
  std::int64_t at = 0;
};

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void on_call_event(const CallEvent& event) = 0;
  virtual void on_alert(const CallAlert&) {}
};

struct B2buaSettings {
  std::string sip_address = "127.0.0.1";  // written into Via and Contact
  std::uint16_t sip_udp_port = 5060;
  std::uint16_t sip_tcp_port = 5060;
  std::string media_address = "127.0.0.1";  // written into SDP
  std::chrono::seconds ring_timeout{60};
  bool record_calls = false;
  std::string recordings_dir = "var/recordings";
  std::uint16_t sip_tls_port = 5061;  // written into Via and Contact of TLS legs
  // SRTP (media_sdp.h): for every party, unless its trunk says otherwise or it is
  // one of the extensions that require it.
  SrtpPolicy srtp = SrtpPolicy::kOptional;
  std::vector<std::string> srtp_required_extensions{};
};

struct B2buaParts {
  // The front's: the B2BUA's requests and responses go through it.
  sip::TransactionLayer& transactions;
  sip::TimerService& timers;
  const core::Clock& clock;
  const sip::AccountDirectory& accounts;
  sip::LocationService& locations;
  sip::DigestAuthenticator& digest;
  const NumberPlan& plan;
  media::MediaEngine& media;
  CdrSink& cdrs;
  CallObserver& observer;
  // Runs a task on the SIP thread (for callbacks from other threads).
  std::function<void(std::function<void()>)> post;
  // Answers the numbers it takes; nullptr: every call is bridged by the number plan.
  CallApplication* application = nullptr;
  // Admits calls that leave through a trunk (phones, IVR transfers, callbacks);
  // nullptr: no limits (tests).
  OutboundGuard* outbound = nullptr;
};

class B2bua final : public sip::DialogHandler {
 public:
  B2bua(B2buaParts parts, B2buaSettings settings);
  ~B2bua() override;

  // Ends every call (BYE or CANCEL on both legs), originated ones included, and
  // writes their CDRs.
  void hang_up_all();
  // The console changed a run-time setting: how long a called phone may ring, and
  // whether bridged calls are recorded, for the calls from now on.
  void change_settings(std::chrono::seconds ring_timeout, bool record_calls);

  // Places a call from unicc to `number`, dialled as one of our phones would dial it
  // (an extension, or an outside number with a trunk's prefix); `caller` and
  // `caller_name` are shown to the callee (From) and to whoever connect() brings in.
  // Returns the new call's id, or 0 with `code` set to the SIP status saying why it
  // cannot be placed: 404 unknown, 480 not registered, 503 no RTP ports, no
  // application, or called from a callback of hang_up_all(). The INVITE offers
  // unicc's own SDP (PCMU, PCMA, telephone-event) on the relay's A leg and rings for
  // at most ring_timeout.
  // Answered: on_answered(AnsweredCall{..., Origin::kOriginated}) and the call is the
  // application's like any call it answered (play, record, connect, hang_up).
  // Not answered: on_originate_failed(id, code) — 486 busy (or 600), 480 no answer
  // (its 480/408 or ring timeout), 408 no response at all, the callee's other final
  // status, 503 at shutdown — then on_ended. hang_up() while it rings CANCELs it
  // (on_ended only, disposition "cancelled"). Its CDR has direction "originated",
  // caller/caller_name as given, dialled = `number`, callee = where it went.
  // `auto_answer` asks the callee's phone to answer at once, as for connect().
  CallId originate(const std::string& number, const std::string& caller, const std::string& caller_name, int& code,
                   bool auto_answer = false);
  // The SIP Call-ID a call is known by (its A leg's: the caller's, or the one unicc
  // made for an originated call); "" for a call that is gone.
  std::string call_id_of(CallId call) const;
  // Whether connect() could place a leg to `number` now, for `caller` (whom the
  // OutboundGuard counts): 0, or 404, 480, or 403 (refused, an alert as for a call).
  // Places and counts nothing.
  int check_connect(const std::string& number, const std::string& caller);

  // Control of the calls that are the application's (answered by unicc, or originated
  // and answered); calls that ended (or are not the application's) are left alone.
  void play(CallId call, std::vector<media::Prompt> prompts, bool loop, bool barge_in, std::uint64_t play_id);
  void stop_playing(CallId call);
  // Records what the caller (for an originated call: the party that answered) says (mono WAV) for at most `max_length`,
  // and with `end_after_silence` until that long quiet after speech (on_recording_ended with reached_max).
  void record(CallId call, std::string path, std::chrono::milliseconds max_length,
              std::chrono::milliseconds end_after_silence = std::chrono::milliseconds(0));
  void stop_recording(CallId call);
  // Places a leg to `number` as one of our phones would dial it (an extension, or an
  // outside number with a trunk's prefix) and bridges it when it answers. Returns 0
  // while the leg is placed (on_connect_result follows), or at once the SIP status
  // saying why it cannot be: 404 unknown, 480 not registered, 491 already connecting.
  // `shown_as`, if given, is the number the callee sees instead of the call's caller
  // (a callback shows the customer the number they called, not their own).
  // `auto_answer` adds Call-Info: <sip:us>;answer-after=0 (phones that honour it
  // answer at once). `counted_for`: whom the OutboundGuard counts the leg for ("" =
  // "ivr"; an agent's extension for their click-to-dial).
  int connect(CallId call, const std::string& number, const std::string& shown_as = "", bool auto_answer = false,
              const std::string& counted_for = "");
  // Withdraws the leg connect() is ringing (CANCEL); no on_connect_result follows.
  void cancel_connect(CallId call);
  // BYE to every leg (CANCEL to a leg still ringing, an originated call's included).
  void hang_up(CallId call);
  // An application's call bridged by connect() (an agent talking to a customer):
  // isolate_caller() stops forwarding what the caller says to the other leg (and
  // the other leg's audio while a prompt plays to the caller: hold with music), and
  // back; release_connected() BYEs the connected leg, leaving the caller alone with
  // unicc; transfer_connected() places a leg to `number` as connect() does and only
  // then BYEs the connected one, so a number that cannot be reached (404, 480, 403
  // from the OutboundGuard, counted for the released party's extension) leaves the
  // call as it was; send_digits() plays the DTMF tones of `digits` to the caller.
  // The caller is the customer: on an originated call bridged by connect() (a
  // callback, a click-to-dial) that is the connected B leg, and there play, record
  // and the above act on B; the agent is its A leg: release_connected() ends it (the
  // customer stays until hand_over() gives them a party), transfer_connected() (501)
  // cannot place it again. The call keeps its first A leg's Call-ID as its name.
  void isolate_caller(CallId call, bool isolated);
  void release_connected(CallId call);
  int transfer_connected(CallId call, const std::string& number);
  void send_digits(CallId call, const std::string& digits);
  // Three-way: `host` (a connected call: caller and agent) and `guest` (a call
  // originate() placed, answered) meet in one mix in the media engine — each party
  // hears the others and not itself; without `with_caller`, only the agent and the
  // guest (a consult while the caller holds). The mix lives with the host call until
  // end_conference(); a guest that hangs up leaves it. False when either call is not
  // in a state for it.
  bool conference(CallId host, CallId guest, bool with_caller);
  void end_conference(CallId host);
  // A supervisor on a connected call: `supervisor` (a call originate() placed,
  // answered) hears the customer and the agent; in listen nobody hears them and the
  // call's own audio is not touched (its legs only tap the mix: no gap, no
  // re-encoding), in whisper the agent does, in barge everyone. Called again with
  // another mode it changes the mode. Works alongside a guest (conference above).
  // False when either call is not in a state for it or another supervisor is on it.
  bool monitor(CallId host, CallId supervisor, contact::MonitorMode mode);
  void end_monitor(CallId host);
  // Attended transfer: the host's agent leg (its callee; an originated call's A leg)
  // ends (BYE, unless gone already) and the guest's party takes its place, its media moved to the host's relay by a re-INVITE offering the
  // caller's codecs (then a re-INVITE takes a caller the agent's phone held off
  // hold). The guest is a call originate() placed (its party keeps its dialog), or an
  // answered call between phones whose callee moves and whose caller (the agent's
  // phone) gets a BYE; the guest call ends, its CDR saying "transferred".
  bool hand_over(CallId host, CallId guest);

  // sip::DialogHandler
  const sip::Dialog* dialog(std::string_view call_id) const override;
  void on_new_dialog(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Endpoint& from) override;
  void on_in_dialog(sip::ServerTransactionId tx, const sip::Message& request, const sip::Endpoint& from) override;
  void on_ack(const sip::Message& ack) override;
  void on_cancel(sip::ServerTransactionId invite) override;
  void on_stray_response(const sip::Message& response, const sip::Endpoint& from) override;
  void on_server_transaction_failed(sip::ServerTransactionId id) override;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::call
