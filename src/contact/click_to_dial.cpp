// contact::Contacts, click-to-dial: an agent has unicc call a customer for them (from
// their desktop, or a script over REST). Their own phone rings first, as for a
// callback; once they answer, the customer's number is called showing the center's
// caller ID while the agent hears ringback, and the two talk once the customer
// answers. From the start it is a live contact like an inbound one (direction
// "outbound"), so the desktop, hold, digits, hang-up, the CDR and the screen pop work
// on it unchanged; the agent is on a call in the ACD (acd::Router::dial_out) for as
// long as it lasts, and wraps up after it.
#include "contact/contacts.h"

#include <spdlog/spdlog.h>

#include "contact/contacts_impl.h"

namespace unicc::contact {
namespace {

// Why a leg could not be placed at all (the channel's status before anything rang).
std::string refusal(int code) {
  switch (code) {
    case 404: return "not_found";
    case 403: return "blocked";
    case 480: return "unavailable";
    default: return "failed";
  }
}

}  // namespace

std::string line_failure(int code) {
  switch (code) {
    case 486: case 600: return "busy";
    case 480: case 408: return "no_answer";
    case 404: case 484: case 604: return "not_found";
    case 403: case 603: return "rejected";
    default: return "failed";
  }
}

DialOutcome Contacts::dial(const std::string& extension, const std::string& number) {
  const auto agent = agent_at(extension);
  if (!agent || !parts_.router) return {"unknown_agent", std::nullopt};
  if (Contact* mine = outbound_of(*agent)) {
    // The same click again while it rings changes nothing; another waits for this one.
    if (mine->waiting && mine->customer.dialled == number) return {"", view_of(*mine), true};
    return {"busy", std::nullopt};
  }
  const auto status = parts_.router->agent_status(*agent);
  if (!status || status->state == acd::AgentState::kLoggedOut) return {"logged_out", std::nullopt};
  if (status->state == acd::AgentState::kReserved || status->state == acd::AgentState::kOnCall ||
      talks_to(extension)) {
    return {"busy", std::nullopt};
  }
  if (number == extension) return {"no_route", std::nullopt};
  // Refused before the agent's phone rings: an agent must not answer to hear the line drop.
  if (const int code = parts_.control.check_dial(number, extension); code != 0) {
    return {code == 404 ? "no_route" : code == 403 ? "refused" : "unavailable", std::nullopt};
  }
  std::string session_id;
  int code = 0;
  // The agent's phone shows the number they are calling.
  const ContactId id =
      parts_.control.ring_agent(extension, number, auto_answer_agents_.contains(*agent), session_id, code);
  if (id == 0) return {"unavailable", std::nullopt};  // their phone is not registered
  if (parts_.router->dial_out(id, *agent) != acd::Status::kOk) {  // not after the checks above; to be sure
    parts_.control.hang_up(id);
    return {"busy", std::nullopt};
  }
  const std::string shown = settings_.caller_id.empty() ? extension : settings_.caller_id;
  Contact& contact = adopt(Customer{id, session_id, shown, "", number, ""});
  contact.outbound = true;
  contact.agent = agent;
  contact.talking_to = extension;
  contact.waiting = true;
  spdlog::info("call {}: {} calls {} (click-to-dial)", session_id, extension, number);
  changed(contact);
  return {"", view_of(contact), false};
}

Contacts::Contact* Contacts::outbound_of(acd::AgentId agent) {
  for (auto& [id, contact] : contacts_) {
    if (contact->outbound && contact->agent == agent) return contact.get();
  }
  return nullptr;
}

// Whether a contact the ACD does not route talks to or rings `extension` (a transfer
// to it, a queue that rings it).
bool Contacts::talks_to(const std::string& extension) const {
  for (const auto& [id, contact] : contacts_) {
    if (contact->talking_to == extension || contact->transfer_target == extension) return true;
  }
  return false;
}

// The agent answered: their handle time starts, and the customer is called while the
// agent hears ringback.
void Contacts::dial_agent_answered(Contact& contact) {
  const ContactId id = contact.customer.id;
  contact.agent_answered = true;
  parts_.router->answered(id, *contact.agent);
  parts_.control.hold(id, {});
  const Customer& customer = contact.customer;
  const int code = parts_.control.dial(id, customer.dialled, customer.caller, contact.talking_to);
  if (code != 0) {
    contact.reason = refusal(code);
    spdlog::warn("call {}: {} cannot be called: {}", customer.session_id, customer.dialled, contact.reason);
    return parts_.control.hang_up(id);  // the agent hears the line go down
  }
  changed(contact);
}

// The customer answered and talks to the agent; or did not, and the agent's line goes
// down (they wrap up, as after any call).
void Contacts::dial_result(Contact& contact, bool answered, int code) {
  if (answered) {
    contact.waiting = false;
    return changed(contact);
  }
  contact.reason = line_failure(code);
  spdlog::info("call {}: {} did not answer ({})", contact.customer.session_id, contact.customer.dialled,
               contact.reason);
  parts_.control.hang_up(contact.customer.id);
}

void Contacts::dial_ended(Contact& contact) {
  if (contact.reason.empty() && contact.waiting) contact.reason = "cancelled";
}

}  // namespace unicc::contact
