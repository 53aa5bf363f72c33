#pragma once
// ivr::PathCounts — how many calls took each exit of each node of a flow, from the
// IVR traces of the calls' CDRs (ivr/trace.h): what the designer draws on its arrows
// so an administrator sees where callers go and where they drop out.
//
// A call is counted once per node it entered and once per exit it took there (a
// menu repeated after a wrong key is one entry); a call whose caller hung up in a
// node counts as `hung_up` there. Exits are named as the flow document's fields
// ("next", "options.1", "rules[0].next", "on_failure"), so they match the drawing.
// A trace's earlier flows (`previous`, after a queue overflowed to another flow)
// count for their own flow. The designer's test calls (a draft: version 0) do not count.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace unicc::ivr {

struct NodeCounts {
  std::int64_t entered = 0;
  std::int64_t hung_up = 0;
  std::map<std::string, std::int64_t> exits;
};

struct PathCounts {
  std::int64_t calls = 0;                     // calls that went through the flow
  std::map<std::string, NodeCounts> nodes;    // by node id
  std::map<std::string, std::int64_t> ended;  // how the flow's part ended: "queued", "caller_hung_up", ...

  // Counts one CDR's trace (its JSON text; "" or anything unreadable is skipped).
  void add(const std::string& flow, const std::string& trace_json);
};

nlohmann::json to_json(const PathCounts& counts);

}  // namespace unicc::ivr
