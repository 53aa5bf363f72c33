#include "ivr/check.h"

#include <algorithm>
#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "ivr/field_reader.h"
#include "ivr/graph_check.h"
#include "ivr/json_source.h"
#include "ivr/local_time.h"
#include "ivr/node_parser.h"

namespace unicc::ivr {
namespace {

void read_header(FieldReader& in, Flow& flow) {
  in.allow_only({"name", "description", "dids", "start", "time_zone", "variables", "nodes"});
  flow.name = in.string("name", Need::required, "", 64);
  if (!flow.name.empty() && !valid_id(flow.name)) {
    in.report("name", "use 1-64 letters, digits, '_' or '-'");
  }
  flow.description = in.string("description", Need::optional, "", 1024);
  flow.dids = in.strings("dids", Need::optional);
  for (const auto& did : flow.dids) {
    if (did.size() > 32 || !core::is_dial_string(did)) {
      in.report("dids", "'" + did + "' is not a phone number");
    }
  }
  flow.start = in.exit("start", Need::required);
  flow.zone_name = in.string("time_zone", Need::optional, "UTC", 64);
  if (!load_zone(flow.zone_name, flow.zone)) {
    in.report("time_zone", "unknown time zone '" + flow.zone_name + "' (use IANA names like Asia/Shanghai)");
  }
  flow.variables = in.string_map("variables", Need::optional);
  for (const auto& [name, value] : flow.variables) in.check_variable_name("variables." + name, name);
}

// Parses the nodes; `known_ids` gets every node id, also of nodes that failed to parse.
void read_nodes(const nlohmann::json& document, Flow& flow, std::set<std::string>& known_ids,
                std::vector<Problem>& problems) {
  FieldReader in(document, "", "", "", problems);
  const auto* nodes = in.get("nodes");
  if (!nodes) return in.report("nodes", "missing");
  if (!nodes->is_object() || nodes->empty()) return in.report("nodes", "expected a non-empty object of nodes by id");
  if (nodes->size() > kMaxNodes) return in.report("nodes", "more than " + std::to_string(kMaxNodes) + " nodes");
  for (const auto& [id, value] : nodes->items()) {
    std::string pointer = "/nodes/" + pointer_segment(id);
    if (!valid_id(id)) {
      problems.push_back(Problem{id, "", "node ids are 1-64 letters, digits, '_' or '-'", pointer, 0});
      continue;
    }
    known_ids.insert(id);
    if (auto body = parse_node(value, id, pointer, problems)) flow.nodes.emplace(id, Node{id, std::move(*body)});
  }
}

// A problem at `pointer`, naming the node and field it points into ("/nodes/a/prompt").
Problem problem_at(const std::string& pointer, const std::string& message) {
  Problem problem{"", "", message, pointer, 0};
  std::string path = pointer.substr(1);
  if (path.rfind("nodes/", 0) == 0) {
    path.erase(0, 6);
    auto slash = path.find('/');
    problem.node = path.substr(0, slash);
    path = slash == std::string::npos ? "" : path.substr(slash + 1);
  }
  std::replace(path.begin(), path.end(), '/', '.');
  problem.field = path;
  return problem;
}

FlowCheck check(const nlohmann::json& document, const JsonSource* source) {
  FlowCheck result;
  auto flow = std::make_shared<Flow>();
  if (document.is_object()) {
    FieldReader header(document, "", "", "", result.problems);
    read_header(header, *flow);
    std::set<std::string> known_ids;
    read_nodes(document, *flow, known_ids, result.problems);
    if (!flow->start.empty() && !known_ids.empty() && !known_ids.count(flow->start)) {
      header.report("start", "no node '" + flow->start + "'");
    }
    check_graph(*flow, known_ids, result.problems);
  } else {
    result.problems.push_back(Problem{"", "", "a flow document is a JSON object", "", 0});
  }
  if (source) {
    for (const auto& pointer : source->duplicate_keys) {
      result.problems.push_back(problem_at(pointer, "key given twice (the last one counts)"));
    }
    for (auto& problem : result.problems) problem.line = source->line_of(problem.pointer);
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
  }
  if (result.problems.empty()) result.flow = std::move(flow);
  return result;
}

}  // namespace

FlowCheck check_flow(std::string_view text) {
  try {
    JsonSource source = parse_json_source(text);
    return check(source.value, &source);
  } catch (const JsonSyntaxError& error) {
    FlowCheck result;
    result.problems.push_back(Problem{"", "", error.what(), "", error.line()});
    return result;
  }
}

FlowCheck check_flow_document(const nlohmann::json& document) { return check(document, nullptr); }

std::vector<Problem> check_calendars(const Flow& flow, std::string_view text,
                                     const std::function<bool(const std::string& name)>& exists) {
  std::vector<Problem> problems;
  std::optional<JsonSource> source;
  for (const auto& [id, node] : flow.nodes) {
    const auto* schedule = std::get_if<ScheduleNode>(&node.body);
    if (!schedule || schedule->calendar.empty() || exists(schedule->calendar)) continue;
    if (!source) {
      try {
        source = parse_json_source(text);
      } catch (const JsonSyntaxError&) {
        source = JsonSource{};
      }
    }
    const std::string pointer = "/nodes/" + pointer_segment(id) + "/calendar";
    problems.push_back(Problem{id, "calendar", "no calendar is named '" + schedule->calendar + "'", pointer,
                               source->line_of(pointer)});
  }
  return problems;
}

}  // namespace unicc::ivr
