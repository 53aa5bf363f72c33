#pragma once
// sip::TransactionLayer — RFC 3261 §17 client and server transactions.
//
// Sits between the transport (which hands it every parsed message) and the
// transaction user (TU: registrar, B2BUA). It matches messages to transactions
// (§17.1.3, §17.2.3, branch with the z9hG4bK cookie), absorbs retransmitted
// requests by resending the last response, retransmits over UDP with timers
// A/E/G (G at most twice: a forged INVITE from a spoofed address earns three
// packets, not a dozen), times out with B/F/H, and lingers with D/I/J/K (zero on TCP). It builds
// the ACK for non-2xx final responses to INVITE itself (§17.1.1.3); ACKs for 2xx
// belong to the TU. A CANCEL matching a pending INVITE server transaction is
// answered 200 here and reported to the TU, which then answers the INVITE 487;
// an unmatched CANCEL is answered 481.
//
// Single-threaded: every call, timer and callback happens on the thread that
// owns the layer (the SIP shard's event loop).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/timers.h"
#include "sip/endpoint.h"
#include "sip/message.h"

namespace unicc::sip {

// Sends bytes through the transport. Returns false when they could not be
// handed to the network (e.g. TCP connect failed); the layer treats that as a
// transport error (§17.1.4).
class MessageSender {
 public:
  virtual ~MessageSender() = default;
  virtual bool send(const Endpoint& to, const std::string& bytes) = 0;
};

// One-shot timers on the layer's own thread.
using TimerService = core::Timers;

using ServerTransactionId = std::uint64_t;
using ClientTransactionId = std::uint64_t;

class TransactionUser {
 public:
  virtual ~TransactionUser() = default;
  // A new request (never a retransmission, never ACK or a matched CANCEL).
  virtual void on_request(ServerTransactionId id, const Message& request, const Endpoint& from) = 0;
  // An ACK that matches no INVITE server transaction: the ACK for a 2xx (§17.2.1).
  virtual void on_ack(const Message& ack, const Endpoint& from) = 0;
  // A CANCEL matched `invite`, which is still waiting for a final response.
  virtual void on_cancel(ServerTransactionId invite, const Message& cancel) = 0;
  // A response that matches no client transaction, e.g. a retransmitted 2xx to an
  // INVITE whose transaction ended: the TU must ACK it again (§13.2.2.4).
  virtual void on_stray_response(const Message& response, const Endpoint& from) = 0;
  // A server transaction ended without the ACK or the final response being
  // delivered (timer H, or a transport error sending the response).
  virtual void on_server_transaction_failed(ServerTransactionId id) = 0;
};

struct ClientCallbacks {
  // Every provisional and final response (2xx retransmissions to INVITE included
  // while the transaction lives, so the TU can ACK each).
  std::function<void(const Message& response)> on_response;
  // Timer B or F fired, or the transport failed: the TU acts as if 408 came (§8.1.3.1).
  std::function<void()> on_timeout;
};

struct TimerSettings {
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};
  // A provisional "100 Trying" is sent for an INVITE the TU has not answered by then.
  std::chrono::milliseconds auto_trying{200};
};

class TransactionLayer {
 public:
  TransactionLayer(MessageSender& sender, TimerService& timers, TransactionUser& user, TimerSettings settings = {});
  ~TransactionLayer();

  // Every message the transport received and parsed, with its source.
  void receive(const Message& message, const Endpoint& from);

  // Sends a response in a server transaction; `response` is a complete message
  // (e.g. built with response_to). Unknown or finished ids are ignored (logged).
  void respond(ServerTransactionId id, std::string response);

  // Starts a client transaction for `request` (complete, with a fresh top Via
  // branch) to `to`. ACK is never sent this way (see send_stateless).
  ClientTransactionId send_request(std::string request, const Endpoint& to, ClientCallbacks callbacks);
  // Builds and sends the CANCEL for a pending INVITE client transaction (§9.1)
  // once a provisional response has arrived (or right away if one has);
  // its own outcome is not reported.
  void cancel(ClientTransactionId invite);

  // Sends without a transaction: ACK for 2xx, stateless replies.
  bool send_stateless(const Endpoint& to, const std::string& bytes);

  std::size_t server_transactions() const;
  std::size_t client_transactions() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unicc::sip
