#pragma once
// acd_store::AcdDirectory — the ACD's records (AcdStore) carried into the running
// router and contact layer: records become acd::QueueConfig / AgentConfig and
// contact::QueueSettings, and the directory maps the router's ids back to the names
// and extensions the records and the API use.
//
// Lives on the thread of the router and contacts it is given (the SIP thread) and
// is used only there. apply() / remove_*() return the problems that kept a change
// out (nothing changed then); load() applies a whole configuration at start and logs
// the problems of the records it could not apply.
//
// A flow's queue node may ask for more skills than the queue's own
// (skilled_queue()): the directory makes a queue of its own for the router for each
// combination, the first time a call needs it, and keeps it in step with its base.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "acd/agent_view.h"
#include "acd/router.h"
#include "acd/store/acd_store.h"
#include "acd/store/agent_log.h"
#include "contact/contacts.h"

namespace unicc::acd_store {

class AcdDirectory {
 public:
  AcdDirectory(acd::Router& router, contact::Contacts& contacts, AgentLog& log)
      : router_(router), contacts_(contacts), log_(log) {}

  // Every skill, to resolve the names records use; before applying records that name them.
  void set_skills(const std::vector<SkillRecord>& skills);
  // Adds agents, then queues in an order that has every overflow target before the queue naming it.
  void load(std::vector<QueueRecord> queues, const std::vector<AgentRecord>& agents);

  std::vector<std::string> apply(const QueueRecord& record);
  std::vector<std::string> remove_queue(const std::string& name);
  std::vector<std::string> apply(const AgentRecord& record);
  std::vector<std::string> remove_agent(const std::string& extension);

  // The queue of `base`'s calls that also need `skills` ("name" or "name:level"),
  // made the first time a call needs them: a queue of its own for the router, so
  // that routing stays an index lookup, reported as `base` in events. nullopt and
  // `problem` when it cannot be.
  std::optional<contact::QueueSettings> skilled_queue(const std::string& base, const std::vector<std::string>& skills,
                                                      std::string& problem);

  // 0 for an extension that is no agent's.
  acd::AgentId agent_id(const std::string& extension) const;
  // The agents and their states, by extension.
  std::vector<acd::AgentView> agents() const;
  // The queues an agent serves now, by name (none for an extension that is no agent's).
  std::vector<std::string> queues_served(const std::string& extension) const;
  // A queue's live figures (its skilled queues' waiting calls included); nullopt for
  // a queue the directory does not know.
  std::optional<acd::QueueView> queue(const std::string& name) const;

 private:
  std::vector<std::string> queues_served(acd::AgentId agent) const;

  struct SkilledQueue {
    acd::QueueId id = 0;
    std::map<std::string, int> skills;  // beyond the queue's own, with the least level
  };

  acd::QueueConfig queue_config(const QueueRecord& record, std::vector<std::string>& problems) const;
  acd::QueueConfig skilled_config(const QueueRecord& base, const std::string& name, const SkilledQueue& skilled,
                                  std::vector<std::string>& problems) const;
  static contact::QueueSettings skilled_settings(const QueueRecord& base, const std::string& name,
                                                 const SkilledQueue& skilled);
  bool remove_skilled_queues(const std::string& base);
  void place_in_linear_orders(const std::string& extension);
  std::string queue_name(acd::QueueId id) const;

  acd::Router& router_;
  contact::Contacts& contacts_;
  AgentLog& log_;
  std::map<std::string, acd::SkillId> skill_ids_;
  std::map<std::string, QueueRecord> queues_;
  std::map<std::string, acd::QueueId> queue_ids_;  // every queue, ring ones too
  std::set<acd::QueueId> routed_;                  // the queues the router has
  // By queue name: the queues of its calls that need more skills, by their names.
  std::map<std::string, std::map<std::string, SkilledQueue>> skilled_queues_;
  acd::QueueId next_skilled_queue_ = acd::QueueId{1} << 40;  // far above the database's ids
  std::map<acd::AgentId, std::string> agent_extensions_;
  std::map<std::string, acd::AgentId> agent_ids_;  // by extension
  std::map<acd::AgentId, AgentRecord> agent_records_;  // as last applied
};

}  // namespace unicc::acd_store
