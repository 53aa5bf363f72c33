// contact::Contacts, callback-in-queue: a customer waiting in an ACD queue presses
// the queue's key, hears a confirmation and hangs up, keeping their place; at their
// turn the router reserves an agent (acd::CallBack), whose phone is called first,
// then the customer. A customer not reached is called again after the queue's retry
// time, up to its number of attempts. Every change is kept (callback_changed).
#include "contact/contacts.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "contact/contacts_impl.h"
#include "contact/queue_name.h"

namespace unicc::contact {
namespace {

std::string callback_confirmation(const std::string& voice) {
  return speaks_chinese(voice) ? "好的，坐席空闲时我们会给您回电。再见。"
                               : "Thank you. We will call you back when an agent is free. Goodbye.";
}

}  // namespace

void Contacts::request_callback(Contact& contact) {
  if (contact.callback_requested || contact.offered_agent) return;  // an agent is already ringing
  const Customer& customer = contact.customer;
  auto prefix = settings_.trunk_prefixes.find(customer.trunk);
  const std::string number = customer.trunk.empty() || prefix == settings_.trunk_prefixes.end()
                                 ? customer.caller
                                 : prefix->second + customer.caller;
  if (number.empty() || parts_.router->request_callback(customer.id, number) != acd::Status::kOk) return;
  spdlog::info("call {}: {} asked to be called back on {}", customer.session_id, customer.caller, number);
  contact.callback_requested = true;
  CallbackRecord record{0,        customer.session_id, contact.queue->name, number, customer.caller,
                        customer.caller_name, customer.dialled, contact.priority, parts_.clock.now_ms(),
                        "waiting", "",  "", 0, 0, 0};
  save_callback(record);
  callbacks_[customer.id] = std::make_unique<Callback>(Callback{std::move(record), 0, 0, false, ""});
  parts_.timers.cancel(contact.comfort_timer);
  contact.comfort_timer = 0;
  const std::string& voice = contact.queue->voice;
  parts_.control.play(customer.id, {Prompt{"", callback_confirmation(voice), voice, ""}}, kGoodbyePlay, false);
  carry_out_decisions();
}

void Contacts::call_back(const acd::CallBack& decision) {
  auto waiting = callbacks_.find(decision.call);
  auto extension = agent_extensions_.find(decision.agent);
  if (waiting == callbacks_.end() || extension == agent_extensions_.end()) {
    parts_.router->offer_failed(decision.call, decision.agent, "callback gone");
    return;
  }
  Callback& callback = *waiting->second;
  int code = 0;
  // The agent's phone shows the customer's number, so they know whom they call.
  const ContactId leg =
      parts_.control.originate(extension->second, callback.record.caller, callback.record.caller_name, code);
  if (leg == 0) {
    parts_.router->offer_failed(decision.call, decision.agent, connect_failure(code));
    return;
  }
  callback.agent = decision.agent;
  callback.leg = leg;
  callback_legs_[leg] = decision.call;
}

// The agent answered: their handle time starts, and the customer is called while
// the agent hears ringback.
void Contacts::callback_answered(ContactId leg) {
  const acd::CallId waiting = callback_legs_.at(leg);
  Callback& callback = *callbacks_.at(waiting);
  parts_.router->answered(waiting, callback.agent);
  remember_last_agent(callback.record.caller, callback.agent);
  parts_.control.hold(leg, {});
  const int code = parts_.control.connect(leg, callback.record.number, callback.record.dialled);
  if (code != 0) {
    callback.failure = "cannot be placed: " + connect_failure(code);
    spdlog::warn("callback to {} {}", callback.record.number, callback.failure);
    parts_.control.hang_up(leg);
  }
  carry_out_decisions();
}

void Contacts::callback_leg_ended(ContactId leg) {
  auto found = callback_legs_.find(leg);
  const acd::CallId waiting = found->second;
  callback_legs_.erase(found);
  finish_callback(waiting);
  parts_.router->end_call(waiting);  // the agent's call back is over (wrap-up), or it failed
  carry_out_decisions();
}

// The agent's call back is over: completed if the customer answered; a customer
// who was not reached (busy, no answer) is called back again after the queue's
// retry time, up to its number of attempts.
void Contacts::finish_callback(acd::CallId waiting) {
  auto found = callbacks_.find(waiting);
  if (found == callbacks_.end()) return;
  Callback callback = std::move(*found->second);
  callbacks_.erase(found);
  CallbackRecord& record = callback.record;
  auto extension = agent_extensions_.find(callback.agent);
  if (extension != agent_extensions_.end()) record.agent = extension->second;
  if (callback.customer_answered) return close_callback(std::move(record), "completed", "");
  const std::string outcome =
      callback.failure.empty() ? "the agent hung up before the customer answered" : callback.failure;
  ++record.attempts;
  std::string problem;
  auto queue = queue_named(record.queue, problem);
  if (!callback.failure.empty() && queue && record.attempts < queue->callback_attempts) {
    record.outcome = outcome;
    record.retry_at = parts_.clock.now_ms() + std::chrono::milliseconds(queue->callback_retry).count();
    spdlog::info("callback to {}: {}; attempt {} of {} in {} s", record.number, record.outcome, record.attempts + 1,
                 queue->callback_attempts, queue->callback_retry.count());
    save_callback(record);
    return schedule_callback(std::move(record));
  }
  close_callback(std::move(record), "failed", outcome);
}

void Contacts::save_callback(const CallbackRecord& record) {
  if (parts_.callback_changed) parts_.callback_changed(record);
}

// The request's end: "completed", "failed" or "cancelled", and why.
void Contacts::close_callback(CallbackRecord record, const std::string& state, const std::string& outcome) {
  record.state = state;
  record.outcome = outcome;
  record.retry_at = 0;
  record.finished_at = parts_.clock.now_ms();
  save_callback(record);
}

// A queue by name, also one of a queue's parts that need skills (queue_name.h).
std::shared_ptr<const QueueSettings> Contacts::queue_named(const std::string& name, std::string& problem) {
  const auto [queue, skills] = split_skilled_queue_name(name);
  return queue_for(queue, skills, problem);
}

// Queues the request again at its retry time, or now.
void Contacts::schedule_callback(CallbackRecord record) {
  const std::int64_t wait_ms = record.retry_at - parts_.clock.now_ms();
  if (wait_ms <= 0) return queue_callback(record);
  const std::string call_id = record.call_id;
  const TimerId timer = parts_.timers.start(std::chrono::milliseconds(wait_ms), [this, call_id] {
    auto retry = retries_.find(call_id);
    if (retry == retries_.end()) return;
    const CallbackRecord due = std::move(retry->second.record);
    retries_.erase(retry);
    queue_callback(due);
    carry_out_decisions();
  });
  retries_[call_id] = Retry{timer, std::move(record)};
}

std::string Contacts::cancel_callback(const std::string& session_id, const std::string& by) {
  CallbackRecord record;
  if (auto retry = retries_.find(session_id); retry != retries_.end()) {
    parts_.timers.cancel(retry->second.timer);
    record = std::move(retry->second.record);
    retries_.erase(retry);
  } else {
    auto waiting = std::find_if(callbacks_.begin(), callbacks_.end(), [&session_id](const auto& entry) {
      return entry.second->record.call_id == session_id;
    });
    if (waiting == callbacks_.end()) return "no such waiting callback";
    if (waiting->second->leg != 0) return "the agent is calling the customer back now";
    record = std::move(waiting->second->record);
    const acd::CallId id = waiting->first;
    callbacks_.erase(waiting);
    parts_.router->end_call(id);
  }
  spdlog::info("the callback to {} is cancelled by {}", record.number, by);
  close_callback(std::move(record), "cancelled", "cancelled by " + by);
  carry_out_decisions();
  return "";
}

void Contacts::queue_callback(const CallbackRecord& record) {
  std::string refused;
  auto queue = queue_named(record.queue, refused);
  if (queue && (!queue->ring.empty() || !parts_.router)) {
    refused = "queue " + record.queue + " is not routed by the ACD";
  }
  if (queue && refused.empty()) {
    const acd::CallId id = next_callback_id_++;
    const acd::Status status = parts_.router->enqueue_callback(
        {id, queue->acd_queue, record.priority, last_agent_of(record.caller)}, record.number);
    if (status == acd::Status::kOk) {
      callbacks_[id] = std::make_unique<Callback>(Callback{record, 0, 0, false, ""});
      return;
    }
    refused = "queue " + record.queue + " refuses it: " + std::string(acd::to_string(status));
  }
  spdlog::warn("the callback to {} is dropped: {}", record.number, refused);
  close_callback(record, "failed", refused);
}

void Contacts::restore_callbacks(const std::vector<CallbackRecord>& waiting) {
  for (const CallbackRecord& record : waiting) schedule_callback(record);
  if (!waiting.empty()) spdlog::info("{} callback requests kept from the last run", waiting.size());
  carry_out_decisions();
}

}  // namespace unicc::contact
