#include "ivr/graph_check.h"

#include <algorithm>
#include <functional>
#include <map>

#include "ivr/json_source.h"

namespace unicc::ivr {
namespace {

// "rules[0].next" of node "n" -> "/nodes/n/rules/0/next".
std::string field_pointer(const std::string& node, const std::string& field) {
  std::string pointer = "/nodes/" + pointer_segment(node) + "/";
  for (char c : field) {
    if (c == '.' || c == '[') {
      pointer += '/';
    } else if (c != ']') {
      pointer += c;
    }
  }
  return pointer;
}

void report(std::vector<Problem>& problems, const std::string& node, const std::string& field,
            const std::string& message) {
  problems.push_back(Problem{node, field, message, field.empty() ? "/nodes/" + pointer_segment(node)
                                                                   : field_pointer(node, field),
                             0});
}

// Strongly connected components of the nodes that do not wait for input, over the
// exits between such nodes (Tarjan). Returns the components that contain a cycle.
std::vector<std::vector<std::string>> cycles_without_input(const Flow& flow) {
  std::map<std::string, int> index, low;
  std::vector<std::string> stack;
  std::map<std::string, bool> on_stack;
  std::vector<std::vector<std::string>> found;
  int counter = 0;
  auto successors = [&](const std::string& id) {
    std::vector<std::string> out;
    for (const auto& [field, target] : exits(flow.node(id).body)) {
      auto it = flow.nodes.find(target);
      if (it != flow.nodes.end() && !waits_for_input(it->second.body)) out.push_back(target);
    }
    return out;
  };
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    index[id] = low[id] = counter++;
    stack.push_back(id);
    on_stack[id] = true;
    bool self_loop = false;
    for (const auto& next : successors(id)) {
      self_loop = self_loop || next == id;
      if (!index.count(next)) {
        visit(next);
        low[id] = std::min(low[id], low[next]);
      } else if (on_stack[next]) {
        low[id] = std::min(low[id], index[next]);
      }
    }
    if (low[id] != index[id]) return;
    std::vector<std::string> component;
    std::string member;
    do {
      member = stack.back();
      stack.pop_back();
      on_stack[member] = false;
      component.push_back(member);
    } while (member != id);
    if (component.size() > 1 || self_loop) {
      std::sort(component.begin(), component.end());
      found.push_back(component);
    }
  };
  for (const auto& [id, node] : flow.nodes) {
    if (!waits_for_input(node.body) && !index.count(id)) visit(id);
  }
  return found;
}

}  // namespace

void check_graph(const Flow& flow, const std::set<std::string>& known_ids, std::vector<Problem>& problems) {
  for (const auto& [id, node] : flow.nodes) {
    for (const auto& [field, target] : exits(node.body)) {
      if (!known_ids.count(target)) report(problems, id, field, "no node '" + target + "'");
    }
  }
  if (!flow.start.empty() && known_ids.count(flow.start)) {
    std::set<std::string> reached;
    std::vector<std::string> pending = {flow.start};
    while (!pending.empty()) {
      std::string id = pending.back();
      pending.pop_back();
      if (!reached.insert(id).second) continue;
      auto it = flow.nodes.find(id);
      if (it == flow.nodes.end()) continue;
      for (const auto& [field, target] : exits(it->second.body)) pending.push_back(target);
    }
    for (const auto& id : known_ids) {
      if (!reached.count(id)) report(problems, id, "", "unreachable from the start node '" + flow.start + "'");
    }
  }
  for (const auto& cycle : cycles_without_input(flow)) {
    std::string members;
    for (const auto& id : cycle) members += (members.empty() ? "" : ", ") + id;
    const std::string& first = cycle.front();
    std::string field;
    for (const auto& [exit_field, target] : exits(flow.node(first).body)) {
      if (field.empty() && std::binary_search(cycle.begin(), cycle.end(), target)) field = exit_field;
    }
    report(problems, first, field, "loop that never waits for caller input (" + members + ")");
  }
}

}  // namespace unicc::ivr
