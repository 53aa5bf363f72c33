#include "ivr/registry.h"

#include <spdlog/spdlog.h>

#include "ivr/check.h"

namespace unicc::ivr {

std::shared_ptr<const Flow> FlowRegistry::build(const StoredFlow& stored) const {
  auto check = check_flow(stored.document);
  if (!check.ok()) {
    spdlog::error("ivr: flow '{}' version {} is stored but does not validate ({} problem(s), first: {}); not used",
                  stored.name, stored.version, check.problems.size(), check.problems.front().message);
    return nullptr;
  }
  auto flow = std::make_shared<Flow>(*check.flow);
  flow->version = stored.version;
  return flow;
}

void FlowRegistry::install(Flows flows) {
  Flows by_did;
  for (const auto& [name, flow] : flows) {
    for (const auto& did : flow->dids) by_did[did] = flow;
  }
  std::lock_guard lock(mutex_);
  by_name_ = std::move(flows);
  by_did_ = std::move(by_did);
}

void FlowRegistry::load() {
  std::lock_guard reloading(reload_mutex_);
  Flows flows;
  for (const auto& stored : store_.current_all()) {
    if (auto flow = build(stored)) flows[stored.name] = flow;
  }
  install(std::move(flows));
}

void FlowRegistry::refresh(const std::string& name) {
  std::lock_guard reloading(reload_mutex_);
  std::shared_ptr<const Flow> flow;
  if (auto version = store_.current_version(name)) {
    if (auto stored = store_.version(name, version)) flow = build(*stored);
  }
  Flows flows;
  {
    std::lock_guard lock(mutex_);
    flows = by_name_;
  }
  if (flow) {
    flows[name] = flow;
  } else {
    flows.erase(name);
  }
  install(std::move(flows));
}

std::shared_ptr<const Flow> FlowRegistry::current(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::shared_ptr<const Flow> FlowRegistry::for_did(const std::string& did) const {
  std::lock_guard lock(mutex_);
  auto it = by_did_.find(did);
  return it == by_did_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const Flow>> FlowRegistry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const Flow>> out;
  out.reserve(by_name_.size());
  for (const auto& [name, flow] : by_name_) out.push_back(flow);
  return out;
}

}  // namespace unicc::ivr
