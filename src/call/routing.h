#pragma once
// call::NumberPlan — where a dialled number goes.
//
// Calls from a trunk reach only DIDs. Calls from our own phones reach another
// extension, a DID (as if called from outside), or — with a trunk's outbound
// prefix — the outside world through that trunk (prefix removed). Anything else
// is not found. The plan is immutable once built from the configuration, except for
// the numbers pointed at an extension at run time (call::NumberStore), read from the
// store's in-memory copy on each call after the configuration's [[did]] entries.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "call/numbers.h"
#include "core/config.h"
#include "sip/endpoint.h"

namespace unicc::call {

struct Destination {
  enum class Kind { kExtension, kTrunk } kind = Kind::kExtension;
  std::string number;        // extension, or the number to send to the trunk
  const core::TrunkConfig* trunk = nullptr;  // for kTrunk
};

// Whether a [[did]] entry ("4000" or a range "4000-4099") covers `dialled`.
bool did_covers(const core::DidConfig& did, std::string_view dialled);

class NumberPlan {
 public:
  NumberPlan(const std::vector<core::TrunkConfig>& trunks, const std::vector<core::DidConfig>& dids);

  // The run-time numbers whose "extension:" targets calls follow too; before calls arrive.
  void use_numbers(const NumberStore* numbers) { numbers_ = numbers; }

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
  const NumberStore* numbers_ = nullptr;
};

}  // namespace unicc::call
