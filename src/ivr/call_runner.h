#pragma once
// ivr::CallRunner — runs the IVR on real calls: the B2BUA's CallApplication for every
// number a published flow claims (its "dids"), and for the run-time numbers
// (call::NumberStore) pointed at a flow or a queue: a number pointed at a queue runs
// an implicit one-node flow whose queue node puts the caller straight into it.
//
// For each answered call it starts an Executor on the flow's current version and
// performs the executor's actions on the call: prompts (resolved by PromptSource,
// then played by the relay, with barge-in), digit timers, HTTP lookups and hang-up.
// It feeds the outcomes back as events. A queue node, a transfer or a voicemail
// node hands the call to the contact layer (contact::Contacts), which owns it from
// then on; the call comes back to its flow when Contacts sends it back (back_to_flow:
// an overflow to a flow, or a failure the node's exits take). Until then the call's
// events go to Contacts, and so do those of the calls Contacts itself placed
// (callbacks). When the call ends, its IVR trace goes into the CDR.
//
// Runs on the SIP thread (the B2BUA's); prompts and HTTP answers arrive on other
// threads and are posted back through `loop`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "call/application.h"
#include "call/b2bua.h"
#include "call/numbers.h"
#include "contact/contacts.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "ivr/actions.h"
#include "ivr/condition.h"
#include "ivr/events.h"
#include "ivr/registry.h"
#include "ivr/phone_recording.h"
#include "ivr/prompt_source.h"

namespace unicc::ivr {

struct CallRunnerParts {
  const FlowRegistry& flows;
  PromptSource& prompts;
  core::EventLoop& loop;  // the SIP thread's
  const core::Clock& clock;
  // Performs an HTTP lookup; the answer may come on any thread, exactly once.
  std::function<void(const HttpRequest& request, std::function<void(HttpResult)> done)> fetch;
  // Where queue, transfer and voicemail nodes hand their calls.
  contact::Contacts& contacts;
  // The run-time numbers ("flow:" and "queue:" targets); none when null.
  const call::NumberStore* numbers = nullptr;
  // Takes the calls to the prompt-recording feature code (*77<code>); none when null.
  PromptRecorder* recorder = nullptr;
  // The shared calendars schedule nodes name (calendar::CalendarStore's snapshot).
  CalendarLookup calendars = {};
};

class CallRunner final : public call::CallApplication {
 public:
  explicit CallRunner(CallRunnerParts parts);
  ~CallRunner() override;
  CallRunner(const CallRunner&) = delete;
  CallRunner& operator=(const CallRunner&) = delete;

  // The B2BUA whose calls this runner drives; before any call arrives.
  void attach(call::B2bua& calls);
  // The contact layer sends a call back to its flow (ContactParts::back_to_flow): to
  // start `flow`, or, when `flow` is "" or not published, to answer the node that
  // handed it over with the failure.
  void back_to_flow(call::CallId call, const std::string& flow, const std::string& failure);

  // The designer's test call: rings `extension` and, once it answers, runs `flow`
  // (a draft, never published) on the call as if the caller had dialled the flow's
  // first number. 0 with `call_id` set, or the SIP status why it cannot ring (404, 480, ...).
  int test_flow(const std::string& extension, std::shared_ptr<const Flow> flow, std::string& call_id);

  // call::CallApplication
  bool takes(const std::string& dialled) const override;
  int refusal(const std::string& dialled, const std::string& caller, const std::string& trunk) const override;
  void on_answered(const call::AnsweredCall& call) override;
  void on_dtmf(call::CallId call, char digit) override;
  void on_play_finished(call::CallId call, std::uint64_t play_id) override;
  void on_recording_ended(call::CallId call, std::chrono::milliseconds length, bool reached_max) override;
  void on_connect_result(call::CallId call, bool answered, int code) override;
  void on_originate_failed(call::CallId call, int code) override;
  int on_refer(call::CallId call, const std::string& to, call::CallId replacing) override;
  void on_ended(call::CallId call, call::Cdr& cdr) override;

  struct Session;

 private:
  // The flow a call to `dialled` runs: a flow's own number first, then a run-time
  // number's flow or queue; nullptr for neither.
  std::shared_ptr<const Flow> flow_for(const std::string& dialled) const;
  static void keep_contact(const contact::ContactView& contact, call::Cdr& cdr);
  void start_flow(Session& session, std::shared_ptr<const Flow> flow);
  void handle(Session& session, const Event& event);
  void perform(Session& session, std::vector<Action> batch);
  void play(Session& session, const Prompts& prompts, bool barge_in);
  void start_digit_timer(Session& session, int timeout_ms);
  void clear_timers(Session& session);
  Session* find(call::CallId call);
  // A callback for answers that arrive on other threads (prompts, HTTP): it posts
  // `work(runner, session, value)` to the SIP loop, where it runs only while the
  // runner and call `call`'s session still exist.
  template <typename Value, typename Work>
  std::function<void(Value)> back_on_loop(call::CallId call, Work work);

  CallRunnerParts parts_;
  call::B2bua* calls_ = nullptr;
  std::map<call::CallId, std::unique_ptr<Session>> sessions_;
  std::map<call::CallId, std::shared_ptr<const Flow>> tests_;  // test calls ringing
  // Answers from other threads find their session through this token, and find
  // nothing once the runner is gone.
  std::shared_ptr<CallRunner*> alive_;
};

}  // namespace unicc::ivr
