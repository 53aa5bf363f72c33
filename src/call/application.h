#pragma once
// call::CallApplication — what drives a call that unicc answers itself: the IVR, and
// through it the queue. The B2BUA asks the application first whether it takes a
// dialled number; if it does, the B2BUA answers the caller at once (200 OK with
// unicc's own SDP) and from then on reports the call's events here, while the
// application acts on the call through B2bua's control methods (play, record,
// connect, hang_up). connect() places a second leg; once it answers, the two are
// bridged like any other call and the prompts stop.
//
// The application may also have unicc place a call itself (B2bua::originate): once
// the called party answers, that call is the application's exactly like a call it
// answered (on_answered with Origin::kOriginated), and connect() brings in a third
// party. A call that does not answer ends with on_originate_failed, then on_ended.
//
// Every method runs on the SIP thread, the B2BUA's own; an application that works
// elsewhere posts. `call` is the B2BUA's id of the call, stable for its life.
#include <chrono>
#include <cstdint>
#include <string>

#include "call/cdr.h"

namespace unicc::call {

using CallId = std::uint64_t;

struct AnsweredCall {
  // Who started the call: a caller that dialled a number the application takes, or
  // unicc itself (originate), in which case the party on the line is the one dialled.
  enum class Origin { kIncoming, kOriginated };

  CallId id = 0;
  std::string call_id;  // the A leg's SIP Call-ID: the caller's, or the one unicc made
  std::string caller;   // for an originated call: the caller originate() was given
  std::string caller_name;
  std::string dialled;
  std::string trunk;  // "" for a call from (or, originated, to) one of our phones
  Origin origin = Origin::kIncoming;
};

class CallApplication {
 public:
  virtual ~CallApplication() = default;

  // Whether the application answers calls to `dialled` (a DID or a number a phone
  // dialled); asked before the number plan.
  virtual bool takes(const std::string& dialled) const = 0;
  // For a number it takes: a SIP status (403, 404...) refusing this caller's call
  // before it is answered, or 0 to answer it. `trunk` is "" for our own phones.
  virtual int refusal(const std::string& /*dialled*/, const std::string& /*caller*/,
                      const std::string& /*trunk*/) const {
    return 0;
  }

  virtual void on_answered(const AnsweredCall& call) = 0;
  virtual void on_dtmf(CallId call, char digit) = 0;
  // A play() that does not loop finished (not after stop_playing or a newer play).
  virtual void on_play_finished(CallId call, std::uint64_t play_id) = 0;
  virtual void on_recording_ended(CallId call, std::chrono::milliseconds length, bool reached_max) = 0;
  // The leg placed by connect() answered and is bridged (`answered`), or failed with
  // the SIP status `code` (486 busy, 480 no answer or unregistered, 404 unknown...).
  // After a failure the call is back with the application, still answered.
  virtual void on_connect_result(CallId call, bool answered, int code) = 0;
  // A call placed by originate() did not answer: `code` is the SIP status saying why
  // (486 busy, 480 no answer or ring timeout, 404, 408 no response, 503 shutdown...).
  // on_ended follows at once with its CDR. Not called after hang_up() while it rang.
  virtual void on_originate_failed(CallId call, int code) = 0;
  // The agent's phone on a call the application bridged asked to transfer the
  // customer to `to` (a REFER, RFC 3515): 0 once the transfer is under way (the
  // agent's leg then ends: release_connected or transfer_connected), else the SIP
  // status saying why not (403 not allowed now or refused, 404, 480). With
  // `replacing`, an attended transfer: the phone called `to` itself (that call, which
  // hand_over(call, replacing) gives the customer), and the REFER asks to join them.
  virtual int on_refer(CallId call, const std::string& to, CallId replacing) = 0;
  // The call ended (either side hung up, or hang_up()); the last word is the
  // application's: it may add to the CDR before it is written.
  virtual void on_ended(CallId call, Cdr& cdr) = 0;
};

}  // namespace unicc::call
