#pragma once
// ivr actions — what the Executor asks its host (the call) to do. The host
// performs the actions of one batch in order and reports back with events
// (events.h) tagged with Executor::turn() as it was when the batch came out.
//
// Timers are the host's: after PlayPrompts ends (or at once if the batch plays
// nothing), CollectDigits starts a timer of first_digit_timeout_ms; each digit
// restarts it with inter_digit_timeout_ms; when it fires the host sends TimedOut.
// A new batch cancels the previous batch's playback and timers. With barge_in, a
// digit stops the playback at once (the digit is still sent as DigitReceived).
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "ivr/flow.h"

namespace unicc::ivr {

struct PlayPrompts {
  Prompts prompts;  // ${variable} already filled in
  bool barge_in = false;
};

struct CollectDigits {
  int max_digits = 1;
  std::string terminator;  // "" for none; the host need not act on it, the executor does
  int first_digit_timeout_ms = 5000;
  int inter_digit_timeout_ms = 0;  // 0: only the first digit counts (menus)
};

struct HttpRequest {
  std::string method;  // GET or POST
  std::string url;
  std::string body;    // JSON text for POST, "" for GET
  int timeout_ms = 3000;
};

// Hand the call to the ACD. `variables` go along with the call (screen pop).
struct Enqueue {
  std::string queue;
  int priority = 0;
  std::vector<std::string> skills;
  std::map<std::string, std::string> variables;
};

struct Transfer {
  std::string to;  // extension or external number
  std::map<std::string, std::string> variables;
};

struct Voicemail {
  std::string mailbox;
  int max_seconds = 120;
  Prompts greeting;  // played before the tone; may be empty
};

struct Hangup {};

using Action = std::variant<PlayPrompts, CollectDigits, HttpRequest, Enqueue, Transfer, Voicemail, Hangup>;

}  // namespace unicc::ivr
