#include "sip/front.h"

#include <spdlog/spdlog.h>

namespace unicc::sip {

Front::Front(FrontParts parts, RegistrarSettings registrar)
    : trunk_registrations_(parts.trunk_registrations),
      transactions_(parts.transport, parts.timers, *this),
      registrar_(parts.accounts, parts.locations, parts.digest, parts.clock, registrar) {}

Front::~Front() = default;

void Front::receive(const Message& message, const Endpoint& from) {
  if (TrunkRegistrations::handles(message)) return trunk_registrations_.receive(message, from);
  transactions_.receive(message, from);
}

void Front::on_request(ServerTransactionId id, const Message& request, const Endpoint& from) {
  const Method method = request.method_id();
  if (method == Method::kRegister) {
    return registrar_.handle(request, from, [&](std::string response) { transactions_.respond(id, response); });
  }
  if (method == Method::kOptions) {
    return transactions_.respond(id, response_to(request, 200, {}, new_tag())
                                         .add("Allow", kAllowedMethods)
                                         .add("Accept", "application/sdp")
                                         .finish());
  }
  const bool has_to_tag = !request.to().tag().empty();
  const bool creates_dialog = method == Method::kInvite && !has_to_tag;
  if (!creates_dialog && !has_to_tag && method != Method::kBye && method != Method::kInfo) {
    return transactions_.respond(id, response_to(request, 405, {}, new_tag()).add("Allow", kAllowedMethods).finish());
  }
  if (!handler_) return reply(id, request, 503);
  if (creates_dialog) return handler_->on_new_dialog(id, request, from);
  if (!in_dialog(request, from)) return reply(id, request, 481);
  handler_->on_in_dialog(id, request, from);
}

void Front::on_ack(const Message& ack, const Endpoint& from) {
  if (handler_ && in_dialog(ack, from)) handler_->on_ack(ack);
}

void Front::on_cancel(ServerTransactionId invite, const Message&) {
  if (handler_) handler_->on_cancel(invite);
}

void Front::on_stray_response(const Message& response, const Endpoint& from) {
  if (handler_) handler_->on_stray_response(response, from);
}

void Front::on_server_transaction_failed(ServerTransactionId id) {
  if (handler_) handler_->on_server_transaction_failed(id);
}

// Somebody guessing or replaying a Call-ID must change nothing (RFC 3261 §12.2.2).
bool Front::in_dialog(const Message& request, const Endpoint& from) const {
  const Dialog* dialog = handler_->dialog(request.call_id());
  if (!dialog) return false;
  if (dialog->matches(request, from)) return true;
  spdlog::warn("sip: {} from {} does not match its dialog; refused", request.method(), from.to_string());
  return false;
}

void Front::reply(ServerTransactionId id, const Message& request, int status) {
  transactions_.respond(id, response_to(request, status, {}, new_tag()).finish());
}

}  // namespace unicc::sip
