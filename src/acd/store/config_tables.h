#pragma once
// acd_store::ConfigTables — the ACD's tables in the configuration file, [[queue]] and
// [[agent]], read as AcdStore's records. Hand tables() to core::load_config: it reads
// them with core's own sections, so a bad value names the file, the line and the key
// ("unicc.toml:12: queue[2].strategy: must be one of ..."). AcdStore::seed then writes
// the records the database lacks.
//
// The file knows queues and agents only by name: a queue from the file has the group
// of its own name, and an agent's `queues` ("sales,support") become its groups, so an
// agent serves the queues it names.
#include <vector>

#include "acd/store/acd_store.h"
#include "core/config_rules.h"

namespace unicc::acd_store {

class ConfigTables {
 public:
  ConfigTables();

  // For core::parse_config and load_config; they fill `queues` and `agents`.
  std::vector<core::TableArray*> tables() { return {&queues, &agents}; }

  core::TableArrayOf<QueueRecord> queues;
  core::TableArrayOf<AgentRecord> agents;
};

}  // namespace unicc::acd_store
