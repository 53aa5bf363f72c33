#pragma once
// ivr::Trace — what happened to one call in the IVR, for its CDR and for reports:
// the path of nodes with the digits entered and the time spent in each, the exit
// taken from each node, and how the IVR part of the call ended.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace unicc::ivr {

enum class TraceExit {
  running,         // still in the IVR
  caller_hung_up,
  transferred,
  queued,
  voicemail,
  hangup_node,     // the flow hung up
  failed,          // a queue or transfer failed and the node had no on_failure
};

const char* exit_name(TraceExit exit);

struct TraceStep {
  std::string node;
  std::string type;
  std::int64_t entered_at = 0;  // ms since epoch
  std::int64_t left_at = 0;     // 0 while in the node
  std::string digits;           // every key pressed in the node, as pressed
  std::string exit;             // the field of the exit taken ("options.1", "next", "closed", ...)
  std::string note;             // why, when not obvious: "invalid", "timeout", "HTTP 503", "holiday"...
};

struct Trace {
  std::string flow;
  std::int64_t version = 0;
  std::string caller;
  std::string did;
  std::int64_t started_at = 0;
  std::int64_t ended_at = 0;  // when the IVR part ended; 0 while running
  std::vector<TraceStep> steps;
  TraceExit exit = TraceExit::running;
  std::string exit_target;  // the queue, the transfer number or the mailbox
};

// {"flow","version","caller","did","started_at","ended_at","exit","exit_target",
//  "steps":[{"node","type","entered_at","left_at","ms","digits","exit","note"}]}
nlohmann::json to_json(const Trace& trace);

}  // namespace unicc::ivr
