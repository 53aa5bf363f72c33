#pragma once
// Internal to contact::Contacts (contacts.cpp, callbacks.cpp): what it keeps of each
// contact and each callback request. Not for other modules.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contact/contacts.h"

namespace unicc::contact {

using TimerId = core::Timers::TimerId;

// Play ids of what Contacts tells a customer: the top of the range, which a flow's
// own prompts (numbered by the executor's turn) never reach. The voice channel's
// hold music is ~0 - 1.
constexpr std::uint64_t kComfortPlay = ~std::uint64_t{0};
constexpr std::uint64_t kGoodbyePlay = ~std::uint64_t{0} - 2;
constexpr std::uint64_t kGreetingPlay = ~std::uint64_t{0} - 3;
constexpr std::uint64_t kClosedPlay = ~std::uint64_t{0} - 4;

bool speaks_chinese(const std::string& voice);
// Why a leg was not answered, from its SIP-style status: "busy", "no answer"...
std::string connect_failure(int code);
// The same in the words of the call's record (CDR dispositions): "busy", "no_answer"...
std::string line_failure(int code);
// Why a party the agent or a supervisor calls in cannot be reached, from the
// channel's SIP-style status: not_found, refused, unavailable.
std::string unreachable(int code);

struct Contacts::Contact {
  Customer customer;
  bool waiting = false;   // a leg rings (transfer, ring queue), or an ACD queue holds the contact
  bool with_acd = false;  // queued in (or answered from) an ACD queue
  int priority = 0;       // in the ACD queue
  std::optional<acd::AgentId> offered_agent;   // the agent whose phone rings for this contact
  bool answer_asked = false;                   // that agent answered on the desktop: rung again to answer
  bool callback_requested = false;             // the customer keeps their place and is leaving
  std::shared_ptr<const QueueSettings> queue;  // the queue being waited in
  TimerId comfort_timer = 0;
  struct Voicemail {
    std::string mailbox;
    int max_seconds = 0;
    std::string path;
  };
  std::optional<Voicemail> voicemail;
  bool recording = false;
  std::int64_t recording_started_at = 0;
  TimerId recording_timer = 0;
  // CTI: who talks to the customer, and what the desktop shows.
  std::string queue_name;                 // the queue it came through, kept after an agent answered
  std::optional<acd::AgentId> agent;      // the router's agent talking to it
  std::string talking_to;                 // the extension (or number) talking to it
  std::string transfer_target;            // what a transfer rings
  // The agent at transfer_target: on this call in the ACD from the ring on (no queue
  // call is offered to them meanwhile), and in wrap-up after it.
  std::optional<acd::AgentId> transfer_agent;
  bool held = false;
  std::int64_t since_ms = 0;
  std::int64_t waited_ms = 0;
  std::string shown_state;  // the state last reported
  std::int64_t state_since_ms = 0;
  std::vector<ContactStep> steps;
  std::int64_t customer_id = 0;
  std::optional<ContactGuest> guest;
  ContactId guest_leg = 0;  // the guest's session, while there is one
  std::optional<ContactMonitor> monitor;
  ContactId monitor_leg = 0;  // the supervisor's session, while there is one
  // Click-to-dial: the agent's own call to the customer (`agent` and `talking_to` are
  // theirs from the start; `waiting` while either phone rings).
  bool outbound = false;
  bool agent_answered = false;  // the customer's phone rings, or the customer talks
  std::string reason;           // ContactView::reason
  bool closed = false;          // told its queue is closed, then released
};

// A customer who asked to be called back, from their request to the end of the call
// back (or its failure).
struct Contacts::Callback {
  CallbackRecord record;
  acd::AgentId agent = 0;  // reserved for them; 0 until their turn
  ContactId leg = 0;       // the session placed to the agent
  bool customer_answered = false;
  std::string failure;  // why the customer was not reached
};

}  // namespace unicc::contact
