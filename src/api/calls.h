#pragma once
// /api/v1/calls — the CTI's live calls (customers' contacts: queued, offered to an
// agent, talking, held, transferring) and the agent's commands on them:
//   GET  /api/v1/calls                              the live calls (an agent: their own)
//   POST /api/v1/calls/{call_id}/hold | resume | hangup
//   POST /api/v1/calls/{call_id}/transfer           {"to": "1002" | "queue:support" | "0138…", "mode": "blind"}
//   POST /api/v1/calls/{call_id}/dtmf               {"digits": "12#"}
// `call_id` is the customer leg's SIP Call-ID. An agent acts on the calls offered to
// or talking with their own extension (403 otherwise); supervisors and admins on
// any. A command answers the call as it is afterwards, or 404 / 409 with the code
// saying why not (not_talking, not_found, unavailable, refused, unknown_queue); a
// repeated command (a double click) changes nothing and answers 200. live_call_json
// is also the shape of the {"type":"live_call"} event (docs/api.md).
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.h"
#include "contact/contacts.h"
#include "http/router.h"

namespace unicc::api {

struct LiveCalls {
  std::function<std::vector<contact::ContactView>()> list;
  // Telephony::command_call.
  std::function<contact::CommandOutcome(const std::string& call_id, const std::string& command,
                                        const std::string& argument,
                                        const std::function<bool(const contact::ContactView&)>& may)>
      command;
};

void add_call_routes(http::Router& router, ApiContext& context, LiveCalls calls);

nlohmann::json live_call_json(const contact::ContactView& call);
// {"type":"live_call","call":{…}}
nlohmann::json live_call_event(const contact::ContactView& call);
// Whether `who` sees this call's events and may act on it: supervisors and admins
// any, an agent theirs.
bool handles_call(const auth::Principal& who, const contact::ContactView& call);
// Whether `who` sees this agent's state changes: supervisors and admins, the agent.
bool sees_agent(const auth::Principal& who, const std::string& extension);

}  // namespace unicc::api
