#include "sip/dialog.h"

#include <algorithm>
#include <utility>

#include "core/random.h"
#include "sip/header_values.h"

namespace unicc::sip {
namespace {

constexpr std::chrono::milliseconds kT1{500};
constexpr std::chrono::milliseconds kT2{4000};

std::string new_branch() { return "z9hG4bK" + core::random_hex(10); }

// The peer's target: its first Contact, else `fallback`.
std::string contact_or(const Message& message, const Uri& fallback) {
  return message.contacts().empty() ? fallback.to_string() : message.contacts()[0].uri.to_string();
}

}  // namespace

std::string name_addr(std::string_view display, std::string_view uri) {
  std::string out;
  if (!display.empty()) out = quoted_display_name(display) + " ";
  return out + "<" + std::string(uri) + ">";
}

std::string new_tag() { return core::random_hex(8); }

Dialog Dialog::accepted(const Message& invite, const Endpoint& from, std::string local_tag) {
  Dialog dialog;
  dialog.call_id = std::string(invite.call_id());
  dialog.local_tag = std::move(local_tag);
  dialog.remote_tag = std::string(invite.from().tag());
  dialog.local_uri = name_addr("", invite.to().uri.to_string());
  dialog.remote_uri = name_addr(display_name_text(invite.from().display_name), invite.from().uri.to_string());
  dialog.remote_target = contact_or(invite, invite.from().uri);
  for (const auto& route : invite.record_routes()) dialog.route_set.push_back("<" + route.uri.to_string() + ">");
  dialog.next_hop = from;
  return dialog;
}

Dialog Dialog::answered_unwanted(const Message& response, const Endpoint& next_hop) {
  Dialog dialog;
  dialog.call_id = std::string(response.call_id());
  dialog.local_uri = name_addr(display_name_text(response.from().display_name), response.from().uri.to_string());
  dialog.local_tag = std::string(response.from().tag());
  dialog.remote_uri = name_addr(display_name_text(response.to().display_name), response.to().uri.to_string());
  dialog.remote_tag = std::string(response.to().tag());
  dialog.remote_target = contact_or(response, response.to().uri);
  dialog.next_hop = next_hop;
  dialog.local_cseq = response.cseq().number;
  return dialog;
}

void Dialog::confirm(const Message& response) {
  remote_tag = std::string(response.to().tag());
  if (!response.contacts().empty()) remote_target = response.contacts()[0].uri.to_string();
  route_set.clear();
  for (auto it = response.record_routes().rbegin(); it != response.record_routes().rend(); ++it) {
    route_set.push_back("<" + it->uri.to_string() + ">");
  }
}

void Dialog::refresh_target(const Message& request) {
  if (!request.contacts().empty()) remote_target = request.contacts()[0].uri.to_string();
}

bool Dialog::matches(const Message& request, const Endpoint& from) const {
  return request.call_id() == call_id && request.from().tag() == remote_tag && request.to().tag() == local_tag &&
         from_peer(from);
}

bool Dialog::answers_ours(const Message& response, const Endpoint& from) const {
  return response.call_id() == call_id && response.from().tag() == local_tag && from_peer(from);
}

bool Dialog::from_peer(const Endpoint& from) const {
  if (from.address != next_hop.address) return false;
  return from.transport != Transport::kUdp || from.port == next_hop.port;
}

MessageBuilder Dialog::request(std::string_view method, std::uint32_t cseq, const LocalAddress& local,
                               std::uint32_t max_forwards) const {
  auto builder = MessageBuilder::request(method, remote_target);
  builder.add("Via", local.via(next_hop.transport, new_branch()))
      .add("Max-Forwards", std::to_string(max_forwards))
      .add("From", local_uri + ";tag=" + local_tag)
      .add("To", remote_uri + (remote_tag.empty() ? "" : ";tag=" + remote_tag))
      .add("Call-ID", call_id)
      .add("CSeq", std::to_string(cseq) + " " + std::string(method));
  for (const auto& route : route_set) builder.add("Route", route);
  if (method == "INVITE") builder.add("Contact", local.contact(next_hop.transport)).add("Allow", kAllowedMethods);
  builder.add("User-Agent", "unicc");
  return builder;
}

std::string Dialog::ack(std::uint32_t cseq, const LocalAddress& local) const {
  return request("ACK", cseq, local).finish();
}

std::string Dialog::bye(const LocalAddress& local) {
  if (remote_tag.empty()) return {};
  return request("BYE", ++local_cseq, local).finish();
}

struct OkRetransmitter::State {
  TimerService& timers;
  std::string bytes;
  std::uint32_t cseq;
  Resend resend;
  std::function<void()> no_ack;
  TimerService::TimerId timer = 0;
  std::chrono::milliseconds interval = kT1;
  std::chrono::milliseconds waited{0};
  bool gave_up = false;

  void schedule() {
    timer = timers.start(interval, [this] {
      timer = 0;
      waited += interval;
      if (waited >= kAckWait) {
        gave_up = true;
        auto give_up = std::move(no_ack);  // the owner may destroy this state from it
        return give_up();
      }
      resend(bytes);
      interval = std::min(interval * 2, kT2);
      schedule();
    });
  }
};

OkRetransmitter::OkRetransmitter() = default;
OkRetransmitter::OkRetransmitter(OkRetransmitter&&) noexcept = default;
OkRetransmitter::~OkRetransmitter() { stop(); }

OkRetransmitter& OkRetransmitter::operator=(OkRetransmitter&& other) noexcept {
  if (this != &other) {
    stop();
    state_ = std::move(other.state_);
  }
  return *this;
}

void OkRetransmitter::start(TimerService& timers, std::string bytes, std::uint32_t cseq, Resend resend,
                            std::function<void()> no_ack) {
  stop();
  state_ = std::make_unique<State>(State{timers, std::move(bytes), cseq, std::move(resend), std::move(no_ack)});
  state_->schedule();
}

void OkRetransmitter::acknowledge(std::uint32_t cseq) {
  if (pending() && state_->cseq == cseq) stop();
}

void OkRetransmitter::stop() {
  if (!state_) return;
  if (state_->timer) state_->timers.cancel(state_->timer);
  state_.reset();
}

bool OkRetransmitter::pending() const { return state_ && !state_->gave_up; }

}  // namespace unicc::sip
