#pragma once
// ivr graph check — the problems a flow has as a graph, once its nodes parsed:
// exits naming no node (dangling), nodes the start cannot reach, and cycles that
// can run without waiting for the caller (every node on them is neither a menu nor
// a collect), which would spin or replay prompts forever.
#include <set>
#include <string>
#include <vector>

#include "ivr/flow.h"
#include "ivr/problem.h"

namespace unicc::ivr {

// Nodes whose body failed to parse are absent from `flow.nodes` but listed in
// `known_ids`, so exits to them are not reported as dangling.
void check_graph(const Flow& flow, const std::set<std::string>& known_ids, std::vector<Problem>& problems);

}  // namespace unicc::ivr
