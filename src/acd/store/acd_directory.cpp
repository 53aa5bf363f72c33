#include "acd/store/acd_directory.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "contact/queue_name.h"
#include "ivr/flow.h"

namespace unicc::acd_store {

using acd::AgentView;
using acd::QueueView;

namespace {

contact::QueueSettings queue_settings(const QueueRecord& queue) {
  contact::QueueSettings settings;
  settings.ring = queue.ring;
  settings.acd_queue = queue.ring.empty() ? static_cast<acd::QueueId>(queue.id) : 0;
  if (!queue.music.empty()) settings.music = {contact::Prompt{queue.music, "", "", ""}};
  if (!queue.comfort_text.empty()) settings.comfort = {contact::Prompt{"", queue.comfort_text, queue.voice, ""}};
  settings.comfort_every = std::chrono::seconds(queue.comfort_every_s);
  settings.voice = queue.voice;
  settings.announce_position = queue.announce_position;
  settings.callback_key = queue.callback_key;
  settings.callback_attempts = static_cast<int>(queue.callback_attempts);
  settings.callback_retry = std::chrono::seconds(queue.callback_retry_s);
  settings.calendar = queue.calendar;
  settings.closed_kind = queue.closed_kind;
  settings.closed_target = queue.closed_target;
  return settings;
}

// The router's skills of `skills`; a problem for each name that is no skill.
template <typename Skill>
std::vector<Skill> resolve_skills(const std::map<std::string, acd::SkillId>& ids,
                                  const std::vector<SkillLevelRecord>& skills, std::vector<std::string>& problems) {
  std::vector<Skill> out;
  for (const auto& skill : skills) {
    auto found = ids.find(skill.skill);
    if (found == ids.end()) problems.push_back("skill '" + skill.skill + "' does not exist");
    else out.push_back({found->second, skill.level});
  }
  return out;
}

std::vector<std::string> targets(const QueueRecord& queue) {
  std::vector<std::string> out;
  for (const auto& tier : queue.overflow_tiers) out.push_back(tier.queue);
  if (queue.overflow_kind == "queue") out.push_back(queue.overflow_target);
  return out;
}

}  // namespace

void AcdDirectory::set_skills(const std::vector<SkillRecord>& skills) {
  skill_ids_.clear();
  for (const auto& skill : skills) skill_ids_[skill.name] = static_cast<acd::SkillId>(skill.id);
}

void AcdDirectory::load(std::vector<QueueRecord> queues, const std::vector<AgentRecord>& agents) {
  // Agents first: a linear queue's agent_order names them.
  for (const auto& agent : agents) {
    for (const auto& problem : apply(agent)) spdlog::error("agent {}: {}", agent.extension, problem);
  }
  for (const auto& queue : queues) queue_ids_[queue.name] = static_cast<acd::QueueId>(queue.id);
  while (!queues.empty()) {
    auto ready = std::stable_partition(queues.begin(), queues.end(), [this](const QueueRecord& queue) {
      const auto names = targets(queue);
      return std::all_of(names.begin(), names.end(),
                         [this](const std::string& target) { return routed_.contains(queue_ids_[target]); });
    });
    if (ready == queues.begin()) ready = queues.begin() + 1;  // a loop or a ring target: report, go on
    for (auto it = queues.begin(); it != ready; ++it) {
      for (const auto& problem : apply(*it)) spdlog::error("queue {}: {}", it->name, problem);
    }
    queues.erase(queues.begin(), ready);
  }
}

std::vector<std::string> AcdDirectory::apply(const QueueRecord& record) {
  const auto id = static_cast<acd::QueueId>(record.id);
  std::vector<std::string> problems;
  if (record.ring.empty()) {
    acd::QueueConfig queue = queue_config(record, problems);
    if (!problems.empty()) return problems;
    problems = routed_.contains(id) ? router_.update_queue(queue) : router_.add_queue(queue);
    if (!problems.empty()) return problems;
    routed_.insert(id);
  } else if (routed_.contains(id)) {
    if (!remove_skilled_queues(record.name) || router_.remove_queue(id) != acd::Status::kOk) {
      return {"calls are waiting in it or queues overflow to it"};
    }
    routed_.erase(id);
  }
  queue_ids_[record.name] = id;
  queues_[record.name] = record;
  log_.set_queue(id, record.name);
  contacts_.set_queue(record.name, queue_settings(record));
  if (auto skilled_queues = skilled_queues_.find(record.name); skilled_queues != skilled_queues_.end()) {
    for (const auto& [name, skilled] : skilled_queues->second) {
      // The queue's calls that need more skills follow its changes.
      std::vector<std::string> ignored;
      for (const auto& problem : router_.update_queue(skilled_config(record, name, skilled, ignored))) {
        spdlog::error("queue {}: {}", name, problem);
      }
      contacts_.set_queue(name, skilled_settings(record, name, skilled));
    }
  }
  contacts_.route_queued_calls();
  return {};
}

std::optional<contact::QueueSettings> AcdDirectory::skilled_queue(const std::string& base,
                                                                  const std::vector<std::string>& skills,
                                                                  std::string& problem) {
  constexpr std::size_t kMostPerQueue = 64;
  auto record = queues_.find(base);
  if (record == queues_.end() || !routed_.contains(queue_ids_.at(base))) {
    problem = "queue " + base + " is not routed by the ACD";
    return std::nullopt;
  }
  SkilledQueue wanted;
  for (const auto& text : skills) {
    const auto need = ivr::parse_skill_need(text);
    if (!need || !skill_ids_.contains(need->skill)) {
      problem = "queue " + base + ": '" + text + "' is not a skill (name or name:level 1-10)";
      return std::nullopt;
    }
    wanted.skills[need->skill] = std::max(wanted.skills[need->skill], need->level);
  }
  const std::string name = contact::skilled_queue_name(base, wanted.skills);
  auto& known = skilled_queues_[base];
  if (!known.contains(name)) {
    if (known.size() >= kMostPerQueue) {
      problem = "queue " + base + " has " + std::to_string(kMostPerQueue) + " skill combinations already";
      return std::nullopt;
    }
    wanted.id = next_skilled_queue_++;
    std::vector<std::string> problems;
    acd::QueueConfig config = skilled_config(record->second, name, wanted, problems);
    if (problems.empty()) problems = router_.add_queue(config);
    if (!problems.empty()) {
      problem = "queue " + name + ": " + problems.front();
      return std::nullopt;
    }
    known[name] = wanted;
    log_.set_queue(wanted.id, base);
  }
  return skilled_settings(record->second, name, known[name]);
}

std::vector<std::string> AcdDirectory::remove_queue(const std::string& name) {
  auto found = queue_ids_.find(name);
  if (found == queue_ids_.end()) return {};
  if (routed_.contains(found->second)) {
    if (!remove_skilled_queues(name) || router_.remove_queue(found->second) != acd::Status::kOk) {
      return {"calls are waiting in it or queues overflow to it"};
    }
    routed_.erase(found->second);
  }
  contacts_.remove_queue(name);
  queues_.erase(name);
  queue_ids_.erase(found);
  return {};
}

std::vector<std::string> AcdDirectory::apply(const AgentRecord& record) {
  const auto id = static_cast<acd::AgentId>(record.id);
  std::vector<std::string> problems;
  // An agent without a name is known by their extension.
  acd::AgentConfig agent{id, record.name.empty() ? record.extension : record.name, record.extension,
                         resolve_skills<acd::SkillLevel>(skill_ids_, record.skills, problems), record.groups,
                         record.newly_trained};
  if (!problems.empty()) return problems;
  const bool is_new = !agent_extensions_.contains(id);
  problems = is_new ? router_.add_agent(agent) : router_.update_agent(agent);
  if (!problems.empty()) return problems;
  if (!is_new) agent_ids_.erase(agent_extensions_[id]);
  agent_extensions_[id] = record.extension;
  agent_ids_[record.extension] = id;
  if (is_new) place_in_linear_orders(record.extension);
  agent_records_[id] = record;
  contacts_.set_agent(id, record.extension, record.auto_answer);
  log_.set_agent(id, record.extension, record.name);
  contacts_.route_queued_calls();
  return {};
}

std::vector<std::string> AcdDirectory::remove_agent(const std::string& extension) {
  const acd::AgentId id = agent_id(extension);
  if (id == 0) return {};
  if (router_.remove_agent(id) != acd::Status::kOk) return {"the agent is logged in; log them out first"};
  agent_extensions_.erase(id);
  agent_ids_.erase(extension);
  agent_records_.erase(id);
  contacts_.forget_agent(id);
  log_.forget_agent(id);
  return {};
}

acd::AgentId AcdDirectory::agent_id(const std::string& extension) const {
  auto found = agent_ids_.find(extension);
  return found == agent_ids_.end() ? 0 : found->second;
}

std::vector<AgentView> AcdDirectory::agents() const {
  std::vector<AgentView> out;
  for (const auto& [id, extension] : agent_extensions_) {
    const AgentRecord& record = agent_records_.at(id);
    AgentView view{extension, record.name, "logged_out", "", 0, {}, {}, record.groups};
    for (const auto& skill : record.skills) view.skills.emplace_back(skill.skill, skill.level);
    if (auto status = router_.agent_status(id)) {
      view.state = AgentLog::state_name(status->state);
      view.reason = status->reason;
      view.since_ms = status->since_ms;
    }
    view.queues = queues_served(id);
    out.push_back(view);
  }
  std::sort(out.begin(), out.end(), [](const AgentView& a, const AgentView& b) { return a.extension < b.extension; });
  return out;
}

std::vector<std::string> AcdDirectory::queues_served(acd::AgentId agent) const {
  std::vector<std::string> names;
  for (acd::QueueId queue : router_.queues_served(agent)) {
    // A queue's calls that need more skills are that queue's, already listed.
    if (std::string name = queue_name(queue); !name.empty()) names.push_back(name);
  }
  return names;
}

std::vector<std::string> AcdDirectory::queues_served(const std::string& extension) const {
  const acd::AgentId id = agent_id(extension);
  return id == 0 ? std::vector<std::string>{} : queues_served(id);
}

std::optional<QueueView> AcdDirectory::queue(const std::string& name) const {
  auto found = queue_ids_.find(name);
  if (found == queue_ids_.end()) return std::nullopt;
  QueueView view;
  if (auto status = router_.queue_status(found->second)) {
    view = QueueView{status->waiting, status->logged_in, status->working, status->ready, status->handle_time.count()};
  }
  auto skilled = skilled_queues_.find(name);
  if (skilled == skilled_queues_.end()) return view;
  for (const auto& [skilled_name, queue] : skilled->second) {
    if (auto status = router_.queue_status(queue.id)) view.waiting += status->waiting;
  }
  return view;
}

acd::QueueConfig AcdDirectory::skilled_config(const QueueRecord& base, const std::string& name,
                                              const SkilledQueue& skilled, std::vector<std::string>& problems) const {
  acd::QueueConfig config = queue_config(base, problems);
  config.id = skilled.id;
  config.name = name;
  for (const auto& [skill, level] : skilled.skills) {
    const acd::SkillId id = skill_ids_.at(skill);
    auto same =
        std::find_if(config.skills.begin(), config.skills.end(), [id](const auto& s) { return s.skill == id; });
    if (same == config.skills.end()) {
      config.skills.push_back({id, level});
    } else {
      same->min_level = std::max(same->min_level, level);
    }
  }
  return config;
}

contact::QueueSettings AcdDirectory::skilled_settings(const QueueRecord& base, const std::string& name,
                                                      const SkilledQueue& skilled) {
  contact::QueueSettings settings = queue_settings(base);
  settings.name = name;
  settings.acd_queue = skilled.id;
  return settings;
}

// False when the router keeps one of them (calls are in it); the others are gone
// (the next call that needs them makes them again).
bool AcdDirectory::remove_skilled_queues(const std::string& base) {
  auto found = skilled_queues_.find(base);
  if (found == skilled_queues_.end()) return true;
  auto& known = found->second;
  for (auto it = known.begin(); it != known.end();) {
    if (router_.remove_queue(it->second.id) != acd::Status::kOk) {
      ++it;
      continue;
    }
    contacts_.remove_queue(it->first);
    it = known.erase(it);
  }
  if (!known.empty()) return false;
  skilled_queues_.erase(found);
  return true;
}

// A linear queue that names a new agent in its agent_order gets it in its place.
void AcdDirectory::place_in_linear_orders(const std::string& extension) {
  for (const auto& [name, record] : queues_) {
    if (!routed_.contains(queue_ids_.at(name))) continue;
    if (std::find(record.agent_order.begin(), record.agent_order.end(), extension) == record.agent_order.end()) {
      continue;
    }
    std::vector<std::string> problems;
    acd::QueueConfig queue = queue_config(record, problems);
    if (problems.empty()) problems = router_.update_queue(queue);
    for (const auto& problem : problems) spdlog::error("queue {}: {}", name, problem);
  }
}

std::string AcdDirectory::queue_name(acd::QueueId id) const {
  for (const auto& [name, known] : queue_ids_) {
    if (known == id) return name;
  }
  return "";
}

acd::QueueConfig AcdDirectory::queue_config(const QueueRecord& record, std::vector<std::string>& problems) const {
  acd::QueueConfig queue;
  queue.id = static_cast<acd::QueueId>(record.id);
  queue.name = record.name;
  queue.skills = resolve_skills<acd::SkillRequirement>(skill_ids_, record.skills, problems);
  queue.groups = record.groups;
  queue.strategy = *acd::strategy_named(record.strategy);  // records allow only these names
  queue.priority = static_cast<int>(record.priority);
  queue.max_wait = std::chrono::seconds(record.max_wait_s);
  queue.max_size = static_cast<std::size_t>(record.max_size);
  queue.wrap_up = std::chrono::seconds(record.wrap_up_s);
  queue.ring_timeout = std::chrono::seconds(record.ring_timeout_s);
  queue.service_level = std::chrono::seconds(record.service_level_s);
  queue.announce_every = std::chrono::seconds(record.announce_every_s);
  queue.last_agent_wait = std::chrono::seconds(record.last_agent_wait_s);
  queue.default_handle_time = std::chrono::seconds(record.default_handle_time_s);
  queue.prefer_newly_trained = record.prefer_newly_trained;
  for (const auto& extension : record.agent_order) {
    if (acd::AgentId agent = agent_id(extension)) queue.agent_order.push_back(agent);
  }
  auto queue_id = [&](const std::string& name) -> acd::QueueId {
    auto found = queue_ids_.find(name);
    if (found == queue_ids_.end()) problems.push_back("overflow queue '" + name + "' does not exist");
    return found == queue_ids_.end() ? 0 : found->second;
  };
  for (const auto& tier : record.overflow_tiers) {
    queue.overflow_tiers.push_back({std::chrono::seconds(tier.after_s), queue_id(tier.queue)});
  }
  if (record.overflow_kind == "queue") {
    queue.overflow.kind = acd::OverflowTarget::Kind::kQueue;
    queue.overflow.queue = queue_id(record.overflow_target);
  } else if (record.overflow_kind.empty()) {
    // The call goes back to its flow, which takes the queue node's on_failure exit.
    queue.overflow.kind = acd::OverflowTarget::Kind::kIvrFlow;
    queue.overflow.destination = contact::kQueueNodeFailure;
  } else {
    using Kind = acd::OverflowTarget::Kind;
    queue.overflow.kind = record.overflow_kind == "flow"        ? Kind::kIvrFlow
                          : record.overflow_kind == "voicemail" ? Kind::kVoicemail
                                                                : Kind::kExternalNumber;
    queue.overflow.destination = record.overflow_target;
  }
  return queue;
}

}  // namespace unicc::acd_store
