#include "contact/contacts.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include <spdlog/spdlog.h>

#include "contact/contacts_impl.h"

namespace unicc::contact {
namespace {

using namespace std::chrono_literals;

// A customer who stops sending audio still gets a voicemail of the length asked
// for: the recording is stopped by the clock this long after its limit.
constexpr auto kRecordingGrace = 2s;
// A voicemail left after an overflow.
constexpr int kOverflowVoicemailSeconds = 120;

// "You are number 2 in the queue. The estimated wait is about 3 minutes."
std::string position_text(const std::string& voice, std::size_t position, std::optional<std::chrono::seconds> wait) {
  const long minutes = wait ? std::max<long>(1, static_cast<long>((wait->count() + 59) / 60)) : 0;
  if (speaks_chinese(voice)) {
    std::string text = "您现在排在第" + std::to_string(position) + "位。";
    if (wait) text += "预计等待约" + std::to_string(minutes) + "分钟。";
    return text;
  }
  std::string text = "You are number " + std::to_string(position) + " in the queue.";
  if (wait) {
    text += " The estimated wait is about " + std::to_string(minutes) + (minutes == 1 ? " minute." : " minutes.");
  }
  return text;
}

std::string closed_text(const std::string& voice) {
  return speaks_chinese(voice) ? "抱歉，现在不是营业时间。请在营业时间内再来电。再见。"
                               : "Sorry, we are closed now. Please call again during our business hours. Goodbye.";
}

std::string voicemail_greeting(const std::string& voice) {
  return speaks_chinese(voice) ? "抱歉，现在没有坐席可以接听。请在提示音后留言。"
                               : "Sorry, nobody can take your call now. Please leave a message after the tone.";
}

std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

}  // namespace

bool speaks_chinese(const std::string& voice) { return voice.starts_with("cmn") || voice.starts_with("zh"); }

std::string connect_failure(int code) {
  switch (code) {
    case 486: return "busy";
    case 480: case 408: return "no answer";
    case 404: return "not found";
    default: return "SIP " + std::to_string(code);
  }
}

Contacts::Contacts(ContactParts parts, ContactSettings settings)
    : parts_(std::move(parts)), settings_(std::move(settings)) {}

Contacts::~Contacts() {
  parts_.timers.cancel(router_timer_);
  for (auto& [id, contact] : contacts_) {
    parts_.timers.cancel(contact->comfort_timer);
    parts_.timers.cancel(contact->recording_timer);
  }
  for (auto& [call_id, retry] : retries_) parts_.timers.cancel(retry.timer);
}

Contacts::Contact* Contacts::find(ContactId contact) {
  auto it = contacts_.find(contact);
  return it == contacts_.end() ? nullptr : it->second.get();
}

bool Contacts::owns(ContactId contact) const {
  return contacts_.contains(contact) || callback_legs_.contains(contact) || guest_legs_.contains(contact) ||
         monitor_legs_.contains(contact);
}

Contacts::Contact& Contacts::adopt(const Customer& customer) {
  auto& contact = contacts_[customer.id];
  contact = std::make_unique<Contact>();
  contact->customer = customer;
  contact->since_ms = parts_.clock.now_ms();
  return *contact;
}

void Contacts::back_to_flow(Contact& contact, const std::string& flow, const std::string& failure) {
  const ContactId id = contact.customer.id;
  parts_.timers.cancel(contact.comfort_timer);
  report_final(contact, "ivr");
  contacts_.erase(id);
  parts_.back_to_flow(id, flow, failure);
}

void Contacts::set_queue(const std::string& name, QueueSettings queue) {
  queue.name = name;
  queues_[name] = std::make_shared<const QueueSettings>(std::move(queue));
}

void Contacts::remove_queue(const std::string& name) { queues_.erase(name); }

void Contacts::set_agent(acd::AgentId agent, const std::string& extension, bool auto_answer) {
  agent_extensions_[agent] = extension;
  if (auto_answer) {
    auto_answer_agents_.insert(agent);
  } else {
    auto_answer_agents_.erase(agent);
  }
}

void Contacts::forget_agent(acd::AgentId agent) {
  agent_extensions_.erase(agent);
  auto_answer_agents_.erase(agent);
}

void Contacts::remember_last_agent(const std::string& caller, acd::AgentId agent) {
  if (!caller.empty()) last_agents_[caller] = agent;
}

std::optional<acd::AgentId> Contacts::last_agent_of(const std::string& caller) const {
  auto found = last_agents_.find(caller);
  return found == last_agents_.end() ? std::nullopt : std::optional<acd::AgentId>(found->second);
}

std::shared_ptr<const QueueSettings> Contacts::queue_for(const std::string& queue,
                                                         const std::vector<std::string>& skills,
                                                         std::string& problem) {
  std::vector<std::string> needed;  // a skill from a flow variable that is not set is not needed
  std::copy_if(skills.begin(), skills.end(), std::back_inserter(needed), [](const auto& s) { return !s.empty(); });
  auto base = queues_.find(queue);
  if (base == queues_.end()) {
    problem = "queue " + queue + " is closed";
    return nullptr;
  }
  if (needed.empty()) return base->second;
  std::optional<QueueSettings> skilled;
  if (!base->second->ring.empty() || !parts_.skilled_queue) {
    problem = "queue " + queue + " does not route by skills";
  } else {
    skilled = parts_.skilled_queue(queue, needed, problem);
  }
  if (!skilled) return nullptr;
  auto& settings = queues_[skilled->name];
  settings = std::make_shared<const QueueSettings>(std::move(*skilled));
  return settings;
}

// ---- handed over by the IVR --------------------------------------------------------

std::optional<std::string> Contacts::queue(const Customer& customer, const std::string& queue,
                                           const std::vector<std::string>& skills, int priority) {
  std::string problem;
  auto settings = queue_for(queue, skills, problem);
  if (!settings) {
    spdlog::warn("call {}: {}", customer.session_id, problem);
    return problem;
  }
  if (parts_.is_vip && parts_.is_vip(customer.caller)) priority = std::max(priority, kVipPriority);
  if (!open_now(*settings)) return closed_out(customer, queue, *settings, priority);
  Contact& contact = adopt(customer);
  auto failed = settings->ring.empty() ? enqueue_with_acd(contact, settings, priority)
                                       : hand_over(contact, settings->ring, settings);
  if (failed) contacts_.erase(customer.id);
  return failed;
}

std::optional<std::string> Contacts::transfer(const Customer& customer, const std::string& number) {
  auto failed = hand_over(adopt(customer), number, nullptr);
  if (failed) contacts_.erase(customer.id);
  return failed;
}

// Transfers, ring queues and overflows to a number: a leg rings while the customer
// waits (the queue's music, or ringback); once it answers the channel bridges it.
std::optional<std::string> Contacts::hand_over(Contact& contact, const std::string& number,
                                               std::shared_ptr<const QueueSettings> queue) {
  const int code = parts_.control.connect(contact.customer.id, number);
  if (code != 0) return connect_failure(code);
  contact.waiting = true;
  contact.queue = std::move(queue);
  if (contact.queue && contact.queue_name.empty()) contact.queue_name = contact.queue->name;
  ringing(contact, number);
  parts_.control.hold(contact.customer.id, contact.queue ? contact.queue->music : Prompts{});
  if (contact.queue && !contact.queue->comfort.empty()) schedule_comfort(contact);
  changed(contact);
  return std::nullopt;
}

std::optional<std::string> Contacts::enqueue_with_acd(Contact& contact, std::shared_ptr<const QueueSettings> queue,
                                                      int priority) {
  if (!parts_.router) return "no ACD";
  const Customer& customer = contact.customer;
  const acd::Status status =
      parts_.router->enqueue({customer.id, queue->acd_queue, priority, last_agent_of(customer.caller)});
  if (status != acd::Status::kOk) return std::string(acd::to_string(status));
  contact.with_acd = true;
  contact.priority = priority;
  contact.waiting = true;
  contact.queue = std::move(queue);
  if (contact.queue_name.empty()) contact.queue_name = contact.queue->name;
  parts_.control.hold(customer.id, contact.queue->music);
  if (!contact.queue->comfort.empty()) schedule_comfort(contact);
  changed(contact);
  carry_out_decisions();
  return std::nullopt;
}

void Contacts::schedule_comfort(Contact& contact) {
  contact.comfort_timer = parts_.timers.start(contact.queue->comfort_every, [this, id = contact.customer.id] {
    Contact* contact = find(id);
    if (!contact || !contact->waiting) return;
    contact->comfort_timer = 0;
    parts_.control.play(id, contact->queue->comfort, kComfortPlay, false);
    schedule_comfort(*contact);
  });
}

// The contact no longer waits: what it heard stops, and so does the comfort.
void Contacts::stop_waiting(Contact& contact) {
  contact.with_acd = false;
  contact.waiting = false;
  contact.queue = nullptr;
  contact.offered_agent.reset();
  contact.transfer_target.clear();
  parts_.timers.cancel(contact.comfort_timer);
  contact.comfort_timer = 0;
  parts_.control.stop_playing(contact.customer.id);
}

void Contacts::leave_voicemail(const Customer& customer, const std::string& mailbox, int max_seconds,
                               Prompts greeting) {
  start_voicemail(adopt(customer), mailbox, max_seconds, greeting);
}

void Contacts::start_voicemail(Contact& contact, const std::string& mailbox, int max_seconds,
                               const Prompts& greeting) {
  std::error_code ignored;
  std::filesystem::create_directories(settings_.voicemail_dir, ignored);
  contact.voicemail = Contact::Voicemail{
      mailbox, max_seconds,
      (std::filesystem::path(settings_.voicemail_dir) /
       (file_safe(mailbox) + "-" + file_safe(contact.customer.session_id) + ".wav"))
          .string()};
  parts_.control.play(contact.customer.id, greeting, kGreetingPlay, true);
  changed(contact);
}

void Contacts::start_recording(Contact& contact) {
  const auto limit = std::chrono::seconds(contact.voicemail->max_seconds);
  const ContactId id = contact.customer.id;
  contact.recording = true;
  contact.recording_started_at = parts_.clock.now_ms();
  parts_.control.record(id, contact.voicemail->path, limit);
  contact.recording_timer = parts_.timers.start(limit + kRecordingGrace, [this, id] {
    Contact* contact = find(id);
    if (!contact || !contact->recording) return;
    contact->recording_timer = 0;
    parts_.control.stop_recording(id);
  });
}

void Contacts::save_voicemail(Contact& contact, std::chrono::milliseconds length) {
  contact.recording = false;
  parts_.timers.cancel(contact.recording_timer);
  contact.recording_timer = 0;
  const Customer& customer = contact.customer;
  spdlog::info("call {}: voicemail for {} ({} ms)", customer.session_id, contact.voicemail->mailbox, length.count());
  parts_.voicemail(VoicemailMessage{contact.voicemail->mailbox, customer.caller, customer.caller_name,
                                    customer.session_id, contact.voicemail->path, contact.recording_started_at,
                                    length.count()});
}

// ---- events from the channel -----------------------------------------------------

void Contacts::on_answered(ContactId contact) {
  if (callback_legs_.contains(contact)) callback_answered(contact);
  if (guest_legs_.contains(contact)) guest_answered(contact);
  if (monitor_legs_.contains(contact)) monitor_answered(contact);
  if (Contact* dialling = find(contact); dialling && dialling->outbound) dial_agent_answered(*dialling);
}

void Contacts::on_dtmf(ContactId id, char digit) {
  Contact* contact = find(id);
  if (contact && contact->with_acd && contact->waiting && contact->queue->callback_key == std::string(1, digit)) {
    request_callback(*contact);
  }
}

void Contacts::on_play_finished(ContactId id, std::uint64_t play_id) {
  Contact* contact = find(id);
  if (!contact) return;
  if (contact->callback_requested && play_id == kGoodbyePlay) return parts_.control.hang_up(id);
  if (contact->waiting && play_id == kComfortPlay) return parts_.control.hold(id, contact->queue->music);
  if (contact->voicemail && !contact->recording && play_id == kGreetingPlay) start_recording(*contact);
  if (contact->closed && play_id == kClosedPlay) parts_.control.hang_up(id);
}

// What could not be told is skipped, except that a customer leaving after asking for
// a callback is let go, and one leaving a message still hears the tone.
void Contacts::on_play_failed(ContactId id, std::uint64_t play_id) {
  Contact* contact = find(id);
  if (!contact) return;
  if (contact->callback_requested && play_id == kGoodbyePlay) return parts_.control.hang_up(id);
  if (contact->voicemail && play_id == kGreetingPlay) parts_.control.play(id, {}, kGreetingPlay, true);
  if (contact->closed && play_id == kClosedPlay) parts_.control.hang_up(id);
}

void Contacts::on_recording_ended(ContactId id, std::chrono::milliseconds length) {
  Contact* contact = find(id);
  if (!contact || !contact->recording) return;
  save_voicemail(*contact, length);
  parts_.control.hang_up(id);
}

void Contacts::on_connect_result(ContactId id, bool answered, int code) {
  if (auto leg = callback_legs_.find(id); leg != callback_legs_.end()) {
    // A customer who does not answer ends the call back; the agent hears the line
    // go down, and goes to wrap-up as after any call.
    Callback& callback = *callbacks_.at(leg->second);
    if (answered) {
      callback.customer_answered = true;
    } else {
      callback.failure = connect_failure(code);
      spdlog::info("callback: the customer did not answer ({})", callback.failure);
      parts_.control.hang_up(id);
    }
    return;
  }
  Contact* contact = find(id);
  if (!contact || !contact->waiting) return;
  if (contact->outbound) return dial_result(*contact, answered, code);
  if (contact->with_acd) return acd_connect_result(*contact, answered, code);
  const std::string target = contact->transfer_target;
  if (answered) return transfer_target_reached(*contact, target);
  transfer_target_lost(*contact, target, connect_failure(code));
}

// A transfer rings `target`; an agent there is reserved for the contact meanwhile.
void Contacts::ringing(Contact& contact, const std::string& target) {
  contact.transfer_target = target;
  contact.transfer_agent = reserve_agent_at(contact.customer.id, target);
}

// The agent at `extension`, reserved by the router for `contact` (no queue call is
// offered to them meanwhile); none when nobody is there or they cannot be (logged
// out, on another call).
std::optional<acd::AgentId> Contacts::reserve_agent_at(ContactId contact, const std::string& extension) {
  const auto agent = agent_at(extension);
  if (!agent || !parts_.router || parts_.router->dial_out(contact, *agent) != acd::Status::kOk) return std::nullopt;
  return agent;
}

// The agent a transfer reached (reserved by Router::dial_out) talks to the customer.
void Contacts::agent_takes_call(Contact& contact, acd::AgentId agent) {
  parts_.router->answered(contact.customer.id, agent);
  contact.agent = agent;
  contact.with_acd = true;  // the router's until the agent's call is over
}

void Contacts::acd_connect_result(Contact& contact, bool answered, int code) {
  const auto agent = contact.offered_agent;
  contact.offered_agent.reset();
  if (!agent) return;
  const ContactId id = contact.customer.id;
  if (answered) {
    stop_waiting(contact);
    contact.with_acd = true;  // the router's until the agent's call is over
    parts_.router->answered(id, *agent);
    remember_last_agent(contact.customer.caller, *agent);
    contact.agent = agent;
    auto extension = agent_extensions_.find(*agent);
    contact.talking_to = extension == agent_extensions_.end() ? "" : extension->second;
    contact.held = false;
    if (contact.steps.empty()) contact.waited_ms = parts_.clock.now_ms() - contact.since_ms;
  } else {
    parts_.router->offer_failed(id, *agent, connect_failure(code));  // the customer keeps waiting
  }
  changed(contact);
  carry_out_decisions();
}

void Contacts::on_originate_failed(ContactId id, int code) {
  if (Contact* dialling = find(id); dialling && dialling->outbound) {
    dialling->reason = "agent_" + line_failure(code);  // on_ended follows
    return;
  }
  auto leg = callback_legs_.find(id);
  if (leg == callback_legs_.end()) return;
  const acd::CallId waiting = leg->second;
  Callback& callback = *callbacks_.at(waiting);
  const acd::AgentId agent = callback.agent;
  callback.agent = 0;
  callback.leg = 0;
  callback_legs_.erase(leg);  // on_ended follows and must not end the waiting callback
  parts_.router->offer_failed(waiting, agent, connect_failure(code));  // back to the head of the queue
  carry_out_decisions();
}

void Contacts::on_ended(ContactId id) {
  if (callback_legs_.contains(id)) return callback_leg_ended(id);
  if (guest_legs_.contains(id)) return guest_leg_ended(id);
  if (monitor_legs_.contains(id)) return monitor_leg_ended(id);
  auto found = contacts_.find(id);
  if (found == contacts_.end()) return;
  Contact& contact = *found->second;
  parts_.timers.cancel(contact.comfort_timer);
  if (contact.recording) {  // the customer hung up while speaking: that is the message
    const auto spoken = std::chrono::milliseconds(parts_.clock.now_ms() - contact.recording_started_at);
    save_voicemail(contact,
                   std::min<std::chrono::milliseconds>(spoken, std::chrono::seconds(contact.voicemail->max_seconds)));
  }
  if (contact.guest_leg != 0) parts_.control.hang_up(contact.guest_leg);
  if (contact.monitor_leg != 0) parts_.control.hang_up(contact.monitor_leg);
  if (contact.outbound) dial_ended(contact);
  // A customer to be called back keeps their place in the router after leaving; an
  // agent's own call leaves it (wrap-up, or back to where they were).
  const bool leaves_router =
      (contact.with_acd && !contact.callback_requested) || contact.outbound || contact.transfer_agent;
  report_final(contact, "ended");
  contacts_.erase(found);
  if (leaves_router) {
    parts_.router->end_call(id);  // abandoned, or the agent's call is over (wrap-up)
    carry_out_decisions();
  }
}

// ---- the router's decisions --------------------------------------------------------
// The router picks the agent; Contacts rings the agent through the channel and
// reports back what happened (answered, no answer, customer left).

void Contacts::carry_out_decisions() {
  if (!parts_.router) return;
  std::vector<acd::Decision> decisions;
  for (parts_.router->take_decisions(decisions); !decisions.empty(); parts_.router->take_decisions(decisions)) {
    for (const auto& decision : decisions) {
      if (const auto* offer = std::get_if<acd::OfferCall>(&decision)) {
        Contact* contact = find(offer->call);
        auto extension = agent_extensions_.find(offer->agent);
        if (!contact || extension == agent_extensions_.end()) {
          parts_.router->offer_failed(offer->call, offer->agent, "call gone");
          continue;
        }
        contact->offered_agent = offer->agent;
        contact->answer_asked = false;
        const int code = parts_.control.connect(offer->call, extension->second, "",
                                                auto_answer_agents_.contains(offer->agent));
        if (code != 0) {
          contact->offered_agent.reset();
          parts_.router->offer_failed(offer->call, offer->agent, connect_failure(code));
        } else {
          changed(*contact);
        }
      } else if (const auto* stop = std::get_if<acd::StopRinging>(&decision)) {
        Contact* contact = find(stop->call);
        if (!contact || contact->offered_agent != stop->agent) continue;
        parts_.control.cancel_connect(stop->call);
        contact->offered_agent.reset();
        changed(*contact);
      } else if (const auto* overflow = std::get_if<acd::Overflow>(&decision)) {
        Contact* contact = find(overflow->call);
        if (!contact) continue;
        if (overflow->target.kind == acd::OverflowTarget::Kind::kQueue) {
          // The router moved the contact: it now hears the other queue.
          for (const auto& [name, queue] : queues_) {
            if (queue->acd_queue == overflow->target.queue) contact->queue = queue;
          }
          parts_.control.hold(overflow->call, contact->queue->music);
          continue;
        }
        spdlog::info("call {}: leaves its queue without an agent", contact->customer.session_id);
        overflow_out(*contact, overflow->target);
      } else if (const auto* call_back = std::get_if<acd::CallBack>(&decision)) {
        this->call_back(*call_back);
      } else if (const auto* announcement = std::get_if<acd::Announce>(&decision)) {
        if (Contact* contact = find(announcement->call)) announce(*contact, *announcement);
      }
    }
  }
  schedule_router();
}

// The queue's own overflow target; without one, the flow's queue node decides
// (on_failure).
void Contacts::overflow_out(Contact& contact, const acd::OverflowTarget& target) {
  using Kind = acd::OverflowTarget::Kind;
  const std::string voice = contact.queue->voice;
  stop_waiting(contact);
  if (target.kind == Kind::kIvrFlow) {
    return back_to_flow(contact, target.destination == kQueueNodeFailure ? "" : target.destination,
                        "no agent available");
  }
  if (target.kind == Kind::kVoicemail) {
    return start_voicemail(contact, target.destination, kOverflowVoicemailSeconds,
                           {Prompt{"", voicemail_greeting(voice), voice, ""}});
  }
  if (target.kind == Kind::kExternalNumber) {
    if (auto failed = hand_over(contact, target.destination, nullptr)) back_to_flow(contact, "", *failed);
    return;
  }
  back_to_flow(contact, "", "no agent available");
}

bool Contacts::open_now(const QueueSettings& queue) const {
  if (queue.calendar.empty() || !parts_.calendars) return true;
  auto calendar = parts_.calendars(queue.calendar);
  if (!calendar) {
    spdlog::warn("queue {}: calendar '{}' does not exist; the queue is closed", queue.name, queue.calendar);
    return false;
  }
  return calendar::decide(*calendar, parts_.clock.now_ms()).state == calendar::State::open;
}

// A contact that reached a queue outside its calendar's hours: its record gets a
// "queue_closed" step (mode: the closed target's kind), the wallboard a count, and the
// contact goes where the queue says — another flow, another queue (whatever that
// one's hours), a mailbox or a number — or hears that the queue is closed and is
// released.
std::optional<std::string> Contacts::closed_out(const Customer& customer, const std::string& queue,
                                                const QueueSettings& settings, int priority) {
  Contact& contact = adopt(customer);
  contact.queue_name = queue;
  contact.steps.push_back({parts_.clock.now_ms(), "queue_closed", settings.closed_kind, queue, settings.closed_target});
  if (parts_.queue_closed) parts_.queue_closed(queue, customer.id);
  spdlog::info("call {}: queue {} is closed ({})", customer.session_id, queue, settings.calendar);
  const std::string& target = settings.closed_target;
  if (settings.closed_kind == "flow") {
    back_to_flow(contact, target, "queue " + queue + " is closed");
    return std::nullopt;
  }
  if (settings.closed_kind == "voicemail") {
    start_voicemail(contact, target, kOverflowVoicemailSeconds,
                    {Prompt{"", voicemail_greeting(settings.voice), settings.voice, ""}});
    return std::nullopt;
  }
  std::optional<std::string> failed;
  if (settings.closed_kind == "queue") {
    std::string problem;
    auto other = queue_named(target, problem);
    if (!other) {
      failed = problem;
    } else {
      contact.queue_name = other->name;
      failed = other->ring.empty() ? enqueue_with_acd(contact, other, priority) : hand_over(contact, other->ring, other);
    }
  } else if (settings.closed_kind == "number") {
    failed = hand_over(contact, target, nullptr);
  } else {
    contact.closed = true;
    changed(contact);
    parts_.control.play(customer.id, {Prompt{"", closed_text(settings.voice), settings.voice, ""}}, kClosedPlay, false);
    return std::nullopt;
  }
  if (failed) contacts_.erase(customer.id);
  return failed;
}

// Position and wait, told over the hold music, which resumes after it (as after a
// comfort announcement).
void Contacts::announce(Contact& contact, const acd::Announce& announcement) {
  if (!contact.waiting || contact.callback_requested || !contact.queue->announce_position) return;
  const std::string& voice = contact.queue->voice;
  parts_.control.play(contact.customer.id,
                      {Prompt{"", position_text(voice, announcement.position, announcement.wait), voice, ""}},
                      kComfortPlay, false);
}

void Contacts::schedule_router() {
  parts_.timers.cancel(router_timer_);
  router_timer_ = 0;
  const auto deadline = parts_.router->next_deadline();
  if (!deadline) return;
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline - parts_.clock.steady_now());
  router_timer_ = parts_.timers.start(std::max(wait, std::chrono::milliseconds(0)), [this] {
    router_timer_ = 0;
    parts_.router->on_timer();
    carry_out_decisions();
  });
}

}  // namespace unicc::contact
