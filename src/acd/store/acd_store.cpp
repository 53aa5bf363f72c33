#include "acd/store/acd_store.h"

#include <algorithm>
#include <set>

#include "acd/config.h"
#include "calendar/calendar.h"
#include "ivr/field_reader.h"

namespace unicc::acd_store {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 86400;

// Reads the members of one JSON object; the first problem is thrown as a RecordError
// naming the member's path.
class Reader {
 public:
  Reader(const json& object, std::string prefix, const std::set<std::string>& allowed)
      : object_(object), prefix_(std::move(prefix)) {
    if (!object_.is_object()) throw RecordError(prefix_.empty() ? "(body)" : prefix_, "must be a JSON object");
    for (const auto& [key, value] : object_.items()) {
      if (!allowed.contains(key)) throw RecordError(path(key), "unknown field");
    }
  }

  std::string path(const std::string& name) const { return prefix_.empty() ? name : prefix_ + "." + name; }

  std::string string(const std::string& name, const std::string& fallback, std::size_t max = 1024) const {
    auto it = object_.find(name);
    if (it == object_.end()) return fallback;
    if (!it->is_string()) throw RecordError(path(name), "must be a string");
    const auto& text = it->get_ref<const std::string&>();
    if (text.size() > max) throw RecordError(path(name), "is longer than " + std::to_string(max) + " bytes");
    return text;
  }

  std::int64_t integer(const std::string& name, std::int64_t min, std::int64_t max, std::int64_t fallback) const {
    auto it = object_.find(name);
    if (it == object_.end()) return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() < min || it->get<std::int64_t>() > max) {
      throw RecordError(path(name), "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return it->get<std::int64_t>();
  }

  bool boolean(const std::string& name, bool fallback) const {
    auto it = object_.find(name);
    if (it == object_.end()) return fallback;
    if (!it->is_boolean()) throw RecordError(path(name), "must be true or false");
    return it->get<bool>();
  }

  // The member as an array (empty when absent).
  const json& array(const std::string& name) const {
    static const json empty = json::array();
    auto it = object_.find(name);
    if (it == object_.end()) return empty;
    if (!it->is_array()) throw RecordError(path(name), "must be an array");
    return *it;
  }

  std::vector<std::string> strings(const std::string& name) const {
    std::vector<std::string> out;
    const json& items = array(name);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string at = path(name) + "[" + std::to_string(i) + "]";
      if (!items[i].is_string() || items[i].get_ref<const std::string&>().empty()) {
        throw RecordError(at, "must be a non-empty string");
      }
      if (std::find(out.begin(), out.end(), items[i].get<std::string>()) != out.end()) {
        throw RecordError(at, "'" + items[i].get<std::string>() + "' is listed twice");
      }
      out.push_back(items[i].get<std::string>());
    }
    return out;
  }

  std::vector<SkillLevelRecord> skills(const std::string& name, const std::string& level_name) const {
    std::vector<SkillLevelRecord> out;
    const json& items = array(name);
    for (std::size_t i = 0; i < items.size(); ++i) {
      Reader item(items[i], path(name) + "[" + std::to_string(i) + "]", {"skill", level_name});
      SkillLevelRecord skill{item.required_string("skill"), static_cast<int>(item.integer(level_name, 1, 10, 1))};
      for (const auto& other : out) {
        if (other.skill == skill.skill) throw RecordError(item.path("skill"), "'" + skill.skill + "' is listed twice");
      }
      out.push_back(skill);
    }
    return out;
  }

  bool has(const std::string& name) const { return object_.contains(name); }
  const json& member(const std::string& name) const { return object_.at(name); }

  std::string required_string(const std::string& name, std::size_t max = 64) const {
    if (!object_.contains(name)) throw RecordError(path(name), "is required");
    std::string text = string(name, "", max);
    if (text.empty()) throw RecordError(path(name), "must not be empty");
    return text;
  }

 private:
  const json& object_;
  std::string prefix_;
};

json skills_json(const std::vector<SkillLevelRecord>& skills, const char* level_name) {
  json out = json::array();
  for (const auto& skill : skills) out.push_back({{"skill", skill.skill}, {level_name, skill.level}});
  return out;
}

void require_digit_key(const std::string& key, const std::string& field) {
  if (!key.empty() && (key.size() != 1 || std::string("0123456789*#").find(key) == std::string::npos)) {
    throw RecordError(field, "must be one DTMF key: 0-9, * or #");
  }
}

}  // namespace

json to_json(const SkillRecord& skill) {
  return {{"name", skill.name}, {"description", skill.description}};
}

json to_json(const QueueRecord& q) {
  json tiers = json::array();
  for (const auto& tier : q.overflow_tiers) tiers.push_back({{"after_s", tier.after_s}, {"queue", tier.queue}});
  return {{"name", q.name},
          {"strategy", q.strategy},
          {"priority", q.priority},
          {"skills", skills_json(q.skills, "min_level")},
          {"groups", q.groups},
          {"max_wait_s", q.max_wait_s},
          {"max_size", q.max_size},
          {"wrap_up_s", q.wrap_up_s},
          {"ring_timeout_s", q.ring_timeout_s},
          {"service_level_s", q.service_level_s},
          {"sl_formula", q.sl_formula},
          {"announce_every_s", q.announce_every_s},
          {"last_agent_wait_s", q.last_agent_wait_s},
          {"default_handle_time_s", q.default_handle_time_s},
          {"prefer_newly_trained", q.prefer_newly_trained},
          {"agent_order", q.agent_order},
          {"overflow_tiers", tiers},
          {"overflow", q.overflow_kind.empty() ? json::object() : json{{q.overflow_kind, q.overflow_target}}},
          {"calendar", q.calendar},
          {"closed", q.closed_kind.empty() ? json::object() : json{{q.closed_kind, q.closed_target}}},
          {"ring", q.ring},
          {"music", q.music},
          {"comfort_text", q.comfort_text},
          {"voice", q.voice},
          {"comfort_every_s", q.comfort_every_s},
          {"announce_position", q.announce_position},
          {"callback_key", q.callback_key},
          {"callback_attempts", q.callback_attempts},
          {"callback_retry_s", q.callback_retry_s},
          {"alert_wait_s", q.alert_wait_s},
          {"alert_waiting", q.alert_waiting},
          {"alert_service_level_pct", q.alert_service_level_pct}};
}

json to_json(const AgentRecord& agent) {
  return {{"extension", agent.extension},
          {"name", agent.name},
          {"skills", skills_json(agent.skills, "level")},
          {"groups", agent.groups},
          {"newly_trained", agent.newly_trained},
          {"auto_answer", agent.auto_answer}};
}

namespace {

// Where calls go (overflow, closed): {} or one of {"queue"|"flow"|"voicemail"|"number": "..."}.
void read_target(const Reader& r, const std::string& field, std::string& kind, std::string& target) {
  if (!r.has(field)) return;
  Reader where(r.member(field), field, {"queue", "flow", "voicemail", "number"});
  for (const char* name : {"queue", "flow", "voicemail", "number"}) {
    if (!where.has(name)) continue;
    if (!kind.empty()) throw RecordError(field, "must name one of queue, flow, voicemail or number");
    kind = name;
    target = where.required_string(name);
    if (kind == "flow" && !ivr::valid_id(target)) {
      throw RecordError(field + ".flow", "must be a flow name: 1-64 letters, digits, '_' or '-'");
    }
  }
}

}  // namespace

QueueRecord queue_from_json(const json& object) {
  Reader r(object, "",
           {"name",          "strategy",         "priority",          "skills",
            "groups",        "max_wait_s",       "max_size",          "wrap_up_s",
            "ring_timeout_s", "service_level_s", "sl_formula", "announce_every_s",  "last_agent_wait_s",
            "default_handle_time_s", "prefer_newly_trained", "agent_order", "overflow_tiers",
            "overflow",      "ring",            "music",             "comfort_text",
            "voice",         "comfort_every_s",  "announce_position", "callback_key",
            "callback_attempts", "callback_retry_s", "alert_wait_s", "alert_waiting", "alert_service_level_pct",
            "calendar", "closed"});
  QueueRecord q;
  q.name = r.required_string("name");
  q.strategy = r.string("strategy", q.strategy, 32);
  if (!acd::strategy_named(q.strategy)) {
    std::string names;
    for (const auto& [name, strategy] : acd::kStrategyNames) names += (names.empty() ? "" : ", ") + std::string(name);
    throw RecordError("strategy", "must be one of " + names);
  }
  q.priority = r.integer("priority", -1000, 1000, q.priority);
  q.skills = r.skills("skills", "min_level");
  q.groups = r.strings("groups");
  q.max_wait_s = r.integer("max_wait_s", 0, kDay, q.max_wait_s);
  q.max_size = r.integer("max_size", 0, 100000, q.max_size);
  q.wrap_up_s = r.integer("wrap_up_s", 0, 3600, q.wrap_up_s);
  q.ring_timeout_s = r.integer("ring_timeout_s", 1, 600, q.ring_timeout_s);
  q.service_level_s = r.integer("service_level_s", 1, 3600, q.service_level_s);
  q.sl_formula = r.string("sl_formula", "", 32);
  if (!q.sl_formula.empty() && q.sl_formula != "answered" && q.sl_formula != "answered_abandoned" &&
      q.sl_formula != "answered_late_abandoned" && q.sl_formula != "offered") {
    throw RecordError("sl_formula",
                      "must be answered, answered_abandoned, answered_late_abandoned, offered or \"\" (the reports' default)");
  }
  q.announce_every_s = r.integer("announce_every_s", 0, 3600, q.announce_every_s);
  q.last_agent_wait_s = r.integer("last_agent_wait_s", 0, 3600, q.last_agent_wait_s);
  q.default_handle_time_s = r.integer("default_handle_time_s", 1, kDay, q.default_handle_time_s);
  q.prefer_newly_trained = r.boolean("prefer_newly_trained", q.prefer_newly_trained);
  q.agent_order = r.strings("agent_order");
  const json& tiers = r.array("overflow_tiers");
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    Reader tier(tiers[i], "overflow_tiers[" + std::to_string(i) + "]", {"after_s", "queue"});
    const std::int64_t after = tier.integer("after_s", 1, kDay, 1);
    if (!q.overflow_tiers.empty() && after <= q.overflow_tiers.back().after_s) {
      throw RecordError(tier.path("after_s"), "must be later than the tier before");
    }
    q.overflow_tiers.push_back({after, tier.required_string("queue")});
  }
  read_target(r, "overflow", q.overflow_kind, q.overflow_target);
  q.calendar = r.string("calendar", "", 64);
  if (!q.calendar.empty() && !calendar::valid_name(q.calendar)) {
    throw RecordError("calendar", "must be a calendar name: 1-64 letters, digits, '_' or '-'");
  }
  read_target(r, "closed", q.closed_kind, q.closed_target);
  q.ring = r.string("ring", "", 64);
  q.music = r.string("music", "", 256);
  q.comfort_text = r.string("comfort_text", "", 1000);
  q.voice = r.string("voice", q.voice, 32);
  q.comfort_every_s = r.integer("comfort_every_s", 5, 3600, q.comfort_every_s);
  q.announce_position = r.boolean("announce_position", q.announce_position);
  q.callback_key = r.string("callback_key", "", 1);
  require_digit_key(q.callback_key, "callback_key");
  q.callback_attempts = r.integer("callback_attempts", 1, 10, q.callback_attempts);
  q.callback_retry_s = r.integer("callback_retry_s", 1, 86400, q.callback_retry_s);
  q.alert_wait_s = r.integer("alert_wait_s", 0, kDay, q.alert_wait_s);
  q.alert_waiting = r.integer("alert_waiting", 0, 100000, q.alert_waiting);
  q.alert_service_level_pct = r.integer("alert_service_level_pct", 0, 100, q.alert_service_level_pct);
  return q;
}

AgentRecord agent_from_json(const json& object) {
  Reader r(object, "", {"extension", "name", "skills", "groups", "newly_trained", "auto_answer"});
  AgentRecord agent;
  agent.extension = r.required_string("extension");
  agent.name = r.string("name", "", 128);
  agent.skills = r.skills("skills", "level");
  agent.groups = r.strings("groups");
  agent.newly_trained = r.boolean("newly_trained", false);
  agent.auto_answer = r.boolean("auto_answer", false);
  return agent;
}

}  // namespace unicc::acd_store

namespace unicc::acd_store {
namespace {

// The stored settings: the record's JSON without its key (a column of its own).
std::string settings_of(json record, const char* key) {
  record.erase(key);
  return record.dump();
}

template <typename Record, typename Parse>
std::vector<Record> load_records(soci::session& sql, const std::string& table, const char* key, Parse parse,
                                 const std::string& only = "") {
  long long id = 0;
  std::string name, settings;
  soci::statement st(sql);
  st.exchange(soci::into(id));
  st.exchange(soci::into(name));
  st.exchange(soci::into(settings));
  if (!only.empty()) st.exchange(soci::use(only));
  st.alloc();
  st.prepare("SELECT id, " + std::string(key) + ", settings FROM " + table +
             (only.empty() ? std::string(" ORDER BY ") + key : std::string(" WHERE ") + key + " = :k"));
  st.define_and_bind();
  st.execute(false);
  std::vector<Record> out;
  while (st.fetch()) {
    json object = json::parse(settings, nullptr, false);
    if (!object.is_object()) object = json::object();
    object[key] = name;
    // Settings were checked when written; a field a newer version dropped makes the
    // record unreadable rather than silently different.
    Record record = parse(object);
    record.id = id;
    out.push_back(std::move(record));
  }
  return out;
}

std::vector<SkillRecord> load_skills(soci::session& sql) {
  SkillRecord row;
  long long id = 0;
  soci::statement st = (sql.prepare << "SELECT id, name, description FROM skills ORDER BY name", soci::into(id),
                        soci::into(row.name), soci::into(row.description));
  st.execute(false);
  std::vector<SkillRecord> out;
  while (st.fetch()) {
    row.id = id;
    out.push_back(row);
  }
  return out;
}

std::vector<QueueRecord> load_queues(soci::session& sql, const std::string& only = "") {
  return load_records<QueueRecord>(sql, "acd_queues", "name", queue_from_json, only);
}

std::vector<AgentRecord> load_agents(soci::session& sql, const std::string& only = "") {
  return load_records<AgentRecord>(sql, "acd_agents", "extension", agent_from_json, only);
}

// Inserts or replaces the row keyed `key_value` and returns its id.
std::int64_t upsert(soci::session& sql, const std::string& table, const char* key, const std::string& key_value,
                    const std::string& settings, long long now) {
  sql << "INSERT INTO " + table + " (" + key + ", settings, updated_at) VALUES (:k, :s, :t) ON CONFLICT (" + key +
             ") DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
      soci::use(key_value), soci::use(settings), soci::use(now);
  long long id = 0;
  sql << "SELECT id FROM " + table + " WHERE " + key + " = :k", soci::use(key_value), soci::into(id);
  return id;
}

void check_skills_exist(soci::session& sql, const std::vector<SkillLevelRecord>& skills,
                        std::vector<std::string>& problems) {
  std::set<std::string> known;
  for (const auto& skill : load_skills(sql)) known.insert(skill.name);
  for (const auto& skill : skills) {
    if (!known.contains(skill.skill)) problems.push_back("skill '" + skill.skill + "' does not exist");
  }
}

bool refers_to(const QueueRecord& queue, const std::string& target) {
  if (queue.overflow_kind == "queue" && queue.overflow_target == target) return true;
  return std::any_of(queue.overflow_tiers.begin(), queue.overflow_tiers.end(),
                     [&](const OverflowTierRecord& tier) { return tier.queue == target; });
}

bool uses_skill(const std::vector<SkillLevelRecord>& skills, const std::string& name) {
  return std::any_of(skills.begin(), skills.end(), [&](const SkillLevelRecord& s) { return s.skill == name; });
}

// Commits unless there are problems (the transaction then rolls back on destruction).
std::vector<std::string> finish(soci::transaction& tx, std::vector<std::string> problems,
                                const AcdStore::Apply* apply = nullptr) {
  if (problems.empty() && apply) problems = (*apply)();
  if (problems.empty()) tx.commit();
  return problems;
}

}  // namespace

std::vector<SkillRecord> AcdStore::skills() {
  soci::session sql(db_.pool());
  return load_skills(sql);
}

std::vector<QueueRecord> AcdStore::queues() {
  soci::session sql(db_.pool());
  return load_queues(sql);
}

std::vector<AgentRecord> AcdStore::agents() {
  soci::session sql(db_.pool());
  return load_agents(sql);
}

std::optional<QueueRecord> AcdStore::queue(const std::string& name) {
  soci::session sql(db_.pool());
  auto found = load_queues(sql, name);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<AgentRecord> AcdStore::agent(const std::string& extension) {
  soci::session sql(db_.pool());
  auto found = load_agents(sql, extension);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<std::string> AcdStore::save_skill(SkillRecord& skill) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  long long now = clock_.now_ms();
  sql << "INSERT INTO skills (name, description, created_at) VALUES (:n, :d, :t)"
         " ON CONFLICT (name) DO UPDATE SET description = excluded.description",
      soci::use(skill.name), soci::use(skill.description), soci::use(now);
  long long id = 0;
  sql << "SELECT id FROM skills WHERE name = :n", soci::use(skill.name), soci::into(id);
  skill.id = id;
  return finish(tx, {});
}

std::vector<std::string> AcdStore::delete_skill(const std::string& name) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  sql << "DELETE FROM skills WHERE name = :n", soci::use(name);
  std::vector<std::string> problems;
  for (const auto& queue : load_queues(sql)) {
    if (uses_skill(queue.skills, name)) problems.push_back("queue '" + queue.name + "' requires it");
  }
  for (const auto& agent : load_agents(sql)) {
    if (uses_skill(agent.skills, name)) problems.push_back("agent " + agent.extension + " has it");
  }
  return finish(tx, problems);
}

std::vector<std::string> AcdStore::save_queue(QueueRecord& queue, const Apply& apply) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  queue.id = upsert(sql, "acd_queues", "name", queue.name, settings_of(to_json(queue), "name"), clock_.now_ms());
  std::vector<std::string> problems;
  check_skills_exist(sql, queue.skills, problems);
  std::set<std::string> names;
  for (const auto& other : load_queues(sql)) names.insert(other.name);
  std::vector<std::string> targets;
  for (const auto& tier : queue.overflow_tiers) targets.push_back(tier.queue);
  if (queue.overflow_kind == "queue") targets.push_back(queue.overflow_target);
  for (const auto& target : targets) {
    if (target == queue.name) problems.push_back("queue '" + target + "' cannot overflow to itself");
    else if (!names.contains(target)) problems.push_back("overflow queue '" + target + "' does not exist");
  }
  if (queue.closed_kind == "queue") {
    if (queue.closed_target == queue.name) problems.push_back("queue '" + queue.name + "' cannot be its own closed target");
    else if (!names.contains(queue.closed_target)) problems.push_back("closed queue '" + queue.closed_target + "' does not exist");
  }
  return finish(tx, problems, &apply);
}

std::vector<std::string> AcdStore::delete_queue(const std::string& name, const Apply& apply) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  sql << "DELETE FROM acd_queues WHERE name = :n", soci::use(name);
  std::vector<std::string> problems;
  for (const auto& other : load_queues(sql)) {
    if (refers_to(other, name)) problems.push_back("queue '" + other.name + "' overflows to it");
    if (other.closed_kind == "queue" && other.closed_target == name) {
      problems.push_back("queue '" + other.name + "' sends its calls to it while closed");
    }
  }
  const std::string target = "queue:" + name;
  std::string number;
  soci::statement pointing = (sql.prepare << "SELECT number FROM numbers WHERE target = :t ORDER BY number",
                              soci::into(number), soci::use(target));
  pointing.execute(false);
  while (pointing.fetch()) problems.push_back("number " + number + " points at it");
  return finish(tx, problems, &apply);
}

std::vector<std::string> AcdStore::save_agent(AgentRecord& agent, const Apply& apply) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  agent.id = upsert(sql, "acd_agents", "extension", agent.extension, settings_of(to_json(agent), "extension"),
                    clock_.now_ms());
  std::vector<std::string> problems;
  check_skills_exist(sql, agent.skills, problems);
  return finish(tx, problems, &apply);
}

std::vector<std::string> AcdStore::delete_agent(const std::string& extension, const Apply& apply) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  sql << "DELETE FROM acd_agents WHERE extension = :e", soci::use(extension);
  return finish(tx, {}, &apply);
}

void AcdStore::seed(const std::vector<QueueRecord>& queues, const std::vector<AgentRecord>& agents) {
  std::lock_guard lock(write_mutex_);
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  long long now = clock_.now_ms();
  for (const auto& queue : queues) {
    const std::string settings = settings_of(to_json(queue), "name");
    sql << "INSERT INTO acd_queues (name, settings, updated_at) VALUES (:n, :s, :t) ON CONFLICT (name) DO NOTHING",
        soci::use(queue.name), soci::use(settings), soci::use(now);
  }
  for (const auto& agent : agents) {
    const std::string settings = settings_of(to_json(agent), "extension");
    sql << "INSERT INTO acd_agents (extension, settings, updated_at) VALUES (:e, :s, :t)"
           " ON CONFLICT (extension) DO NOTHING",
        soci::use(agent.extension), soci::use(settings), soci::use(now);
  }
  tx.commit();
}

}  // namespace unicc::acd_store
