#pragma once
// call::CallApplication — what drives a call that unicc answers itself: the IVR, and
// through it the queue. The B2BUA asks the application first whether it takes a
// dialled number; if it does, the B2BUA answers the caller at once (200 OK with
// unicc's own SDP) and from then on reports the call's events here, while the
// application acts on the call through B2bua's control methods (play, record,
// connect, hang_up). connect() places a second leg; once it answers, the two are
// bridged like any other call and the prompts stop.
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
  CallId id = 0;
  std::string call_id;  // the caller's SIP Call-ID
  std::string caller;
  std::string caller_name;
  std::string dialled;
  std::string trunk;  // "" for a call from one of our phones
};

class CallApplication {
 public:
  virtual ~CallApplication() = default;

  // Whether the application answers calls to `dialled` (a DID or a number a phone
  // dialled); asked before the number plan.
  virtual bool takes(const std::string& dialled) const = 0;

  virtual void on_answered(const AnsweredCall& call) = 0;
  virtual void on_dtmf(CallId call, char digit) = 0;
  // A play() that does not loop finished (not after stop_playing or a newer play).
  virtual void on_play_finished(CallId call, std::uint64_t play_id) = 0;
  virtual void on_recording_ended(CallId call, std::chrono::milliseconds length, bool reached_max) = 0;
  // The leg placed by connect() answered and is bridged (`answered`), or failed with
  // the SIP status `code` (486 busy, 480 no answer or unregistered, 404 unknown...).
  // After a failure the call is back with the application, still answered.
  virtual void on_connect_result(CallId call, bool answered, int code) = 0;
  // The call ended (either side hung up, or hang_up()); the last word is the
  // application's: it may add to the CDR before it is written.
  virtual void on_ended(CallId call, Cdr& cdr) = 0;
};

}  // namespace unicc::call
