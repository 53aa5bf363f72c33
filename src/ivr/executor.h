#pragma once
// ivr::Executor — runs one call through one version of a flow. A pure state
// machine: no I/O, no threads, no timers of its own. The host (the call) feeds it
// events and performs the actions it returns (see actions.h for the host's side:
// ordering, timers, barge-in). Time comes from the core::Clock, for schedules, time
// conditions and the trace.
//
// The executor holds its Flow through shared_ptr<const Flow>, so publishing a new
// version never changes a call in progress. Not thread-safe: one call, one thread.
//
// Lifecycle: start() once, then handle() per event until finished(). The IVR is
// finished after a hangup or voicemail node, a caller hang-up, or a queue/transfer
// hand-off (unless the host then reports ActionFailed and the node has on_failure).
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "ivr/actions.h"
#include "ivr/condition.h"
#include "ivr/events.h"
#include "ivr/flow.h"
#include "ivr/template.h"
#include "ivr/trace.h"

namespace unicc::ivr {

class Executor {
 public:
  // `calendars` finds the shared calendars schedule nodes name (none: such nodes decide closed).
  Executor(std::shared_ptr<const Flow> flow, const core::Clock& clock, CalendarLookup calendars = {});

  // Enters the start node with the caller's number and the dialled number (DID),
  // available to the flow as ${caller} and ${did}.
  std::vector<Action> start(const std::string& caller, const std::string& did);
  std::vector<Action> handle(const Event& event);

  // Tags the last batch of actions; events answering it must carry it.
  int turn() const { return turn_; }
  // True once the IVR is done with the call (after a hand-off, ActionFailed may still reopen it).
  bool finished() const { return state_ == State::finished || state_ == State::handed_off; }
  const Trace& trace() const { return trace_; }
  const Variables& variables() const { return variables_; }
  const Flow& flow() const { return *flow_; }

 private:
  enum class State { idle, playing, menu, collecting, http, handed_off, finished };

  // Runs from node `id` through the nodes that need no waiting, into `out`.
  void run(std::string id, std::vector<Action>& out);
  // Starts node `id`; returns the next node for nodes that do not wait, "" otherwise.
  std::string enter(const std::string& id, std::vector<Action>& out);
  void leave(const std::string& exit, const std::string& note = "");
  void wait(State state, std::vector<Action>& out, std::vector<Action> actions);
  void finish(TraceExit exit, const std::string& target);

  std::string enter_menu(const MenuNode& menu, std::vector<Action>& out);
  std::string enter_collect(const CollectNode& collect, std::vector<Action>& out);
  std::string evaluate_condition(const ConditionNode& condition);
  std::string hand_off(const std::string& on_failure, TraceExit exit, const std::string& target, Action action,
                       std::vector<Action>& out);

  void on_digit(char digit, std::vector<Action>& out);
  void on_timeout(std::vector<Action>& out);
  void on_http(const HttpResult& result, std::vector<Action>& out);
  void on_action_failed(const ActionFailed& failure, std::vector<Action>& out);
  void on_hangup();
  void menu_digit(const MenuNode& menu, char digit, std::vector<Action>& out);
  void collect_digit(const CollectNode& collect, char digit, std::vector<Action>& out);
  void collect_done(const CollectNode& collect, std::vector<Action>& out);
  // A wrong or missing answer: ask again with `prompt` first, or take on_failure.
  void retry(const std::string& why, const Prompts& prompt, const Prompts& repeat, int retries,
             const std::string& on_failure, CollectDigits collect, std::vector<Action>& out);

  Prompts fill(const Prompts& prompts) const;
  const Node& current() const { return flow_->node(node_); }

  std::shared_ptr<const Flow> flow_;
  const core::Clock& clock_;
  CalendarLookup calendars_;
  Variables variables_;
  Trace trace_;
  State state_ = State::idle;
  std::string node_;
  int turn_ = 0;
  int attempts_ = 0;       // failed tries in the current menu or collect
  std::string buffer_;     // digits collected so far in a collect node
  char typeahead_ = 0;     // the digit that barged in on a play, for the next menu/collect
  std::string on_failure_; // of the queue/transfer the call was handed to
};

}  // namespace unicc::ivr
