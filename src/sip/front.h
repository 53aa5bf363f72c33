#pragma once
// sip::Front — where every SIP message the transport received is handed to its
// owner. It owns the transaction layer (RFC 3261 §17) and the registrar:
// responses to REGISTER go to the trunk registrations (unicc sends REGISTER for
// nothing else), REGISTER to the registrar, OPTIONS is answered 200 here; an
// INVITE without a To tag creates a dialog and goes to the DialogHandler (the
// B2BUA). Every other request with a To tag (and BYE and INFO without one) is
// in-dialog: it reaches the handler only when it matches one of the handler's
// dialogs (sip::Dialog::matches: Call-ID, both tags, from the peer); anything
// else is answered 481 here and the handler never sees it. An ACK that matches
// no dialog is dropped. Other requests outside a dialog get 405.
//
// Single-threaded: runs on the SIP event loop, like the transaction layer.
#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "sip/dialog.h"
#include "sip/digest.h"
#include "sip/location.h"
#include "sip/registrar.h"
#include "sip/transaction.h"
#include "sip/trunk_registrations.h"

namespace unicc::sip {

// The transaction user of dialogs: the B2BUA. Requests reach it only as the front
// sorted them (see above).
class DialogHandler {
 public:
  virtual ~DialogHandler() = default;
  // The dialog a Call-ID names, or nullptr; the front matches requests against it.
  virtual const Dialog* dialog(std::string_view call_id) const = 0;
  // An INVITE without a To tag.
  virtual void on_new_dialog(ServerTransactionId tx, const Message& invite, const Endpoint& from) = 0;
  // A request that matched dialog(its Call-ID).
  virtual void on_in_dialog(ServerTransactionId tx, const Message& request, const Endpoint& from) = 0;
  // An ACK for a 2xx that matched dialog(its Call-ID).
  virtual void on_ack(const Message& ack) = 0;
  // The caller CANCELled `invite`, still unanswered (the front answered the CANCEL).
  virtual void on_cancel(ServerTransactionId invite) = 0;
  // A response no client transaction wants, e.g. a retransmitted 2xx (§13.2.2.4).
  virtual void on_stray_response(const Message& response, const Endpoint& from) = 0;
  // A server transaction ended without its final response or ACK delivered.
  virtual void on_server_transaction_failed(ServerTransactionId id) = 0;
};

struct FrontParts {
  MessageSender& transport;
  TimerService& timers;
  const core::Clock& clock;
  const AccountDirectory& accounts;
  LocationService& locations;
  DigestAuthenticator& digest;
  TrunkRegistrations& trunk_registrations;
};

class Front final : private TransactionUser {
 public:
  Front(FrontParts parts, RegistrarSettings registrar);
  ~Front() override;

  // The handler of dialogs; until attached, requests that would reach it get 503.
  void attach(DialogHandler& handler) { handler_ = &handler; }

  // Every message the transport received and parsed, with its source.
  void receive(const Message& message, const Endpoint& from);

  // For the handler's own requests and responses.
  TransactionLayer& transactions() { return transactions_; }

 private:
  void on_request(ServerTransactionId id, const Message& request, const Endpoint& from) override;
  void on_ack(const Message& ack, const Endpoint& from) override;
  void on_cancel(ServerTransactionId invite, const Message& cancel) override;
  void on_stray_response(const Message& response, const Endpoint& from) override;
  void on_server_transaction_failed(ServerTransactionId id) override;

  // Whether `request` is in one of the handler's dialogs (logged when it is not).
  bool in_dialog(const Message& request, const Endpoint& from) const;
  void reply(ServerTransactionId id, const Message& request, int status);

  TrunkRegistrations& trunk_registrations_;
  TransactionLayer transactions_;
  Registrar registrar_;
  DialogHandler* handler_ = nullptr;
};

}  // namespace unicc::sip
