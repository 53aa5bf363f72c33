#pragma once
// ivr events — what the host tells the Executor. Events that answer a batch of
// actions carry the turn that batch had; the executor ignores answers to an older
// turn (a prompt that finished after the caller barged in, a late timer).
#include <string>
#include <variant>

namespace unicc::ivr {

struct PromptFinished {
  int turn = 0;
};

// A DTMF key: 0-9, *, #. Digits need no turn: they always go to the current node.
struct DigitReceived {
  char digit = 0;
};

// The digit timer of CollectDigits, or the HttpRequest's timeout, ran out.
struct TimedOut {
  int turn = 0;
};

struct HttpResult {
  int turn = 0;
  int status = 0;     // HTTP status; 0 when the request failed
  std::string body;
  std::string error;  // why it failed ("timeout", "connection refused"); "" when it got an answer
};

// Enqueue or Transfer could not be done (queue closed or full, target busy...).
struct ActionFailed {
  int turn = 0;
  std::string reason;
};

struct CallerHungUp {};

using Event = std::variant<PromptFinished, DigitReceived, TimedOut, HttpResult, ActionFailed, CallerHungUp>;

}  // namespace unicc::ivr
