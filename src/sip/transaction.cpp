#include "sip/transaction.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "sip/builder.h"
#include "sip/scan.h"

namespace unicc::sip {
namespace {

using std::chrono::milliseconds;
using TimerToken = std::uint64_t;

// RFC 3261 §8.1.1.7: branches starting with this were made by RFC 3261 clients
// and are unique, so they alone identify a transaction.
constexpr std::string_view kBranchCookie = "z9hG4bK";
// Timer G retransmissions of a non-2xx final response to an INVITE (RFC 3261 has
// them until Timer H, about ten): one forged request earns at most 1 + this many.
constexpr int kMaxFinalRetransmits = 2;
// Timer D (§17.1.1.2) must last at least 32 s on unreliable transports.
constexpr milliseconds kTimerDUnreliable{32000};

bool is_provisional(int status) { return status < 200; }
bool is_reliable(const Endpoint& endpoint) { return endpoint.transport != Transport::kUdp; }

// The status code of a response handed to us as text ("SIP/2.0 486 Busy Here").
std::optional<int> status_code_of(std::string_view response) {
  constexpr std::string_view kVersion = "SIP/2.0 ";
  if (!response.starts_with(kVersion) || response.size() < kVersion.size() + 4 ||
      response[kVersion.size() + 3] != ' ') {
    return std::nullopt;
  }
  std::optional<std::uint32_t> code = scan::parse_uint(response.substr(kVersion.size(), 3), 699);
  if (!code || *code < 100) return std::nullopt;
  return static_cast<int>(*code);
}

// §17.1.3: a response belongs to the client transaction whose request had the
// same top Via branch and CSeq method (a CANCEL shares the INVITE's branch).
std::string client_key(std::string_view branch, std::string_view method) {
  std::string key(method);
  key += ' ';
  key += branch;
  return key;
}

// §17.2.3: branch, sent-by and method; callers pass "INVITE" for an ACK.
std::string server_key(const Message& request, std::string_view method) {
  const Via& via = request.vias().front();
  std::string key = client_key(via.branch, method);
  key += ' ';
  for (char c : via.sent_by.host) key += scan::to_lower(c);
  key += ':';
  key += std::to_string(via.sent_by.port);
  return key;
}

// Where responses to `request` go (§18.2.2 with RFC 3581): back over the same
// connection on TCP; on UDP to the source address, and to the source port only
// when the client asked for it with rport, else to the port in its Via.
Endpoint response_destination(const Message& request, const Endpoint& source) {
  Endpoint destination = source;
  const Via& via = request.vias().front();
  if (!is_reliable(source) && !via.rport) {
    destination.port = via.sent_by.port != 0 ? via.sent_by.port : kDefaultSipPort;
  }
  return destination;
}

std::string top_via_text(const Message& request) {
  const Via& via = request.vias().front();
  std::string text = "SIP/2.0/";
  text += via.transport;
  text += ' ';
  via.sent_by.append_to(text);
  if (!via.params.empty()) {
    text += ';';
    text += via.params.raw();
  }
  return text;
}

// The ACK for a non-2xx final response (§17.1.1.3) and the CANCEL (§9.1) both
// repeat the INVITE's Request-URI, top Via, Route set, From, Call-ID and CSeq
// number; they differ in method and in the To (the ACK takes the response's,
// which carries the UAS's tag).
std::string request_mirroring_invite(const Message& invite, std::string_view method, std::string_view to) {
  MessageBuilder builder = MessageBuilder::request(method, invite.request_uri().raw);
  builder.add("Via", top_via_text(invite));
  builder.add("Max-Forwards", std::to_string(invite.max_forwards().value_or(70)));
  for (const Header& header : invite.headers()) {
    if (header.id == HeaderId::kRoute) builder.add(header.name, header.value);
  }
  builder.add("From", invite.header("From").value_or(""));
  builder.add("To", to);
  builder.add("Call-ID", invite.call_id());
  builder.add("CSeq", std::to_string(invite.cseq().number) + " " + std::string(method));
  return builder.finish();
}

enum class ClientState : std::uint8_t {
  kCalling,     // INVITE sent, nothing heard yet
  kTrying,      // non-INVITE sent, nothing heard yet
  kProceeding,  // a provisional response came
  kCompleted,   // a final response came (non-2xx for INVITE); absorbing retransmissions
  kAccepted,    // RFC 6026: INVITE got a 2xx; further 2xx still go to the TU
};

enum class ServerState : std::uint8_t {
  kTrying,      // non-INVITE received, the TU has not answered
  kProceeding,  // a provisional response was sent (or, for INVITE, none yet)
  kCompleted,   // a final response was sent (non-2xx for INVITE)
  kConfirmed,   // INVITE only: the ACK for the non-2xx came
  kAccepted,    // RFC 6026: INVITE answered 2xx; absorbing retransmitted INVITEs
};

// The two timers every transaction runs: one for retransmissions over UDP
// (A, E, G) and one for the state's deadline (B, F, H, the §9.1 CANCEL
// give-up) or its lingering (D, I, J, K, L, M).
struct TransactionTimers {
  milliseconds retransmit_interval{0};
  std::optional<TimerToken> retransmit_timer;
  std::optional<TimerToken> deadline_timer;
};

struct ClientTransaction : TransactionTimers {
  ClientTransaction(Message sent, std::string sent_bytes, const Endpoint& destination, ClientCallbacks tu,
                    std::string match_key)
      : request(std::move(sent)),
        bytes(std::move(sent_bytes)),
        to(destination),
        callbacks(std::move(tu)),
        key(std::move(match_key)),
        invite(request.method_id() == Method::kInvite),
        state(invite ? ClientState::kCalling : ClientState::kTrying) {}

  Message request;
  std::string bytes;  // as sent, for retransmission
  Endpoint to;
  ClientCallbacks callbacks;
  std::string key;
  bool invite;
  ClientState state;
  std::string ack;             // resent for each retransmitted non-2xx final
  bool cancel_wanted = false;  // §9.1: held back until a provisional arrives
};

struct ServerTransaction : TransactionTimers {
  ServerTransaction(const Message& received, const Endpoint& destination, std::string match_key)
      : request(received),
        reply_to(destination),
        key(std::move(match_key)),
        invite(request.method_id() == Method::kInvite),
        state(invite ? ServerState::kProceeding : ServerState::kTrying) {}

  Message request;
  Endpoint reply_to;
  std::string key;
  bool invite;
  // CANCEL transactions are answered by the layer itself; the TU never saw their id.
  bool known_to_user = true;
  ServerState state;
  std::string last_response;
  std::optional<TimerToken> trying_timer;  // the automatic 100 Trying
  int final_retransmits = 0;               // Timer G firings so far
};

}  // namespace

class TransactionLayer::Impl {
 public:
  Impl(MessageSender& sender, TimerService& timers, TransactionUser& user, TimerSettings settings)
      : sender_(sender), timers_(timers), user_(user), settings_(settings), tag_random_(std::random_device{}()) {}

  ~Impl() {
    for (const auto& [token, timer] : live_timers_) timers_.cancel(timer);
  }

  void receive(const Message& message, const Endpoint& from) {
    if (message.is_request()) {
      receive_request(message, from);
    } else {
      receive_response(message, from);
    }
  }

  void respond(ServerTransactionId id, std::string response) {
    auto found = servers_.find(id);
    if (found == servers_.end()) {
      spdlog::debug("sip transaction: response for unknown or finished server transaction {} dropped", id);
      return;
    }
    std::optional<int> status = status_code_of(response);
    if (!status) {
      spdlog::error("sip transaction: server transaction {} was handed a malformed response", id);
      return;
    }
    ServerTransaction& tx = found->second;
    stop_timer(tx.trying_timer);
    if (tx.invite) {
      respond_invite(id, tx, *status, std::move(response));
    } else {
      respond_non_invite(id, tx, *status, std::move(response));
    }
  }

  ClientTransactionId send_request(std::string request, const Endpoint& to, ClientCallbacks callbacks) {
    ClientTransactionId id = next_id_++;
    Result<Message> parsed = Message::parse(request);
    std::string key = parsed ? client_key(parsed->vias().front().branch, parsed->method()) : std::string();
    if (!parsed || !parsed->is_request() || parsed->method_id() == Method::kAck || client_index_.contains(key)) {
      spdlog::error("sip transaction: request not sent: {}",
                    parsed ? "it is an ACK, a response, or reuses a branch" : parsed.error().reason);
      call_later(std::move(callbacks.on_timeout));
      return id;
    }
    client_index_.emplace(key, id);
    ClientTransaction& tx =
        clients_
            .try_emplace(id, std::move(parsed).value(), std::move(request), to, std::move(callbacks), std::move(key))
            .first->second;
    if (!transmit(tx.to, tx.bytes)) {
      client_transport_failed(id);
      return id;
    }
    arm(tx.deadline_timer, timer_64t1(), &Impl::client_deadline_fired, id);  // B or F
    if (!is_reliable(tx.to)) {
      tx.retransmit_interval = settings_.t1;
      arm(tx.retransmit_timer, tx.retransmit_interval, &Impl::client_retransmit_fired, id);  // A or E
    }
    return id;
  }

  void cancel(ClientTransactionId id) {
    auto found = clients_.find(id);
    if (found == clients_.end() || !found->second.invite || found->second.cancel_wanted) {
      spdlog::debug("sip transaction: cancel of {} ignored (unknown, not an INVITE, or already asked)", id);
      return;
    }
    ClientTransaction& tx = found->second;
    tx.cancel_wanted = true;
    if (tx.state == ClientState::kProceeding) send_cancel(id, tx);
  }

  bool send_stateless(const Endpoint& to, const std::string& bytes) { return transmit(to, bytes); }

  std::size_t server_transactions() const { return servers_.size(); }
  std::size_t client_transactions() const { return clients_.size(); }

 private:
  milliseconds timer_64t1() const { return 64 * settings_.t1; }

  // ---- timers -------------------------------------------------------------
  // Tokens rather than the service's ids, so a timer that fired (or that we
  // stopped) is forgotten at once and the destructor can cancel the rest.

  TimerToken start_timer(milliseconds after, std::function<void()> fire) {
    TimerToken token = next_timer_token_++;
    TimerService::TimerId timer = timers_.start(after, [this, token, fire = std::move(fire)] {
      if (live_timers_.erase(token) == 0) return;
      fire();
    });
    live_timers_.emplace(token, timer);
    return token;
  }

  // (Re)starts the timer held in `slot`, which calls `fired` with the transaction's id.
  void arm(std::optional<TimerToken>& slot, milliseconds after, void (Impl::*fired)(std::uint64_t), std::uint64_t id) {
    stop_timer(slot);
    slot = start_timer(after, [this, fired, id] { (this->*fired)(id); });
  }

  void stop_timers(TransactionTimers& tx) {
    stop_timer(tx.retransmit_timer);
    stop_timer(tx.deadline_timer);
  }

  void stop_timer(std::optional<TimerToken>& slot) {
    if (!slot) return;
    if (auto live = live_timers_.find(*slot); live != live_timers_.end()) {
      timers_.cancel(live->second);
      live_timers_.erase(live);
    }
    slot.reset();
  }

  // Transport failures reach the TU on a later turn of the loop: they are often
  // found inside a call the TU made (respond, send_request), which must not
  // call back into the TU.
  void call_later(std::function<void()> notify) {
    if (notify) start_timer(milliseconds{0}, std::move(notify));
  }

  bool transmit(const Endpoint& to, const std::string& bytes) {
    if (sender_.send(to, bytes)) return true;
    spdlog::warn("sip transaction: could not send to {}", to.to_string());
    return false;
  }

  std::string fresh_tag() {
    constexpr std::string_view kHex = "0123456789abcdef";
    std::uint64_t bits = tag_random_();
    std::string tag(16, '0');
    for (char& digit : tag) {
      digit = kHex[bits & 0xf];
      bits >>= 4;
    }
    return tag;
  }

  // ---- client transactions ------------------------------------------------

  void client_retransmit_fired(ClientTransactionId id) {
    ClientTransaction& tx = clients_.at(id);
    tx.retransmit_timer.reset();
    if (!transmit(tx.to, tx.bytes)) {
      client_transport_failed(id);
      return;
    }
    // Timer A doubles without limit; E doubles up to T2, and stays at T2 once a
    // provisional response showed the server is alive (§17.1.2.2).
    if (tx.invite) {
      tx.retransmit_interval *= 2;
    } else if (tx.state == ClientState::kProceeding) {
      tx.retransmit_interval = settings_.t2;
    } else {
      tx.retransmit_interval = std::min(2 * tx.retransmit_interval, settings_.t2);
    }
    arm(tx.retransmit_timer, tx.retransmit_interval, &Impl::client_retransmit_fired, id);
  }

  void client_deadline_fired(ClientTransactionId id) {
    ClientState state = clients_.at(id).state;
    ClientCallbacks callbacks = end_client(id);
    // D, K and M only end the lingering; B, F and the CANCEL give-up are timeouts.
    bool lingering = state == ClientState::kCompleted || state == ClientState::kAccepted;
    if (!lingering && callbacks.on_timeout) callbacks.on_timeout();
  }

  void client_transport_failed(ClientTransactionId id) { call_later(end_client(id).on_timeout); }

  // Removes the transaction and hands back its callbacks for a last report.
  ClientCallbacks end_client(ClientTransactionId id) {
    auto found = clients_.find(id);
    ClientTransaction& tx = found->second;
    stop_timers(tx);
    client_index_.erase(tx.key);
    ClientCallbacks callbacks = std::move(tx.callbacks);
    clients_.erase(found);
    return callbacks;
  }

  // Enters Completed or Accepted, which only absorb retransmissions until
  // `duration` ends them; a zero duration (reliable transports) ends them now.
  void linger_client(ClientTransactionId id, ClientTransaction& tx, ClientState state, milliseconds duration) {
    if (duration == milliseconds{0}) {
      end_client(id);
      return;
    }
    stop_timers(tx);
    tx.state = state;
    arm(tx.deadline_timer, duration, &Impl::client_deadline_fired, id);
  }

  void receive_response(const Message& response, const Endpoint& from) {
    auto found = client_index_.find(client_key(response.vias().front().branch, response.cseq().method));
    if (found == client_index_.end()) {
      user_.on_stray_response(response, from);
      return;
    }
    ClientTransactionId id = found->second;
    ClientTransaction& tx = clients_.at(id);
    // Copied: the transaction may end before the TU hears of the response.
    std::function<void(const Message&)> on_response = tx.callbacks.on_response;
    bool report = tx.invite ? invite_client_response(id, tx, response) : non_invite_client_response(id, tx, response);
    if (report && on_response) on_response(response);
  }

  // Returns whether the TU hears of `response`.
  bool invite_client_response(ClientTransactionId id, ClientTransaction& tx, const Message& response) {
    int status = response.status_code();
    switch (tx.state) {
      case ClientState::kCompleted:
        // Our ACK was lost, so the server retransmits its final response (§17.1.1.2).
        if (status >= 300) transmit(tx.to, tx.ack);
        return false;
      case ClientState::kAccepted:
        // Retransmissions of the 2xx, or 2xx from other forks: the TU ACKs each.
        return is_success(status);
      default:
        break;
    }
    if (is_provisional(status)) {
      if (tx.state == ClientState::kCalling) {
        stop_timers(tx);  // Timer B guards only the Calling state
        tx.state = ClientState::kProceeding;
        if (tx.cancel_wanted) send_cancel(id, tx);
      }
    } else if (is_success(status)) {
      linger_client(id, tx, ClientState::kAccepted, timer_64t1());  // Timer M (RFC 6026)
    } else {
      tx.ack = request_mirroring_invite(tx.request, "ACK", response.header("To").value_or(""));
      transmit(tx.to, tx.ack);
      linger_client(id, tx, ClientState::kCompleted, is_reliable(tx.to) ? milliseconds{0} : kTimerDUnreliable);
    }
    return true;
  }

  bool non_invite_client_response(ClientTransactionId id, ClientTransaction& tx, const Message& response) {
    if (tx.state == ClientState::kCompleted) return false;
    if (is_provisional(response.status_code())) {
      tx.state = ClientState::kProceeding;
    } else {
      linger_client(id, tx, ClientState::kCompleted, is_reliable(tx.to) ? milliseconds{0} : settings_.t4);  // K
    }
    return true;
  }

  void send_cancel(ClientTransactionId invite_id, ClientTransaction& invite) {
    // §9.1: if the INVITE never gets a final response, give it up 64*T1 after the CANCEL.
    arm(invite.deadline_timer, timer_64t1(), &Impl::client_deadline_fired, invite_id);
    send_request(request_mirroring_invite(invite.request, "CANCEL", invite.request.header("To").value_or("")),
                 invite.to, ClientCallbacks{});
  }

  // ---- server transactions ------------------------------------------------

  void receive_request(const Message& request, const Endpoint& from) {
    if (!request.vias().front().branch.starts_with(kBranchCookie)) {
      reject_without_cookie(request, from);
      return;
    }
    if (request.method_id() == Method::kAck) {
      receive_ack(request, from);
      return;
    }
    if (auto found = server_index_.find(server_key(request, request.method())); found != server_index_.end()) {
      resend_last_response(found->second);
      return;
    }
    if (request.method_id() == Method::kCancel) {
      receive_cancel(request, from);
      return;
    }
    user_.on_request(create_server(request, from), request, from);
  }

  // RFC 2543 clients (no cookie) would need the old matching rules of §17.2.3.
  // No device we serve is that old, so they get a plain stateless 400.
  void reject_without_cookie(const Message& request, const Endpoint& from) {
    spdlog::debug("sip transaction: {} from {} has no z9hG4bK branch", request.method(), from.to_string());
    if (request.method_id() == Method::kAck) return;  // an ACK is never answered
    transmit(response_destination(request, from),
             response_to(request, 400, "Branch Lacks z9hG4bK Cookie", fresh_tag()).finish());
  }

  void receive_ack(const Message& ack, const Endpoint& from) {
    auto found = server_index_.find(server_key(ack, "INVITE"));
    if (found == server_index_.end()) {
      user_.on_ack(ack, from);  // the ACK for a 2xx is a transaction of its own
      return;
    }
    ServerTransactionId id = found->second;
    ServerTransaction& tx = servers_.at(id);
    if (tx.state == ServerState::kCompleted) {
      // Timer I absorbs ACK retransmissions before the transaction ends.
      linger_server(id, tx, ServerState::kConfirmed, is_reliable(tx.reply_to) ? milliseconds{0} : settings_.t4);
    } else if (tx.state == ServerState::kAccepted) {
      user_.on_ack(ack, from);
    }
  }

  // §9.2: a CANCEL matching a pending INVITE is answered 200 and reported; one
  // matching an answered INVITE is answered 200 and has no effect; one matching
  // nothing gets 481. Either way it is a server transaction, so its own
  // retransmissions are answered again.
  void receive_cancel(const Message& cancel, const Endpoint& from) {
    auto invite = server_index_.find(server_key(cancel, "INVITE"));
    bool matched = invite != server_index_.end();
    ServerTransactionId invite_id = matched ? invite->second : 0;  // read before create_server rehashes the index
    ServerTransactionId cancel_id = create_server(cancel, from);
    servers_.at(cancel_id).known_to_user = false;
    if (!matched) {
      respond(cancel_id, response_to(cancel, 481, {}, fresh_tag()).finish());
      return;
    }
    const ServerTransaction& invite_tx = servers_.at(invite_id);
    bool pending = invite_tx.state == ServerState::kProceeding;
    respond(cancel_id, response_to(cancel, 200, {}, to_tag_for_cancel_response(invite_tx)).finish());
    if (pending) user_.on_cancel(invite_id, cancel);
  }

  // §9.2 wants the 200 for CANCEL to carry the To tag of the INVITE's responses.
  std::string to_tag_for_cancel_response(const ServerTransaction& invite) {
    if (!invite.last_response.empty()) {
      Result<Message> sent = Message::parse(invite.last_response);
      if (sent && !sent->to().tag().empty()) return std::string(sent->to().tag());
    }
    return fresh_tag();
  }

  ServerTransactionId create_server(const Message& request, const Endpoint& from) {
    ServerTransactionId id = next_id_++;
    std::string key = server_key(request, request.method());
    server_index_.emplace(key, id);
    ServerTransaction& tx =
        servers_.try_emplace(id, request, response_destination(request, from), std::move(key)).first->second;
    if (tx.invite) tx.trying_timer = start_timer(settings_.auto_trying, [this, id] { send_automatic_trying(id); });
    return id;
  }

  void send_automatic_trying(ServerTransactionId id) {
    ServerTransaction& tx = servers_.at(id);
    tx.trying_timer.reset();
    respond(id, response_to(tx.request, 100).finish());
  }

  // §17.2.1, §17.2.2: a retransmitted request gets the last response again;
  // before any response, and once an INVITE is Confirmed, it is just absorbed.
  void resend_last_response(ServerTransactionId id) {
    ServerTransaction& tx = servers_.at(id);
    if (tx.state == ServerState::kConfirmed || tx.last_response.empty()) return;
    if (!transmit(tx.reply_to, tx.last_response)) server_transport_failed(id);
  }

  void respond_invite(ServerTransactionId id, ServerTransaction& tx, int status, std::string response) {
    // RFC 6026 §7.1: the TU retransmits its 2xx through the Accepted transaction.
    bool retransmitted_2xx = tx.state == ServerState::kAccepted && is_success(status);
    if (tx.state != ServerState::kProceeding && !retransmitted_2xx) {
      spdlog::warn("sip transaction: INVITE server transaction {} already answered; {} dropped", id, status);
      return;
    }
    if (!send_response(id, tx, std::move(response)) || retransmitted_2xx || is_provisional(status)) return;
    if (is_success(status)) {
      linger_server(id, tx, ServerState::kAccepted, timer_64t1());  // Timer L
      return;
    }
    tx.state = ServerState::kCompleted;
    arm(tx.deadline_timer, timer_64t1(), &Impl::server_deadline_fired, id);  // H
    if (!is_reliable(tx.reply_to)) {
      tx.retransmit_interval = settings_.t1;
      arm(tx.retransmit_timer, tx.retransmit_interval, &Impl::server_retransmit_fired, id);  // G
    }
  }

  void respond_non_invite(ServerTransactionId id, ServerTransaction& tx, int status, std::string response) {
    if (tx.state == ServerState::kCompleted) {
      spdlog::warn("sip transaction: server transaction {} already answered; {} dropped", id, status);
      return;
    }
    if (!send_response(id, tx, std::move(response))) return;
    if (is_provisional(status)) {
      tx.state = ServerState::kProceeding;
    } else {
      linger_server(id, tx, ServerState::kCompleted, is_reliable(tx.reply_to) ? milliseconds{0} : timer_64t1());  // J
    }
  }

  // Returns false, having ended the transaction, when the transport failed.
  bool send_response(ServerTransactionId id, ServerTransaction& tx, std::string response) {
    tx.last_response = std::move(response);
    if (transmit(tx.reply_to, tx.last_response)) return true;
    server_transport_failed(id);
    return false;
  }

  void server_retransmit_fired(ServerTransactionId id) {
    ServerTransaction& tx = servers_.at(id);
    tx.retransmit_timer.reset();
    // A forged INVITE from a spoofed address must not make us send many packets to
    // it; a real client whose ACK got lost more often retransmits its INVITE and gets
    // the response again.
    if (++tx.final_retransmits > kMaxFinalRetransmits) return;
    if (!transmit(tx.reply_to, tx.last_response)) {
      server_transport_failed(id);
      return;
    }
    tx.retransmit_interval = std::min(2 * tx.retransmit_interval, settings_.t2);
    arm(tx.retransmit_timer, tx.retransmit_interval, &Impl::server_retransmit_fired, id);
  }

  void server_deadline_fired(ServerTransactionId id) {
    const ServerTransaction& tx = servers_.at(id);
    // Timer H: the ACK for our non-2xx never came. I, J and L only end the lingering.
    bool ack_missing = tx.invite && tx.state == ServerState::kCompleted;
    end_server(id);
    if (ack_missing) user_.on_server_transaction_failed(id);
  }

  void server_transport_failed(ServerTransactionId id) {
    bool known_to_user = servers_.at(id).known_to_user;
    end_server(id);
    if (known_to_user) call_later([this, id] { user_.on_server_transaction_failed(id); });
  }

  void end_server(ServerTransactionId id) {
    auto found = servers_.find(id);
    ServerTransaction& tx = found->second;
    stop_timers(tx);
    stop_timer(tx.trying_timer);
    server_index_.erase(tx.key);
    servers_.erase(found);
  }

  void linger_server(ServerTransactionId id, ServerTransaction& tx, ServerState state, milliseconds duration) {
    if (duration == milliseconds{0}) {
      end_server(id);
      return;
    }
    stop_timers(tx);
    tx.state = state;
    arm(tx.deadline_timer, duration, &Impl::server_deadline_fired, id);
  }

  MessageSender& sender_;
  TimerService& timers_;
  TransactionUser& user_;
  TimerSettings settings_;
  std::mt19937_64 tag_random_;

  std::uint64_t next_id_ = 1;  // shared by client and server ids, so logs never confuse them
  std::unordered_map<ClientTransactionId, ClientTransaction> clients_;
  std::unordered_map<std::string, ClientTransactionId> client_index_;
  std::unordered_map<ServerTransactionId, ServerTransaction> servers_;
  std::unordered_map<std::string, ServerTransactionId> server_index_;

  TimerToken next_timer_token_ = 1;
  std::unordered_map<TimerToken, TimerService::TimerId> live_timers_;
};

TransactionLayer::TransactionLayer(MessageSender& sender, TimerService& timers, TransactionUser& user,
                                   TimerSettings settings)
    : impl_(std::make_unique<Impl>(sender, timers, user, settings)) {}

TransactionLayer::~TransactionLayer() = default;

void TransactionLayer::receive(const Message& message, const Endpoint& from) { impl_->receive(message, from); }

void TransactionLayer::respond(ServerTransactionId id, std::string response) {
  impl_->respond(id, std::move(response));
}

ClientTransactionId TransactionLayer::send_request(std::string request, const Endpoint& to, ClientCallbacks callbacks) {
  return impl_->send_request(std::move(request), to, std::move(callbacks));
}

void TransactionLayer::cancel(ClientTransactionId invite) { impl_->cancel(invite); }

bool TransactionLayer::send_stateless(const Endpoint& to, const std::string& bytes) {
  return impl_->send_stateless(to, bytes);
}

std::size_t TransactionLayer::server_transactions() const { return impl_->server_transactions(); }
std::size_t TransactionLayer::client_transactions() const { return impl_->client_transactions(); }

}  // namespace unicc::sip
