#include "ivr/call_runner.h"

#include <optional>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "ivr/executor.h"
#include "ivr/overloaded.h"

namespace unicc::ivr {
namespace {

using TimerId = core::EventLoop::TimerId;

}  // namespace

struct CallRunner::Session {
  Session(const call::AnsweredCall& answered, std::shared_ptr<const Flow> flow, const core::Clock& clock,
          const CalendarLookup& calendars)
      : call(answered), executor(std::in_place, std::move(flow), clock, calendars) {}

  call::AnsweredCall call;
  std::optional<Executor> executor;  // replaced when a queue overflows to another flow
  nlohmann::json previous_trace;     // the flows the call went through before, latest first
  int turn = 0;  // the executor's turn of the batch being performed
  // The batch's digit collection, timed once its prompt has finished.
  std::optional<CollectDigits> collect;
  bool playing = false;  // the batch's prompt is being fetched or played
  TimerId digit_timer = 0;
};

namespace {

// The current flow's trace, with the flows before it (a queue's overflow to a flow)
// under "previous".
// Who the contact layer gets: the caller, and what the IVR learnt from them.
contact::Customer customer_of(const CallRunner::Session& session) {
  const call::AnsweredCall& call = session.call;
  contact::Customer customer{call.id, call.call_id, call.caller, call.caller_name, call.dialled, call.trunk};
  for (const auto& step : session.executor->trace().steps) customer.ivr_path.push_back(step.node);
  customer.ivr_variables = session.executor->variables();
  return customer;
}

nlohmann::json trace_so_far(const CallRunner::Session& session) {
  nlohmann::json trace = to_json(session.executor->trace());
  if (!session.previous_trace.is_null()) trace["previous"] = session.previous_trace;
  return trace;
}

}  // namespace

CallRunner::CallRunner(CallRunnerParts parts)
    : parts_(std::move(parts)), alive_(std::make_shared<CallRunner*>(this)) {}

CallRunner::~CallRunner() { *alive_ = nullptr; }

void CallRunner::attach(call::B2bua& calls) { calls_ = &calls; }

std::shared_ptr<const Flow> CallRunner::flow_for(const std::string& dialled) const {
  if (auto flow = parts_.flows.for_did(dialled)) return flow;
  auto record = parts_.numbers ? parts_.numbers->find(dialled) : std::nullopt;
  auto target = record ? call::parse_number_target(record->target) : std::nullopt;
  if (!target) return nullptr;
  if (target->kind == "flow") return parts_.flows.current(target->name);
  if (target->kind != "queue") return nullptr;
  // The queue's implicit flow: one queue node; the call hangs up if it cannot be queued.
  auto flow = std::make_shared<Flow>();
  flow->name = "number-" + dialled;
  flow->description = "number " + dialled + " -> queue " + target->name;
  flow->dids = {dialled};
  flow->start = "queue";
  flow->nodes.emplace("queue", Node{"queue", QueueNode{target->name, "0", {}, ""}});
  return flow;
}

bool CallRunner::takes(const std::string& dialled) const {
  if (parts_.recorder && PromptRecorder::takes(dialled)) return true;
  return flow_for(dialled) != nullptr;
}

int CallRunner::refusal(const std::string& dialled, const std::string& caller, const std::string& trunk) const {
  if (parts_.recorder && PromptRecorder::takes(dialled)) return parts_.recorder->refusal(dialled, caller, trunk);
  return 0;
}

CallRunner::Session* CallRunner::find(call::CallId call) {
  auto it = sessions_.find(call);
  return it == sessions_.end() ? nullptr : it->second.get();
}

template <typename Value, typename Work>
std::function<void(Value)> CallRunner::back_on_loop(call::CallId call, Work work) {
  return [alive = alive_, loop = &parts_.loop, call, work = std::move(work)](Value value) {
    loop->post([alive, call, work, value = std::move(value)]() mutable {
      CallRunner* runner = *alive;
      Session* session = runner ? runner->find(call) : nullptr;
      if (session) work(*runner, *session, std::move(value));
    });
  };
}

int CallRunner::test_flow(const std::string& extension, std::shared_ptr<const Flow> flow, std::string& call_id) {
  int code = 0;
  const call::CallId call = calls_->originate(extension, flow->dids.empty() ? "test" : flow->dids.front(),
                                              "Test: " + flow->name, code);
  if (code != 0) return code;
  tests_.emplace(call, std::move(flow));
  call_id = calls_->call_id_of(call);
  return 0;
}

void CallRunner::on_answered(const call::AnsweredCall& call) {
  if (parts_.contacts.owns(call.id)) return parts_.contacts.on_answered(call.id);
  if (parts_.recorder && !tests_.contains(call.id) && PromptRecorder::takes(call.dialled)) {
    return parts_.recorder->on_answered(call);
  }
  call::AnsweredCall answered = call;
  std::shared_ptr<const Flow> flow;
  if (auto test = tests_.extract(call.id)) {
    // The tester is the caller, and the call came in on the flow's number.
    flow = std::move(test.mapped());
    answered.caller = call.dialled;
    answered.dialled = flow->dids.empty() ? "" : flow->dids.front();
  } else {
    flow = flow_for(call.dialled);
  }
  if (!flow) {  // unpublished between takes() and now
    calls_->hang_up(call.id);
    return;
  }
  auto& session = *sessions_.emplace(call.id, std::make_unique<Session>(answered, flow, parts_.clock, parts_.calendars)).first->second;
  spdlog::info("call {}: IVR flow {} v{} for {}", call.call_id, flow->name, flow->version, answered.dialled);
  perform(session, session.executor->start(answered.caller, answered.dialled));
}

void CallRunner::start_flow(Session& session, std::shared_ptr<const Flow> flow) {
  spdlog::info("call {}: IVR flow {} v{}", session.call.call_id, flow->name, flow->version);
  session.previous_trace = trace_so_far(session);
  session.executor.emplace(std::move(flow), parts_.clock, parts_.calendars);
  perform(session, session.executor->start(session.call.caller, session.call.dialled));
}

void CallRunner::back_to_flow(call::CallId call, const std::string& flow, const std::string& failure) {
  Session* session = find(call);
  if (!session) return;
  if (!flow.empty()) {
    if (auto next = parts_.flows.current(flow)) return start_flow(*session, std::move(next));
    spdlog::warn("call {}: the overflow flow {} is not published; the queue node's on_failure exit is taken",
                 session->call.call_id, flow);
  }
  handle(*session, ActionFailed{session->turn, failure});
}

void CallRunner::handle(Session& session, const Event& event) {
  std::vector<Action> batch = session.executor->handle(event);
  if (!batch.empty()) perform(session, std::move(batch));
}

// A new batch replaces the previous one's prompt and timers (actions.h).
void CallRunner::perform(Session& session, std::vector<Action> batch) {
  clear_timers(session);
  if (session.playing) calls_->stop_playing(session.call.id);
  session.playing = false;
  session.collect.reset();
  session.turn = session.executor->turn();
  // An action that fails at once answers the batch, after the batch is done.
  std::optional<std::string> failed;
  for (auto& action : batch) {
    std::visit(Overloaded{
                   [&](const PlayPrompts& play) { this->play(session, play.prompts, play.barge_in); },
                   [&](const CollectDigits& collect) {
                     session.collect = collect;
                     if (!session.playing) start_digit_timer(session, collect.first_digit_timeout_ms);
                   },
                   [&](const HttpRequest& request) {
                     parts_.fetch(request, back_on_loop<HttpResult>(
                                               session.call.id, [turn = session.turn](CallRunner& runner,
                                                                                      Session& session,
                                                                                      HttpResult result) {
                                                 result.turn = turn;
                                                 runner.handle(session, result);
                                               }));
                   },
                   [&](const Enqueue& enqueue) {
                     failed = parts_.contacts.queue(customer_of(session), enqueue.queue, enqueue.skills,
                                                    enqueue.priority);
                   },
                   [&](const Transfer& transfer) {
                     failed = parts_.contacts.transfer(customer_of(session), transfer.to);
                   },
                   [&](const Voicemail& voicemail) {
                     parts_.contacts.leave_voicemail(customer_of(session), voicemail.mailbox,
                                                     voicemail.max_seconds, voicemail.greeting);
                   },
                   [&](const Hangup&) { calls_->hang_up(session.call.id); },
               },
               action);
  }
  if (failed) handle(session, ActionFailed{session.turn, *failed});
}

void CallRunner::play(Session& session, const Prompts& prompts, bool barge_in) {
  session.playing = true;
  const int turn = session.turn;
  parts_.prompts.resolve(
      prompts, back_on_loop<ResolvedPrompts>(session.call.id, [turn, barge_in](CallRunner& runner, Session& session,
                                                                               ResolvedPrompts resolved) {
        if (session.turn != turn || !session.playing) return;
        if (!resolved.error.empty()) spdlog::error("call {}: prompt not played: {}", session.call.call_id, resolved.error);
        // A missing prompt plays as silence rather than leaving the caller stuck.
        runner.calls_->play(session.call.id, std::move(resolved.audio), false, barge_in,
                            static_cast<std::uint64_t>(turn));
      }));
}

void CallRunner::on_play_finished(call::CallId call, std::uint64_t play_id) {
  if (parts_.contacts.owns(call)) return parts_.contacts.on_play_finished(call, play_id);
  if (parts_.recorder && parts_.recorder->owns(call)) return parts_.recorder->on_play_finished(call, play_id);
  Session* session = find(call);
  if (!session || !session->playing || play_id != static_cast<std::uint64_t>(session->turn)) return;
  session->playing = false;
  if (session->collect) start_digit_timer(*session, session->collect->first_digit_timeout_ms);
  handle(*session, PromptFinished{session->turn});
}

void CallRunner::start_digit_timer(Session& session, int timeout_ms) {
  parts_.loop.cancel_timer(session.digit_timer);
  const int turn = session.turn;
  session.digit_timer = parts_.loop.start_timer(std::chrono::milliseconds(timeout_ms), [this, id = session.call.id, turn] {
    Session* session = find(id);
    if (!session || session->turn != turn) return;
    session->digit_timer = 0;
    handle(*session, TimedOut{turn});
  });
}

void CallRunner::on_dtmf(call::CallId call, char digit) {
  if (parts_.contacts.owns(call)) return parts_.contacts.on_dtmf(call, digit);
  if (parts_.recorder && parts_.recorder->owns(call)) return parts_.recorder->on_dtmf(call, digit);
  Session* session = find(call);
  if (!session) return;
  const int turn_before = session->turn;
  std::vector<Action> batch = session->executor->handle(DigitReceived{digit});
  if (!batch.empty()) return perform(*session, std::move(batch));
  // Still collecting: the prompt was cut by the key (barge-in), so time the next one.
  if (session->turn == turn_before && session->collect) {
    session->playing = false;
    const int wait = session->collect->inter_digit_timeout_ms > 0 ? session->collect->inter_digit_timeout_ms
                                                                   : session->collect->first_digit_timeout_ms;
    start_digit_timer(*session, wait);
  }
}

void CallRunner::on_recording_ended(call::CallId call, std::chrono::milliseconds length, bool reached_max) {
  if (parts_.recorder && parts_.recorder->owns(call)) return parts_.recorder->on_recording_ended(call, length, reached_max);
  parts_.contacts.on_recording_ended(call, length);
}

void CallRunner::on_connect_result(call::CallId call, bool answered, int code) {
  parts_.contacts.on_connect_result(call, answered, code);
}

void CallRunner::on_originate_failed(call::CallId call, int code) {
  if (tests_.erase(call)) return;
  parts_.contacts.on_originate_failed(call, code);
}

// Only an agent's call can be transferred from their phone; a flow's own transfer
// to an extension stays where the flow put it.
int CallRunner::on_refer(call::CallId call, const std::string& to, call::CallId replacing) {
  return parts_.contacts.owns(call) ? parts_.contacts.refer_contact(call, to, replacing) : 403;
}

void CallRunner::clear_timers(Session& session) {
  parts_.loop.cancel_timer(session.digit_timer);
  session.digit_timer = 0;
}

// What the contact layer knew of the call goes into its record: the queue, the agent
// who talked to the customer last, the CRM's customer and the transfers.
void CallRunner::keep_contact(const contact::ContactView& contact, call::Cdr& cdr) {
  const bool talking = contact.state == "talking" || contact.state == "held";
  cdr.agent = talking ? contact.agent : "";
  cdr.queue = contact.queue;
  cdr.customer_id = contact.customer_id;
  if (contact.direction == "outbound") {
    // An agent's click-to-dial: unicc placed it to the agent first, but the record
    // reads as the agent's call to the customer, settled by the customer's answer
    // (answered_at stays the agent's: their in-progress row is replaced by it).
    cdr.direction = "outbound";
    cdr.caller = contact.caller;
    cdr.caller_name = "";
    cdr.dialled = contact.dialled;
    cdr.agent = contact.agent;
    if (!talking && cdr.disposition == "answered") {
      cdr.disposition = contact.reason.empty() ? "cancelled" : contact.reason;
    }
  }
  if (contact.steps.empty()) return;
  nlohmann::json events = nlohmann::json::array();
  for (const auto& step : contact.steps) {
    events.push_back({{"at", step.at_ms}, {"kind", step.kind}, {"mode", step.mode}, {"from", step.from},
                      {"to", step.to}});
  }
  cdr.events = events.dump();
}

void CallRunner::on_ended(call::CallId call, call::Cdr& cdr) {
  tests_.erase(call);  // hung up while it rang
  if (parts_.recorder) parts_.recorder->on_ended(call);
  if (Session* session = find(call)) {
    clear_timers(*session);
    if (!session->executor->finished()) session->executor->handle(CallerHungUp{});
    cdr.ivr_trace = trace_so_far(*session).dump();
    sessions_.erase(call);
  }
  if (auto contact = parts_.contacts.view(call)) keep_contact(*contact, cdr);
  parts_.contacts.on_ended(call);
}

}  // namespace unicc::ivr
