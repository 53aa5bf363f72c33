#pragma once
// sip::TrunkRegistrations — registration to the carrier of every [[trunk]] with
// register = true: one RegistrationClient each, on a transaction layer of
// their own. The SIP thread hands it the responses to REGISTER (handles()):
// unicc sends REGISTER for nothing else, so those are its; everything else goes
// to the B2BUA.
//
// start(), stop() and receive() run on the SIP thread. states() may be called
// from any thread (the HTTP API): it copies a snapshot kept under a mutex and
// updated on every state change.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "sip/registration_client.h"
#include "sip/transaction.h"

namespace unicc::sip {

// The transport of a trunk's `transport` setting ("udp", "tcp", "tls").
Transport trunk_transport(const core::TrunkConfig& trunk);

class TrunkRegistrations final : private TransactionUser {
 public:
  // Where carriers reach us, written into Via and Contact.
  using LocalAddress = sip::LocalAddress;

  TrunkRegistrations(const std::vector<core::TrunkConfig>& trunks, MessageSender& sender,
                     TimerService& timers, const core::Clock& clock);
  ~TrunkRegistrations() override;

  static bool handles(const Message& message);
  void receive(const Message& response, const Endpoint& from);

  void start(const LocalAddress& local);
  // Un-REGISTERs every trunk, then calls `done` once all carriers answered, or
  // after `limit` when some did not.
  void stop(std::chrono::milliseconds limit, std::function<void()> done);

  // One entry per configured trunk, in order; nothing for trunks that do not register.
  std::vector<std::optional<RegistrationState>> states() const;

 private:
  // TransactionUser. Only responses reach this layer, so the request
  // callbacks never run; a stray response is a late answer to an ended REGISTER.
  void on_request(ServerTransactionId id, const Message& request, const Endpoint& from) override;
  void on_ack(const Message& ack, const Endpoint& from) override;
  void on_cancel(ServerTransactionId invite, const Message& cancel) override;
  void on_server_transaction_failed(ServerTransactionId id) override;
  void on_stray_response(const Message& response, const Endpoint& from) override;

  void stopped_one();

  const std::vector<core::TrunkConfig>& trunks_;
  TimerService& timers_;
  const core::Clock& clock_;
  TransactionLayer transactions_;
  std::vector<std::unique_ptr<RegistrationClient>> clients_;  // declared after: destroyed first

  std::size_t stopping_ = 0;  // clients still un-REGISTERing
  std::function<void()> stopped_;
  std::optional<TimerService::TimerId> stop_limit_;

  mutable std::mutex mutex_;
  std::vector<std::optional<RegistrationState>> states_;
};

}  // namespace unicc::sip
