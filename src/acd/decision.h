#pragma once
// acd decisions — what the Router asks the host to do, as plain values.
//
// The router never touches a call itself: it returns decisions and the host carries
// them out, then reports back (Router::answered, offer_failed, end_call). A decision
// about a call the host has meanwhile ended may be ignored.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "acd/config.h"

namespace unicc::acd {

// Ring `agent` with `call`. With ring-all several offers of the same call are out at
// once; the first agent to answer takes it and the others get StopRinging.
struct OfferCall {
  CallId call = 0;
  AgentId agent = 0;
  QueueId queue = 0;  // the queue whose agent this is (its wrap-up and ring time apply)
};

// A caller who asked to be called back has reached the front: `agent` is reserved
// for it. Ring the agent, call `number`, bridge; report like an OfferCall.
struct CallBack {
  CallId call = 0;
  AgentId agent = 0;
  QueueId queue = 0;
  std::string number;
};

// Stop ringing `agent` for `call` (ring timeout, another agent answered, caller left).
struct StopRinging {
  CallId call = 0;
  AgentId agent = 0;
};

enum class OverflowReason : std::uint8_t { kMaxWait, kQueueFull, kNoAgents };

// The call leaves `from` for `target`. A kQueue target is already done: the call now
// waits there (play that queue's music). Any other target: the call has left the
// router; send it to the IVR flow, voicemail box or number.
struct Overflow {
  CallId call = 0;
  QueueId from = 0;
  OverflowTarget target;
  OverflowReason reason = OverflowReason::kMaxWait;
};

// Tell the caller where they stand. `wait` is absent when no agent is working.
struct Announce {
  CallId call = 0;
  QueueId queue = 0;
  std::size_t position = 0;  // 1 = next
  std::optional<std::chrono::seconds> wait;
};

using Decision = std::variant<OfferCall, CallBack, StopRinging, Overflow, Announce>;

}  // namespace unicc::acd
