// contact::Contacts — what the agent desktop sees of a contact and the agent's
// commands on it (hold, resume, hang up, transfer, digits).
#include <algorithm>

#include <spdlog/spdlog.h>

#include "contact/contacts.h"
#include "contact/contacts_impl.h"

namespace unicc::contact {
namespace {

constexpr std::string_view kQueuePrefix = "queue:";
constexpr std::size_t kMaxDigits = 32;

bool valid_digits(const std::string& digits) {
  return !digits.empty() && digits.size() <= kMaxDigits &&
         std::all_of(digits.begin(), digits.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
         });
}

}  // namespace

std::string unreachable(int code) {
  switch (code) {
    case 404: return "not_found";
    case 403: return "refused";
    default: return "unavailable";
  }
}

std::string Contacts::state_of(const Contact& contact) const {
  if (contact.voicemail) return "voicemail";
  if (contact.outbound && contact.waiting) return contact.agent_answered ? "dialing" : "offered";
  if (contact.waiting) {
    if (contact.with_acd) return contact.offered_agent ? "offered" : "queued";
    return agent_at(contact.transfer_target) ? "offered" : "transferring";
  }
  if (!contact.talking_to.empty()) return contact.held ? "held" : "talking";
  return "transferring";
}

ContactView Contacts::view_of(const Contact& contact) const {
  const Customer& customer = contact.customer;
  ContactView view;
  view.id = customer.id;
  view.session_id = customer.session_id;
  view.state = contact.shown_state.empty() ? state_of(contact) : contact.shown_state;
  view.caller = customer.caller;
  view.caller_name = customer.caller_name;
  view.dialled = customer.dialled;
  view.trunk = customer.trunk;
  view.queue = contact.queue_name;
  if (contact.offered_agent) {
    auto extension = agent_extensions_.find(*contact.offered_agent);
    if (extension != agent_extensions_.end()) view.agent = extension->second;
  } else if (!contact.transfer_target.empty()) {
    view.agent = contact.transfer_target;
  } else {
    view.agent = contact.talking_to;
  }
  view.since_ms = contact.since_ms;
  view.state_since_ms = contact.state_since_ms;
  view.waited_ms = contact.waited_ms;
  view.steps = contact.steps;
  view.customer_id = contact.customer_id;
  view.ivr_path = customer.ivr_path;
  view.ivr_variables = customer.ivr_variables;
  view.guest = contact.guest;
  view.monitor = contact.monitor;
  view.direction = contact.outbound ? "outbound" : "inbound";
  view.reason = contact.reason;
  return view;
}

void Contacts::changed(Contact& contact) {
  const std::string state = state_of(contact);
  if (state != contact.shown_state) {
    contact.shown_state = state;
    contact.state_since_ms = parts_.clock.now_ms();
  }
  if (parts_.contact_changed) parts_.contact_changed(view_of(contact));
}

void Contacts::report_final(const Contact& contact, const std::string& state) {
  if (!parts_.contact_changed) return;
  ContactView view = view_of(contact);
  view.state = state;
  view.state_since_ms = parts_.clock.now_ms();
  parts_.contact_changed(view);
}

std::vector<ContactView> Contacts::live() const {
  std::vector<ContactView> views;
  for (const auto& [id, contact] : contacts_) views.push_back(view_of(*contact));
  return views;
}

std::optional<ContactView> Contacts::view(ContactId id) const {
  auto found = contacts_.find(id);
  if (found == contacts_.end()) return std::nullopt;
  return view_of(*found->second);
}

std::optional<acd::AgentId> Contacts::agent_at(const std::string& extension) const {
  if (extension.empty()) return std::nullopt;
  for (const auto& [agent, at] : agent_extensions_) {
    if (at == extension) return agent;
  }
  return std::nullopt;
}

Contacts::Contact* Contacts::talking(ContactId id, std::string& problem) {
  Contact* contact = find(id);
  if (!contact) {
    problem = "not_found";
  } else if (contact->waiting || contact->talking_to.empty()) {
    problem = "not_talking";
    contact = nullptr;
  }
  return contact;
}

std::string Contacts::hold_contact(ContactId id) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (contact->guest) return busy_with_guest(*contact);
  if (contact->held) return "";
  auto queue = queues_.find(contact->queue_name);
  parts_.control.hold_bridged(id, queue == queues_.end() ? Prompts{} : queue->second->music);
  contact->held = true;
  changed(*contact);
  return "";
}

std::string Contacts::resume_contact(ContactId id) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (contact->guest) return busy_with_guest(*contact);
  if (!contact->held) return "";
  parts_.control.resume_bridged(id);
  contact->held = false;
  changed(*contact);
  return "";
}

std::string Contacts::answer_contact(ContactId id) {
  Contact* contact = find(id);
  if (!contact) return "not_found";
  if (!contact->waiting && !contact->talking_to.empty()) return "";  // answered already (a double click)
  if (!contact->waiting || !contact->offered_agent) return "not_offered";
  const acd::AgentId agent = *contact->offered_agent;
  if (contact->answer_asked || auto_answer_agents_.contains(agent)) return "";  // asked already
  parts_.control.cancel_connect(id);
  const int code = parts_.control.connect(id, agent_extensions_.at(agent), "", /*auto_answer=*/true);
  if (code != 0) {
    contact->offered_agent.reset();
    parts_.router->offer_failed(id, agent, connect_failure(code));
    changed(*contact);
    carry_out_decisions();
    return unreachable(code);
  }
  contact->answer_asked = true;
  return "";
}

std::string Contacts::hang_up_contact(ContactId id) {
  if (!find(id)) return "not_found";
  parts_.control.hang_up(id);
  return "";
}

std::string Contacts::send_digits(ContactId id, const std::string& digits) {
  if (!valid_digits(digits)) return "invalid_digits";
  std::string problem;
  if (!talking(id, problem)) return problem;
  parts_.control.send_digits(id, digits);
  return "";
}

// The same transfer again (a double click): it is under way, or done.
bool Contacts::repeats_transfer(const Contact& contact, const std::string& mode, const std::string& to) {
  if (contact.steps.empty()) return false;
  const ContactStep& last = contact.steps.back();
  return last.kind == "transfer" && last.mode == mode && (to.empty() || last.to == to) &&
         (contact.waiting || contact.talking_to == last.to);
}

int Contacts::refer_contact(ContactId id, const std::string& to, ContactId replacing) {
  const std::string problem = replacing == 0 ? transfer_contact(id, to) : join_phone_consult(id, to, replacing);
  if (problem.empty()) return 0;
  if (problem == "not_found" || problem == "unknown_queue") return 404;
  if (problem == "unavailable") return 480;
  return 403;  // refused, or not now: consulting, in a three-way call, not talking
}

std::string Contacts::transfer_contact(ContactId id, const std::string& to) {
  if (Contact* contact = find(id); contact && repeats_transfer(*contact, "blind", to)) return "";
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (contact->guest) return busy_with_guest(*contact);
  const ContactStep step{parts_.clock.now_ms(), "transfer", "blind", contact->talking_to, to};
  if (contact->outbound) return transfer_outbound(*contact, step);
  if (to.starts_with(kQueuePrefix)) {
    auto queue = queue_named(to.substr(kQueuePrefix.size()), problem);
    if (!queue) return "unknown_queue";
    parts_.control.release_bridged(id);
    contact->steps.push_back(step);
    leave_agent(*contact);
    contact->queue_name = queue->name;
    auto failed = queue->ring.empty() ? enqueue_with_acd(*contact, queue, contact->priority + 1)
                                      : hand_over(*contact, queue->ring, queue);
    if (failed) back_to_flow(*contact, "", *failed);
    return "";
  }
  if (to.empty() || to == contact->talking_to) return "not_found";
  const int code = parts_.control.transfer_bridged(id, to);
  if (code != 0) return unreachable(code);
  target_rings(*contact, step);
  return "";
}

// The agent has left for `step.to`, which rings while the customer hears ringback.
void Contacts::target_rings(Contact& contact, ContactStep step) {
  const std::string to = step.to;
  contact.steps.push_back(std::move(step));
  leave_agent(contact);
  contact.waiting = true;
  ringing(contact, to);
  parts_.control.hold(contact.customer.id, {});
  changed(contact);
  carry_out_decisions();
}

void Contacts::set_customer(ContactId id, std::int64_t customer_id) {
  if (Contact* contact = find(id)) contact->customer_id = customer_id;
}

void Contacts::set_caller_id(std::string caller_id) { settings_.caller_id = std::move(caller_id); }

std::string Contacts::busy_with_guest(const Contact& contact) {
  return contact.guest->kind == ContactGuest::Kind::kConference ? "in_conference" : "consulting";
}

std::string Contacts::conference_contact(ContactId id, const std::string& to) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (contact->held && !contact->guest) return "held";
  return call_guest(*contact, ContactGuest::Kind::kConference, to);
}

// The agent's own call: the agent is the leg that placed it, which the B2BUA can hand
// to a party that answered but not re-place; so the target is rung as a guest (the
// customer hears ringback, the agent has left) and takes over once it answers. A queue
// would need the agent's leg placed again: not_supported.
std::string Contacts::transfer_outbound(Contact& contact, ContactStep step) {
  const std::string to = step.to;
  if (to.starts_with(kQueuePrefix)) return "not_supported";
  if (to.empty() || to == contact.talking_to) return "not_found";
  const ContactId id = contact.customer.id;
  int code = 0;
  const ContactId leg = parts_.control.originate(to, customer_number(contact), contact.customer.caller_name, code);
  if (leg == 0) return unreachable(code);
  guest_legs_[leg] = id;
  contact.guest_leg = leg;
  contact.guest = ContactGuest{ContactGuest::Kind::kTransfer, to, false};
  parts_.control.release_bridged(id);
  target_rings(contact, std::move(step));
  return "";
}

// The guest is forgotten first: handing it over ends its session at once, which is
// not the transfer failing.
void Contacts::transfer_target_answered(Contact& contact, ContactId leg) {
  const std::string to = contact.guest->with;
  guest_legs_.erase(leg);
  contact.guest_leg = 0;
  contact.guest.reset();
  if (!parts_.control.hand_over_bridged(contact.customer.id, leg)) {
    parts_.control.hang_up(leg);
    return transfer_target_lost(contact, to, "unavailable");
  }
  transfer_target_reached(contact, to);
}

// A blind transfer's target answered and talks to the customer: an agent there (the
// router reserved them) is on the call in the ACD.
void Contacts::transfer_target_reached(Contact& contact, const std::string& to) {
  const auto agent = std::exchange(contact.transfer_agent, std::nullopt);
  stop_waiting(contact);
  contact.talking_to = to;
  contact.held = false;
  if (agent) agent_takes_call(contact, *agent);
  changed(contact);
}

void Contacts::transfer_target_lost(Contact& contact, const std::string& to, const std::string& why) {
  if (std::exchange(contact.transfer_agent, std::nullopt)) parts_.router->end_call(contact.customer.id);  // straight back
  stop_waiting(contact);
  transfer_failed(contact, to, why);
}

const std::string& Contacts::customer_number(const Contact& contact) {
  return contact.outbound ? contact.customer.dialled : contact.customer.caller;
}

std::string Contacts::consult_contact(ContactId id, const std::string& to) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  return call_guest(*contact, ContactGuest::Kind::kConsult, to);
}

std::string Contacts::call_guest(Contact& contact, ContactGuest::Kind kind, const std::string& to) {
  if (contact.guest) {
    const bool again = contact.guest->kind == kind && contact.guest->with == to;
    return again ? "" : busy_with_guest(contact);  // the same again: a double click
  }
  if (to == contact.talking_to) return "already_on_call";
  const Customer& customer = contact.customer;
  int code = 0;
  const ContactId leg = parts_.control.originate(to, customer_number(contact), customer.caller_name, code);
  if (leg == 0) return unreachable(code);
  if (kind == ContactGuest::Kind::kConsult && !contact.held) {
    auto queue = queues_.find(contact.queue_name);
    parts_.control.hold_bridged(customer.id, queue == queues_.end() ? Prompts{} : queue->second->music);
    contact.held = true;
  }
  guest_legs_[leg] = customer.id;
  contact.guest_leg = leg;
  contact.guest = ContactGuest{kind, to, false};
  if (kind == ContactGuest::Kind::kConference) {
    contact.steps.push_back({parts_.clock.now_ms(), "conference", "", contact.talking_to, to});
  }
  changed(contact);
  return "";
}

std::string Contacts::complete_transfer(ContactId id) {
  if (Contact* contact = find(id); contact && repeats_transfer(*contact, "attended", "")) return "";
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (!contact->guest || contact->guest->kind != ContactGuest::Kind::kConsult || !contact->guest->answered) {
    return "not_consulting";
  }
  const ContactId leg = contact->guest_leg;
  const std::string to = contact->guest->with;
  if (!parts_.control.hand_over_bridged(id, leg)) return "unavailable";
  guest_legs_.erase(leg);  // its session ends quietly: the customer's call goes on with it
  contact->guest_leg = 0;
  contact->guest.reset();
  handed_over(*contact, {parts_.clock.now_ms(), "transfer", "attended", contact->talking_to, to});
  return "";
}

std::string Contacts::join_phone_consult(ContactId id, const std::string& to, ContactId consult) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (contact->guest) return busy_with_guest(*contact);
  if (!parts_.control.hand_over_bridged(id, consult)) return "unavailable";
  handed_over(*contact, {parts_.clock.now_ms(), "transfer", "attended", contact->talking_to, to});
  return "";
}

// `step.to` has taken the agent's place with the customer: the agent wraps up, and
// an agent at `to` is on the call in the ACD.
void Contacts::handed_over(Contact& contact, ContactStep step) {
  const ContactId id = contact.customer.id;
  const std::string to = step.to;
  parts_.control.resume_bridged(id);
  contact.steps.push_back(std::move(step));
  leave_agent(contact);
  contact.talking_to = to;
  if (const auto agent = reserve_agent_at(id, to)) agent_takes_call(contact, *agent);
  changed(contact);
  carry_out_decisions();
}

std::string Contacts::cancel_transfer(ContactId id) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (!contact->guest || contact->guest->kind != ContactGuest::Kind::kConsult) {
    return contact->guest ? "in_conference" : "";  // no consult: cancelled already (a double click)
  }
  const ContactId leg = std::exchange(contact->guest_leg, 0);
  guest_legs_.erase(leg);
  parts_.control.hang_up(leg);
  parts_.control.unjoin_bridged(id);
  contact->guest.reset();
  parts_.control.resume_bridged(id);
  contact->held = false;
  changed(*contact);
  return "";
}

void Contacts::guest_answered(ContactId leg) {
  Contact* contact = find(guest_legs_.at(leg));
  if (contact && contact->guest->kind == ContactGuest::Kind::kTransfer) return transfer_target_answered(*contact, leg);
  const bool with_customer = contact && contact->guest->kind == ContactGuest::Kind::kConference;
  if (!contact || !parts_.control.join_bridged(contact->customer.id, leg, with_customer)) {
    parts_.control.hang_up(leg);  // the customer left, or the agent did meanwhile
    return;
  }
  contact->guest->answered = true;
  changed(*contact);
}

void Contacts::guest_leg_ended(ContactId leg) {
  const ContactId id = guest_legs_.at(leg);
  guest_legs_.erase(leg);
  Contact* contact = find(id);
  if (!contact || contact->guest_leg != leg) return;
  const ContactGuest guest = *contact->guest;
  if (guest.kind == ContactGuest::Kind::kTransfer) {
    contact->guest_leg = 0;
    contact->guest.reset();
    return transfer_target_lost(*contact, guest.with, "no_answer");
  }
  if (guest.answered) {
    parts_.control.unjoin_bridged(id);
  } else {
    const bool consult = guest.kind == ContactGuest::Kind::kConsult;
    contact->steps.push_back({parts_.clock.now_ms(), consult ? "transfer_failed" : "conference_failed",
                              consult ? "attended" : "", "", guest.with});
  }
  contact->guest_leg = 0;
  contact->guest.reset();
  changed(*contact);
}

void Contacts::leave_agent(Contact& contact) {
  spdlog::info("call {}: {} transfers it to {}", contact.customer.session_id, contact.steps.back().from,
               contact.steps.back().to);
  report_final(contact, "ended");  // the transferring agent's desktop: the contact is gone
  if (contact.agent && (contact.with_acd || contact.outbound)) parts_.router->end_call(contact.customer.id);  // wrap-up
  contact.with_acd = false;
  contact.agent.reset();
  contact.talking_to.clear();
  contact.held = false;
  end_monitor(contact);  // supervisors follow an agent's conversation, not the customer
}

void Contacts::transfer_failed(Contact& contact, const std::string& target, const std::string& why) {
  const bool by_agent = !contact.steps.empty() && contact.steps.back().kind == "transfer";
  contact.steps.push_back({parts_.clock.now_ms(), "transfer_failed", "", "", target});
  if (contact.outbound) {  // no queue or flow to go back to: the call the agent placed ends
    changed(contact);
    return parts_.control.hang_up(contact.customer.id);
  }
  if (by_agent && !contact.queue_name.empty()) {
    std::string problem;
    auto queue = queue_named(contact.queue_name, problem);
    if (queue && queue->ring.empty() && !enqueue_with_acd(contact, queue, contact.priority + 1)) return;
  }
  back_to_flow(contact, "", why);
}

}  // namespace unicc::contact
