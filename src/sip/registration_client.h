#pragma once
// sip::RegistrationClient — keeps one registration at a carrier's registrar
// (RFC 3261 §10.2), the way a PBX registers to a SIP trunk.
//
// start() sends REGISTER for sip:USER@REGISTRAR with our Contact; 401/407
// challenges are answered with digest (once per attempt, again only when the
// registrar says the nonce was stale). On 2xx the binding lives for the expiry
// the registrar granted (our Contact's expires parameter, else the Expires
// header) and is refreshed before it ends; 423 adopts Min-Expires and asks
// again at once; any other failure or a timeout is retried after a back-off
// that doubles up to a ceiling. Every REGISTER keeps the Call-ID and From tag
// and takes the next CSeq. stop() removes the binding (Expires: 0) and reports
// when the registrar answered or gave up.
//
// Single-threaded: runs on the thread of its TransactionLayer and TimerService,
// both of which must outlive it. Responses to a REGISTER still in flight when
// the client is destroyed are ignored.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "sip/endpoint.h"
#include "sip/message.h"
#include "sip/transaction.h"

namespace unicc::sip {

struct RegistrationSettings {
  std::string name;          // for logs, e.g. the trunk's name
  Endpoint registrar;        // where REGISTERs go: the carrier's address, port and transport
  std::string user;          // registered address: sip:user@registrar-address (From and To)
  std::string auth_user;     // digest username
  std::string password;
  std::string contact_user;  // our Contact: sip:contact_user@local_address:local_port
  std::string local_address;
  std::uint16_t local_port = 5060;
  std::chrono::seconds expires{3600};  // asked for; the registrar may grant less
  std::chrono::seconds retry_first{30};
  std::chrono::seconds retry_max{300};
};

enum class RegistrationStatus : std::uint8_t { kUnregistered, kRegistering, kRegistered, kFailed };

std::string_view registration_status_name(RegistrationStatus status);  // "registered", ...

struct RegistrationState {
  RegistrationStatus status = RegistrationStatus::kUnregistered;
  int last_code = 0;                 // last final response, 408 for a timeout; 0 before any
  std::int64_t last_response_ms = 0;  // when last_code came (Clock::now_ms)
  std::int64_t expires_at_ms = 0;     // registered: when the granted binding ends
  std::int64_t next_attempt_ms = 0;   // registered or failed: when the refresh or retry is due
};

class RegistrationClient {
 public:
  // Called on every change of the state, on the client's thread.
  using Listener = std::function<void(const RegistrationState& state)>;

  RegistrationClient(TransactionLayer& transactions, TimerService& timers, const core::Clock& clock,
                     RegistrationSettings settings, Listener listener);
  ~RegistrationClient();
  RegistrationClient(const RegistrationClient&) = delete;
  RegistrationClient& operator=(const RegistrationClient&) = delete;

  void start();
  // Un-REGISTERs when a binding may exist, then calls `done` (at once otherwise).
  // The client stays stopped.
  void stop(std::function<void()> done);

  const RegistrationState& state() const { return state_; }

 private:
  void begin_attempt(std::chrono::seconds expires);
  // `auth_header` names the credentials header ("Authorization"), empty for none.
  void send(std::string_view auth_header = {}, const std::string& credentials = {});
  void on_final(const Message& response);
  void on_timeout();
  bool answer_challenge(const Message& response);
  bool adopt_min_expires(const Message& response);
  void registered(const Message& response);
  void failed(int code);
  void finish_stop(std::optional<int> code);
  void schedule(std::chrono::milliseconds after);
  void cancel_timer();
  // Records the new state, tells the listener and logs the change; `code` is
  // the final response (or 408) that caused it, if any.
  // `response_at_ms`: when the response with `code` came, if the caller read the clock
  // already (so that times derived from it agree to the millisecond); else now.
  void report(RegistrationStatus status, std::optional<int> code, const std::string& detail = {},
              std::optional<std::int64_t> response_at_ms = std::nullopt);

  TransactionLayer& transactions_;
  TimerService& timers_;
  const core::Clock& clock_;
  RegistrationSettings settings_;
  Listener listener_;
  std::string request_uri_;
  std::string aor_;
  std::string contact_uri_;
  std::string call_id_;
  std::string from_tag_;
  std::uint32_t cseq_ = 0;

  std::chrono::seconds wanted_expires_;  // raised by 423
  std::chrono::seconds sent_expires_{0};  // of the attempt in flight
  int challenges_answered_ = 0;           // in the attempt in flight
  std::uint64_t request_seq_ = 0;         // responses to older requests are ignored
  bool in_flight_ = false;
  int failures_ = 0;                      // in a row, for the back-off
  std::optional<TimerService::TimerId> timer_;
  bool stopping_ = false;
  std::function<void()> stopped_;
  RegistrationState state_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace unicc::sip
