#include "report/visits.h"

#include <utility>

namespace unicc::report {

VisitTracker::VisitTracker(std::int64_t short_abandon_ms, std::function<void(const Visit&)> finished)
    : short_abandon_ms_(short_abandon_ms), finished_(std::move(finished)) {}

void VisitTracker::set_short_abandon_ms(std::int64_t short_abandon_ms) {
  std::lock_guard lock(mutex_);
  short_abandon_ms_ = short_abandon_ms;
}

void VisitTracker::set_queue(const std::string& name, std::int64_t service_level_ms) {
  std::lock_guard lock(mutex_);
  service_levels_[name] = service_level_ms;
}

void VisitTracker::finish(Open& open) {
  if (open.visit.outcome.empty()) open.visit.outcome = "answered";
  if (finished_) finished_(open.visit);
}

// An overflow's target is known only from the event after it: the call entering
// the next queue comes at once, anything else means it left the ACD.
void VisitTracker::flush_overflow(const acd::QueueCallEvent* next) {
  if (!overflowed_) return;
  if (next && next->event == "queued" && next->call == overflowed_->visit.call) {
    overflowed_->visit.overflowed_to = next->queue;
  }
  finish(*overflowed_);
  overflowed_.reset();
}

void VisitTracker::on_queue_event(const acd::QueueCallEvent& event) {
  std::lock_guard lock(mutex_);
  flush_overflow(&event);
  if (event.queue.empty()) return;  // an agent's own outbound call: no queue
  auto it = open_.find(event.call);
  if (event.event == "queued") {
    if (it != open_.end()) return;  // an overflow tier: the call still waits where it entered
    Open open;
    Visit& v = open.visit;
    v.call = event.call;
    v.queue = event.queue;
    v.entered_at = event.at_ms;
    auto level = service_levels_.find(event.queue);
    v.service_level_ms = level == service_levels_.end() ? 0 : level->second;
    if (auto contact = contacts_.find(event.call); contact != contacts_.end()) {
      v.did = contact->second.did;
      open.transfers_at_answer = contact->second.transfers;
    }
    if (event.call >= kCallbackRetryIds) v.outcome = "callback";
    open_.emplace(event.call, std::move(open));
    return;
  }
  if (it == open_.end()) return;
  Open& open = it->second;
  Visit& v = open.visit;
  if (event.event == "offered") {
    if (v.offers++ == 0) {
      v.first_offered_at = event.at_ms;
      v.first_offered_to = event.agent;
    }
    const std::string listed = "," + v.offered_to + ",";
    if (listed.find("," + event.agent + ",") == std::string::npos) {
      v.offered_to += (v.offered_to.empty() ? "" : ",") + event.agent;
    }
  } else if (event.event == "callback_requested") {
    v.callback_requested = true;
    v.outcome = "callback";
  } else if (event.event == "answered") {
    v.agent = event.agent;
    v.answered_at = event.at_ms;
    v.waited_ms = event.at_ms - v.entered_at;
    if (auto contact = contacts_.find(event.call); contact != contacts_.end()) {
      open.transfers_at_answer = contact->second.transfers;
    }
  } else if (event.event == "abandoned" || event.event == "overflowed") {
    v.ended_at = event.at_ms;
    v.waited_ms = event.at_ms - v.entered_at;
    if (v.outcome.empty()) {
      v.outcome = event.event;
      if (event.event == "abandoned") {
        v.abandoned_at = event.at_ms;
        v.short_abandon = v.waited_ms < short_abandon_ms_;
      }
      v.busy = event.event == "overflowed" && event.busy;
    }
    Open closed = std::move(open);
    open_.erase(it);
    if (event.event == "overflowed") {
      overflowed_ = std::move(closed);
    } else {
      finish(closed);
    }
  } else if (event.event == "completed") {
    v.ended_at = event.at_ms;
    if (open.held_since) v.hold_ms += event.at_ms - std::exchange(open.held_since, 0);
    v.talk_ms = event.at_ms - v.answered_at - v.hold_ms;
    Open closed = std::move(open);
    open_.erase(it);
    auto [slot, fresh] = after_call_.try_emplace(event.agent);
    if (!fresh) finish(slot->second);  // never expected: one call at a time per agent
    slot->second = std::move(closed);
  }
}

void VisitTracker::on_agent(const acd::AgentView& agent) {
  std::lock_guard lock(mutex_);
  flush_overflow(nullptr);
  auto it = after_call_.find(agent.extension);
  if (it == after_call_.end()) return;
  if (agent.state == "wrap_up") {
    it->second.wrap_since = agent.since_ms;
    return;
  }
  if (it->second.wrap_since) it->second.visit.acw_ms = agent.since_ms - it->second.wrap_since;
  finish(it->second);
  after_call_.erase(it);
}

void VisitTracker::on_contact(const ContactFacts& facts) {
  std::lock_guard lock(mutex_);
  flush_overflow(nullptr);
  if (facts.state == "ended" || facts.state == "ivr") {
    contacts_.erase(facts.call);
  } else {
    contacts_[facts.call] = Contact{facts.did, facts.transfers};
  }
  auto it = open_.find(facts.call);
  if (it == open_.end()) return;
  Open& open = it->second;
  if (open.visit.did.empty()) open.visit.did = facts.did;
  if (!open.visit.answered_at) return;
  if (facts.transfers > open.transfers_at_answer) open.visit.transferred = true;
  if (facts.state == "held") {
    if (!open.held_since) open.held_since = facts.state_since_ms;
  } else if (open.held_since) {
    open.visit.hold_ms += facts.state_since_ms - std::exchange(open.held_since, 0);
  }
}

}  // namespace unicc::report
