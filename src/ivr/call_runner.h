#pragma once
// ivr::CallRunner — runs the IVR on real calls: the B2BUA's CallApplication for every
// number a published flow claims (its "dids").
//
// For each answered call it starts an Executor on the flow's current version and
// performs the executor's actions on the call: prompts (resolved by PromptSource,
// then played by the relay, with barge-in), digit timers, HTTP lookups, transfers
// and queues (a second leg placed by the B2BUA, with ringback meanwhile), voicemail
// (greeting, beep, recording of the caller up to the limit, then the message is
// handed to `voicemail`), hang-up. It feeds the outcomes back as events. When the
// call ends, its IVR trace goes into the CDR. Until the ACD routes queue calls, a
// queue rings the extension configured for it.
//
// Runs on the SIP thread (the B2BUA's); prompts, TTS and HTTP answers arrive on
// other threads and are posted back through `loop`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "acd/router.h"
#include "call/application.h"
#include "call/b2bua.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "ivr/actions.h"
#include "ivr/callback_store.h"
#include "ivr/events.h"
#include "ivr/registry.h"
#include "ivr/prompt_source.h"
#include "media/tones.h"

namespace unicc::ivr {

struct VoicemailMessage {
  std::string mailbox;
  std::string caller;
  std::string caller_name;
  std::string call_id;
  std::string path;
  std::int64_t created_at = 0;  // ms since epoch
  std::int64_t duration_ms = 0;
};

// An ACD overflow to this flow name (which no flow can have) sends the call back to
// the queue node of its own flow, which takes its on_failure exit.
inline constexpr const char* kQueueNodeFailure = "(on_failure)";

// What a caller waiting in a queue hears and can do, and where the queue's calls go.
struct QueueSettings {
  std::string name;  // set by CallRunner::set_queue
  std::string ring;  // an extension to ring; "" = routed by the ACD to agents
  acd::QueueId acd_queue = 0;  // the router's id of the queue, when routed by the ACD
  Prompts music;     // looped while waiting; empty: ringback
  Prompts comfort;   // read every comfort_every while waiting; empty: none
  std::chrono::seconds comfort_every{30};
  std::string voice = "en";  // TTS voice of the announcements ("cmn": Chinese)
  bool announce_position = false;  // read the router's position and wait announcements
  std::string callback_key;        // a key that asks to be called back; "" = none
  int callback_attempts = 3;       // calls back to a customer who does not answer, at most
  std::chrono::seconds callback_retry{300};  // between them
};

struct CallRunnerSettings {
  std::string voicemail_dir = "var/recordings/voicemail";
  media::ToneRegion tone_region = media::ToneRegion::kChina;
  // Each trunk's outbound prefix: a callback to a caller who came in on a trunk dials
  // the prefix and their number.
  std::map<std::string, std::string> trunk_prefixes;
};

struct CallRunnerParts {
  const FlowRegistry& flows;
  // Routes the calls of queues without `ring`; on this runner's thread. May be null.
  acd::Router* router;
  PromptSource& prompts;
  core::EventLoop& loop;  // the SIP thread's
  const core::Clock& clock;
  // Performs an HTTP lookup; the answer may come on any thread, exactly once.
  std::function<void(const HttpRequest& request, std::function<void(HttpResult)> done)> fetch;
  // A voicemail was left (its WAV is complete at `path`).
  std::function<void(const VoicemailMessage& message)> voicemail;
  // The queue a queue node with `skills` hands its calls to: `queue`'s calls that
  // also need these skills ("name" or "name:level", level 1 by default), named
  // "queue+name:level+..." (skills sorted); nullopt with the problem when there is
  // none (an unknown skill, a queue not routed by the ACD). May be empty: such nodes
  // then fail.
  std::function<std::optional<QueueSettings>(const std::string& queue, const std::vector<std::string>& skills,
                                             std::string& problem)>
      skilled_queue;
  // A callback request was made or changed: asked for, an attempt failed (still
  // "waiting", with its retry time), or ended ("completed", "failed", "cancelled").
  // Kept so that a restart loses none.
  std::function<void(const CallbackRecord& callback)> callback_changed;
};

class CallRunner final : public call::CallApplication {
 public:
  CallRunner(CallRunnerParts parts, CallRunnerSettings settings);
  ~CallRunner() override;
  CallRunner(const CallRunner&) = delete;
  CallRunner& operator=(const CallRunner&) = delete;

  // The B2BUA whose calls this runner drives; before any call arrives.
  void attach(call::B2bua& calls);
  // Carries out what the router decided after a change made outside a call (an
  // agent became ready): call it after every such command.
  void route_queued_calls() { carry_out_decisions(); }
  // The queues flows hand calls to, by name, and the agents' phones, by the router's
  // id. Calls already waiting keep the settings they started with.
  void set_queue(const std::string& name, QueueSettings queue);
  void remove_queue(const std::string& name);
  void set_agent(acd::AgentId agent, const std::string& extension);
  void forget_agent(acd::AgentId agent);
  // The agent who last served `caller`, for last-agent routing (from the CDRs at start;
  // the runner then remembers every queue call an agent answers).
  void remember_last_agent(const std::string& caller, acd::AgentId agent);
  // Queues again, oldest first, the callbacks the last run left waiting (at their
  // retry time, if they have one); after the queues and agents are set. One whose
  // queue is gone (or no longer routed by the ACD) is reported failed.
  void restore_callbacks(const std::vector<CallbackRecord>& waiting);
  // Takes back a waiting callback request (by the SIP Call-ID of the call that made
  // it) on behalf of `by`: "" or why not ("no such waiting callback", or the agent
  // is calling the customer back right now).
  std::string cancel_callback(const std::string& call_id, const std::string& by);

  // call::CallApplication
  bool takes(const std::string& dialled) const override;
  void on_answered(const call::AnsweredCall& call) override;
  void on_dtmf(call::CallId call, char digit) override;
  void on_play_finished(call::CallId call, std::uint64_t play_id) override;
  void on_recording_ended(call::CallId call, std::chrono::milliseconds length, bool reached_max) override;
  void on_connect_result(call::CallId call, bool answered, int code) override;
  void on_originate_failed(call::CallId call, int code) override;
  void on_ended(call::CallId call, call::Cdr& cdr) override;

  struct Session;
  // A caller who asked to be called back, from their request to the end of the call
  // back (or its failure).
  struct Callback {
    CallbackRecord record;
    acd::AgentId agent = 0;  // reserved for them; 0 until their turn
    call::CallId leg = 0;    // the call placed to the agent
    bool customer_answered = false;
    std::string failure;  // why the customer was not reached
  };

 private:
  void start_flow(Session& session, std::shared_ptr<const Flow> flow);
  // The settings of the queue named `queue`, or of its calls needing `skills`;
  // null with the problem when there is none.
  std::shared_ptr<const QueueSettings> queue_for(const std::string& queue, const std::vector<std::string>& skills,
                                                 std::string& problem);
  void handle(Session& session, const Event& event);
  void perform(Session& session, std::vector<Action> batch);
  void play(Session& session, const Prompts& prompts, bool barge_in, bool then_beep = false);
  void start_digit_timer(Session& session, int timeout_ms);
  // Places the leg (the caller hears the queue's hold music, or ringback without a
  // queue); the failure when it cannot even be placed.
  std::optional<ActionFailed> hand_over(Session& session, const std::string& number,
                                        std::shared_ptr<const QueueSettings> queue = nullptr);
  void play_hold(Session& session);
  void schedule_comfort(Session& session);
  // The ACD's side: queue a call, carry out the router's decisions, keep its timer.
  std::optional<acd::AgentId> last_agent_of(const std::string& caller) const;
  std::optional<ActionFailed> enqueue_with_acd(Session& session, std::shared_ptr<const QueueSettings> queue,
                                               int priority);
  void carry_out_decisions();
  void schedule_router();
  void acd_connect_result(Session& session, bool answered, int code);
  void leave_queue(Session& session);
  void overflow_out(Session& session, const acd::OverflowTarget& target, const std::string& voice);
  void announce(Session& session, const acd::Announce& announce);
  void request_callback(Session& session);
  void call_back(const acd::CallBack& decision);
  void callback_answered(const call::AnsweredCall& call);
  void finish_callback(acd::CallId waiting);
  void save_callback(const CallbackRecord& record);
  void close_callback(CallbackRecord record, const std::string& state, const std::string& outcome);
  std::shared_ptr<const QueueSettings> queue_named(const std::string& name, std::string& problem);
  void schedule_callback(CallbackRecord record);
  void queue_callback(const CallbackRecord& record);
  void leave_voicemail(Session& session, const Voicemail& voicemail);
  void start_voicemail_recording(Session& session);
  void save_voicemail(Session& session, std::chrono::milliseconds length);
  void clear_timers(Session& session);
  Session* find(call::CallId call);
  // A callback for answers that arrive on other threads (prompts, TTS, HTTP): it
  // posts `work(runner, session, value)` to the SIP loop, where it runs only while
  // the runner and call `call`'s session still exist.
  template <typename Value, typename Work>
  std::function<void(Value)> back_on_loop(call::CallId call, Work work);

  CallRunnerParts parts_;
  CallRunnerSettings settings_;
  std::map<std::string, std::shared_ptr<const QueueSettings>> queues_;
  std::map<acd::AgentId, std::string> agent_extensions_;
  std::map<std::string, acd::AgentId> last_agents_;  // by caller number
  call::B2bua* calls_ = nullptr;
  std::map<call::CallId, std::unique_ptr<Session>> sessions_;
  // Callers waiting to be called back, by the router's call id (their first call's
  // id), and the calls placed to agents for them, by the B2BUA's id.
  std::map<acd::CallId, Callback> callbacks_;
  std::map<call::CallId, acd::CallId> callback_legs_;
  // Requests waiting for their retry time, by the Call-ID that made them.
  struct Retry {
    core::EventLoop::TimerId timer = 0;
    CallbackRecord record;
  };
  std::map<std::string, Retry> retries_;
  // The router's ids of callbacks queued again (after a restart or a failed
  // attempt), far above the B2BUA's call ids.
  acd::CallId next_callback_id_ = acd::CallId{1} << 62;
  core::EventLoop::TimerId router_timer_ = 0;
  // Answers from other threads find their session through this token, and find
  // nothing once the runner is gone.
  std::shared_ptr<CallRunner*> alive_;
};

}  // namespace unicc::ivr
