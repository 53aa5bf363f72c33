#pragma once
// ivr node parsing — one node object of a flow document into its typed NodeBody,
// reporting every field problem (unknown type, missing or mistyped field, value out
// of range, missing prompt) against the node's id. Whether exits lead anywhere is
// the graph check's business (graph_check.h).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ivr/flow.h"
#include "ivr/problem.h"

namespace unicc::ivr {

// nullopt when the node has no known type; other problems still give a body.
std::optional<NodeBody> parse_node(const nlohmann::json& node, const std::string& id, const std::string& pointer,
                                   std::vector<Problem>& problems);

}  // namespace unicc::ivr
