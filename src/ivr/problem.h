#pragma once
// ivr::Problem — one thing wrong with a flow document, named the way a person fixes
// it: the node id, the field within the node ("options.1", "rules[0].next"; empty
// for the whole node), what is wrong, and where it is (JSON pointer, and the line
// when the document came as text). Document-level problems have an empty node.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace unicc::ivr {

struct Problem {
  std::string node;
  std::string field;
  std::string message;
  std::string pointer;
  int line = 0;  // 1-based; 0 when unknown
};

// {"node","field","message","pointer"[,"line"]}
nlohmann::json to_json(const Problem& problem);

}  // namespace unicc::ivr
