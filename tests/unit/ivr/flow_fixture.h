#pragma once
// Helpers for IVR tests: a Flow from a JSON document (failing the test when it does
// not validate) and typed access to the actions an Executor returned.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ivr/actions.h"
#include "ivr/check.h"

namespace unicc::ivr::testing {

inline std::shared_ptr<const Flow> make_flow(const nlohmann::json& document) {
  auto check = check_flow_document(document);
  std::string problems;
  for (const auto& problem : check.problems) problems += problem.node + " " + problem.field + ": " + problem.message + "\n";
  EXPECT_TRUE(check.ok()) << problems;
  return check.flow;
}

// The action at `index`, which must be of type T.
template <class T>
const T& action(const std::vector<Action>& actions, std::size_t index) {
  static const T none{};
  if (index >= actions.size()) {
    ADD_FAILURE() << "only " << actions.size() << " action(s), wanted #" << index;
    return none;
  }
  const T* typed = std::get_if<T>(&actions[index]);
  if (!typed) {
    ADD_FAILURE() << "action #" << index << " has another type (variant index " << actions[index].index() << ")";
    return none;
  }
  return *typed;
}

// The texts of the prompts of a PlayPrompts action.
inline std::vector<std::string> texts(const PlayPrompts& play) {
  std::vector<std::string> out;
  for (const auto& prompt : play.prompts) out.push_back(prompt.text.empty() ? prompt.file : prompt.text);
  return out;
}

}  // namespace unicc::ivr::testing
