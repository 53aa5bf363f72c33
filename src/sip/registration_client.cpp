#include "sip/registration_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "core/random.h"
#include "sip/auth_header.h"
#include "sip/builder.h"
#include "sip/digest.h"
#include "sip/scan.h"

namespace unicc::sip {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// One answer per attempt, and one more when the registrar only found our nonce
// stale; a further challenge means it refuses our credentials.
constexpr int kMaxChallengeAnswers = 2;
// A refresh leaves this much time before the binding ends, when the binding is
// long enough for it.
constexpr seconds kRefreshMargin{30};

std::string host_text(std::string_view address) {
  std::string host(address);
  return address.find(':') == std::string_view::npos ? host : "[" + host + "]";
}

// Refresh at 90 % of the granted time or kRefreshMargin before its end,
// whichever comes first, but never before half of it has passed: short
// bindings would otherwise be refreshed at once, over and over.
milliseconds refresh_after(seconds granted) {
  milliseconds lifetime = granted;
  return std::max(std::min(lifetime * 9 / 10, lifetime - milliseconds(kRefreshMargin)), lifetime / 2);
}

// The expiry granted to our Contact (§10.2.4): its own expires parameter in the
// 200, else the Expires header, else what we asked for.
seconds granted_expiry(const Message& response, const Uri& ours, seconds asked) {
  for (const NameAddr& contact : response.contacts()) {
    if (equivalent(contact.uri, ours) && contact.expires()) return seconds(*contact.expires());
  }
  if (response.expires()) return seconds(*response.expires());
  return asked;
}

}  // namespace

std::string_view registration_status_name(RegistrationStatus status) {
  switch (status) {
    case RegistrationStatus::kUnregistered:
      return "unregistered";
    case RegistrationStatus::kRegistering:
      return "registering";
    case RegistrationStatus::kRegistered:
      return "registered";
    case RegistrationStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

RegistrationClient::RegistrationClient(TransactionLayer& transactions, TimerService& timers, const core::Clock& clock,
                                       RegistrationSettings settings, Listener listener)
    : transactions_(transactions),
      timers_(timers),
      clock_(clock),
      settings_(std::move(settings)),
      listener_(std::move(listener)),
      call_id_(core::random_hex(12) + "@unicc"),
      from_tag_(core::random_hex(8)),
      wanted_expires_(settings_.expires) {
  const Endpoint& registrar = settings_.registrar;
  request_uri_ = "sip:" + host_text(registrar.address);
  if (registrar.port != kDefaultSipPort) request_uri_ += ":" + std::to_string(registrar.port);
  aor_ = "sip:" + settings_.user + "@" + host_text(registrar.address);
  contact_uri_ = "sip:" + settings_.contact_user + "@" + host_text(settings_.local_address) + ":" +
                 std::to_string(settings_.local_port);
  if (registrar.transport == Transport::kTcp) contact_uri_ += ";transport=tcp";
  if (registrar.transport == Transport::kTls) contact_uri_ += ";transport=tls";
}

RegistrationClient::~RegistrationClient() { cancel_timer(); }

void RegistrationClient::start() {
  report(RegistrationStatus::kRegistering, std::nullopt);
  begin_attempt(wanted_expires_);
}

void RegistrationClient::stop(std::function<void()> done) {
  cancel_timer();
  stopping_ = true;
  stopped_ = std::move(done);
  bool may_be_bound = state_.status == RegistrationStatus::kRegistered || in_flight_;
  if (!may_be_bound) return finish_stop(std::nullopt);
  begin_attempt(seconds{0});
}

void RegistrationClient::begin_attempt(seconds expires) {
  challenges_answered_ = 0;
  sent_expires_ = expires;
  send();
}

void RegistrationClient::send(std::string_view auth_header, const std::string& credentials) {
  std::string via = "SIP/2.0/" + std::string(transport_name(settings_.registrar.transport)) + " " +
                    host_text(settings_.local_address) + ":" + std::to_string(settings_.local_port) +
                    ";branch=z9hG4bK" + core::random_hex(10) + ";rport";
  MessageBuilder request = MessageBuilder::request("REGISTER", request_uri_);
  request.add("Via", via)
      .add("Max-Forwards", "70")
      .add("From", "<" + aor_ + ">;tag=" + from_tag_)
      .add("To", "<" + aor_ + ">")
      .add("Call-ID", call_id_)
      .add("CSeq", std::to_string(++cseq_) + " REGISTER")
      .add("Contact", "<" + contact_uri_ + ">")
      .add("Expires", std::to_string(sent_expires_.count()));
  if (!auth_header.empty()) request.add(auth_header, credentials);

  std::uint64_t seq = ++request_seq_;
  in_flight_ = true;
  std::weak_ptr<bool> alive = alive_;
  ClientCallbacks callbacks;
  callbacks.on_response = [this, alive, seq](const Message& response) {
    if (alive.expired() || seq != request_seq_ || response.status_code() < 200) return;
    in_flight_ = false;
    on_final(response);
  };
  callbacks.on_timeout = [this, alive, seq] {
    if (alive.expired() || seq != request_seq_) return;
    in_flight_ = false;
    on_timeout();
  };
  transactions_.send_request(request.finish(), settings_.registrar, std::move(callbacks));
}

void RegistrationClient::on_final(const Message& response) {
  int code = response.status_code();
  if ((code == 401 || code == 407) && answer_challenge(response)) return;
  if (stopping_) return finish_stop(code);
  if (is_success(code)) return registered(response);
  if (code == 423 && adopt_min_expires(response)) return;
  failed(code);
}

void RegistrationClient::on_timeout() {
  // §8.1.3.1: no answer counts as 408.
  if (stopping_) return finish_stop(408);
  failed(408);
}

bool RegistrationClient::answer_challenge(const Message& response) {
  if (challenges_answered_ >= kMaxChallengeAnswers) return false;
  bool proxy = response.status_code() == 407;
  for (std::string_view value : response.header_values(proxy ? "Proxy-Authenticate" : "WWW-Authenticate")) {
    auto challenge = AuthHeader::parse(value);
    if (!challenge) continue;
    bool stale = scan::iequals(challenge->param("stale").value_or(""), "true");
    if (challenges_answered_ > 0 && !stale) return false;  // our answer was refused
    auto credentials = DigestAuthenticator::answer(*challenge, "REGISTER", request_uri_, settings_.auth_user,
                                                   settings_.password, core::random_hex(8));
    if (!credentials) continue;
    ++challenges_answered_;
    send(proxy ? "Proxy-Authorization" : "Authorization", *credentials);
    return true;
  }
  return false;
}

bool RegistrationClient::adopt_min_expires(const Message& response) {
  auto text = response.header("Min-Expires");
  auto minimum = text ? scan::parse_uint(*text, UINT32_MAX) : std::nullopt;
  // Only a longer interval helps; anything else would ask the same again forever.
  if (!minimum || seconds(*minimum) <= sent_expires_) return false;
  spdlog::info("registration {}: registrar wants at least {} s", settings_.name, *minimum);
  wanted_expires_ = seconds(*minimum);
  begin_attempt(wanted_expires_);
  return true;
}

void RegistrationClient::registered(const Message& response) {
  seconds granted = granted_expiry(response, *Uri::parse(contact_uri_), sent_expires_);
  if (granted == seconds{0}) {
    spdlog::warn("registration {}: registrar answered {} but granted no time", settings_.name,
                 response.status_code());
    return failed(response.status_code());
  }
  failures_ = 0;
  milliseconds refresh = refresh_after(granted);
  std::int64_t now = clock_.now_ms();
  state_.expires_at_ms = now + milliseconds(granted).count();
  state_.next_attempt_ms = now + refresh.count();
  schedule(refresh);
  report(RegistrationStatus::kRegistered, response.status_code(), "for " + std::to_string(granted.count()) + " s",
         now);
}

void RegistrationClient::failed(int code) {
  ++failures_;
  seconds delay = settings_.retry_first;
  for (int i = 1; i < failures_ && delay < settings_.retry_max; ++i) delay *= 2;
  delay = std::min(delay, settings_.retry_max);
  state_.expires_at_ms = 0;
  state_.next_attempt_ms = clock_.now_ms() + milliseconds(delay).count();
  schedule(delay);
  report(RegistrationStatus::kFailed, code, "retrying in " + std::to_string(delay.count()) + " s");
}

void RegistrationClient::finish_stop(std::optional<int> code) {
  in_flight_ = false;
  state_.expires_at_ms = 0;
  state_.next_attempt_ms = 0;
  report(RegistrationStatus::kUnregistered, code);
  if (auto done = std::exchange(stopped_, nullptr)) done();
}

void RegistrationClient::schedule(milliseconds after) {
  cancel_timer();
  timer_ = timers_.start(after, [this] {
    timer_.reset();
    begin_attempt(wanted_expires_);
  });
}

void RegistrationClient::cancel_timer() {
  if (timer_) timers_.cancel(*timer_);
  timer_.reset();
}

void RegistrationClient::report(RegistrationStatus status, std::optional<int> code, const std::string& detail,
                                std::optional<std::int64_t> response_at_ms) {
  bool changed = status != state_.status;
  state_.status = status;
  if (code) {
    state_.last_code = *code;
    state_.last_response_ms = response_at_ms.value_or(clock_.now_ms());
  }
  if (listener_) listener_(state_);
  if (!changed && status != RegistrationStatus::kFailed) return;
  std::string line = "registration " + settings_.name + " at " + settings_.registrar.to_string() + ": " +
                     std::string(registration_status_name(status));
  if (code) line += " (" + std::to_string(*code) + ")";
  if (!detail.empty()) line += " " + detail;
  if (status == RegistrationStatus::kFailed) {
    spdlog::warn("{}", line);
  } else {
    spdlog::info("{}", line);
  }
}

}  // namespace unicc::sip
