#include "call/routing.h"

#include <algorithm>

#include "sip/trunk_registrations.h"

namespace unicc::call {

NumberPlan::NumberPlan(const std::vector<core::TrunkConfig>& trunks, const std::vector<core::DidConfig>& dids)
    : trunks_(trunks), dids_(dids) {}

namespace {

// Whether a TLS trunk's required certificate name is among the peer's verified ones.
bool identity_matches(const core::TrunkConfig& trunk, const sip::Endpoint& source) {
  if (trunk.tls_name.empty()) return true;
  if (!source.tls_names) return false;
  return std::find(source.tls_names->begin(), source.tls_names->end(), trunk.tls_name) != source.tls_names->end();
}

}  // namespace

const core::TrunkConfig* NumberPlan::trunk_at(const sip::Endpoint& source) const {
  for (const auto& trunk : trunks_) {
    const sip::Transport transport = sip::trunk_transport(trunk);
    if (trunk.address != source.address || transport != source.transport) continue;
    if (transport == sip::Transport::kUdp ? trunk.port == source.port : identity_matches(trunk, source)) return &trunk;
  }
  return nullptr;
}

bool did_covers(const core::DidConfig& did, std::string_view dialled) {
  auto dash = did.numbers.find('-');
  std::string_view low = std::string_view(did.numbers).substr(0, dash);
  std::string_view high = dash == std::string::npos ? low : std::string_view(did.numbers).substr(dash + 1);
  // Equal-length digit strings compare like the numbers they spell.
  return dialled.size() == low.size() && dialled >= low && dialled <= high;
}

std::optional<std::string> NumberPlan::did_target(std::string_view dialled) const {
  for (const auto& did : dids_) {
    if (did_covers(did, dialled)) return did.target;
  }
  if (numbers_) {
    auto record = numbers_->find(std::string(dialled));
    auto target = record ? parse_number_target(record->target) : std::nullopt;
    if (target && target->kind == "extension") return target->name;
  }
  return std::nullopt;
}

std::optional<Destination> NumberPlan::route_from_trunk(std::string_view dialled) const {
  if (auto target = did_target(dialled)) return Destination{Destination::Kind::kExtension, *target, nullptr};
  return std::nullopt;
}

std::optional<Destination> NumberPlan::route_from_phone(std::string_view dialled, bool dialled_is_extension) const {
  if (dialled_is_extension) return Destination{Destination::Kind::kExtension, std::string(dialled), nullptr};
  if (auto target = did_target(dialled)) return Destination{Destination::Kind::kExtension, *target, nullptr};
  for (const auto& trunk : trunks_) {
    const auto& prefix = trunk.outbound_prefix;
    if (!prefix.empty() && dialled.size() > prefix.size() && dialled.substr(0, prefix.size()) == prefix) {
      return Destination{Destination::Kind::kTrunk, std::string(dialled.substr(prefix.size())), &trunk};
    }
  }
  return std::nullopt;
}

}  // namespace unicc::call
