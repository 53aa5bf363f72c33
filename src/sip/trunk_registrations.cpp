#include "sip/trunk_registrations.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace unicc::sip {

Transport trunk_transport(const core::TrunkConfig& trunk) {
  if (trunk.transport == "tcp") return Transport::kTcp;
  if (trunk.transport == "tls") return Transport::kTls;
  return Transport::kUdp;
}

namespace {

RegistrationSettings settings_for(const core::TrunkConfig& trunk, const TrunkRegistrations::LocalAddress& local) {
  const Transport transport = trunk_transport(trunk);
  RegistrationSettings settings;
  settings.name = trunk.name;
  settings.registrar = Endpoint{transport, trunk.address, static_cast<std::uint16_t>(trunk.port), 0};
  settings.user = trunk.register_user.empty() ? trunk.username : trunk.register_user;
  settings.auth_user = trunk.username;
  settings.password = trunk.password;
  settings.contact_user = trunk.contact_user.empty() ? settings.user : trunk.contact_user;
  settings.local_address = local.address;
  settings.local_port = local.port(transport);
  settings.expires = std::chrono::seconds(trunk.register_expires_s);
  return settings;
}

}  // namespace

TrunkRegistrations::TrunkRegistrations(const std::vector<core::TrunkConfig>& trunks, MessageSender& sender,
                                       TimerService& timers, const core::Clock& clock)
    : trunks_(trunks), timers_(timers), clock_(clock), transactions_(sender, timers, *this) {
  for (const auto& trunk : trunks_) {
    states_.push_back(trunk.register_with_carrier ? std::optional(RegistrationState{}) : std::nullopt);
  }
}

TrunkRegistrations::~TrunkRegistrations() {
  if (stop_limit_) timers_.cancel(*stop_limit_);
}

bool TrunkRegistrations::handles(const Message& message) {
  return !message.is_request() && message.cseq().method == "REGISTER";
}

void TrunkRegistrations::receive(const Message& response, const Endpoint& from) {
  transactions_.receive(response, from);
}

void TrunkRegistrations::start(const LocalAddress& local) {
  for (std::size_t i = 0; i < trunks_.size(); ++i) {
    if (!trunks_[i].register_with_carrier) continue;
    auto listener = [this, i](const RegistrationState& state) {
      std::lock_guard lock(mutex_);
      states_[i] = state;
    };
    clients_.push_back(std::make_unique<RegistrationClient>(transactions_, timers_, clock_,
                                                                 settings_for(trunks_[i], local), listener));
    clients_.back()->start();
  }
}

void TrunkRegistrations::stop(std::chrono::milliseconds limit, std::function<void()> done) {
  stopped_ = std::move(done);
  stopping_ = clients_.size();
  if (stopping_ == 0) return stopped_one();
  stop_limit_ = timers_.start(limit, [this] {
    stop_limit_.reset();
    spdlog::warn("{} carrier(s) did not confirm the un-REGISTER in time", stopping_);
    stopping_ = 0;
    stopped_one();
  });
  for (auto& client : clients_) client->stop([this] { stopped_one(); });
}

// Counts one client done; the last one (or the time limit) ends the stop.
void TrunkRegistrations::stopped_one() {
  if (stopping_ > 0 && --stopping_ > 0) return;
  if (stop_limit_) timers_.cancel(*std::exchange(stop_limit_, std::nullopt));
  if (auto done = std::exchange(stopped_, nullptr)) done();
}

std::vector<std::optional<RegistrationState>> TrunkRegistrations::states() const {
  std::lock_guard lock(mutex_);
  return states_;
}

void TrunkRegistrations::on_request(ServerTransactionId, const Message&, const Endpoint&) {}
void TrunkRegistrations::on_ack(const Message&, const Endpoint&) {}
void TrunkRegistrations::on_cancel(ServerTransactionId, const Message&) {}
void TrunkRegistrations::on_server_transaction_failed(ServerTransactionId) {}

void TrunkRegistrations::on_stray_response(const Message& response, const Endpoint& from) {
  spdlog::debug("late {} to REGISTER from {} ignored", response.status_code(), from.to_string());
}

}  // namespace unicc::sip
