#pragma once
// acd observer — how the host learns what happened, for logs, reports and wallboards.
//
// Called synchronously from inside Router commands, on the router's thread, in the
// order things happen; an implementation must be quick (queue the record for a
// writer) and must not call back into the Router.
#include <cstdint>
#include <optional>

#include "acd/agent_state.h"
#include "acd/config.h"

namespace unicc::acd {

enum class CallEventKind : std::uint8_t {
  kQueued,             // entered a queue (also after an overflow to a queue)
  kOffered,            // rang an agent
  kAnswered,           // an agent answered; waited_ms is the time to answer
  kReturned,           // no answer: back at the head of its queue
  kCallbackRequested,  // the caller hung up keeping their place
  kOverflowed,         // left the queue for its overflow target
  kAbandoned,          // ended before an agent answered
  kCompleted,          // an answered call ended
};

struct CallEvent {
  CallEventKind kind = CallEventKind::kQueued;
  CallId call = 0;
  QueueId queue = 0;
  std::optional<AgentId> agent;
  std::int64_t at_ms = 0;      // wall clock, ms since the Unix epoch
  std::int64_t waited_ms = 0;  // since the call first entered the router
  // kOverflowed: the queue could not take the call (full, or no agent logged in), as
  // against a wait that ran out.
  bool busy = false;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_agent_state(const AgentStateRecord& record) = 0;
  virtual void on_call_event(const CallEvent& event) = 0;
};

}  // namespace unicc::acd
