#pragma once
// ivr::FlowRegistry — the published flows calls start with, kept in memory so a
// new call finds its flow without touching the database: by flow name, or by the
// dialled number (a flow's "dids"). Lookups copy a shared_ptr under a short lock;
// the executor then keeps that version for the whole call.
//
// load() reads every current version from the FlowStore (at start); refresh(name)
// re-reads one name after a publish or rollback. A stored version that no longer
// validates (written by another build) is left out and logged. With several
// servers on one database, each refreshes only on its own publishes; the others
// see the change when they next load().
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ivr/flow.h"
#include "ivr/flow_store.h"

namespace unicc::ivr {

class FlowRegistry {
 public:
  explicit FlowRegistry(FlowStore& store) : store_(store) {}

  void load();
  void refresh(const std::string& name);

  // nullptr when nothing is published under that name or number.
  std::shared_ptr<const Flow> current(const std::string& name) const;
  std::shared_ptr<const Flow> for_did(const std::string& did) const;
  // Every published flow, by name.
  std::vector<std::shared_ptr<const Flow>> all() const;

 private:
  using Flows = std::map<std::string, std::shared_ptr<const Flow>>;

  std::shared_ptr<const Flow> build(const StoredFlow& stored) const;
  void install(Flows flows);

  FlowStore& store_;
  std::mutex reload_mutex_;  // one load/refresh at a time, so none loses another's change
  mutable std::mutex mutex_;  // guards the maps
  Flows by_name_;
  Flows by_did_;
};

}  // namespace unicc::ivr
