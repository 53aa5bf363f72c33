#include "ivr/path_counts.h"

#include <set>

#include <nlohmann/json.hpp>

namespace unicc::ivr {
namespace {

// The executor names a condition's rule "rules[0]"; the document's field is "rules[0].next".
std::string document_exit(const std::string& exit) {
  if (exit.starts_with("rules[") && exit.ends_with("]")) return exit + ".next";
  return exit;
}

void count_trace(PathCounts& counts, const std::string& flow, const nlohmann::json& trace, int depth) {
  // `previous` nests once per overflow to another flow; a trace is ours, so a few suffice.
  if (!trace.is_object() || depth > 16) return;
  if (auto previous = trace.find("previous"); previous != trace.end()) count_trace(counts, flow, *previous, depth + 1);
  if (trace.value("flow", std::string()) != flow) return;
  if (trace.value("version", std::int64_t{0}) == 0) return;  // a draft's test call, not a caller
  const auto steps = trace.find("steps");
  if (steps == trace.end() || !steps->is_array()) return;
  ++counts.calls;
  const std::string ended = trace.value("exit", std::string());
  if (!ended.empty()) ++counts.ended[ended];
  std::set<std::pair<std::string, std::string>> taken;
  std::set<std::string> entered;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const auto& step = (*steps)[i];
    if (!step.is_object()) continue;
    const std::string node = step.value("node", std::string());
    if (node.empty()) continue;
    NodeCounts& counted = counts.nodes[node];
    if (entered.insert(node).second) ++counted.entered;
    const bool last = i + 1 == steps->size();
    if (last && ended == "caller_hung_up" && step.value("note", std::string()) == "caller hung up") {
      ++counted.hung_up;
      continue;
    }
    const std::string exit = document_exit(step.value("exit", std::string()));
    if (!exit.empty() && taken.emplace(node, exit).second) ++counted.exits[exit];
  }
}

}  // namespace

void PathCounts::add(const std::string& flow, const std::string& trace_json) {
  if (trace_json.empty()) return;
  const auto trace = nlohmann::json::parse(trace_json, nullptr, /*allow_exceptions=*/false);
  count_trace(*this, flow, trace, 0);
}

nlohmann::json to_json(const PathCounts& counts) {
  nlohmann::json nodes = nlohmann::json::object();
  for (const auto& [id, node] : counts.nodes) {
    nodes[id] = {{"entered", node.entered}, {"hung_up", node.hung_up}, {"exits", node.exits}};
  }
  return {{"calls", counts.calls}, {"nodes", nodes}, {"ended", counts.ended}};
}

}  // namespace unicc::ivr
