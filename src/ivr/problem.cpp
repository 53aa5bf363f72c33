#include "ivr/problem.h"

#include <nlohmann/json.hpp>

namespace unicc::ivr {

nlohmann::json to_json(const Problem& problem) {
  nlohmann::json out = {{"node", problem.node},
                        {"field", problem.field},
                        {"message", problem.message},
                        {"pointer", problem.pointer}};
  if (problem.line > 0) out["line"] = problem.line;
  return out;
}

}  // namespace unicc::ivr
