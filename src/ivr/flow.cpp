#include "ivr/flow.h"

#include "ivr/field_reader.h"
#include "ivr/overloaded.h"

namespace unicc::ivr {

std::optional<SkillNeed> parse_skill_need(const std::string& text) {
  const auto colon = text.find(':');
  SkillNeed need{text.substr(0, colon), 1};
  if (!valid_plain_name(need.skill)) return std::nullopt;
  if (colon == std::string::npos) return need;
  const std::string level = text.substr(colon + 1);
  if (level == "10") {
    need.level = 10;
  } else if (level.size() == 1 && level[0] >= '1' && level[0] <= '9') {
    need.level = level[0] - '0';
  } else {
    return std::nullopt;
  }
  return need;
}

namespace {

using Exits = std::vector<std::pair<std::string, std::string>>;

void add(Exits& out, const char* field, const std::string& target) {
  if (!target.empty()) out.emplace_back(field, target);
}

}  // namespace

const char* type_name(const NodeBody& body) {
  static const char* const names[] = {"play",     "menu",  "collect", "set",      "condition", "schedule",
                                      "http",     "queue", "transfer", "voicemail", "hangup"};
  return names[body.index()];
}

std::vector<std::pair<std::string, std::string>> exits(const NodeBody& body) {
  Exits out;
  std::visit(Overloaded{
                 [&](const PlayNode& n) { add(out, "next", n.next); },
                 [&](const MenuNode& n) {
                   for (const auto& [digit, target] : n.options) out.emplace_back(std::string("options.") + digit, target);
                   add(out, "on_failure", n.on_failure);
                 },
                 [&](const CollectNode& n) {
                   add(out, "next", n.next);
                   add(out, "on_failure", n.on_failure);
                 },
                 [&](const SetNode& n) { add(out, "next", n.next); },
                 [&](const ConditionNode& n) {
                   for (std::size_t i = 0; i < n.rules.size(); ++i) {
                     if (!n.rules[i].next.empty()) out.emplace_back("rules[" + std::to_string(i) + "].next", n.rules[i].next);
                   }
                   add(out, "else", n.otherwise);
                 },
                 [&](const ScheduleNode& n) {
                   add(out, "open", n.open);
                   add(out, "closed", n.closed);
                   add(out, "holiday", n.holiday);
                 },
                 [&](const HttpNode& n) {
                   add(out, "next", n.next);
                   add(out, "on_error", n.on_error);
                 },
                 [&](const QueueNode& n) { add(out, "on_failure", n.on_failure); },
                 [&](const TransferNode& n) { add(out, "on_failure", n.on_failure); },
                 [&](const VoicemailNode&) {},
                 [&](const HangupNode&) {},
             },
             body);
  return out;
}

bool waits_for_input(const NodeBody& body) {
  return std::holds_alternative<MenuNode>(body) || std::holds_alternative<CollectNode>(body);
}

}  // namespace unicc::ivr
