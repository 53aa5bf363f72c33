#include "ivr/call_runner.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <optional>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "ivr/executor.h"
#include "ivr/overloaded.h"

namespace unicc::ivr {
namespace {

using TimerId = core::EventLoop::TimerId;
using namespace std::chrono_literals;

// A caller who stops sending audio (no RTP) still gets a voicemail of the length
// asked for: the recording is stopped by the clock this long after its limit.
constexpr auto kRecordingGrace = 2s;
// Play ids of what a waiting caller hears; a flow's own prompts use the turn.
constexpr std::uint64_t kHoldPlay = ~std::uint64_t{0} - 1;
constexpr std::uint64_t kComfortPlay = ~std::uint64_t{0};
constexpr std::uint64_t kGoodbyePlay = ~std::uint64_t{0} - 2;

bool speaks_chinese(const std::string& voice) { return voice.starts_with("cmn") || voice.starts_with("zh"); }

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

std::string voicemail_greeting(const std::string& voice) {
  return speaks_chinese(voice) ? "抱歉，现在没有坐席可以接听。请在提示音后留言。"
                               : "Sorry, nobody can take your call now. Please leave a message after the tone.";
}

std::string callback_confirmation(const std::string& voice) {
  return speaks_chinese(voice) ? "好的，坐席空闲时我们会给您回电。再见。"
                               : "Thank you. We will call you back when an agent is free. Goodbye.";
}

std::string connect_failure(int code) {
  switch (code) {
    case 486: return "busy";
    case 480: case 408: return "no answer";
    case 404: return "not found";
    default: return "SIP " + std::to_string(code);
  }
}

std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

}  // namespace

struct CallRunner::Session {
  Session(const call::AnsweredCall& answered, std::shared_ptr<const Flow> flow, const core::Clock& clock)
      : call(answered), executor(std::in_place, std::move(flow), clock) {}

  call::AnsweredCall call;
  std::optional<Executor> executor;  // replaced when a queue overflows to another flow
  nlohmann::json previous_trace;     // the flows the call went through before, latest first
  int turn = 0;  // the executor's turn of the batch being performed
  // The batch's digit collection, timed once its prompt has finished.
  std::optional<CollectDigits> collect;
  bool playing = false;  // the batch's prompt is being fetched or played
  TimerId digit_timer = 0;
  bool handing_over = false;  // a transfer or queue leg is ringing, or an ACD queue holds the call
  bool with_acd = false;      // queued in (or answered from) an ACD queue
  int priority = 0;           // in the ACD queue
  std::optional<acd::AgentId> offered_agent;  // the agent whose phone rings for this call
  bool callback_requested = false;  // the caller keeps their place and is hanging up
  std::shared_ptr<const QueueSettings> queue;  // the queue being waited in, while handing over
  TimerId comfort_timer = 0;
  bool connected = false;
  std::optional<Voicemail> voicemail;
  bool recording = false;
  std::int64_t recording_started_at = 0;
  std::string voicemail_path;
  TimerId recording_timer = 0;
};

namespace {

// The current flow's trace, with the flows before it (a queue's overflow to a flow)
// under "previous".
nlohmann::json trace_so_far(const CallRunner::Session& session) {
  nlohmann::json trace = to_json(session.executor->trace());
  if (!session.previous_trace.is_null()) trace["previous"] = session.previous_trace;
  return trace;
}

}  // namespace

CallRunner::CallRunner(CallRunnerParts parts, CallRunnerSettings settings)
    : parts_(std::move(parts)), settings_(std::move(settings)), alive_(std::make_shared<CallRunner*>(this)) {}

CallRunner::~CallRunner() { *alive_ = nullptr; }

void CallRunner::attach(call::B2bua& calls) { calls_ = &calls; }

bool CallRunner::takes(const std::string& dialled) const { return parts_.flows.for_did(dialled) != nullptr; }

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

void CallRunner::set_queue(const std::string& name, QueueSettings queue) {
  queue.name = name;
  queues_[name] = std::make_shared<const QueueSettings>(std::move(queue));
}

void CallRunner::remove_queue(const std::string& name) { queues_.erase(name); }

void CallRunner::set_agent(acd::AgentId agent, const std::string& extension) { agent_extensions_[agent] = extension; }

void CallRunner::forget_agent(acd::AgentId agent) { agent_extensions_.erase(agent); }

void CallRunner::remember_last_agent(const std::string& caller, acd::AgentId agent) {
  if (!caller.empty()) last_agents_[caller] = agent;
}

std::optional<acd::AgentId> CallRunner::last_agent_of(const std::string& caller) const {
  auto found = last_agents_.find(caller);
  return found == last_agents_.end() ? std::nullopt : std::optional<acd::AgentId>(found->second);
}

void CallRunner::on_answered(const call::AnsweredCall& call) {
  if (callback_legs_.contains(call.id)) return callback_answered(call);
  auto flow = parts_.flows.for_did(call.dialled);
  if (!flow) {  // unpublished between takes() and now
    calls_->hang_up(call.id);
    return;
  }
  auto& session = *sessions_.emplace(call.id, std::make_unique<Session>(call, flow, parts_.clock)).first->second;
  spdlog::info("call {}: IVR flow {} v{} for {}", call.call_id, flow->name, flow->version, call.dialled);
  perform(session, session.executor->start(call.caller, call.dialled));
}

void CallRunner::start_flow(Session& session, std::shared_ptr<const Flow> flow) {
  spdlog::info("call {}: IVR flow {} v{}", session.call.call_id, flow->name, flow->version);
  session.previous_trace = trace_so_far(session);
  session.executor.emplace(std::move(flow), parts_.clock);
  perform(session, session.executor->start(session.call.caller, session.call.dialled));
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
  std::optional<ActionFailed> failed;
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
                     std::string problem;
                     auto queue = queue_for(enqueue.queue, enqueue.skills, problem);
                     if (!queue) {
                       spdlog::warn("call {}: {}", session.call.call_id, problem);
                       failed = ActionFailed{session.turn, problem};
                       return;
                     }
                     failed = queue->ring.empty() ? enqueue_with_acd(session, queue, enqueue.priority)
                                                  : hand_over(session, queue->ring, queue);
                   },
                   [&](const Transfer& transfer) { failed = hand_over(session, transfer.to); },
                   [&](const Voicemail& voicemail) { leave_voicemail(session, voicemail); },
                   [&](const Hangup&) { calls_->hang_up(session.call.id); },
               },
               action);
  }
  if (failed) handle(session, *failed);
}

std::shared_ptr<const QueueSettings> CallRunner::queue_for(const std::string& queue,
                                                           const std::vector<std::string>& skills,
                                                           std::string& problem) {
  std::vector<std::string> needed;  // a skill from a variable that is not set is not needed
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

void CallRunner::play(Session& session, const Prompts& prompts, bool barge_in, bool then_beep) {
  session.playing = true;
  const int turn = session.turn;
  parts_.prompts.resolve(
      prompts, back_on_loop<ResolvedPrompts>(session.call.id, [turn, barge_in, then_beep](
                                                                   CallRunner& runner, Session& session,
                                                                   ResolvedPrompts resolved) {
        if (session.turn != turn || !session.playing) return;
        if (!resolved.error.empty()) spdlog::error("call {}: prompt not played: {}", session.call.call_id, resolved.error);
        if (then_beep) resolved.audio.push_back(media::beep());
        // A missing prompt plays as silence rather than leaving the caller stuck.
        runner.calls_->play(session.call.id, std::move(resolved.audio), false, barge_in,
                            static_cast<std::uint64_t>(turn));
      }));
}

void CallRunner::on_play_finished(call::CallId call, std::uint64_t play_id) {
  Session* session = find(call);
  if (session && session->callback_requested && play_id == kGoodbyePlay) return calls_->hang_up(call);
  if (session && session->handing_over && play_id == kComfortPlay) return play_hold(*session);
  if (!session || !session->playing || play_id != static_cast<std::uint64_t>(session->turn)) return;
  session->playing = false;
  if (session->voicemail) return start_voicemail_recording(*session);
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
  Session* session = find(call);
  if (session && session->with_acd && session->handing_over && session->queue->callback_key == std::string(1, digit)) {
    return request_callback(*session);
  }
  if (!session || session->handing_over || session->voicemail) return;
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

// Transfers and queues: a second leg rings while the caller hears ringback; once it
// answers the B2BUA bridges it and the IVR is done.
std::optional<ActionFailed> CallRunner::hand_over(Session& session, const std::string& number,
                                                  std::shared_ptr<const QueueSettings> queue) {
  const int code = calls_->connect(session.call.id, number);
  if (code != 0) return ActionFailed{session.turn, connect_failure(code)};
  session.handing_over = true;
  session.queue = std::move(queue);
  play_hold(session);
  if (session.queue && !session.queue->comfort.empty()) schedule_comfort(session);
  return std::nullopt;
}

void CallRunner::play_hold(Session& session) {
  if (!session.queue || session.queue->music.empty()) {
    return calls_->play(session.call.id, {media::ringback(settings_.tone_region)}, true, false, kHoldPlay);
  }
  // A queue's music plays from memory once read; until then the caller hears silence.
  parts_.prompts.resolve(
      session.queue->music,
      back_on_loop<ResolvedPrompts>(session.call.id, [](CallRunner& runner, Session& session, ResolvedPrompts music) {
        if (!session.handing_over) return;
        if (!music.error.empty()) spdlog::error("call {}: hold music: {}", session.call.call_id, music.error);
        std::vector<media::Prompt> audio =
            music.error.empty() ? std::move(music.audio) : std::vector{media::ringback(runner.settings_.tone_region)};
        runner.calls_->play(session.call.id, std::move(audio), true, false, kHoldPlay);
      }));
}

void CallRunner::schedule_comfort(Session& session) {
  session.comfort_timer = parts_.loop.start_timer(session.queue->comfort_every, [this, id = session.call.id] {
    Session* session = find(id);
    if (!session || !session->handing_over) return;
    parts_.prompts.resolve(
        session->queue->comfort,
        back_on_loop<ResolvedPrompts>(id, [](CallRunner& runner, Session& session, ResolvedPrompts comfort) {
          if (!session.handing_over || !comfort.error.empty()) return;
          runner.calls_->play(session.call.id, std::move(comfort.audio), false, false, kComfortPlay);
        }));
    schedule_comfort(*session);
  });
}

void CallRunner::on_connect_result(call::CallId call, bool answered, int code) {
  if (callback_legs_.contains(call)) {
    // A customer who does not answer ends the call back; the agent hears the line
    // go down, and goes to wrap-up as after any call.
    Callback& callback = callbacks_.at(callback_legs_.at(call));
    if (answered) {
      callback.customer_answered = true;
    } else {
      callback.failure = connect_failure(code);
      spdlog::info("callback: the customer did not answer ({})", callback.failure);
      calls_->hang_up(call);
    }
    return;
  }
  Session* session = find(call);
  if (!session || !session->handing_over) return;
  if (session->with_acd) return acd_connect_result(*session, answered, code);
  session->handing_over = false;
  session->queue = nullptr;
  parts_.loop.cancel_timer(session->comfort_timer);
  session->comfort_timer = 0;
  if (answered) {
    session->connected = true;
    return;
  }
  calls_->stop_playing(call);
  handle(*session, ActionFailed{session->turn, connect_failure(code)});
}

void CallRunner::leave_voicemail(Session& session, const Voicemail& voicemail) {
  session.voicemail = voicemail;
  std::error_code ignored;
  std::filesystem::create_directories(settings_.voicemail_dir, ignored);
  session.voicemail_path = (std::filesystem::path(settings_.voicemail_dir) /
                            (file_safe(voicemail.mailbox) + "-" + file_safe(session.call.call_id) + ".wav"))
                               .string();
  play(session, voicemail.greeting, false, true);
}

void CallRunner::start_voicemail_recording(Session& session) {
  const auto limit = std::chrono::seconds(session.voicemail->max_seconds);
  session.recording = true;
  session.recording_started_at = parts_.clock.now_ms();
  calls_->record(session.call.id, session.voicemail_path, limit);
  session.recording_timer = parts_.loop.start_timer(limit + kRecordingGrace, [this, id = session.call.id] {
    Session* session = find(id);
    if (!session || !session->recording) return;
    session->recording_timer = 0;
    calls_->stop_recording(id);
  });
}

void CallRunner::on_recording_ended(call::CallId call, std::chrono::milliseconds length, bool) {
  Session* session = find(call);
  if (!session || !session->recording) return;
  save_voicemail(*session, length);
  calls_->hang_up(call);
}

void CallRunner::save_voicemail(Session& session, std::chrono::milliseconds length) {
  session.recording = false;
  parts_.loop.cancel_timer(session.recording_timer);
  session.recording_timer = 0;
  const call::AnsweredCall& call = session.call;
  spdlog::info("call {}: voicemail for {} ({} ms)", call.call_id, session.voicemail->mailbox, length.count());
  parts_.voicemail(VoicemailMessage{session.voicemail->mailbox, call.caller, call.caller_name, call.call_id,
                                    session.voicemail_path, session.recording_started_at, length.count()});
}

void CallRunner::clear_timers(Session& session) {
  parts_.loop.cancel_timer(session.digit_timer);
  session.digit_timer = 0;
  parts_.loop.cancel_timer(session.comfort_timer);
  session.comfort_timer = 0;
}

void CallRunner::on_ended(call::CallId call, call::Cdr& cdr) {
  if (auto leg = callback_legs_.find(call); leg != callback_legs_.end()) {
    const acd::CallId waiting = leg->second;
    callback_legs_.erase(leg);
    finish_callback(waiting);
    parts_.router->end_call(waiting);  // the agent's call back is over (wrap-up), or it failed
    return carry_out_decisions();
  }
  Session* session = find(call);
  if (!session) return;
  clear_timers(*session);
  if (session->recording) {  // the caller hung up while speaking: that is the message
    const auto spoken = std::chrono::milliseconds(parts_.clock.now_ms() - session->recording_started_at);
    save_voicemail(*session, std::min<std::chrono::milliseconds>(spoken, std::chrono::seconds(session->voicemail->max_seconds)));
  }
  if (!session->executor->finished()) session->executor->handle(CallerHungUp{});
  cdr.ivr_trace = trace_so_far(*session).dump();
  // A caller to be called back keeps their place in the router after hanging up.
  const bool leaves_router = session->with_acd && !session->callback_requested;
  sessions_.erase(call);
  if (leaves_router) {
    parts_.router->end_call(call);  // abandoned, or the agent's call is over (wrap-up)
    carry_out_decisions();
  }
}

// ---- queues routed by the ACD ----------------------------------------------------
// The router picks the agent; the runner rings the agent's phone through the B2BUA
// and reports back what happened (answered, no answer, caller left).

std::optional<ActionFailed> CallRunner::enqueue_with_acd(Session& session, std::shared_ptr<const QueueSettings> queue,
                                                         int priority) {
  if (!parts_.router) return ActionFailed{session.turn, "no ACD"};
  const acd::Status status =
      parts_.router->enqueue({session.call.id, queue->acd_queue, priority, last_agent_of(session.call.caller)});
  if (status != acd::Status::kOk) return ActionFailed{session.turn, std::string(acd::to_string(status))};
  session.with_acd = true;
  session.priority = priority;
  session.handing_over = true;
  session.queue = std::move(queue);
  play_hold(session);
  if (!session.queue->comfort.empty()) schedule_comfort(session);
  carry_out_decisions();
  return std::nullopt;
}

void CallRunner::carry_out_decisions() {
  std::vector<acd::Decision> decisions;
  for (parts_.router->take_decisions(decisions); !decisions.empty(); parts_.router->take_decisions(decisions)) {
    for (const auto& decision : decisions) {
      std::visit(
          Overloaded{
              [&](const acd::OfferCall& offer) {
                Session* session = find(offer.call);
                auto extension = agent_extensions_.find(offer.agent);
                if (!session || extension == agent_extensions_.end()) {
                  parts_.router->offer_failed(offer.call, offer.agent, "call gone");
                  return;
                }
                session->offered_agent = offer.agent;
                const int code = calls_->connect(offer.call, extension->second);
                if (code != 0) parts_.router->offer_failed(offer.call, offer.agent, connect_failure(code));
              },
              [&](const acd::StopRinging& stop) {
                Session* session = find(stop.call);
                if (!session || session->offered_agent != stop.agent) return;
                calls_->cancel_connect(stop.call);
                session->offered_agent.reset();
              },
              [&](const acd::Overflow& overflow) {
                Session* session = find(overflow.call);
                if (!session) return;
                if (overflow.target.kind == acd::OverflowTarget::Kind::kQueue) {
                  // The router moved the call: it now hears the other queue.
                  for (const auto& [name, queue] : queues_) {
                    if (queue->acd_queue == overflow.target.queue) session->queue = queue;
                  }
                  return play_hold(*session);
                }
                spdlog::info("call {}: leaves its queue without an agent", session->call.call_id);
                const std::string voice = session->queue->voice;
                leave_queue(*session);
                overflow_out(*session, overflow.target, voice);
              },
              [&](const acd::CallBack& call_back) { this->call_back(call_back); },
              [&](const acd::Announce& announcement) {
                if (Session* session = find(announcement.call)) announce(*session, announcement);
              },
          },
          decision);
    }
  }
  schedule_router();
}

// The queue's own overflow target; without one, the flow's queue node decides
// (on_failure).
void CallRunner::overflow_out(Session& session, const acd::OverflowTarget& target, const std::string& voice) {
  using Kind = acd::OverflowTarget::Kind;
  if (target.kind == Kind::kIvrFlow && target.destination != kQueueNodeFailure) {
    if (auto flow = parts_.flows.current(target.destination)) return start_flow(session, std::move(flow));
    spdlog::warn("call {}: the overflow flow {} is not published; the queue node's on_failure exit is taken",
                 session.call.call_id, target.destination);
  }
  if (target.kind == Kind::kVoicemail) {
    return leave_voicemail(session, Voicemail{target.destination, 120, {Prompt{"", voicemail_greeting(voice), voice, ""}}});
  }
  std::optional<ActionFailed> failed = ActionFailed{session.turn, "no agent available"};
  if (target.kind == Kind::kExternalNumber) failed = hand_over(session, target.destination);
  if (failed) handle(session, *failed);
}

// Position and wait, read over the hold music, which resumes after it (as after a
// comfort announcement).
void CallRunner::announce(Session& session, const acd::Announce& announcement) {
  if (!session.handing_over || session.callback_requested || !session.queue->announce_position) return;
  const Prompts text = {Prompt{"", position_text(session.queue->voice, announcement.position, announcement.wait),
                               session.queue->voice, ""}};
  parts_.prompts.resolve(text, back_on_loop<ResolvedPrompts>(session.call.id, [](CallRunner& runner, Session& session,
                                                                                   ResolvedPrompts spoken) {
                           if (!session.handing_over || session.callback_requested) return;
                           if (!spoken.error.empty()) {
                             spdlog::error("call {}: announcement: {}", session.call.call_id, spoken.error);
                             return;
                           }
                           runner.calls_->play(session.call.id, std::move(spoken.audio), false, false, kComfortPlay);
                         }));
}

// The caller keeps their place and hangs up after a confirmation; at their turn
// the router reserves an agent (CallBack), whose phone is called first.
void CallRunner::request_callback(Session& session) {
  if (session.callback_requested || session.offered_agent) return;  // an agent is already ringing
  const auto& call = session.call;
  auto prefix = settings_.trunk_prefixes.find(call.trunk);
  const std::string number = call.trunk.empty() || prefix == settings_.trunk_prefixes.end()
                                 ? call.caller
                                 : prefix->second + call.caller;
  if (number.empty() || parts_.router->request_callback(call.id, number) != acd::Status::kOk) return;
  spdlog::info("call {}: {} asked to be called back on {}", call.call_id, call.caller, number);
  session.callback_requested = true;
  CallbackRecord record{0,       call.call_id,   session.queue->name, number, call.caller, call.caller_name,
                        call.dialled, session.priority, parts_.clock.now_ms(), "waiting", "",          "",
                        0,            0,                0};
  save_callback(record);
  callbacks_[call.id] = Callback{std::move(record), 0, 0, false, ""};
  parts_.loop.cancel_timer(session.comfort_timer);
  session.comfort_timer = 0;
  const std::string& voice = session.queue->voice;
  parts_.prompts.resolve(Prompts{Prompt{"", callback_confirmation(voice), voice, ""}},
                         back_on_loop<ResolvedPrompts>(call.id, [](CallRunner& runner, Session& session,
                                                                   ResolvedPrompts spoken) {
                           if (!spoken.error.empty()) return runner.calls_->hang_up(session.call.id);
                           runner.calls_->play(session.call.id, std::move(spoken.audio), false, false, kGoodbyePlay);
                         }));
  carry_out_decisions();
}

void CallRunner::call_back(const acd::CallBack& decision) {
  auto waiting = callbacks_.find(decision.call);
  auto extension = agent_extensions_.find(decision.agent);
  if (waiting == callbacks_.end() || extension == agent_extensions_.end()) {
    parts_.router->offer_failed(decision.call, decision.agent, "callback gone");
    return;
  }
  Callback& callback = waiting->second;
  int code = 0;
  // The agent's phone shows the customer's number, so they know whom they call.
  const call::CallId leg =
      calls_->originate(extension->second, callback.record.caller, callback.record.caller_name, code);
  if (leg == 0) {
    parts_.router->offer_failed(decision.call, decision.agent, connect_failure(code));
    return;
  }
  callback.agent = decision.agent;
  callback.leg = leg;
  callback_legs_[leg] = decision.call;
}

void CallRunner::on_originate_failed(call::CallId call, int code) {
  auto leg = callback_legs_.find(call);
  if (leg == callback_legs_.end()) return;
  const acd::CallId waiting = leg->second;
  Callback& callback = callbacks_.at(waiting);
  const acd::AgentId agent = callback.agent;
  callback.agent = 0;
  callback.leg = 0;
  callback_legs_.erase(leg);  // on_ended follows and must not end the waiting call
  parts_.router->offer_failed(waiting, agent, connect_failure(code));  // back to the head of the queue
  carry_out_decisions();
}

// The agent answered: their handle time starts, and unicc dials the customer while
// the agent hears ringback.
void CallRunner::callback_answered(const call::AnsweredCall& call) {
  const acd::CallId waiting = callback_legs_.at(call.id);
  Callback& callback = callbacks_.at(waiting);
  parts_.router->answered(waiting, callback.agent);
  remember_last_agent(callback.record.caller, callback.agent);
  calls_->play(call.id, {media::ringback(settings_.tone_region)}, true, false, kHoldPlay);
  const int code = calls_->connect(call.id, callback.record.number, callback.record.dialled);
  if (code != 0) {
    callback.failure = "cannot be placed: " + connect_failure(code);
    spdlog::warn("callback to {} {}", callback.record.number, callback.failure);
    calls_->hang_up(call.id);
  }
  carry_out_decisions();
}

// The agent's call back is over: completed if the customer answered; a customer
// who was not reached (busy, no answer) is called back again after the queue's
// retry time, up to its number of attempts.
void CallRunner::finish_callback(acd::CallId waiting) {
  auto found = callbacks_.find(waiting);
  if (found == callbacks_.end()) return;
  Callback callback = std::move(found->second);
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

void CallRunner::save_callback(const CallbackRecord& record) {
  if (parts_.callback_changed) parts_.callback_changed(record);
}

// The request's end: "completed", "failed" or "cancelled", and why.
void CallRunner::close_callback(CallbackRecord record, const std::string& state, const std::string& outcome) {
  record.state = state;
  record.outcome = outcome;
  record.retry_at = 0;
  record.finished_at = parts_.clock.now_ms();
  save_callback(record);
}

// A queue by name, also one of a queue's calls that need skills (skilled_queue_name).
std::shared_ptr<const QueueSettings> CallRunner::queue_named(const std::string& name, std::string& problem) {
  const auto [queue, skills] = split_skilled_queue_name(name);
  return queue_for(queue, skills, problem);
}

// Queues the request again at its retry time, or now.
void CallRunner::schedule_callback(CallbackRecord record) {
  const std::int64_t wait_ms = record.retry_at - parts_.clock.now_ms();
  if (wait_ms <= 0) return queue_callback(record);
  const std::string call_id = record.call_id;
  const TimerId timer = parts_.loop.start_timer(std::chrono::milliseconds(wait_ms), [this, call_id] {
    auto retry = retries_.find(call_id);
    if (retry == retries_.end()) return;
    const CallbackRecord due = std::move(retry->second.record);
    retries_.erase(retry);
    queue_callback(due);
    carry_out_decisions();
  });
  retries_[call_id] = Retry{timer, std::move(record)};
}

std::string CallRunner::cancel_callback(const std::string& call_id, const std::string& by) {
  CallbackRecord record;
  if (auto retry = retries_.find(call_id); retry != retries_.end()) {
    parts_.loop.cancel_timer(retry->second.timer);
    record = std::move(retry->second.record);
    retries_.erase(retry);
  } else {
    auto waiting = std::find_if(callbacks_.begin(), callbacks_.end(),
                                [&call_id](const auto& entry) { return entry.second.record.call_id == call_id; });
    if (waiting == callbacks_.end()) return "no such waiting callback";
    if (waiting->second.leg != 0) return "the agent is calling the customer back now";
    record = std::move(waiting->second.record);
    const acd::CallId id = waiting->first;
    callbacks_.erase(waiting);
    parts_.router->end_call(id);
  }
  spdlog::info("the callback to {} is cancelled by {}", record.number, by);
  close_callback(std::move(record), "cancelled", "cancelled by " + by);
  carry_out_decisions();
  return "";
}

void CallRunner::queue_callback(const CallbackRecord& record) {
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
      callbacks_[id] = Callback{record, 0, 0, false, ""};
      return;
    }
    refused = "queue " + record.queue + " refuses it: " + std::string(acd::to_string(status));
  }
  spdlog::warn("the callback to {} is dropped: {}", record.number, refused);
  close_callback(record, "failed", refused);
}

void CallRunner::restore_callbacks(const std::vector<CallbackRecord>& waiting) {
  for (const CallbackRecord& record : waiting) schedule_callback(record);
  if (!waiting.empty()) spdlog::info("{} callback requests kept from the last run", waiting.size());
  carry_out_decisions();
}

void CallRunner::leave_queue(Session& session) {
  session.with_acd = false;
  session.handing_over = false;
  session.queue = nullptr;
  session.offered_agent.reset();
  parts_.loop.cancel_timer(session.comfort_timer);
  session.comfort_timer = 0;
  calls_->stop_playing(session.call.id);
}

void CallRunner::acd_connect_result(Session& session, bool answered, int code) {
  const auto agent = session.offered_agent;
  session.offered_agent.reset();
  if (!agent) return;
  if (answered) {
    session.handing_over = false;
    session.connected = true;
    session.queue = nullptr;
    parts_.loop.cancel_timer(session.comfort_timer);
    session.comfort_timer = 0;
    parts_.router->answered(session.call.id, *agent);
    remember_last_agent(session.call.caller, *agent);
  } else {
    parts_.router->offer_failed(session.call.id, *agent, connect_failure(code));  // the caller keeps waiting
  }
  carry_out_decisions();
}

void CallRunner::schedule_router() {
  parts_.loop.cancel_timer(router_timer_);
  router_timer_ = 0;
  const auto deadline = parts_.router->next_deadline();
  if (!deadline) return;
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline - parts_.clock.steady_now());
  router_timer_ = parts_.loop.start_timer(std::max(wait, std::chrono::milliseconds(0)), [this] {
    router_timer_ = 0;
    parts_.router->on_timer();
    carry_out_decisions();
  });
}

}  // namespace unicc::ivr
