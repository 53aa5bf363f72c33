#pragma once
// call::NumberPlan — where a dialled number goes.
//
// Calls from a trunk reach only DIDs. Calls from our own phones reach another
// extension, a DID (as if called from outside), or — with a trunk's outbound
// prefix — the outside world through that trunk (prefix removed). Anything else
// is not found. The plan is immutable once built from the configuration.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "sip/endpoint.h"

namespace unicc::call {

struct Destination {
  enum class Kind { kExtension, kTrunk } kind = Kind::kExtension;
  std::string number;        // extension, or the number to send to the trunk
  const core::TrunkConfig* trunk = nullptr;  // for kTrunk
};

class NumberPlan {
 public:
  NumberPlan(const std::vector<core::TrunkConfig>& trunks, const std::vector<core::DidConfig>& dids);

  const std::vector<core::TrunkConfig>& trunks() const { return trunks_; }
  // The trunk a request comes from: a UDP trunk's address and port, or a TCP or
  // TLS trunk's address (their source ports are ephemeral). A TLS trunk with a
  // tls_name is matched only when the connection's verified peer certificate
  // carries that name; anything else from its address is an unknown source.
  const core::TrunkConfig* trunk_at(const sip::Endpoint& source) const;

  std::optional<Destination> route_from_trunk(std::string_view dialled) const;
  std::optional<Destination> route_from_phone(std::string_view dialled, bool dialled_is_extension) const;

 private:
  std::optional<std::string> did_target(std::string_view dialled) const;

  const std::vector<core::TrunkConfig>& trunks_;
  const std::vector<core::DidConfig>& dids_;
};

}  // namespace unicc::call
