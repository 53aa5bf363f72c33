#pragma once
// app::Telephony — the SIP side of `unicc serve`: the SIP thread with its
// transport and B2BUA, the media engine, the SIP accounts (loaded from the
// database into memory at start, so no call waits on disk), the CDR store, the
// registrations to carriers (made at start, removed at stop), and the IVR that
// answers the numbers published flows claim.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "call/b2bua.h"
#include "call/cdr.h"
#include "ivr/call_runner.h"
#include "ivr/registry.h"
#include "core/config.h"
#include "core/metrics.h"
#include "sip/registration_client.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::app {

// What the IVR on calls needs from the rest of the server.
struct IvrServices {
  const ivr::FlowRegistry& flows;
  decltype(ivr::CallRunnerParts::fetch) fetch;
  decltype(ivr::CallRunnerParts::voicemail) voicemail;
};

class Telephony {
 public:
  Telephony(const core::Config& config, store::Database& db, store::AsyncWriter& writer, core::Metrics& metrics,
            const core::Clock& clock, call::CallObserver& observer, IvrServices ivr);
  ~Telephony();

  // Binds the SIP sockets and starts the SIP thread; throws std::runtime_error
  // naming the address when binding fails.
  void start();
  // Hangs up every call (their CDRs are queued), then stops SIP and media.
  void stop();

  // "udp:127.0.0.1:5060 tcp:127.0.0.1:5060", for the start banner.
  std::string listening() const;
  call::CdrStore& cdrs();
  // Registration of each configured trunk to its carrier (nothing for trunks that
  // do not register); safe from any thread.
  std::vector<std::optional<sip::RegistrationState>> trunk_registrations() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Creates the SIP account (extension) unless it exists; HA1s use `realm`.
void ensure_sip_account(store::Database& db, const std::string& extension, const std::string& display_name,
                        const std::string& password, const std::string& realm, std::int64_t now_ms);

}  // namespace unicc::app
