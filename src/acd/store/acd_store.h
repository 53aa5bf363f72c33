#pragma once
// acd_store::AcdStore — the ACD's configuration in the database: skills, queues and agents.
//
// Records are plain values with one JSON form, the same over REST and in the database
// (a queue's or agent's settings are stored as that JSON, skills as rows). Reading
// JSON is strict: an unknown field, a wrong type or a value out of range is a
// RecordError naming the field ("skills[1].level: must be an integer from 1 to 10").
//
// Writes check references inside their transaction (a queue's skills and overflow
// queues, an agent's skills must exist; a skill or queue still referred to cannot be
// deleted — a queue a number points at neither: the numbers table of call::NumberStore,
// read here by SQL as acd_store sits below call) and then call `apply`, which carries the change into the running router;
// if apply returns problems, the transaction is rolled back and the problems
// returned, so the database and the router never disagree. Any thread; writes are
// serialised.
//
// seed() creates the queues and agents the database does not have yet (from the
// configuration file's [[queue]] and [[agent]] tables, acd_store::ConfigTables); those
// it has are left alone (the database is the source of truth once a record exists).
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "store/database.h"

namespace unicc::acd_store {

// A field of a record that cannot be read; `field` is its path in the JSON.
class RecordError : public std::runtime_error {
 public:
  RecordError(std::string field, const std::string& message)
      : std::runtime_error(field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

struct SkillRecord {
  std::int64_t id = 0;
  std::string name;
  std::string description;
};

// A skill with a level: the minimum a queue requires, or the level an agent has.
struct SkillLevelRecord {
  std::string skill;
  int level = 1;
};

struct OverflowTierRecord {
  std::int64_t after_s = 0;
  std::string queue;
};

struct QueueRecord {
  std::int64_t id = 0;
  std::string name;
  // Routing (acd::QueueConfig).
  std::string strategy = "longest_idle";
  std::int64_t priority = 0;
  std::vector<SkillLevelRecord> skills;  // required, with minimum levels
  std::vector<std::string> groups;       // if any, the agent must be in one of them
  std::int64_t max_wait_s = 0;
  std::int64_t max_size = 0;
  std::int64_t wrap_up_s = 0;
  std::int64_t ring_timeout_s = 20;
  std::int64_t service_level_s = 20;
  // The reports' service-level formula for this queue (docs/metrics.md): answered,
  // answered_abandoned, answered_late_abandoned or offered; "" = reports.sl_formula.
  std::string sl_formula;
  std::int64_t announce_every_s = 0;
  std::int64_t last_agent_wait_s = 0;
  std::int64_t default_handle_time_s = 180;
  bool prefer_newly_trained = false;
  std::vector<std::string> agent_order;  // extensions, for the linear strategy
  std::vector<OverflowTierRecord> overflow_tiers;
  // Where calls go on maximum wait, a full queue or nobody logged in: "queue" (a
  // name), "flow" (a published IVR flow's name), "voicemail" (a mailbox), "number"
  // (dialled as a phone would); "" = the flow's queue node takes its on_failure exit.
  std::string overflow_kind;
  std::string overflow_target;
  // Business hours: a shared calendar's name (calendar::CalendarStore); "" = always
  // open. While it is closed, calls reaching the queue go to the closed target (same
  // kinds as the overflow's); with none they hear that the queue is closed and are
  // released.
  std::string calendar;
  std::string closed_kind;
  std::string closed_target;
  // What waiting callers hear and can do (contact::QueueSettings).
  std::string ring;  // ring this extension instead of routing to agents
  std::string music;
  std::string comfort_text;
  std::string voice = "en";  // TTS voice of the comfort text and the announcements
  std::int64_t comfort_every_s = 30;
  bool announce_position = false;  // position and estimated wait, on entry and every announce_every_s
  std::string callback_key;        // a DTMF key that asks for a callback; "" = none
  std::int64_t callback_attempts = 3;    // calls back before giving up on a customer who does not answer
  std::int64_t callback_retry_s = 300;   // between them
  // When the queue's wallboard tile turns red (acd::QueueAlerts); 0 = never.
  std::int64_t alert_wait_s = 0;
  std::int64_t alert_waiting = 0;
  std::int64_t alert_service_level_pct = 0;
};

struct AgentRecord {
  std::int64_t id = 0;
  std::string extension;
  std::string name;
  std::vector<SkillLevelRecord> skills;
  std::vector<std::string> groups;
  bool newly_trained = false;
  // Offers ring the agent's phone with Call-Info answer-after=0: phones that honour it
  // (headset agents) answer at once.
  bool auto_answer = false;
};

nlohmann::json to_json(const SkillRecord& skill);
nlohmann::json to_json(const QueueRecord& queue);
nlohmann::json to_json(const AgentRecord& agent);
// Read a record from JSON; `name`/`extension` must be in the object. Throws RecordError.
QueueRecord queue_from_json(const nlohmann::json& object);
AgentRecord agent_from_json(const nlohmann::json& object);

class AcdStore {
 public:
  // Carries a change into the running ACD; returns its problems (none: keep it).
  using Apply = std::function<std::vector<std::string>()>;

  AcdStore(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  std::vector<SkillRecord> skills();
  std::vector<QueueRecord> queues();
  std::vector<AgentRecord> agents();
  std::optional<QueueRecord> queue(const std::string& name);
  std::optional<AgentRecord> agent(const std::string& extension);

  // Each returns its problems; none means done. save_* insert or replace by name
  // (extension) and set the record's id.
  std::vector<std::string> save_skill(SkillRecord& skill);
  std::vector<std::string> delete_skill(const std::string& name);
  std::vector<std::string> save_queue(QueueRecord& queue, const Apply& apply);
  std::vector<std::string> delete_queue(const std::string& name, const Apply& apply);
  std::vector<std::string> save_agent(AgentRecord& agent, const Apply& apply);
  std::vector<std::string> delete_agent(const std::string& extension, const Apply& apply);

  // Queues in the order given, so that one naming another as overflow finds it.
  void seed(const std::vector<QueueRecord>& queues, const std::vector<AgentRecord>& agents);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  std::mutex write_mutex_;
};

}  // namespace unicc::acd_store
