#include "call/b2bua.h"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <variant>

#include <spdlog/spdlog.h>

#include "call/media_sdp.h"
#include "core/random.h"
#include "core/text.h"
#include "media/tones.h"
#include "sip/builder.h"
#include "sip/dialog.h"
#include "sip/header_values.h"
#include "sip/scan.h"
#include "sip/trunk_registrations.h"

namespace unicc::call {
namespace {

using sip::Endpoint;
using sip::Message;
using TimerId = sip::TimerService::TimerId;

enum class Side { kA, kB };
Side other(Side side) { return side == Side::kA ? Side::kB : Side::kA; }
media::Leg media_leg(Side side) { return side == Side::kA ? media::Leg::kA : media::Leg::kB; }

// A caller on hold still hears (music), but what they send goes nowhere.
media::Direction not_sending(media::Direction direction) {
  const bool receives = direction == media::Direction::kSendRecv || direction == media::Direction::kRecvOnly;
  return receives ? media::Direction::kRecvOnly : media::Direction::kInactive;
}

// The play id of digits sent to a caller (beside the application's own).
constexpr std::uint64_t kDigitsPlay = ~std::uint64_t{0} - 4;

// Who the OutboundGuard counts calls for that no phone dialled.
const std::string kIvrCaller = "ivr";
const std::string kCallbackCaller = "callback";

using sip::name_addr;
using sip::new_tag;

// One side of the bridge: a SIP dialog (the A leg's, the caller's own; the B leg's,
// ours to the callee) and what its party said about media.
struct Leg : sip::Dialog {
  AudioOffer audio;           // the party's latest SDP
  std::vector<Codec> codecs;  // what we offer/answer on this leg
  std::uint64_t sdp_version = 0;
  // Our 2xx to an INVITE from this party, resent until its ACK.
  sip::OkRetransmitter pending_ok;
  // Set when unicc places this leg: its INVITE, resent with credentials when a trunk
  // challenges it.
  sip::ClientTransactionId invite_tx = 0;
  std::string invite_body;
  std::string request_uri;
  const core::TrunkConfig* trunk = nullptr;
  std::string admitted_for;  // the caller the OutboundGuard counts this leg for, until it goes
  int auth_attempts = 0;
  bool auto_answer = false;  // ask the phone to answer at once (Call-Info answer-after=0)
  // SRTP on this leg: the party's policy, and our key when the leg is SRTP.
  SrtpPolicy srtp_policy = SrtpPolicy::kOptional;
  std::optional<SdesKey> srtp;
};

// The caller's side: not answered yet, answered (by the callee, or by unicc for an
// application's call), ended. For a call unicc originated, the A leg is the one it
// placed: kOffering while that rings, kAnswered once it answered.
enum class Phase { kOffering, kAnswered, kEnded };
// The leg unicc places: none yet (an application's call before connect), ringing, bridged.
enum class Outgoing { kNone, kRinging, kConnected };

// Where a new leg goes.
struct Target {
  Endpoint next_hop;
  std::string request_uri;
  std::string to_uri;  // To of our INVITE
  const core::TrunkConfig* trunk = nullptr;
  std::string number;
  std::string admitted_for;  // the caller the OutboundGuard counts this call for
  SrtpPolicy srtp_policy = SrtpPolicy::kOptional;  // the callee's
};

// A re-INVITE we sent: mirroring one `from`'s party sent (answered once the other
// party answers ours), or our own (no request: a leg whose media moved to this call).
struct Reinvite {
  Side from;
  sip::ServerTransactionId tx = 0;
  std::optional<Message> request;
  std::uint32_t cseq_sent = 0;
};

// Who is in a connected call's mix and how: the call's own two legs (none, a tap or a
// member), the guest a three-way call or a consult brought in, and a supervisor.
struct Mix {
  std::unique_ptr<media::Conference> conference;
  std::optional<media::JoinAs> customer_joined, agent_joined;
  media::Conference::Participant customer = 0, agent = 0;
  CallId guest_call = 0;
  media::Conference::Participant guest = 0;
  bool guest_hears_customer = true;  // false: a consult while the customer holds
  CallId supervisor_call = 0;
  media::Conference::Participant supervisor = 0;
  contact::MonitorMode mode = contact::MonitorMode::kListen;
};

struct Call {
  std::uint64_t id = 0;
  Phase phase = Phase::kOffering;
  Outgoing outgoing = Outgoing::kNone;
  bool answered_locally = false;  // an application's call
  bool originated = false;        // placed by unicc (originate): the A leg is ours, a_invite is empty
  int originate_failure = 0;      // the status an originated call failed with, told to the application
  Leg a;
  Leg b;
  std::optional<Message> a_invite;
  sip::ServerTransactionId a_invite_tx = 0;
  bool ringing_reported = false;
  std::unique_ptr<media::Relay> relay;
  TimerId ring_timer = 0;
  std::optional<Reinvite> reinvite;
  bool caller_isolated = false;  // on hold by the agent: nothing the caller says is forwarded
  bool carrying_out_refer = false;  // the agent's REFER: its leg's end first says the transfer worked
  bool refresh_caller = false;      // after our re-INVITE to B, one to the caller: sendrecv again
  Cdr cdr;
  // The mix of a three-way call, a consult or a supervisor on the call (after the
  // relay: destroyed first, it hands the legs back); see arrange_mix().
  Mix mix;

  Leg& leg(Side side) { return side == Side::kA ? a : b; }
  const Leg& leg(Side side) const { return side == Side::kA ? a : b; }
};

}  // namespace

class B2bua::Impl {
 public:
  Impl(B2buaParts parts, B2buaSettings settings)
      : parts_(std::move(parts)),
        settings_(std::move(settings)),
        transactions_(parts_.transactions),
        local_{settings_.sip_address, settings_.sip_udp_port, settings_.sip_tcp_port, settings_.sip_tls_port} {}

  ~Impl() {
    for (auto& [id, call] : calls_) {
      if (call->relay) call->relay->close();
    }
  }

  // ---- requests ----------------------------------------------------------

  // A request the front matched to the dialog of one of our legs.
  void on_in_dialog(sip::ServerTransactionId tx, const Message& request) {
    auto found = find(request.call_id());
    if (!found) return;  // the front found its dialog just now
    auto [call, side] = *found;
    switch (request.method_id()) {
      case sip::Method::kInvite:
        return reinvite(tx, request, *call, side);
      case sip::Method::kBye:
        return bye(tx, request, *call, side);
      case sip::Method::kInfo:
        return transactions_.respond(tx, sip::response_to(request, 200).finish());
      case sip::Method::kRefer:
        return refer(tx, request, *call, side);
      default:
        return transactions_.respond(tx, sip::response_to(request, 501).finish());
    }
  }

  void new_call(sip::ServerTransactionId tx, const Message& invite, const Endpoint& from) {
    auto refuse = [&](int code, std::string_view reason = {}) {
      transactions_.respond(tx, sip::response_to(invite, code, reason, new_tag()).finish());
    };
    if (invite.max_forwards() && *invite.max_forwards() == 0) return refuse(483);
    if (invite.request_uri().scheme == sip::UriScheme::kOther) return refuse(416);

    const core::TrunkConfig* trunk_in = parts_.plan.trunk_at(from);
    std::string caller = invite.from().uri.user_decoded();
    if (!trunk_in) {
      auto outcome = parts_.digest.verify(invite, from.address, ha1_lookup_with_trunks(), "Proxy-Authorization");
      using Verdict = sip::DigestAuthenticator::Verdict;
      if (outcome.verdict == Verdict::kMissing || outcome.verdict == Verdict::kStale) {
        auto response = sip::response_to(invite, 407, {}, new_tag());
        for (const auto& challenge : parts_.digest.challenges(outcome.verdict == Verdict::kStale)) {
          response.add("Proxy-Authenticate", challenge);
        }
        return transactions_.respond(tx, response.finish());
      }
      if (outcome.verdict != Verdict::kOk) return refuse(403);
      trunk_in = trunk_named_user(outcome.username);
      if (!trunk_in && outcome.username != caller) return refuse(403, "Caller Is Not The Authenticated User");
    }

    // From here on the caller is known: every refusal is a call attempt with a CDR.
    std::string dialled = invite.request_uri().user_decoded();
    Cdr attempt;
    attempt.call_id = std::string(invite.call_id());
    attempt.direction = trunk_in ? "inbound" : "internal";
    attempt.caller = caller;
    attempt.caller_name = sip::display_name_text(invite.from().display_name);
    attempt.dialled = dialled;
    attempt.trunk = trunk_in ? trunk_in->name : "";
    attempt.started_at = parts_.clock.now_ms();
    auto refuse_attempt = [&](int code, const std::string& disposition, std::string_view reason = {}) {
      refuse(code, reason);
      attempt.ended_at = attempt.started_at;
      attempt.disposition = disposition;
      attempt.hangup_cause = std::to_string(code);
      attempt.hangup_side = "system";
      parts_.cdrs.record(attempt, {});
    };

    if (invite.content_type().find("application/sdp") == std::string_view::npos || invite.body().empty()) {
      return refuse_attempt(488, "failed", "SDP Offer Required");
    }
    SdpOutcome sdp = read_audio(invite.body());
    if (!sdp.offer) return refuse_attempt(sdp.status, "failed", sdp.reason);

    const AudioOffer& offer = *sdp.offer;
    const SrtpPolicy caller_policy = trunk_in ? trunk_policy(*trunk_in) : extension_policy(caller);
    SrtpAnswer srtp = answer_srtp(caller_policy, offer);
    if (srtp.refusal) return refuse_attempt(srtp.refusal, "failed", srtp.reason);
    std::uint32_t max_forwards = invite.max_forwards().value_or(70);
    if (parts_.application && parts_.application->takes(dialled)) {
      attempt.callee = dialled;
      if (int code = parts_.application->refusal(dialled, caller, attempt.trunk)) {
        return refuse_attempt(code, code == 403 ? "blocked" : "not_found");
      }
      Call* call = open_call(tx, invite, from, offer, attempt, {caller_policy, srtp.own});
      if (!call) return refuse_attempt(503, "failed", "No Media Ports");
      return answer_locally(*call);
    }

    auto destination = trunk_in ? parts_.plan.route_from_trunk(dialled)
                                : parts_.plan.route_from_phone(dialled, parts_.accounts.find(dialled).has_value());
    if (!destination) return refuse_attempt(404, "not_found");
    attempt.callee = destination->number;
    auto target = resolve(*destination);
    if (auto* code = std::get_if<int>(&target)) {
      return refuse_attempt(*code, *code == 480 ? "unavailable" : "not_found");
    }
    if (!admit_outbound(*destination, caller, std::get<Target>(target))) {
      return refuse_attempt(403, "blocked", "Outbound Call Not Allowed");
    }
    Call* call = open_call(tx, invite, from, offer, attempt, {caller_policy, srtp.own});
    if (!call) {
      release_outbound(std::get<Target>(target).admitted_for);
      return refuse_attempt(503, "failed", "No Media Ports");
    }
    call->b.codecs = offer.codecs;
    place_leg(*call, Side::kB, std::get<Target>(target), max_forwards - 1, offer.direction);
    spdlog::info("call {}: {} -> {} ({}) via {}", call->cdr.call_id, caller, dialled, call->cdr.callee,
                 call->b.next_hop.to_string());
  }

  // Where a destination is reached now: 480 for an extension without a registered
  // phone, 404 for one that does not exist.
  std::variant<Target, int> resolve(const Destination& destination) {
    Target target;
    target.number = destination.number;
    if (destination.kind == Destination::Kind::kExtension) {
      auto bindings = parts_.locations.lookup(destination.number, parts_.clock.now_ms());
      if (bindings.empty()) return parts_.accounts.find(destination.number) ? 480 : 404;
      target.next_hop = reach(bindings.front());
      target.request_uri = bindings.front().contact;
      target.to_uri = "sip:" + sip::escaped_user(destination.number) + "@" + settings_.sip_address;
      target.srtp_policy = extension_policy(destination.number);
      return target;
    }
    const auto& trunk = *destination.trunk;
    target.next_hop = Endpoint{sip::trunk_transport(trunk), trunk.address,
                               static_cast<std::uint16_t>(trunk.port), 0};
    target.request_uri =
        "sip:" + sip::escaped_user(destination.number) + "@" + trunk.address + ":" + std::to_string(trunk.port);
    target.to_uri = target.request_uri;
    target.trunk = &trunk;
    target.srtp_policy = trunk_policy(trunk);
    return target;
  }

  // A new call with its relay open; nullptr when no RTP ports are free.
  Call* create_call(const Cdr& attempt) {
    auto call = std::make_unique<Call>();
    call->id = next_call_++;
    call->relay = parts_.media.create_relay(relay_callbacks(call->id));
    if (!call->relay) {
      spdlog::error("call from {} to {}: no free RTP ports", attempt.caller, attempt.dialled);
      return nullptr;
    }
    call->cdr = attempt;
    Call& ref = *call;
    calls_.emplace(call->id, std::move(call));
    return &ref;
  }

  // A call with the caller's side set up and its relay open; nullptr when no RTP
  // ports are free.
  // `srtp`: the caller's SRTP policy and our key on its leg (as answer_srtp decided).
  Call* open_call(sip::ServerTransactionId tx, const Message& invite, const Endpoint& from, const AudioOffer& offer,
                  const Cdr& attempt, std::pair<SrtpPolicy, std::optional<SdesKey>> srtp) {
    Call* call = create_call(attempt);
    if (!call) return nullptr;
    call->a.srtp_policy = srtp.first;
    call->a.srtp = srtp.second;
    call->a.audio = offer;
    apply_audio(*call, Side::kA);

    call->a_invite = invite;
    call->a_invite_tx = tx;
    Leg& a = call->a;
    static_cast<sip::Dialog&>(a) = sip::Dialog::accepted(invite, from, new_tag());
    a.codecs = offer.codecs;
    by_call_id_[a.call_id] = call->id;
    by_invite_tx_[tx] = call->id;
    return call;
  }

  // Places `side`'s leg towards `target` (B: the callee; A: an originated call); the
  // leg's codecs are what it offers. The callee sees the call's caller, or `shown_as`.
  void place_leg(Call& call, Side side, const Target& target, std::uint32_t max_forwards, media::Direction direction,
                 const std::string& shown_as = "") {
    Leg& leg = call.leg(side);
    leg.call_id = core::random_hex(12) + "@unicc";
    leg.local_tag = new_tag();
    const std::string& caller = shown_as.empty() ? call.cdr.caller : shown_as;
    const std::string& caller_display = shown_as.empty() ? call.cdr.caller_name : shown_as;
    leg.local_uri = name_addr(caller_display.empty() ? caller : caller_display,
                              "sip:" + (caller.empty() ? std::string("anonymous") : sip::escaped_user(caller)) + "@" +
                                  settings_.sip_address);
    leg.remote_uri = "<" + target.to_uri + ">";
    leg.remote_target = target.request_uri;
    leg.next_hop = target.next_hop;
    leg.request_uri = target.request_uri;
    leg.trunk = target.trunk;
    leg.admitted_for = target.admitted_for;
    leg.auth_attempts = 0;
    call.ringing_reported = false;
    call.cdr.callee = target.number;
    if (side == Side::kA) {
      call.cdr.call_id = leg.call_id;
    } else {
      call.cdr.b_call_id = leg.call_id;
      call.outgoing = Outgoing::kRinging;
    }
    if (leg.trunk) {
      if (!call.originated) call.cdr.direction = "outbound";
      call.cdr.trunk = leg.trunk->name;
    }
    leg.srtp_policy = target.srtp_policy;
    leg.srtp = offer_srtp(target.srtp_policy);
    if (leg.srtp) call.relay->await_srtp(media_leg(side));  // no clear media before the answer's key
    leg.invite_body = our_sdp(call, side, direction, call.a.audio.ptime);
    by_call_id_[leg.call_id] = call.id;
    send_invite(call, side, max_forwards, "");
    std::uint64_t id = call.id;
    call.ring_timer = parts_.timers.start(settings_.ring_timeout, [this, id] { ring_timeout(id); });
  }

  // ---- calls unicc places itself ---------------------------------------------

  CallId originate(const std::string& number, const std::string& caller, const std::string& caller_name, int& code,
                   bool auto_answer) {
    code = 0;
    // Nobody would drive the call once it answers; or every call is being ended, and
    // an application that re-places a failed call from its callback must not outlive it.
    if (!parts_.application || ending_all_) {
      code = 503;
      return 0;
    }
    auto target = route_as_phone(number, kCallbackCaller);
    if (auto* refusal = std::get_if<int>(&target)) {
      code = *refusal;
      return 0;
    }
    Cdr attempt;
    attempt.direction = "originated";
    attempt.caller = caller;
    attempt.caller_name = caller_name;
    attempt.dialled = number;
    attempt.started_at = parts_.clock.now_ms();
    Call* call = create_call(attempt);
    if (!call) {
      release_outbound(std::get<Target>(target).admitted_for);
      code = 503;
      return 0;
    }
    call->originated = true;
    call->answered_locally = true;  // the application's from the start: it hears how it ends
    call->a.codecs = own_offer();
    call->a.auto_answer = auto_answer;
    place_leg(*call, Side::kA, std::get<Target>(target), 70, media::Direction::kSendRecv);
    spdlog::info("call {}: unicc calls {} as {} via {}", call->cdr.call_id, number, caller, call->a.next_hop.to_string());
    return call->id;
  }

  // What unicc offers when it makes the first offer itself: both G.711 laws, and
  // telephone-event so digits arrive as RFC 4733 events where the phone can.
  static std::vector<Codec> own_offer() {
    return {Codec{0, "PCMU", 8000, ""}, Codec{8, "PCMA", 8000, ""}, Codec{101, "telephone-event", 8000, "0-16"}};
  }

  // The originated leg answered with `a.audio`: the call becomes the application's.
  void originated_answered(Call& call) {
    apply_audio(call, Side::kA);
    speak_on_a(call);
    call.phase = Phase::kAnswered;
    call.cdr.answered_at = parts_.clock.now_ms();
    parts_.cdrs.answered(call.cdr);
    hand_to_application(call, AnsweredCall::Origin::kOriginated);
  }

  // ---- calls the application answers -----------------------------------------

  void answer_locally(Call& call) {
    speak_on_a(call);
    call.answered_locally = true;
    answer_caller(call);
    hand_to_application(call, AnsweredCall::Origin::kIncoming);
  }

  // unicc itself talks to the A party: one codec (the party's first voice codec, plus
  // telephone-event), which prompts are encoded in; in-band DTMF when it has no events.
  void speak_on_a(Call& call) {
    Leg& a = call.a;
    a.codecs = answer_codecs(a.audio.codecs);
    call.relay->set_audio_codec(media::Leg::kA, a.codecs.front().payload_type);
    call.relay->set_inband_dtmf(media::Leg::kA, !a.audio.dtmf_payload_type().has_value());
  }

  void hand_to_application(Call& call, AnsweredCall::Origin origin) {
    publish(call, "answered");
    spdlog::info("call {}: {} -> {} answered, driven by unicc", call.cdr.call_id, call.cdr.caller, call.cdr.dialled);
    parts_.application->on_answered(AnsweredCall{call.id, call.cdr.call_id, call.cdr.caller, call.cdr.caller_name,
                                                 call.cdr.dialled, call.cdr.trunk, origin});
  }

  // Our 200 OK to the caller's INVITE, with call.a.codecs as the answer.
  void answer_caller(Call& call) {
    Leg& a = call.a;
    std::string answer = our_sdp(call, Side::kA, answer_direction(a.audio.direction), a.audio.ptime);
    std::string ok = sip::response_to(*call.a_invite, 200, {}, a.local_tag)
                         .add("Contact", local_.contact(a.next_hop.transport))
                         .add("Allow", sip::kAllowedMethods)
                         .add("Content-Type", "application/sdp")
                         .finish(answer);
    send_ok(call, Side::kA, call.a_invite_tx, std::move(ok), call.a_invite->cseq().number);
    call.phase = Phase::kAnswered;
    call.cdr.answered_at = parts_.clock.now_ms();
    parts_.cdrs.answered(call.cdr);
    by_invite_tx_.erase(call.a_invite_tx);
  }

  // The application's call, while the caller is still on it.
  Call* local_call(CallId id) {
    Call* call = get(id);
    return call && call->answered_locally && call->phase == Phase::kAnswered ? call : nullptr;
  }

  void play(CallId id, std::vector<media::Prompt> prompts, bool loop, bool barge_in, std::uint64_t play_id) {
    Call* call = local_call(id);
    if (call) call->relay->play(customer_leg(*call), std::move(prompts), loop, barge_in, play_id);
  }

  void stop_playing(CallId id) {
    if (Call* call = local_call(id)) call->relay->stop_playing(customer_leg(*call));
  }

  void record(CallId id, std::string path, std::chrono::milliseconds max_length,
              std::chrono::milliseconds end_after_silence) {
    if (Call* call = local_call(id)) {
      call->relay->start_leg_recording(customer_leg(*call), std::move(path), max_length, end_after_silence);
    }
  }

  void stop_recording(CallId id) {
    if (Call* call = local_call(id)) call->relay->stop_leg_recording(customer_leg(*call));
  }

  // The side of an application's call where its customer is: the caller, or on a call
  // unicc originated (to an agent) and bridged to a leg it placed, that leg. Until
  // then the one party on an originated call is its A side.
  static Side customer_side(const Call& call) {
    return call.originated && call.outgoing == Outgoing::kConnected ? Side::kB : Side::kA;
  }
  static media::Leg customer_leg(const Call& call) { return media_leg(customer_side(call)); }
  static Side agent_side(const Call& call) { return other(customer_side(call)); }

  int connect(CallId id, const std::string& number, const std::string& shown_as, bool auto_answer,
              const std::string& counted_for) {
    Call* call = local_call(id);
    if (!call) return 481;
    if (call->outgoing != Outgoing::kNone) return 491;
    auto target = route_as_phone(number, counted_for.empty() ? kIvrCaller : counted_for);
    if (auto* code = std::get_if<int>(&target)) return *code;
    drop_callee_leg(*call);
    call->b.codecs = call->a.codecs;
    call->b.auto_answer = auto_answer;
    place_leg(*call, Side::kB, std::get<Target>(target), 70, media::Direction::kSendRecv, shown_as);
    spdlog::info("call {}: connecting to {} via {}", call->cdr.call_id, number, call->b.next_hop.to_string());
    return 0;
  }

  void cancel_connect(CallId id) {
    Call* call = local_call(id);
    if (!call || call->outgoing != Outgoing::kRinging) return;
    transactions_.cancel(call->b.invite_tx);
    parts_.timers.cancel(call->ring_timer);
    call->ring_timer = 0;
    drop_callee_leg(*call);
  }

  void hang_up(CallId id) {
    Call* call = get(id);
    if (!call || !call->answered_locally || call->phase == Phase::kEnded) return;
    cancel_ringing(*call);
    if (call->phase == Phase::kOffering) return finish(*call, "cancelled", "system", "CANCEL");  // originated, ringing
    send_bye(call->a);
    if (call->outgoing == Outgoing::kConnected) send_bye(call->b);
    finish(*call, "answered", "system", "hang-up by the IVR");
  }

  // The application's call bridged to the leg connect() placed.
  Call* connected_call(CallId id) {
    Call* call = local_call(id);
    return call && call->outgoing == Outgoing::kConnected ? call : nullptr;
  }

  void isolate_caller(CallId id, bool isolated) {
    Call* call = connected_call(id);
    if (!call || call->caller_isolated == isolated) return;
    call->caller_isolated = isolated;
    apply_audio(*call, customer_side(*call));
    publish(*call, isolated ? "held" : "resumed");
  }

  void release_connected(CallId id) {
    Call* call = connected_call(id);
    if (!call) return;
    if (call->originated) return drop_dialling_leg(*call);
    drop_connected_leg(*call);
  }

  // The agent who placed an originated call leaves it (BYE); the customer on its B leg
  // stays with unicc until hand_over() gives them a new party. The call keeps its
  // identity (cdr.call_id), which was this leg's Call-ID.
  void drop_dialling_leg(Call& call) {
    end_agent_leg(call);
    call.relay->set_remote(media::Leg::kA, "0.0.0.0", 0);
    by_call_id_.erase(call.a.call_id);
    release_outbound(call.a.admitted_for);
    call.a = Leg{};
  }

  int transfer_connected(CallId id, const std::string& number) {
    Call* call = connected_call(id);
    if (!call) return 481;
    if (call->originated) return 501;
    auto target = route_as_phone(number, call->cdr.callee);
    if (auto* code = std::get_if<int>(&target)) return *code;
    drop_connected_leg(*call);
    call->b.codecs = call->a.codecs;
    place_leg(*call, Side::kB, std::get<Target>(target), 70, media::Direction::kSendRecv);
    spdlog::info("call {}: transferred to {} via {}", call->cdr.call_id, number, call->b.next_hop.to_string());
    return 0;
  }

  // The connected leg goes (BYE) and the caller stays with unicc; nothing more
  // reaches the released party.
  void drop_connected_leg(Call& call) {
    end_agent_leg(call);
    call.b.pending_ok.stop();
    call.relay->set_remote(media::Leg::kB, "0.0.0.0", 0);
    call.caller_isolated = false;
    drop_callee_leg(call);
    apply_audio(call, Side::kA);
  }

  int check_connect(const std::string& number, const std::string& caller) {
    auto target = route_as_phone(number, caller, /*count=*/false);
    auto* code = std::get_if<int>(&target);
    return code ? *code : 0;
  }

  std::string call_id_of(CallId id) const {
    auto found = calls_.find(id);
    return found == calls_.end() ? "" : found->second->cdr.call_id;
  }

  bool conference(CallId host_id, CallId guest_id, bool with_caller) {
    Call* host = connected_call(host_id);
    Call* guest = local_call(guest_id);
    if (!host || !guest || guest == host || guest->outgoing != Outgoing::kNone || host->mix.guest_call ||
        guest_id == host->mix.supervisor_call) {
      return false;
    }
    host->mix.guest_call = guest_id;
    host->mix.guest_hears_customer = with_caller;
    if (!arrange_mix(*host)) return false;
    spdlog::info("call {}: {} joins {}", host->cdr.call_id, guest->cdr.dialled,
                 with_caller ? "a three-way call" : "the callee (a consult)");
    return true;
  }

  void end_conference(CallId host_id) {
    if (Call* host = connected_call(host_id); host && host->mix.guest_call) {
      leave_mix(*host, host->mix.guest_call, host->mix.guest);
    }
  }

  bool monitor(CallId host_id, CallId supervisor_id, contact::MonitorMode mode) {
    Call* host = connected_call(host_id);
    Call* supervisor = local_call(supervisor_id);
    if (!host || !supervisor || supervisor == host || supervisor->outgoing != Outgoing::kNone ||
        supervisor_id == host->mix.guest_call ||
        (host->mix.supervisor_call != 0 && host->mix.supervisor_call != supervisor_id)) {
      return false;
    }
    host->mix.supervisor_call = supervisor_id;
    host->mix.mode = mode;
    if (!arrange_mix(*host)) return false;
    spdlog::info("call {}: supervisor {} on it ({})", host->cdr.call_id, supervisor->cdr.dialled,
                 contact::monitor_mode_name(mode));
    return true;
  }

  void end_monitor(CallId host_id) {
    if (Call* host = connected_call(host_id); host && host->mix.supervisor_call) {
      leave_mix(*host, host->mix.supervisor_call, host->mix.supervisor);
    }
  }

  // Takes a guest's or a supervisor's call (`party`, its `participant`) out of the
  // host's mix, and arranges what is left.
  void leave_mix(Call& host, CallId& party, media::Conference::Participant& participant) {
    if (Call* call = get(party); call && call->relay) call->relay->leave(media::Leg::kA);
    party = 0;
    participant = 0;
    arrange_mix(host);
  }

  // Puts each party of a connected call where its guest and supervisor want it. A
  // guest makes the customer and the agent members (the customer none in a consult:
  // they hold); a supervisor alone leaves them taps, so what they hear of each other
  // is untouched, except the agent, a member to hear a whisper, and both in a barge.
  // The supervisor hears everyone; who hears the supervisor follows the mode. With
  // neither guest nor supervisor the mix goes and the legs forward plainly again.
  bool arrange_mix(Call& host) {
    Mix& mix = host.mix;
    Call* guest = mix.guest_call ? local_call(mix.guest_call) : nullptr;
    Call* supervisor = mix.supervisor_call ? local_call(mix.supervisor_call) : nullptr;
    if (!guest) mix.guest_call = 0;
    if (!supervisor) mix.supervisor_call = 0;
    if (!guest && !supervisor) {
      mix = Mix{};
      return false;
    }
    if (!mix.conference) {
      mix.conference = parts_.media.create_conference();
      if (!mix.conference) {
        mix = Mix{};
        return false;
      }
      // The mix is encoded in each member's law; the callee's is known from its answer.
      if (!host.b.audio.codecs.empty()) {
        host.relay->set_audio_codec(media::Leg::kB, host.b.audio.codecs.front().payload_type);
      }
    }
    using media::JoinAs;
    const contact::MonitorMode mode = mix.mode;
    std::optional<JoinAs> customer_as, agent_as;
    if (guest) {
      if (mix.guest_hears_customer) customer_as = JoinAs::kMember;
      agent_as = JoinAs::kMember;
    } else {
      customer_as = mode == contact::MonitorMode::kBarge ? JoinAs::kMember : JoinAs::kTap;
      agent_as = mode == contact::MonitorMode::kListen ? JoinAs::kTap : JoinAs::kMember;
    }
    const media::Leg customer_leg_in_relay = customer_leg(host);
    const media::Leg agent_leg = customer_leg_in_relay == media::Leg::kA ? media::Leg::kB : media::Leg::kA;
    place(host, customer_leg_in_relay, customer_as, mix.customer_joined, mix.customer);
    place(host, agent_leg, agent_as, mix.agent_joined, mix.agent);
    if (guest && mix.guest == 0) mix.guest = guest->relay->join(media::Leg::kA, *mix.conference);
    if (supervisor) {
      if (mix.supervisor == 0) mix.supervisor = supervisor->relay->join(media::Leg::kA, *mix.conference);
      const bool barge = mode == contact::MonitorMode::kBarge;
      if (mix.customer) mix.conference->set_hears(mix.customer, mix.supervisor, barge);
      if (mix.agent) mix.conference->set_hears(mix.agent, mix.supervisor, mode != contact::MonitorMode::kListen);
      if (mix.guest) mix.conference->set_hears(mix.guest, mix.supervisor, barge);
    }
    return true;
  }

  // Joins `leg` of the host's relay as `wanted` (or takes it out), if it is not so already.
  static void place(Call& host, media::Leg leg, std::optional<media::JoinAs> wanted,
                    std::optional<media::JoinAs>& joined, media::Conference::Participant& participant) {
    if (wanted == joined) return;
    if (wanted) {
      participant = host.relay->join(leg, *host.mix.conference, *wanted);
    } else {
      host.relay->leave(leg);
      participant = 0;
    }
    joined = wanted;
  }

  // The guest's party is the one unicc called (an originated call's A leg), or the
  // callee of a call between phones, whose caller (the agent's phone) is let go.
  bool hand_over(CallId host_id, CallId guest_id) {
    Call* host = connected_call(host_id);
    Call* guest = get(guest_id);
    if (!host || !guest || guest == host || guest->phase != Phase::kAnswered || host->reinvite || guest->reinvite) {
      return false;
    }
    const bool placed = guest->answered_locally && guest->originated && guest->outgoing == Outgoing::kNone;
    const bool between_phones = !guest->answered_locally && guest->outgoing == Outgoing::kConnected;
    if (!placed && !between_phones) return false;
    // The agent's side: the callee leg, or the A leg of a call the agent placed (its
    // customer is on B), whose CDR keeps the customer as the callee.
    const Side agent = agent_side(*host);
    const Side customer = other(agent);
    Leg& agent_leg = host->leg(agent);
    host->mix = Mix{};
    end_agent_leg(*host);
    agent_leg.pending_ok.stop();
    by_call_id_.erase(agent_leg.call_id);
    release_outbound(agent_leg.admitted_for);
    if (between_phones) send_bye(guest->a);
    agent_leg = std::exchange(placed ? guest->a : guest->b, Leg{});
    by_call_id_[agent_leg.call_id] = host->id;
    agent_leg.codecs = host->leg(customer).codecs;
    if (agent == Side::kB) host->cdr.callee = placed ? guest->cdr.dialled : guest->cdr.callee;
    apply_audio(*host, agent);
    // A caller the agent's phone put on hold hears them again once the new party has moved.
    host->refresh_caller = host->leg(customer).audio.direction != media::Direction::kSendRecv;
    std::string body = our_sdp(*host, agent, media::Direction::kSendRecv, host->leg(customer).audio.ptime);
    send_reinvite(*host, agent, std::move(body), Reinvite{customer, 0, std::nullopt, 0});
    finish(*guest, "answered", "system", "transferred");
    spdlog::info("call {}: handed over to {}", host->cdr.call_id, host->cdr.callee);
    return true;
  }

  void send_digits(CallId id, const std::string& digits) {
    Call* call = connected_call(id);
    if (!call) return;
    std::vector<media::Prompt> tones;
    for (char digit : digits) {
      if (auto tone = media::dtmf_tone(digit)) tones.push_back(std::move(*tone));
    }
    call->relay->play(customer_leg(*call), std::move(tones), false, false, kDigitsPlay);
  }

  // CANCELs the INVITE of each leg unicc placed that is still ringing.
  void cancel_ringing(Call& call) {
    if (auto side = ringing_leg(call)) transactions_.cancel(call.leg(*side).invite_tx);
  }

  // The leg whose INVITE (ours) has no final answer yet: B while it rings, or the A
  // leg of an originated call before it answered; only one at a time.
  static std::optional<Side> ringing_leg(const Call& call) {
    if (call.phase == Phase::kEnded) return std::nullopt;
    if (call.outgoing == Outgoing::kRinging) return Side::kB;
    if (call.originated && call.phase == Phase::kOffering) return Side::kA;
    return std::nullopt;
  }

  // Where a number goes when one of our phones dials it, for `caller` (see
  // OutboundGuard); 404 or 480 when nowhere now, 403 when the guard refuses. Without
  // `count` the guard only says whether it would admit the call.
  std::variant<Target, int> route_as_phone(const std::string& number, const std::string& caller, bool count = true) {
    auto destination = parts_.plan.route_from_phone(number, parts_.accounts.find(number).has_value());
    if (!destination) return 404;
    auto target = resolve(*destination);
    if (auto* found = std::get_if<Target>(&target); found && !admit_outbound(*destination, caller, *found, count)) {
      return 403;
    }
    return target;
  }

  // Whether a call to `destination` may be placed for `caller`: always for our own
  // phones; through a trunk when the OutboundGuard admits it (then counted for the
  // caller until released, if `count`). A refusal is an alert for supervisors.
  bool admit_outbound(const Destination& destination, const std::string& caller, Target& target, bool count = true) {
    if (destination.kind != Destination::Kind::kTrunk || !parts_.outbound) return true;
    std::string refused = count ? parts_.outbound->admit(caller, destination.number)
                                : parts_.outbound->refusal(caller, destination.number);
    if (refused.empty()) {
      if (count) target.admitted_for = caller;
      return true;
    }
    spdlog::warn("outbound call by {} to {} refused ({})", caller, destination.number, refused);
    parts_.observer.on_alert(CallAlert{"outbound_blocked", caller, destination.number, refused, parts_.clock.now_ms()});
    return false;
  }

  void release_outbound(const std::string& admitted_for) {
    if (!admitted_for.empty() && parts_.outbound) parts_.outbound->ended(admitted_for);
  }

  // An application's call goes on without the leg it placed (which failed or was
  // cancelled): a later connect places a new one.
  void drop_callee_leg(Call& call) {
    by_call_id_.erase(call.b.call_id);
    release_outbound(call.b.admitted_for);
    call.b = Leg{};
    call.outgoing = Outgoing::kNone;
  }

  // The leg placed for an application's call did not answer: the call stays with
  // the application.
  void connect_failed(Call& call, int code) {
    parts_.timers.cancel(call.ring_timer);
    call.ring_timer = 0;
    drop_callee_leg(call);
    parts_.application->on_connect_result(call.id, false, code);
  }

  void send_invite(Call& call, Side side, std::uint32_t max_forwards, const std::string& authorization) {
    Leg& leg = call.leg(side);
    std::uint64_t id = call.id;
    auto builder = leg.request("INVITE", ++leg.local_cseq, local_, max_forwards);
    if (!authorization.empty()) builder.add("Authorization", authorization);
    if (leg.auto_answer) builder.add("Call-Info", "<sip:" + settings_.sip_address + ">;answer-after=0");
    std::string bytes = builder.add("Content-Type", "application/sdp").finish(leg.invite_body);
    leg.invite_tx = transactions_.send_request(
        std::move(bytes), leg.next_hop,
        sip::ClientCallbacks{[this, id, side](const Message& response) { invite_response(id, side, response); },
                             [this, id, side] { invite_timeout(id, side); }});
  }

  // Our SDP for `side`'s leg: its codecs and SRTP key, our relay port, a new version.
  std::string our_sdp(Call& call, Side side, media::Direction direction, std::optional<std::uint32_t> ptime) {
    Leg& leg = call.leg(side);
    return describe_audio(leg.codecs, settings_.media_address, call.relay->local_port(media_leg(side)), direction,
                          call.id, ++leg.sdp_version, ptime, leg.srtp);
  }

  SrtpPolicy trunk_policy(const core::TrunkConfig& trunk) const {
    return srtp_policy_named(trunk.srtp).value_or(settings_.srtp);
  }

  SrtpPolicy extension_policy(std::string_view extension) const {
    const auto& required = settings_.srtp_required_extensions;
    return std::find(required.begin(), required.end(), extension) != required.end() ? SrtpPolicy::kRequired
                                                                                      : settings_.srtp;
  }

  // ---- the answer to a leg unicc placed ---------------------------------------

  // Whether a response to `side`'s INVITE is for a leg this call still has.
  static bool still_placed(const Call& call, Side side, const Message& response) {
    if (call.phase == Phase::kEnded || response.call_id() != call.leg(side).call_id) return false;
    return side == Side::kB ? call.outgoing != Outgoing::kNone : call.originated;
  }

  void invite_response(std::uint64_t id, Side side, const Message& response) {
    Call* call = get(id);
    int code = response.status_code();
    if (!call || !still_placed(*call, side, response)) {
      if (code >= 200 && code < 300) hang_up_late_answer(response, call ? call->leg(side).next_hop : Endpoint{});
      return;
    }
    if (code < 200) return provisional(*call, response);
    if (code < 300) return placed_leg_answered(*call, side, response);
    const Leg& leg = call->leg(side);
    if ((code == 401 || code == 407) && leg.trunk && !leg.trunk->username.empty() && leg.auth_attempts == 0) {
      return retry_with_credentials(*call, side, response);
    }
    placed_leg_failed(*call, side, code);
  }

  // Ringing before the call is answered: the caller hears it (an originated call has
  // none); ringing after unicc answered is the application's to tell.
  void provisional(Call& call, const Message& response) {
    if (response.status_code() == 100 || call.phase != Phase::kOffering || call.ringing_reported) return;
    call.ringing_reported = true;
    if (!call.originated) {
      transactions_.respond(call.a_invite_tx, sip::response_to(*call.a_invite, 180, {}, call.a.local_tag)
                                                  .add("Contact", local_.contact(call.a.next_hop.transport))
                                                  .finish());
    }
    publish(call, "ringing");
  }

  void placed_leg_answered(Call& call, Side side, const Message& response) {
    Leg& leg = call.leg(side);
    if (!leg.remote_tag.empty()) {
      // A retransmitted 2xx (our ACK was lost) or a second fork: ACK it again.
      if (response.to().tag() == leg.remote_tag) return send_ack(leg, response.cseq().number);
      return hang_up_late_answer(response, leg.next_hop);
    }
    leg.confirm(response);
    send_ack(leg, response.cseq().number);
    SdpOutcome sdp = read_audio(response.body());
    if (!sdp.offer || !answer_matches_srtp(leg.srtp, *sdp.offer)) {
      spdlog::warn("call {}: callee answered without usable SDP ({})", call.cdr.call_id,
                   sdp.offer ? "no SRTP key for our RTP/SAVP offer" : sdp.reason);
      send_bye(leg);
      return placed_leg_failed(call, side, 488);
    }
    parts_.timers.cancel(call.ring_timer);
    call.ring_timer = 0;
    leg.audio = *sdp.offer;
    if (side == Side::kA) return originated_answered(call);
    b_answered(call);
  }

  void b_answered(Call& call) {
    Leg& b = call.b;
    call.outgoing = Outgoing::kConnected;
    b.codecs = b.audio.codecs;
    apply_audio(call, Side::kB);
    if (call.answered_locally) {
      call.relay->stop_playing(media::Leg::kA);
      call.relay->stop_leg_recording(media::Leg::kA);
      // A queue's or a transfer's call is recorded from its first answer on, in one
      // file across later transfers (the relay keeps recording as its B leg changes).
      if (settings_.record_calls && call.cdr.recording_path.empty()) start_recording(call);
      // On an originated call prompts now go to B (hold music, digits): in B's law.
      if (call.originated && !b.codecs.empty()) {
        call.relay->set_audio_codec(media::Leg::kB, b.codecs.front().payload_type);
      }
      publish(call, "connected");
      spdlog::info("call {}: connected to {}", call.cdr.call_id, call.cdr.callee);
      return parts_.application->on_connect_result(call.id, true, 200);
    }
    call.a.codecs = common_codecs(call.a.audio.codecs, b.audio.codecs);
    answer_caller(call);
    if (settings_.record_calls) start_recording(call);
    publish(call, "answered");
    spdlog::info("call {}: answered", call.cdr.call_id);
  }

  void retry_with_credentials(Call& call, Side side, const Message& challenge) {
    Leg& leg = call.leg(side);
    ++leg.auth_attempts;
    const auto& trunk = *leg.trunk;
    std::string_view header = challenge.status_code() == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
    for (auto value : challenge.header_values(header)) {
      auto parsed = sip::AuthHeader::parse(value);
      if (!parsed) continue;
      auto answer = sip::DigestAuthenticator::answer(*parsed, "INVITE", leg.request_uri, trunk.username,
                                                     trunk.password, core::random_hex(8));
      if (!answer) continue;
      send_invite(call, side, 70, *answer);
      return;
    }
    placed_leg_failed(call, side, 503);
  }

  // The callee refused: for an application's connect() the call goes back to it;
  // otherwise the call ends (an originated one's application hears the status).
  void placed_leg_failed(Call& call, Side side, int code) {
    if (side == Side::kB && call.answered_locally) return connect_failed(call, code);
    int to_caller = code;
    std::string disposition = "failed";
    if (code == 486 || code == 600) {
      to_caller = 486;
      disposition = "busy";
    } else if (code == 480 || code == 408) {
      to_caller = 480;
      disposition = "no_answer";
    } else if (code == 404 || code == 484 || code == 604) {
      disposition = "not_found";
    } else if (code == 403 || code == 603) {
      disposition = "rejected";
    } else if (code == 401 || code == 407) {
      to_caller = 503;  // we could not authenticate to the carrier; the caller cannot either
    }
    end_call_before_answer(call, to_caller, disposition, "callee", std::to_string(code));
  }

  void invite_timeout(std::uint64_t id, Side side) {
    Call* call = get(id);
    if (!call || ringing_leg(*call) != side) return;
    if (side == Side::kB && call->answered_locally) return connect_failed(*call, 408);
    end_call_before_answer(*call, 408, "failed", "system", "408");
  }

  void ring_timeout(std::uint64_t id) {
    Call* call = get(id);
    auto side = call ? ringing_leg(*call) : std::nullopt;
    if (!side) return;
    call->ring_timer = 0;
    transactions_.cancel(call->leg(*side).invite_tx);
    if (*side == Side::kB && call->answered_locally) return connect_failed(*call, 480);
    end_call_before_answer(*call, 480, "no_answer", "system", "ring timeout");
  }

  // ---- the caller gives up -------------------------------------------------

  void on_cancel(sip::ServerTransactionId invite_tx) {
    auto it = by_invite_tx_.find(invite_tx);
    if (it == by_invite_tx_.end()) return;
    Call* call = get(it->second);
    if (!call || call->phase != Phase::kOffering) return;
    cancel_ringing(*call);
    end_call_before_answer(*call, 487, "cancelled", "caller", "CANCEL");
  }

  // ---- in-dialog requests --------------------------------------------------

  // The call and side a request with this Call-ID belongs to.
  std::optional<std::pair<Call*, Side>> find(std::string_view call_id) {
    auto it = by_call_id_.find(std::string(call_id));
    if (it == by_call_id_.end()) return std::nullopt;
    Call* call = get(it->second);
    if (!call) return std::nullopt;
    return std::make_pair(call, call->a.call_id == call_id ? Side::kA : Side::kB);
  }

  // The dialog a Call-ID names, for the front to match requests against.
  const sip::Dialog* dialog(std::string_view call_id) {
    auto found = find(call_id);
    if (!found) return nullptr;
    return &found->first->leg(found->second);
  }

  // The BYE that ends a call is answered once the call's record is durable (500 if
  // it cannot be made so): a call whose BYE got its 200 survives a kill -9
  // (docs/durability.md). The SIP thread does not wait: the writer's word is posted.
  void bye(sip::ServerTransactionId tx, const Message& request, Call& call, Side side) {
    if (call.phase == Phase::kEnded) return transactions_.respond(tx, sip::response_to(request, 200).finish());
    CdrSink::Durable answer = [this, tx, ok = sip::response_to(request, 200).finish(),
                               failed = sip::response_to(request, 500).finish()](bool durable) {
      parts_.post([this, tx, response = durable ? ok : failed] { transactions_.respond(tx, response); });
    };
    cancel_ringing(call);
    if (call.phase == Phase::kOffering) {
      return end_call_before_answer(call, 487, "cancelled", party(call, side), "BYE", std::move(answer));
    }
    if (call.outgoing == Outgoing::kConnected) send_bye(call.leg(other(side)));
    finish(call, "answered", party(call, side), "BYE", std::move(answer));
  }

  void reinvite(sip::ServerTransactionId tx, const Message& request, Call& call, Side side) {
    auto refuse = [&](int code, std::string_view reason = {}) {
      transactions_.respond(tx, sip::response_to(request, code, reason).finish());
    };
    const bool bridged = call.outgoing == Outgoing::kConnected;
    if (call.phase != Phase::kAnswered || call.reinvite || (!bridged && side == Side::kB)) {
      return transactions_.respond(
          tx, sip::response_to(request, 491).add("Retry-After", "1").finish());  // RFC 3261 §14.2
    }
    SdpOutcome sdp = read_audio(request.body());
    if (!sdp.offer) return refuse(sdp.status, sdp.reason);
    Leg& from = call.leg(side);
    SrtpAnswer srtp = answer_srtp(from.srtp_policy, *sdp.offer, from.srtp);
    if (srtp.refusal) return refuse(srtp.refusal, srtp.reason);
    from.srtp = srtp.own;
    from.audio = *sdp.offer;
    from.codecs = common_codecs(from.codecs, sdp.offer->codecs);
    if (from.codecs.empty()) from.codecs = sdp.offer->codecs;
    apply_audio(call, side);
    from.refresh_target(request);
    if (!bridged) return answer_reinvite_locally(call, tx, request);

    // Mirror the change on the other party, then answer with what it accepted.
    std::string body = our_sdp(call, other(side), sdp.offer->direction, sdp.offer->ptime);
    send_reinvite(call, other(side), std::move(body), Reinvite{side, tx, request, 0});
  }

  // REFER (RFC 3515) from the agent's phone on a call the application bridged: a
  // blind transfer of the customer to the Refer-To number, carried out by the
  // application as the desktop's would be (the same checks; the OutboundGuard counts
  // the new leg for the agent's extension). Only the number in Refer-To counts, never
  // its host. The customer's side may not refer: a caller could otherwise send the
  // call anywhere at our expense; nor may the parties of a call between phones.
  void refer(sip::ServerTransactionId tx, const Message& request, Call& call, Side side) {
    auto refuse = [&](int code, std::string_view reason) {
      transactions_.respond(tx, sip::response_to(request, code, reason).finish());
    };
    const auto refer_to = request.header_values("Refer-To");
    if (refer_to.size() != 1) return refuse(400, "One Refer-To Required");
    auto target = sip::NameAddr::parse(refer_to.front());
    if (!target || target->uri.scheme == sip::UriScheme::kOther) return refuse(400, "Malformed Refer-To");
    const std::string number = target->uri.user_decoded();
    if (!plausible_number(number)) return refuse(400, "Malformed Refer-To");
    const bool agent_side = call.answered_locally && call.outgoing == Outgoing::kConnected &&
                            call.phase == Phase::kAnswered && side != customer_side(call);
    if (!agent_side || !parts_.application) return refuse(403, "Transfer Not Allowed");
    CallId replacing = 0;
    if (auto replaces = target->uri.headers.get("Replaces")) {
      replacing = replaced_call(*replaces, call.cdr.callee);
      if (replacing == 0) return refuse(481, "Replaced Call Does Not Exist");
    }
    transactions_.respond(tx, sip::response_to(request, 202).finish());
    Leg& referrer = call.leg(side);
    notify_refer(referrer, 100, false);
    const CallId id = call.id;
    call.carrying_out_refer = true;
    const int refusal = parts_.application->on_refer(id, number, replacing);
    Call* still = get(id);
    if (!still) return;
    still->carrying_out_refer = false;
    if (refusal != 0 && still->phase == Phase::kAnswered) notify_refer(still->leg(side), refusal, true);
  }

  // The call a Refer-To's Replaces names (RFC 3891: "call-id;to-tag=…;from-tag=…",
  // %-escaped): an answered call between phones that the agent's phone (`agent`, the
  // referrer) placed through us — its A leg's dialog, with our tag as to-tag — and
  // only that; 0 otherwise. Nobody can have us hand a customer to a call they merely
  // know the Call-ID of.
  CallId replaced_call(std::string_view escaped, const std::string& agent) {
    std::string replaces;
    sip::scan::append_unescaped(escaped, replaces);
    const auto semicolon = replaces.find(';');
    if (semicolon == std::string::npos) return 0;
    auto params = sip::ParamList::parse(std::string_view(replaces).substr(semicolon + 1), sip::ParamSyntax::kHeader);
    if (!params) return 0;
    auto found = find(std::string_view(replaces).substr(0, semicolon));
    if (!found || found->second != Side::kA) return 0;
    const Call& consult = *found->first;
    const bool tags_match = params->get("to-tag").value_or("") == consult.a.local_tag &&
                            params->get("from-tag").value_or("") == consult.a.remote_tag;
    const bool agents_call = !consult.answered_locally && consult.phase == Phase::kAnswered &&
                             consult.outgoing == Outgoing::kConnected && consult.cdr.caller == agent;
    return tags_match && agents_call ? consult.id : 0;
  }

  static bool plausible_number(const std::string& number) {
    return number.size() <= 64 && core::is_dial_string(number);
  }

  // BYE to the connected leg; when its own REFER asked for that, the NOTIFY saying the
  // transfer worked goes first.
  void end_agent_leg(Call& call) {
    Leg& agent = call.leg(agent_side(call));
    if (call.carrying_out_refer) notify_refer(agent, 200, true);
    send_bye(agent);
  }

  // How a REFER we accepted goes (a NOTIFY carrying the status as message/sipfrag);
  // `final` ends the implicit subscription.
  void notify_refer(Leg& leg, int status, bool final) {
    std::string bytes = leg.request("NOTIFY", ++leg.local_cseq, local_)
                            .add("Contact", local_.contact(leg.next_hop.transport))
                            .add("Event", "refer")
                            .add("Subscription-State", final ? "terminated;reason=noresource" : "active;expires=60")
                            .add("Content-Type", "message/sipfrag;version=2.0")
                            .finish("SIP/2.0 " + std::to_string(status) + " " +
                                    std::string(sip::reason_phrase(status)) + "\r\n");
    transactions_.send_request(std::move(bytes), leg.next_hop, sip::ClientCallbacks{[](const Message&) {}, [] {}});
  }

  // Sends `body` in a re-INVITE to `to`'s party; reinvite_response() takes the answer.
  void send_reinvite(Call& call, Side to, std::string body, Reinvite pending) {
    Leg& leg = call.leg(to);
    pending.cseq_sent = ++leg.local_cseq;
    std::string bytes =
        leg.request("INVITE", pending.cseq_sent, local_).add("Content-Type", "application/sdp").finish(body);
    call.reinvite = std::move(pending);
    std::uint64_t id = call.id;
    transactions_.send_request(
        std::move(bytes), leg.next_hop,
        sip::ClientCallbacks{[this, id](const Message& response) { reinvite_response(id, response); },
                             [this, id] { reinvite_failed(id, 408); }});
  }

  // A caller talking to unicc alone (an application's call) changes its media: we
  // answer for ourselves.
  void answer_reinvite_locally(Call& call, sip::ServerTransactionId tx, const Message& request) {
    Leg& a = call.a;
    std::string body = our_sdp(call, Side::kA, answer_direction(a.audio.direction), a.audio.ptime);
    std::string ok = sip::response_to(request, 200)
                         .add("Contact", local_.contact(a.next_hop.transport))
                         .add("Content-Type", "application/sdp")
                         .finish(body);
    send_ok(call, Side::kA, tx, std::move(ok), request.cseq().number);
  }

  void reinvite_response(std::uint64_t id, const Message& response) {
    Call* call = get(id);
    int code = response.status_code();
    if (!call || !call->reinvite || code < 200) return;
    Reinvite pending = std::move(*call->reinvite);
    call->reinvite.reset();
    Side answered = other(pending.from);
    Leg& to = call->leg(answered);
    if (code >= 300) return reinvite_failed_with(*call, pending, code);
    send_ack(to, response.cseq().number);
    if (auto sdp = read_audio(response.body()); sdp.offer) {
      // A party that answers our unchanged key without its own keeps the one it had:
      // a re-INVITE never turns an SRTP leg into a clear one.
      if (!answer_matches_srtp(to.srtp, *sdp.offer)) sdp.offer->srtp = to.audio.srtp;
      to.audio = *sdp.offer;
      apply_audio(*call, answered);
    }
    if (!pending.request) {  // our own: nobody waits for the answer
      if (std::exchange(call->refresh_caller, false) && call->phase == Phase::kAnswered) {
        const Side customer = customer_side(*call);
        std::string body = our_sdp(*call, customer, media::Direction::kSendRecv, call->leg(customer).audio.ptime);
        send_reinvite(*call, customer, std::move(body), Reinvite{other(customer), 0, std::nullopt, 0});
      }
      return;
    }
    Leg& from = call->leg(pending.from);
    std::string body = our_sdp(*call, pending.from, answer_direction(from.audio.direction), from.audio.ptime);
    std::string ok = sip::response_to(*pending.request, 200)
                         .add("Contact", local_.contact(from.next_hop.transport))
                         .add("Content-Type", "application/sdp")
                         .finish(body);
    send_ok(*call, pending.from, pending.tx, std::move(ok), pending.request->cseq().number);
    publish(*call, from.audio.direction == media::Direction::kSendRecv ? "resumed" : "held");
  }

  void reinvite_failed(std::uint64_t id, int code) {
    Call* call = get(id);
    if (!call || !call->reinvite) return;
    Reinvite pending = std::move(*call->reinvite);
    call->reinvite.reset();
    reinvite_failed_with(*call, pending, code);
  }

  void reinvite_failed_with(const Call& call, const Reinvite& pending, int code) {
    if (!pending.request) {
      // The party keeps sending where it did; what we send still reaches it.
      return spdlog::warn("call {}: the new callee refused to move its media ({})", call.cdr.call_id, code);
    }
    transactions_.respond(pending.tx, sip::response_to(*pending.request, code == 408 ? 500 : code).finish());
  }

  // ---- ACKs and our 2xx retransmissions ------------------------------------

  void on_ack(const Message& ack) {
    if (auto found = find(ack.call_id())) found->first->leg(found->second).pending_ok.acknowledge(ack.cseq().number);
  }

  // Sends our 2xx to `side`'s INVITE and resends it until the ACK; without one the
  // call ends.
  void send_ok(Call& call, Side side, sip::ServerTransactionId tx, std::string bytes, std::uint32_t cseq) {
    transactions_.respond(tx, bytes);
    // The retransmitter lives in the call, so its callbacks never outlive it.
    call.leg(side).pending_ok.start(
        parts_.timers, std::move(bytes), cseq, [this, tx](const std::string& ok) { transactions_.respond(tx, ok); },
        [this, &call] {
          spdlog::warn("call {}: no ACK for our 200; hanging up", call.cdr.call_id);
          send_bye(call.a);
          send_bye(call.b);
          finish(call, "answered", "system", "no ACK");
        });
  }

  void send_ack(const sip::Dialog& dialog, std::uint32_t cseq) {
    transactions_.send_stateless(dialog.next_hop, dialog.ack(cseq, local_));
  }

  void send_bye(sip::Dialog& dialog) {
    std::string bytes = dialog.bye(local_);
    if (bytes.empty()) return;
    transactions_.send_request(std::move(bytes), dialog.next_hop, sip::ClientCallbacks{[](const Message&) {}, [] {}});
  }

  // A 2xx for a call we no longer want (it answered after a CANCEL, a second
  // fork, or a retransmission after the call ended): confirm and end it (§15).
  void hang_up_late_answer(const Message& response, const Endpoint& next_hop) {
    if (next_hop.address.empty()) return;
    sip::Dialog unwanted = sip::Dialog::answered_unwanted(response, next_hop);
    send_ack(unwanted, response.cseq().number);
    send_bye(unwanted);
  }

  // A 2xx to an INVITE whose transaction has ended: the callee of one of our legs
  // retransmits it (ACK again), or another fork answered (ACK and BYE it). Only from
  // the leg's peer and for our own dialog: a forged response to a spoofed address
  // must make us send nothing.
  void on_stray_response(const Message& response, const Endpoint& from) {
    if (response.cseq().method != "INVITE" || response.status_code() < 200 || response.status_code() >= 300) return;
    auto found = find(response.call_id());
    if (!found) return;
    auto [call, side] = *found;
    Leg& leg = call->leg(side);
    const bool ours = side == Side::kB || call->originated;
    if (!ours || !leg.answers_ours(response, from)) return;
    if (!leg.remote_tag.empty() && response.to().tag() == leg.remote_tag) return send_ack(leg, response.cseq().number);
    hang_up_late_answer(response, leg.next_hop);
  }

  void on_server_transaction_failed(sip::ServerTransactionId tx) {
    auto it = by_invite_tx_.find(tx);
    if (it == by_invite_tx_.end()) return;
    if (Call* call = get(it->second)) {
      cancel_ringing(*call);
      finish(*call, "failed", "system", "caller unreachable");
    }
  }

  // ---- media ----------------------------------------------------------------

  void apply_audio(Call& call, Side side) {
    const Leg& leg = call.leg(side);
    call.relay->set_srtp(media_leg(side), relay_keys(leg.srtp, leg.audio));
    call.relay->set_remote(media_leg(side), leg.audio.address, leg.audio.port);
    call.relay->set_direction(media_leg(side), side == customer_side(call) && call.caller_isolated
                                                   ? not_sending(leg.audio.direction)
                                                   : leg.audio.direction);
    if (auto pt = leg.audio.dtmf_payload_type()) call.relay->set_dtmf_payload_type(media_leg(side), *pt);
  }

  media::RelayCallbacks relay_callbacks(std::uint64_t id) {
    media::RelayCallbacks callbacks;
    callbacks.on_rtp_timeout = [this, id] {
      parts_.post([this, id] {
        Call* call = get(id);
        if (!call || call->phase != Phase::kAnswered) return;
        spdlog::warn("call {}: no RTP from either side; hanging up", call->cdr.call_id);
        cancel_ringing(*call);
        send_bye(call->a);
        send_bye(call->b);
        finish(*call, "answered", "system", "RTP timeout");
      });
    };
    callbacks.on_dtmf = [this, id](media::Leg leg, char digit, std::chrono::milliseconds duration) {
      spdlog::debug("DTMF {} from leg {} ({} ms)", digit, leg == media::Leg::kA ? "A" : "B", duration.count());
      if (leg != media::Leg::kA) return;
      to_application(id, [digit](CallApplication& application, CallId call) { application.on_dtmf(call, digit); });
    };
    callbacks.on_play_finished = [this, id](media::Leg, std::uint64_t play_id) {
      to_application(id, [play_id](CallApplication& application, CallId call) {
        application.on_play_finished(call, play_id);
      });
    };
    callbacks.on_leg_recording_ended = [this, id](media::Leg, std::chrono::milliseconds length, bool reached_max) {
      to_application(id, [length, reached_max](CallApplication& application, CallId call) {
        application.on_recording_ended(call, length, reached_max);
      });
    };
    return callbacks;
  }

  // From the RTP thread: tells the application on the SIP thread, if the call is
  // still its own and not yet bridged (a bridged call's digits belong to the parties).
  template <typename Notify>
  void to_application(std::uint64_t id, Notify notify) {
    parts_.post([this, id, notify] {
      Call* call = local_call(id);
      if (call && call->outgoing != Outgoing::kConnected) notify(*parts_.application, id);
    });
  }

  void start_recording(Call& call) {
    std::string file;
    for (char c : call.cdr.call_id) file += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    std::filesystem::path path = std::filesystem::path(settings_.recordings_dir) / (file + ".wav");
    std::error_code ignored;
    std::filesystem::create_directories(path.parent_path(), ignored);
    call.relay->start_recording(path.string());
    call.cdr.recording_path = path.string();
  }

  // ---- ending ---------------------------------------------------------------

  // For an originated call there is no caller to answer: the application hears the
  // status instead (from finish, once the call is over, so it may act on it at once).
  void end_call_before_answer(Call& call, int code_to_caller, const std::string& disposition,
                              const std::string& side, const std::string& cause = {},
                              CdrSink::Durable durable = {}) {
    if (call.originated) {
      call.originate_failure = code_to_caller;
    } else {
      transactions_.respond(call.a_invite_tx,
                            sip::response_to(*call.a_invite, code_to_caller, {}, call.a.local_tag).finish());
    }
    finish(call, disposition, side, cause.empty() ? std::to_string(code_to_caller) : cause, std::move(durable));
  }

  // Who a leg's party is in the CDR: an originated call's A leg is a called party too.
  static const char* party(const Call& call, Side side) {
    return side == Side::kA && !call.originated ? "caller" : "callee";
  }

  // `durable`, if set, is told when the call's record is.
  void finish(Call& call, const std::string& disposition, const std::string& side, const std::string& cause,
              CdrSink::Durable durable = {}) {
    if (call.phase == Phase::kEnded) return;
    call.phase = Phase::kEnded;
    parts_.timers.cancel(call.ring_timer);
    for (Leg* leg : {&call.a, &call.b}) leg->pending_ok.stop();
    if (call.relay) {
      auto a = call.relay->stats(media::Leg::kA);
      auto b = call.relay->stats(media::Leg::kB);
      call.cdr.rtp_from_caller = static_cast<std::int64_t>(a.packets_in);
      call.cdr.rtp_to_caller = static_cast<std::int64_t>(a.packets_out);
      call.cdr.rtp_from_callee = static_cast<std::int64_t>(b.packets_in);
      call.cdr.rtp_to_callee = static_cast<std::int64_t>(b.packets_out);
      call.cdr.rtp_lost = static_cast<std::int64_t>(a.packets_lost + b.packets_lost);
      call.relay->close_soon();  // never wait for the RTP thread on the SIP thread
    }
    for (Leg* leg : {&call.a, &call.b}) release_outbound(std::exchange(leg->admitted_for, {}));
    call.cdr.ended_at = parts_.clock.now_ms();
    call.cdr.disposition = disposition;
    call.cdr.hangup_side = side;
    call.cdr.hangup_cause = cause;
    if (call.answered_locally) {
      if (call.originate_failure) parts_.application->on_originate_failed(call.id, call.originate_failure);
      parts_.application->on_ended(call.id, call.cdr);
    }
    parts_.cdrs.record(call.cdr, std::move(durable));
    publish(call, "ended");
    spdlog::info("call {}: ended ({}, {} by {})", call.cdr.call_id, disposition, cause, side);
    // Keep the call findable briefly so late responses and retransmitted BYEs
    // are recognised, then forget it.
    std::uint64_t id = call.id;
    parts_.timers.start(sip::kAckWait, [this, id] { forget(id); });
  }

  void forget(std::uint64_t id) {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    by_call_id_.erase(it->second->a.call_id);
    by_call_id_.erase(it->second->b.call_id);
    by_invite_tx_.erase(it->second->a_invite_tx);
    calls_.erase(it);
  }

  void publish(const Call& call, const std::string& state) {
    parts_.observer.on_call_event(CallEvent{call.cdr.call_id, state, call.cdr.direction, call.cdr.caller,
                                            call.cdr.caller_name, call.cdr.dialled, call.cdr.callee,
                                            state == "ended" ? call.cdr.disposition : "", parts_.clock.now_ms()});
  }

  void hang_up_all() {
    ending_all_ = true;
    for (auto& [id, call] : calls_) {
      cancel_ringing(*call);
      if (call->phase == Phase::kOffering) {
        end_call_before_answer(*call, 503, "failed", "system", "shutdown");
      } else if (call->phase == Phase::kAnswered) {
        send_bye(call->a);
        send_bye(call->b);
        finish(*call, "answered", "system", "shutdown");
      }
    }
    ending_all_ = false;
  }

  void change_settings(std::chrono::seconds ring_timeout, bool record_calls) {
    settings_.ring_timeout = ring_timeout;
    settings_.record_calls = record_calls;
  }

 private:
  // Where to send requests for a registered phone. Over UDP: the address it
  // registered from (behind NAT that is the only way in). Over TCP: its
  // registration connection while it lasts, else a new connection to its Contact;
  // over TLS likewise (a TLS phone is never reached in clear).
  static Endpoint reach(const sip::Binding& binding) {
    if (binding.source.transport == sip::Transport::kUdp) return binding.source;
    Endpoint endpoint = binding.source;
    if (auto uri = sip::Uri::parse(binding.contact); uri && uri->host_port.kind != sip::HostKind::kName) {
      endpoint.address = std::string(uri->host());
      endpoint.port = uri->port() ? uri->port() : 5060;
    }
    return endpoint;
  }

  Call* get(std::uint64_t id) {
    auto it = calls_.find(id);
    return it == calls_.end() ? nullptr : it->second.get();
  }

  const core::TrunkConfig* trunk_named_user(const std::string& user) const {
    for (const auto& trunk : parts_.plan.trunks()) {
      if (!trunk.username.empty() && trunk.username == user) return &trunk;
    }
    return nullptr;
  }

  // Phones' HA1 from the directory; trunks that authenticate inbound calls by
  // digest use their configured user and password.
  sip::DigestAuthenticator::Ha1Lookup ha1_lookup_with_trunks() const {
    auto accounts = sip::ha1_lookup(parts_.accounts);
    return [this, accounts](std::string_view user, sip::DigestAlgorithm algorithm) -> std::optional<std::string> {
      if (auto ha1 = accounts(user, algorithm)) return ha1;
      if (const auto* trunk = trunk_named_user(std::string(user))) {
        return sip::digest_ha1(algorithm, trunk->username, parts_.digest.realm(), trunk->password);
      }
      return std::nullopt;
    };
  }

  B2buaParts parts_;
  B2buaSettings settings_;
  sip::TransactionLayer& transactions_;
  sip::LocalAddress local_;  // written into Via and Contact
  std::uint64_t next_call_ = 1;
  bool ending_all_ = false;  // inside hang_up_all()
  std::map<std::uint64_t, std::unique_ptr<Call>> calls_;
  std::map<std::string, std::uint64_t> by_call_id_;
  std::map<sip::ServerTransactionId, std::uint64_t> by_invite_tx_;
};

B2bua::B2bua(B2buaParts parts, B2buaSettings settings)
    : impl_(std::make_unique<Impl>(std::move(parts), std::move(settings))) {}

B2bua::~B2bua() = default;

void B2bua::hang_up_all() { impl_->hang_up_all(); }

void B2bua::change_settings(std::chrono::seconds ring_timeout, bool record_calls) {
  impl_->change_settings(ring_timeout, record_calls);
}

CallId B2bua::originate(const std::string& number, const std::string& caller, const std::string& caller_name,
                        int& code, bool auto_answer) {
  return impl_->originate(number, caller, caller_name, code, auto_answer);
}
std::string B2bua::call_id_of(CallId call) const { return impl_->call_id_of(call); }
int B2bua::check_connect(const std::string& number, const std::string& caller) {
  return impl_->check_connect(number, caller);
}

void B2bua::play(CallId call, std::vector<media::Prompt> prompts, bool loop, bool barge_in, std::uint64_t play_id) {
  impl_->play(call, std::move(prompts), loop, barge_in, play_id);
}
void B2bua::stop_playing(CallId call) { impl_->stop_playing(call); }
void B2bua::record(CallId call, std::string path, std::chrono::milliseconds max_length,
                   std::chrono::milliseconds end_after_silence) {
  impl_->record(call, std::move(path), max_length, end_after_silence);
}
void B2bua::stop_recording(CallId call) { impl_->stop_recording(call); }
int B2bua::connect(CallId call, const std::string& number, const std::string& shown_as, bool auto_answer,
                   const std::string& counted_for) {
  return impl_->connect(call, number, shown_as, auto_answer, counted_for);
}
void B2bua::cancel_connect(CallId call) { impl_->cancel_connect(call); }
void B2bua::hang_up(CallId call) { impl_->hang_up(call); }
void B2bua::isolate_caller(CallId call, bool isolated) { impl_->isolate_caller(call, isolated); }
void B2bua::release_connected(CallId call) { impl_->release_connected(call); }
int B2bua::transfer_connected(CallId call, const std::string& number) {
  return impl_->transfer_connected(call, number);
}
void B2bua::send_digits(CallId call, const std::string& digits) { impl_->send_digits(call, digits); }
bool B2bua::conference(CallId host, CallId guest, bool with_caller) {
  return impl_->conference(host, guest, with_caller);
}
void B2bua::end_conference(CallId host) { impl_->end_conference(host); }
bool B2bua::monitor(CallId host, CallId supervisor, contact::MonitorMode mode) {
  return impl_->monitor(host, supervisor, mode);
}
void B2bua::end_monitor(CallId host) { impl_->end_monitor(host); }
bool B2bua::hand_over(CallId host, CallId guest) { return impl_->hand_over(host, guest); }

const sip::Dialog* B2bua::dialog(std::string_view call_id) const { return impl_->dialog(call_id); }
void B2bua::on_new_dialog(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Endpoint& from) {
  impl_->new_call(tx, invite, from);
}
void B2bua::on_in_dialog(sip::ServerTransactionId tx, const sip::Message& request, const sip::Endpoint&) {
  impl_->on_in_dialog(tx, request);
}
void B2bua::on_ack(const sip::Message& ack) { impl_->on_ack(ack); }
void B2bua::on_cancel(sip::ServerTransactionId invite) { impl_->on_cancel(invite); }
void B2bua::on_stray_response(const sip::Message& response, const sip::Endpoint& from) {
  impl_->on_stray_response(response, from);
}
void B2bua::on_server_transaction_failed(sip::ServerTransactionId id) { impl_->on_server_transaction_failed(id); }

}  // namespace unicc::call
