#include "acd/store/config_tables.h"

#include <algorithm>
#include <sstream>

#include "acd/config.h"

namespace unicc::acd_store {
namespace {

using core::key;
using core::key_with;
using S = std::string;

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> out;
  for (const auto& [name, strategy] : acd::kStrategyNames) out.emplace_back(name);
  return out;
}

std::vector<core::KeyRule<QueueRecord>> queue_rules() {
  return {
      key_with<QueueRecord, S>(
          "queue[].name", "", core::not_empty(),
          // Agents name the queues they serve.
          [](QueueRecord& queue, const S& name) {
            queue.name = name;
            queue.groups = {name};
          },
          "The queue's name, as flows' queue nodes name it (required)."),
      key("queue[].ring", &QueueRecord::ring, core::digits(true),
          "An extension the queue's calls ring instead of being routed to agents; empty = the "
          "agents that serve the queue."),
      key("queue[].strategy", &QueueRecord::strategy, core::one_of(strategy_names()),
          "How the queue picks among its ready agents (docs/acd.md)."),
      key("queue[].ring_timeout_s", &QueueRecord::ring_timeout_s, core::in_range(5, 300),
          "How long an agent's phone rings; then the agent goes not ready and the call returns to "
          "the head of the queue."),
      key("queue[].wrap_up_s", &QueueRecord::wrap_up_s, core::in_range(0, 3600),
          "Wrap-up time after each call before the agent is offered the next one."),
      key("queue[].music", &QueueRecord::music, core::anything<S>(),
          "Music on hold while a caller waits: a sound file in the prompt library or ivr.sounds_dir, looped; "
          "empty = ringback tone."),
      key("queue[].comfort_text", &QueueRecord::comfort_text, core::anything<S>(),
          "Comfort announcement read (text-to-speech) to a waiting caller every comfort_every_s; "
          "empty = none."),
      key("queue[].comfort_voice", &QueueRecord::voice, core::not_empty(),
          "TTS voice of the comfort announcement (espeak-ng: en, cmn, ...)."),
      key("queue[].comfort_every_s", &QueueRecord::comfort_every_s, core::in_range(5, 3600),
          "Seconds between comfort announcements."),
      key("queue[].service_level_s", &QueueRecord::service_level_s, core::in_range(1, 3600),
          "Calls answered within this many seconds are in the service level (wallboard)."),
      key("queue[].sl_formula", &QueueRecord::sl_formula,
          core::one_of({"", "answered", "answered_abandoned", "answered_late_abandoned", "offered"}),
          "The reports' service-level formula for this queue (docs/metrics.md); empty = reports.sl_formula."),
      key("queue[].alert_wait_s", &QueueRecord::alert_wait_s, core::in_range(0, 86400),
          "The wallboard's tile turns red while a caller has waited longer than this; 0 = never."),
      key("queue[].alert_waiting", &QueueRecord::alert_waiting, core::in_range(0, 100000),
          "The tile turns red while more callers than this wait; 0 = never."),
      key("queue[].alert_service_level_pct", &QueueRecord::alert_service_level_pct, core::in_range(0, 100),
          "The tile turns red while today's service level is below this percentage; 0 = never."),
  };
}

std::vector<core::KeyRule<AgentRecord>> agent_rules() {
  return {
      key("agent[].extension", &AgentRecord::extension, core::digits(false),
          "The agent's phone: an extension (required)."),
      key("agent[].name", &AgentRecord::name, core::anything<S>(), "The agent's name."),
      key("agent[].auto_answer", &AgentRecord::auto_answer, core::anything<bool>(),
          "Offers ask the agent's phone to answer at once (Call-Info answer-after=0)."),
      key_with<AgentRecord, S>(
          "agent[].queues", "", core::not_empty(),
          [](AgentRecord& agent, const S& queues) { agent.groups = split_names(queues); },
          "The queues the agent serves, comma-separated, e.g. \"sales,support\" (required)."),
  };
}

}  // namespace

ConfigTables::ConfigTables()
    : queues("queue", {"name"}, queue_rules()), agents("agent", {"extension", "queues"}, agent_rules()) {}

}  // namespace unicc::acd_store
