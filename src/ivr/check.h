#pragma once
// ivr::check_flow — the one way to get a Flow: parse a flow document and validate
// it completely. Either `flow` is set and `problems` is empty, or `flow` is null
// and `problems` lists everything found (field problems per node, then dangling
// exits, unreachable nodes and loops without input), each naming node and field.
// From text, problems also carry their line; a JSON syntax error is one problem
// with the line where parsing stopped.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ivr/flow.h"
#include "ivr/problem.h"

namespace unicc::ivr {

struct FlowCheck {
  std::shared_ptr<const Flow> flow;
  std::vector<Problem> problems;
  bool ok() const { return flow != nullptr; }
};

inline constexpr std::size_t kMaxNodes = 500;

FlowCheck check_flow(std::string_view text);
FlowCheck check_flow_document(const nlohmann::json& document);

// The schedule nodes of a checked `flow` that name a calendar `exists` does not know,
// as problems (field "calendar") with their lines in `text`, the flow's document.
// Publishing refuses them; check_flow cannot know the server's calendars.
std::vector<Problem> check_calendars(const Flow& flow, std::string_view text,
                                     const std::function<bool(const std::string& name)>& exists);

}  // namespace unicc::ivr
