#pragma once
// sip::Registrar — REGISTER handling (RFC 3261 §10.3) with digest authentication.
//
// Only accounts in the directory may register, each only its own extension (the
// To user must be the authenticated user). No credentials, or a stale nonce, get
// 401 with fresh challenges; wrong credentials or an unknown user get 403 (the
// same answer for both, so a scanner learns nothing). Expiry is clamped to the
// configured maximum; a nonzero expiry under the minimum gets 423 with
// Min-Expires. "Contact: *" with Expires: 0 removes every binding. The 200 lists
// all current bindings with their remaining expiry. GRUU is not offered.
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.h"
#include "sip/digest.h"
#include "sip/endpoint.h"
#include "sip/location.h"
#include "sip/message.h"

namespace unicc::sip {

struct RegistrarSettings {
  std::int64_t min_expires_s = 60;
  std::int64_t max_expires_s = 3600;
  std::int64_t default_expires_s = 3600;
};

class Registrar {
 public:
  using Reply = std::function<void(std::string response)>;

  Registrar(const AccountDirectory& accounts, LocationService& locations, DigestAuthenticator& digest,
            const core::Clock& clock, RegistrarSettings settings)
      : accounts_(accounts), locations_(locations), digest_(digest), clock_(clock), settings_(settings) {}

  void handle(const Message& request, const Endpoint& from, const Reply& reply);

 private:
  const AccountDirectory& accounts_;
  LocationService& locations_;
  DigestAuthenticator& digest_;
  const core::Clock& clock_;
  RegistrarSettings settings_;
};

// The HA1 lookup the digest authenticator needs, backed by the directory.
DigestAuthenticator::Ha1Lookup ha1_lookup(const AccountDirectory& accounts);

}  // namespace unicc::sip
