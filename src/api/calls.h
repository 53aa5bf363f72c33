#pragma once
// /api/v1/calls — the CTI's live calls (customers' contacts: queued, offered to an
// agent, talking, held, transferring) and the agent's commands on them:
//   GET  /api/v1/calls                              the live calls (an agent: their own)
//   POST /api/v1/calls                              {"agent": "1001", "to": "0138…"}: click-to-dial
//   POST /api/v1/calls/{call_id}/hold | resume | hangup
//   POST /api/v1/calls/{call_id}/transfer           {"to": "1002" | "queue:support" | "0138…", "mode": "blind"}
//   POST /api/v1/calls/{call_id}/dtmf               {"digits": "12#"}
//   POST /api/v1/calls/{call_id}/wrap-up            {"disposition": "resolved", "notes": "…"}
//   POST|PATCH /api/v1/calls/{call_id}/monitor      {"supervisor": "1006", "mode": "listen"|"whisper"|"barge"}
//   POST /api/v1/calls/{call_id}/intercept          {"supervisor": "1006"}
// `call_id` is the customer leg's SIP Call-ID. An agent acts on the calls offered to
// or talking with their own extension (403 otherwise); supervisors and admins on
// any. A command answers the call as it is afterwards, or 404 / 409 with the code
// saying why not (not_talking, not_found, unavailable, refused, unknown_queue); a
// repeated command (a double click) changes nothing and answers 200. The wrap-up
// (disposition and notes into the call's CDR) is for any agent who talked on the
// call, also after it ended, and ends that agent's wrap-up time. Monitoring is for
// supervisors and admins (a qa user may listen) on any call, audited, and never shown
// to the agent monitored. live_call_json is
// also the shape of the {"type":"live_call"} event (docs/api.md), which carries the
// caller's CRM record (LiveCallEvents).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.h"
#include "contact/contacts.h"
#include "crm/customers.h"
#include "http/router.h"

namespace unicc::api {

// The live calls' events, each with the caller's customer record. The record is
// looked up (the database) once per call on a thread of its own, so the SIP thread
// only hands the call over; a found record is reported back (`customer_found`) so
// the call's CDR names it. Remembers which agents talked on the last calls, so each
// may wrap a call up after it ended.
class LiveCallEvents {
 public:
  LiveCallEvents(http::EventHub& hub, crm::CustomerStore& customers, auth::AuditLog& audit,
                 std::function<void(contact::ContactId contact, std::int64_t customer_id)> customer_found);
  ~LiveCallEvents();
  LiveCallEvents(const LiveCallEvents&) = delete;
  LiveCallEvents& operator=(const LiveCallEvents&) = delete;

  // From any thread; published in the order given.
  void changed(const contact::ContactView& call);
  // Publishes what is waiting, then ends the worker (also on destruction); later
  // changes go out without their customer.
  void stop();
  bool handled_by(const std::string& call_id, const std::string& extension) const;

 private:
  void run();
  void publish(const contact::ContactView& call);
  void remember_agent(const contact::ContactView& call);
  void audit_monitoring(const contact::ContactView& call);
  void send(const contact::ContactView& call, const nlohmann::json& customer);

  http::EventHub& hub_;
  crm::CustomerStore& customers_;
  auth::AuditLog& audit_;
  // The calls a supervisor is on (the worker's own): who, the modes in order, since when.
  struct Monitoring {
    std::string supervisor;
    std::vector<std::string> modes;
    std::int64_t since_ms = 0;
  };
  std::map<contact::ContactId, Monitoring> monitoring_;
  std::function<void(contact::ContactId, std::int64_t)> customer_found_;
  std::map<contact::ContactId, nlohmann::json> customer_of_call_;  // the worker's own
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<contact::ContactView> pending_;
  bool stopping_ = false;
  std::map<std::string, std::set<std::string>> agents_of_call_;
  std::deque<std::string> remembered_;  // oldest first, bounded
  std::thread worker_;
};

struct LiveCalls {
  std::function<std::vector<contact::ContactView>()> list;
  // Telephony::command_call.
  std::function<contact::CommandOutcome(const std::string& call_id, const std::string& command,
                                        const std::string& argument,
                                        const std::function<bool(const contact::ContactView&)>& may)>
      command;
  crm::CustomerStore& customers;
  const LiveCallEvents& events;
  // call::CdrStore::wrap_up: false when no CDR has that Call-ID.
  std::function<bool(const std::string& call_id, const std::string& code, const std::string& notes)> wrap_up;
  // Ends the agent's wrap-up time (ready), if they are in it.
  std::function<void(const std::string& extension)> end_wrap_up;
  // Whether a disposition code is one of the center's.
  std::function<bool(const std::string& code)> known_disposition;
  // Telephony::dial: the agent at `extension` calls `number` (click-to-dial).
  std::function<contact::DialOutcome(const std::string& extension, const std::string& number)> dial;
};

void add_call_routes(http::Router& router, ApiContext& context, LiveCalls calls);

// The customer's record (by the id the call has, else by the caller's number, or for
// an outbound call the number dialled), or null.
nlohmann::json customer_of(crm::CustomerStore& customers, const contact::ContactView& call);
nlohmann::json live_call_json(const contact::ContactView& call, const nlohmann::json& customer = nullptr);
// {"type":"live_call","call":{…}}
nlohmann::json live_call_event(const contact::ContactView& call);
// Whether `who` may act on this call: supervisors and admins any, an agent theirs.
bool handles_call(const auth::Principal& who, const contact::ContactView& call);
// Whether `who` sees this call's events: who handles it, and the party its agent
// consults or adds to it (the desktop shows them whose customer it is).
bool follows_call(const auth::Principal& who, const contact::ContactView& call);
// Whether `who` sees this agent's state changes: supervisors and admins, the agent.
bool sees_agent(const auth::Principal& who, const std::string& extension);

}  // namespace unicc::api
