#include "ivr/trace.h"

#include <nlohmann/json.hpp>

namespace unicc::ivr {

const char* exit_name(TraceExit exit) {
  switch (exit) {
    case TraceExit::running: return "running";
    case TraceExit::caller_hung_up: return "caller_hung_up";
    case TraceExit::transferred: return "transferred";
    case TraceExit::queued: return "queued";
    case TraceExit::voicemail: return "voicemail";
    case TraceExit::hangup_node: return "hangup_node";
    case TraceExit::failed: return "failed";
  }
  return "running";
}

nlohmann::json to_json(const Trace& trace) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : trace.steps) {
    steps.push_back({{"node", step.node},
                     {"type", step.type},
                     {"entered_at", step.entered_at},
                     {"left_at", step.left_at},
                     {"ms", step.left_at > 0 ? step.left_at - step.entered_at : 0},
                     {"digits", step.digits},
                     {"exit", step.exit},
                     {"note", step.note}});
  }
  return {{"flow", trace.flow},
          {"version", trace.version},
          {"caller", trace.caller},
          {"did", trace.did},
          {"started_at", trace.started_at},
          {"ended_at", trace.ended_at},
          {"exit", exit_name(trace.exit)},
          {"exit_target", trace.exit_target},
          {"steps", steps}};
}

}  // namespace unicc::ivr
