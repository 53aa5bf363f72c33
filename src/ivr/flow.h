#pragma once
// ivr::Flow — one call flow (IVR) as the executor runs it: a start node and a map of
// nodes by id, each of one type with its own fields and exits (ids of other nodes).
//
// A Flow is only ever made by ivr::check_flow (check.h) from a JSON document that
// passed validation: every exit names an existing node, every node is reachable, no
// cycle runs without waiting for the caller, time zones are loaded. Executors share
// it immutably (std::shared_ptr<const Flow>), so a call keeps the version it started
// with while newer versions are published. docs/ivr.md describes the document.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <cctz/time_zone.h>

#include "calendar/calendar.h"
#include "contact/prompt.h"
#include "ivr/digit_pattern.h"

namespace unicc::ivr {

// One prompt: a sound file, or text read by TTS in `language` with `voice`
// (contact/prompt.h). Text may contain ${variable} references, filled in when played.
using Prompt = contact::Prompt;
using Prompts = contact::Prompts;

struct PlayNode {
  Prompts prompt;
  bool barge_in = false;  // a digit ends the prompt and is kept for the next menu/collect
  std::string next;
};

struct MenuNode {
  Prompts prompt;
  Prompts invalid_prompt;  // before the prompt is repeated after a wrong digit
  Prompts timeout_prompt;  // before the prompt is repeated after no digit
  std::map<char, std::string> options;  // digit -> node
  int timeout_ms = 5000;
  int retries = 2;  // repeats after the first try, for wrong digits and timeouts together
  std::string on_failure;
};

struct CollectNode {
  Prompts prompt;
  Prompts invalid_prompt;
  Prompts timeout_prompt;
  std::string variable;
  int min_digits = 1;
  int max_digits = 20;
  std::string terminator = "#";  // "" for none
  std::optional<DigitPattern> pattern;
  int timeout_ms = 5000;             // to the first digit
  int inter_digit_timeout_ms = 3000;  // between digits; ends the input
  int retries = 2;
  std::string next;
  std::string on_failure;
};

struct SetNode {
  std::map<std::string, std::string> variables;  // values may use ${variable}
  std::string next;
};

// What a condition rule looks at: a variable, or the local time, weekday or date.
enum class Subject { variable, time, weekday, date };
enum class Op { equals, not_equals, prefix, matches, in, empty, not_empty, less_than, greater_than, between };

struct Rule {
  Subject subject = Subject::variable;
  std::string variable;               // for Subject::variable
  Op op = Op::equals;
  std::vector<std::string> values;    // one for most ops, several for in, two for between
  std::optional<DigitPattern> pattern;  // for matches
  std::string next;
};

struct ConditionNode {
  std::vector<Rule> rules;  // the first rule that holds decides
  std::string otherwise;    // the "else" exit
};

// Open, closed or holiday: by a shared calendar named in the document (looked up at
// each decision, so a change applies to the next call), or by the node's own
// time zone, hours and holidays (closed all day), held as an unnamed calendar.
struct ScheduleNode {
  std::string calendar;                    // a shared calendar's name; "" = `own`
  ::unicc::calendar::Calendar own;         // the inline time zone, hours and holidays
  std::string open;
  std::string closed;
  std::string holiday;  // the holiday exit; closed when the document has none
};

struct HttpNode {
  std::string method = "GET";  // GET or POST
  std::string url;             // may use ${variable}
  std::map<std::string, std::string> body;  // POST: a JSON object of strings, ${variable} filled in
  int timeout_ms = 3000;
  std::map<std::string, std::string> assign;  // variable <- JSON pointer into the response
  std::string next;
  std::string on_error;
};

// A skill a queued call needs: "name" or "name:level" (a skill name is 1-64 letters,
// digits, '_', '-' or '.'; the level 1-10, 1 when not given). nullopt otherwise.
struct SkillNeed {
  std::string skill;
  int level = 1;
};
std::optional<SkillNeed> parse_skill_need(const std::string& text);

struct QueueNode {
  std::string queue;
  std::string priority = "0";  // a number, or ${variable}
  std::vector<std::string> skills;  // SkillNeed texts; may use ${variable}
  std::string on_failure;  // "" = hang up when the call cannot be queued
};

struct TransferNode {
  std::string to;  // extension or external number, may use ${variable}
  std::string on_failure;
};

struct VoicemailNode {
  std::string mailbox;
  int max_seconds = 120;
  Prompts prompt;  // optional greeting before the tone
};

struct HangupNode {};

using NodeBody = std::variant<PlayNode, MenuNode, CollectNode, SetNode, ConditionNode, ScheduleNode, HttpNode,
                              QueueNode, TransferNode, VoicemailNode, HangupNode>;

struct Node {
  std::string id;
  NodeBody body;
};

struct Flow {
  std::string name;
  std::int64_t version = 0;  // set by the store; 0 for a draft or a file
  std::string description;
  std::vector<std::string> dids;  // numbers this flow answers
  std::string start;
  cctz::time_zone zone;  // for time conditions
  std::string zone_name = "UTC";
  std::map<std::string, std::string> variables;  // initial values
  std::map<std::string, Node> nodes;

  const Node& node(const std::string& id) const { return nodes.at(id); }
};

// The type name used in documents ("play", "menu", ...).
const char* type_name(const NodeBody& body);

// Every exit of a node as (field, target) pairs, e.g. ("options.1", "sales").
std::vector<std::pair<std::string, std::string>> exits(const NodeBody& body);

// True for nodes that wait for the caller's digits (menu, collect).
bool waits_for_input(const NodeBody& body);

}  // namespace unicc::ivr
