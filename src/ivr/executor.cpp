#include "ivr/executor.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/json_limits.h"
#include "ivr/condition.h"
#include "ivr/digit_pattern.h"
#include "ivr/overloaded.h"

namespace unicc::ivr {
namespace {

CollectDigits menu_input(const MenuNode& menu) { return CollectDigits{1, "", menu.timeout_ms, 0}; }

CollectDigits collect_input(const CollectNode& collect) {
  return CollectDigits{collect.max_digits, collect.terminator, collect.timeout_ms, collect.inter_digit_timeout_ms};
}

int priority_value(const std::string& text) {
  try {
    return std::clamp(std::stoi(text), 0, 100);
  } catch (const std::exception&) {
    return 0;  // a ${variable} that held no number
  }
}

}  // namespace

Executor::Executor(std::shared_ptr<const Flow> flow, const core::Clock& clock, CalendarLookup calendars)
    : flow_(std::move(flow)), clock_(clock), calendars_(std::move(calendars)) {
  trace_.flow = flow_->name;
  trace_.version = flow_->version;
}

std::vector<Action> Executor::start(const std::string& caller, const std::string& did) {
  std::vector<Action> out;
  if (state_ != State::idle) return out;
  variables_ = flow_->variables;
  variables_["caller"] = caller;
  variables_["did"] = did;
  trace_.caller = caller;
  trace_.did = did;
  trace_.started_at = clock_.now_ms();
  run(flow_->start, out);
  return out;
}

std::vector<Action> Executor::handle(const Event& event) {
  std::vector<Action> out;
  if (state_ == State::idle || state_ == State::finished) return out;
  std::visit(Overloaded{
                 [&](const PromptFinished& e) {
                   if (state_ != State::playing || e.turn != turn_) return;
                   leave("next");
                   run(std::get<PlayNode>(current().body).next, out);
                 },
                 [&](const DigitReceived& e) {
                   if (is_keypad_key(e.digit)) on_digit(e.digit, out);
                 },
                 [&](const TimedOut& e) {
                   if (e.turn == turn_) on_timeout(out);
                 },
                 [&](const HttpResult& e) {
                   if (state_ == State::http && e.turn == turn_) on_http(e, out);
                 },
                 [&](const ActionFailed& e) {
                   if (state_ == State::handed_off && e.turn == turn_) on_action_failed(e, out);
                 },
                 [&](const CallerHungUp&) { on_hangup(); },
             },
             event);
  return out;
}

void Executor::run(std::string id, std::vector<Action>& out) {
  // Validation guarantees every cycle passes a menu or collect, which waits, so this ends.
  while (!id.empty()) id = enter(id, out);
}

std::string Executor::enter(const std::string& id, std::vector<Action>& out) {
  node_ = id;
  const Node& node = current();
  trace_.steps.push_back(TraceStep{id, type_name(node.body), clock_.now_ms(), 0, "", "", ""});
  return std::visit(
      Overloaded{
          [&](const PlayNode& play) {
            wait(State::playing, out, {PlayPrompts{fill(play.prompt), play.barge_in}});
            return std::string();
          },
          [&](const MenuNode& menu) { return enter_menu(menu, out); },
          [&](const CollectNode& collect) { return enter_collect(collect, out); },
          [&](const SetNode& set) {
            Variables before = variables_;  // every value sees the variables as they were
            for (const auto& [name, value] : set.variables) variables_[name] = fill_template(value, before);
            leave("next");
            return set.next;
          },
          [&](const ConditionNode& condition) { return evaluate_condition(condition); },
          [&](const ScheduleNode& schedule) {
            auto decision = decide(schedule, calendars_, clock_.now_ms());
            leave(decision.exit, decision.note);
            if (decision.exit == "open") return schedule.open;
            return decision.exit == "holiday" ? schedule.holiday : schedule.closed;
          },
          [&](const HttpNode& http) {
            nlohmann::json body = nlohmann::json::object();
            for (const auto& [key, value] : http.body) body[key] = fill_template(value, variables_);
            wait(State::http, out,
                 {HttpRequest{http.method, fill_url_template(http.url, variables_),
                              http.method == "POST" ? body.dump() : "", http.timeout_ms}});
            return std::string();
          },
          [&](const QueueNode& queue) {
            Enqueue enqueue{queue.queue, priority_value(fill_template(queue.priority, variables_)), {}, variables_};
            for (const auto& skill : queue.skills) enqueue.skills.push_back(fill_template(skill, variables_));
            return hand_off(queue.on_failure, TraceExit::queued, queue.queue, std::move(enqueue), out);
          },
          [&](const TransferNode& transfer) {
            std::string to = fill_template(transfer.to, variables_);
            return hand_off(transfer.on_failure, TraceExit::transferred, to, Transfer{to, variables_}, out);
          },
          [&](const VoicemailNode& voicemail) {
            leave("");
            out.push_back(Voicemail{voicemail.mailbox, voicemail.max_seconds, fill(voicemail.prompt)});
            finish(TraceExit::voicemail, voicemail.mailbox);
            return std::string();
          },
          [&](const HangupNode&) {
            leave("");
            out.push_back(Hangup{});
            finish(TraceExit::hangup_node, "");
            return std::string();
          },
      },
      node.body);
}

std::string Executor::enter_menu(const MenuNode& menu, std::vector<Action>& out) {
  attempts_ = 0;
  if (typeahead_ == 0) {
    wait(State::menu, out, {PlayPrompts{fill(menu.prompt), true}, menu_input(menu)});
    return "";
  }
  // The caller already answered during the previous prompt: no need to play this one.
  char digit = std::exchange(typeahead_, 0);
  state_ = State::menu;
  ++turn_;
  menu_digit(menu, digit, out);
  return "";
}

std::string Executor::enter_collect(const CollectNode& collect, std::vector<Action>& out) {
  attempts_ = 0;
  buffer_.clear();
  if (typeahead_ == 0) {
    wait(State::collecting, out, {PlayPrompts{fill(collect.prompt), true}, collect_input(collect)});
    return "";
  }
  char digit = std::exchange(typeahead_, 0);
  state_ = State::collecting;
  int turn = ++turn_;
  collect_digit(collect, digit, out);
  // Still waiting for more digits: collect without the prompt the caller skipped.
  if (state_ == State::collecting && turn_ == turn) out.push_back(collect_input(collect));
  return "";
}

std::string Executor::evaluate_condition(const ConditionNode& condition) {
  LocalTime now = local_time(flow_->zone, clock_.now_ms());
  for (std::size_t i = 0; i < condition.rules.size(); ++i) {
    if (rule_holds(condition.rules[i], variables_, now)) {
      leave("rules[" + std::to_string(i) + "]");
      return condition.rules[i].next;
    }
  }
  leave("else");
  return condition.otherwise;
}

std::string Executor::hand_off(const std::string& on_failure, TraceExit exit, const std::string& target,
                               Action action, std::vector<Action>& out) {
  leave("");
  ++turn_;
  out.push_back(std::move(action));
  finish(exit, target);
  state_ = State::handed_off;
  on_failure_ = on_failure;
  return "";
}

void Executor::leave(const std::string& exit, const std::string& note) {
  TraceStep& step = trace_.steps.back();
  if (step.left_at == 0) step.left_at = clock_.now_ms();
  step.exit = exit;
  if (!note.empty()) step.note = note;
}

void Executor::wait(State state, std::vector<Action>& out, std::vector<Action> actions) {
  state_ = state;
  ++turn_;
  for (auto& action : actions) out.push_back(std::move(action));
}

void Executor::finish(TraceExit exit, const std::string& target) {
  trace_.exit = exit;
  trace_.exit_target = target;
  trace_.ended_at = clock_.now_ms();
  state_ = State::finished;
}

void Executor::on_digit(char digit, std::vector<Action>& out) {
  const NodeBody& body = current().body;
  if (state_ == State::playing) {
    const auto& play = std::get<PlayNode>(body);
    if (!play.barge_in) return;
    trace_.steps.back().digits += digit;
    typeahead_ = digit;
    leave("next", "barge-in");
    run(play.next, out);
  } else if (state_ == State::menu) {
    menu_digit(std::get<MenuNode>(body), digit, out);
  } else if (state_ == State::collecting) {
    collect_digit(std::get<CollectNode>(body), digit, out);
  }
}

void Executor::on_timeout(std::vector<Action>& out) {
  const NodeBody& body = current().body;
  if (state_ == State::menu) {
    const auto& menu = std::get<MenuNode>(body);
    retry("timeout", menu.timeout_prompt, menu.prompt, menu.retries, menu.on_failure, menu_input(menu), out);
  } else if (state_ == State::collecting) {
    const auto& collect = std::get<CollectNode>(body);
    if (!buffer_.empty()) return collect_done(collect, out);  // the caller stopped typing: that is the answer
    retry("timeout", collect.timeout_prompt, collect.prompt, collect.retries, collect.on_failure,
          collect_input(collect), out);
  } else if (state_ == State::http) {
    on_http(HttpResult{turn_, 0, "", "timeout"}, out);
  }
}

void Executor::menu_digit(const MenuNode& menu, char digit, std::vector<Action>& out) {
  trace_.steps.back().digits += digit;
  auto option = menu.options.find(digit);
  if (option == menu.options.end()) {
    return retry("invalid", menu.invalid_prompt, menu.prompt, menu.retries, menu.on_failure, menu_input(menu), out);
  }
  leave(std::string("options.") + digit);
  run(option->second, out);
}

void Executor::collect_digit(const CollectNode& collect, char digit, std::vector<Action>& out) {
  trace_.steps.back().digits += digit;
  if (!collect.terminator.empty() && digit == collect.terminator[0]) return collect_done(collect, out);
  buffer_ += digit;
  if (static_cast<int>(buffer_.size()) >= collect.max_digits) collect_done(collect, out);
}

void Executor::collect_done(const CollectNode& collect, std::vector<Action>& out) {
  bool valid = static_cast<int>(buffer_.size()) >= collect.min_digits &&
               (!collect.pattern || collect.pattern->matches(buffer_));
  if (!valid) {
    return retry("invalid", collect.invalid_prompt, collect.prompt, collect.retries, collect.on_failure,
                 collect_input(collect), out);
  }
  variables_[collect.variable] = buffer_;
  variables_["digits"] = buffer_;
  leave("next");
  run(collect.next, out);
}

void Executor::retry(const std::string& why, const Prompts& prompt, const Prompts& repeat, int retries,
                     const std::string& on_failure, CollectDigits collect, std::vector<Action>& out) {
  TraceStep& step = trace_.steps.back();
  step.note += (step.note.empty() ? "" : ",") + why;
  buffer_.clear();
  if (++attempts_ > retries) {
    leave("on_failure");
    return run(on_failure, out);
  }
  Prompts prompts = fill(prompt);
  for (const auto& p : fill(repeat)) prompts.push_back(p);
  wait(state_, out, {PlayPrompts{std::move(prompts), true}, std::move(collect)});
}

void Executor::on_http(const HttpResult& result, std::vector<Action>& out) {
  const auto& http = std::get<HttpNode>(current().body);
  std::string failure;
  Variables found;
  if (!result.error.empty()) {
    failure = result.error;
  } else if (result.status < 200 || result.status > 299) {
    failure = "HTTP " + std::to_string(result.status);
  } else {
    auto parsed = core::parse_json(result.body);
    const auto& answer = parsed.value;
    if (!parsed.ok()) failure = parsed.failure == core::JsonFailure::too_deep ? "JSON nested too deep" : "bad JSON";
    for (auto it = http.assign.begin(); failure.empty() && it != http.assign.end(); ++it) {
      try {
        const auto& value = answer.at(nlohmann::json::json_pointer(it->second));
        found[it->first] = value.is_string() ? value.get<std::string>() : value.dump();
      } catch (const nlohmann::json::exception&) {
        failure = "no " + it->second + " in the answer";
      }
    }
  }
  if (!failure.empty()) {
    leave("on_error", failure);
    return run(http.on_error, out);
  }
  for (auto& [name, value] : found) variables_[name] = std::move(value);
  leave("next", "HTTP " + std::to_string(result.status));
  run(http.next, out);
}

Prompts Executor::fill(const Prompts& prompts) const {
  Prompts out = prompts;
  for (auto& prompt : out) prompt.text = fill_template(prompt.text, variables_);
  return out;
}

void Executor::on_action_failed(const ActionFailed& failure, std::vector<Action>& out) {
  trace_.steps.back().note = "failed: " + failure.reason;
  trace_.exit = TraceExit::running;
  trace_.exit_target.clear();
  trace_.ended_at = 0;
  if (on_failure_.empty()) {
    out.push_back(Hangup{});
    return finish(TraceExit::failed, "");
  }
  run(on_failure_, out);
}

void Executor::on_hangup() {
  if (state_ == State::handed_off) {
    state_ = State::finished;  // the IVR's exit (queued, transferred) stands
    return;
  }
  leave(trace_.steps.back().exit, "caller hung up");
  finish(TraceExit::caller_hung_up, "");
}

}  // namespace unicc::ivr
