#pragma once
// sip::Dialog — one SIP dialog as a user agent holds it (RFC 3261 §12): its
// identity (Call-ID, local and remote tag), the peer's URIs, target and route set,
// our CSeq, and where our requests to the peer go.
//
// A request belongs to a dialog only when its Call-ID and both tags name it
// (§12.2.2) and it comes from the dialog's peer (matches()); whoever holds the
// dialog answers anything else 481 and changes nothing, so nobody who merely
// guesses or replays a Call-ID can end or re-route a call. In-dialog requests we
// send (BYE, re-INVITE, ACK) are built here with the dialog's CSeq and route set.
//
// sip::OkRetransmitter resends our 2xx to an INVITE until its ACK arrives
// (§13.3.1.4): at T1, doubling up to T2; at the first resend due once kAckWait has
// passed (35.5 s) it gives up instead and says so, once.
//
// Single-threaded, like the transaction layer.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sip/builder.h"
#include "sip/endpoint.h"
#include "sip/message.h"
#include "sip/transaction.h"

namespace unicc::sip {

// How long a 2xx to an INVITE is resent without its ACK (64·T1); also how long an
// ended dialog stays recognisable for late retransmissions.
inline constexpr std::chrono::milliseconds kAckWait{64 * 500};

// "Name" <uri> or <uri>, for From/To values without their tag; `display` is text
// (from a phone, a flow or the API) and is quoted safely.
std::string name_addr(std::string_view display, std::string_view uri);

// A fresh random tag for our side of a dialog (From or To).
std::string new_tag();

struct Dialog {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;  // empty until the peer answered a dialog we started
  std::string local_uri;   // our From (dialogs we start) or To (dialogs we accept), without tag
  std::string remote_uri;
  std::string remote_target;  // the peer's Contact: Request-URI of our requests
  std::vector<std::string> route_set;
  std::uint32_t local_cseq = 0;
  Endpoint next_hop;  // where our requests to the peer go

  // The dialog an INVITE from `from` creates when we accept it (UAS, §12.1.1).
  static Dialog accepted(const Message& invite, const Endpoint& from, std::string local_tag);
  // The dialog a 2xx to an INVITE we did not (or no longer) want would create: just
  // enough to ACK and BYE it (§15). `next_hop` is where the INVITE went.
  static Dialog answered_unwanted(const Message& response, const Endpoint& next_hop);

  // The peer answered our INVITE with `response` (2xx): its tag, target and route
  // set (Record-Route reversed, §12.1.2).
  void confirm(const Message& response);
  // A target refresh (re-INVITE) from the peer moves its target to its Contact.
  void refresh_target(const Message& request);

  // Whether `request` (or ACK) is in this dialog: Call-ID, both tags, from the peer.
  bool matches(const Message& request, const Endpoint& from) const;
  // Whether a response to a request of ours is for this dialog and from its peer.
  bool answers_ours(const Message& response, const Endpoint& from) const;
  // The peer sends from where we send to it: the same address (and, over UDP, port)
  // as the next hop. Over TCP and TLS a peer may open a new connection from any port.
  bool from_peer(const Endpoint& from) const;

  // A request in this dialog (or the INVITE creating it) with CSeq `cseq`, a fresh
  // Via branch, the route set, and for INVITE our Contact and Allow.
  MessageBuilder request(std::string_view method, std::uint32_t cseq, const LocalAddress& local,
                         std::uint32_t max_forwards = 70) const;
  // The ACK for the 2xx with CSeq `cseq` (it takes the INVITE's number, §13.2.2.4).
  std::string ack(std::uint32_t cseq, const LocalAddress& local) const;
  // The BYE ending the dialog, with the next CSeq; empty when the peer never answered.
  std::string bye(const LocalAddress& local);
};

// What we allow, in Allow headers.
inline constexpr std::string_view kAllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, REFER";

class OkRetransmitter {
 public:
  using Resend = std::function<void(const std::string& bytes)>;

  OkRetransmitter();
  OkRetransmitter(OkRetransmitter&&) noexcept;
  OkRetransmitter& operator=(OkRetransmitter&& other) noexcept;
  ~OkRetransmitter();

  // `bytes`, the 2xx with CSeq number `cseq`, has just been sent once; resends it
  // through `resend` until acknowledge(cseq) or stop(); past kAckWait `no_ack` runs
  // once instead (the owner typically hangs up). Replaces a 2xx still pending.
  void start(TimerService& timers, std::string bytes, std::uint32_t cseq, Resend resend,
             std::function<void()> no_ack);
  // An ACK in the dialog arrived: stops when it is for the pending 2xx.
  void acknowledge(std::uint32_t cseq);
  void stop();
  bool pending() const;

 private:
  struct State;
  // On the heap, so the timer's callback keeps its address when the owner moves.
  std::unique_ptr<State> state_;
};

}  // namespace unicc::sip
