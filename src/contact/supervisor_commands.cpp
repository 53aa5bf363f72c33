// contact::Contacts — a supervisor on a customer's conversation with an agent:
// listen, whisper, barge in, intercept. The supervisor's phone is a session of its
// own, placed like a three-way call's guest and joined to the conversation once it
// answers.
#include <spdlog/spdlog.h>

#include "contact/contacts.h"
#include "contact/contacts_impl.h"

namespace unicc::contact {

const char* monitor_mode_name(MonitorMode mode) {
  switch (mode) {
    case MonitorMode::kListen: return "listen";
    case MonitorMode::kWhisper: return "whisper";
    case MonitorMode::kBarge: return "barge";
  }
  return "listen";
}

std::optional<MonitorMode> monitor_mode_named(std::string_view name) {
  for (MonitorMode mode : {MonitorMode::kListen, MonitorMode::kWhisper, MonitorMode::kBarge}) {
    if (name == monitor_mode_name(mode)) return mode;
  }
  return std::nullopt;
}

std::string Contacts::monitor_contact(ContactId id, const std::string& supervisor, MonitorMode mode) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (!contact->monitor) return call_supervisor(*contact, supervisor, mode, false);
  ContactMonitor& monitor = *contact->monitor;
  if (monitor.supervisor != supervisor) return "already_monitored";
  if (monitor.mode == mode || monitor.intercepting) return "";
  if (monitor.answered) {
    if (!parts_.control.monitor_bridged(id, contact->monitor_leg, mode)) return "unavailable";
    contact->steps.push_back({parts_.clock.now_ms(), "monitor", monitor_mode_name(mode), supervisor,
                              contact->talking_to});
  }
  monitor.mode = mode;
  changed(*contact);
  return "";
}

std::string Contacts::intercept_contact(ContactId id, const std::string& supervisor) {
  std::string problem;
  Contact* contact = talking(id, problem);
  if (!contact) return problem;
  if (contact->guest) return busy_with_guest(*contact);
  if (!contact->monitor) return call_supervisor(*contact, supervisor, MonitorMode::kListen, true);
  if (contact->monitor->supervisor != supervisor) return "already_monitored";
  contact->monitor->intercepting = true;
  if (contact->monitor->answered) return take_over(*contact);
  changed(*contact);
  return "";
}

std::string Contacts::call_supervisor(Contact& contact, const std::string& supervisor, MonitorMode mode,
                                      bool intercept) {
  if (supervisor == contact.talking_to || (contact.guest && contact.guest->with == supervisor)) {
    return "already_on_call";
  }
  const Customer& customer = contact.customer;
  int code = 0;
  const ContactId leg = parts_.control.originate(supervisor, customer_number(contact), customer.caller_name, code);
  if (leg == 0) return unreachable(code);
  monitor_legs_[leg] = customer.id;
  contact.monitor_leg = leg;
  contact.monitor = ContactMonitor{supervisor, mode, false, intercept, 0};
  changed(contact);
  return "";
}

// The supervisor's party replaces the agent's; their own session ends quietly.
std::string Contacts::take_over(Contact& contact) {
  const ContactId leg = contact.monitor_leg;
  if (!parts_.control.hand_over_bridged(contact.customer.id, leg)) return "unavailable";
  const std::string supervisor = contact.monitor->supervisor;
  monitor_legs_.erase(leg);
  contact.monitor_leg = 0;
  contact.monitor.reset();
  handed_over(contact, {parts_.clock.now_ms(), "intercept", "", contact.talking_to, supervisor});
  return "";
}

void Contacts::monitor_answered(ContactId leg) {
  Contact* contact = find(monitor_legs_.at(leg));
  if (!contact || contact->monitor_leg != leg) {
    parts_.control.hang_up(leg);
    return;
  }
  ContactMonitor& monitor = *contact->monitor;
  if (monitor.intercepting) {
    if (take_over(*contact).empty()) return;
    spdlog::warn("call {}: supervisor {} answered but cannot take the call over", contact->customer.session_id,
                 monitor.supervisor);
    end_monitor(*contact);
    changed(*contact);
    return;
  }
  if (!parts_.control.monitor_bridged(contact->customer.id, leg, monitor.mode)) {
    end_monitor(*contact);
    changed(*contact);
    return;
  }
  monitor.answered = true;
  monitor.since_ms = parts_.clock.now_ms();
  contact->steps.push_back({monitor.since_ms, "monitor", monitor_mode_name(monitor.mode), monitor.supervisor,
                            contact->talking_to});
  changed(*contact);
}

void Contacts::monitor_leg_ended(ContactId leg) {
  const ContactId id = monitor_legs_.at(leg);
  Contact* contact = find(id);
  if (!contact || contact->monitor_leg != leg) {
    monitor_legs_.erase(leg);
    return;
  }
  contact->monitor_leg = 0;  // gone already: end_monitor() must not hang it up
  end_monitor(*contact);
  monitor_legs_.erase(leg);
  changed(*contact);
}

void Contacts::end_monitor(Contact& contact) {
  if (!contact.monitor) return;
  const ContactMonitor monitor = *contact.monitor;
  contact.monitor.reset();
  if (monitor.answered) {
    parts_.control.unmonitor_bridged(contact.customer.id);
    contact.steps.push_back({parts_.clock.now_ms(), "monitor_ended", monitor_mode_name(monitor.mode),
                             monitor.supervisor, ""});
  }
  if (const ContactId leg = std::exchange(contact.monitor_leg, 0); leg != 0) {
    monitor_legs_.erase(leg);
    parts_.control.hang_up(leg);
  }
}

}  // namespace unicc::contact
