#pragma once
// contact::Contacts against a fake channel: FakeControl writes down every command
// the contact layer gives, timers fire by a FakeClock, and a real acd::Router (with
// an observer that keeps its call events) decides. Tests drive the channel's events
// by hand and assert what the channel was told and where the router stands.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "acd/router.h"
#include "contact/contacts.h"
#include "core/clock.h"
#include "core/timers.h"

namespace unicc::contact {

// One command given to the channel, as text: "connect 1 1007", "hold 1 jazz.wav",
// "play 1 <text>", "stop 1", "cancel 1", "hang_up 1", "record 1", "stop_recording 1",
// "originate 1007 as 13800000000", "hold_bridged 1 jazz.wav", "resume_bridged 1",
// "release_bridged 1", "transfer_bridged 1 1002", "digits 1 12#", "ring_agent 1007 as 013800000000
// auto-answer", "dial 500 013800000000 as 4000123 for 1007" (check_dial is not written down).
class FakeControl final : public Control {
 public:
  void play(ContactId contact, const Prompts& prompts, std::uint64_t play_id, bool then_tone) override {
    std::string what;
    for (const auto& prompt : prompts) what += prompt.file.empty() ? prompt.text : prompt.file;
    commands.push_back("play " + std::to_string(contact) + " " + what + (then_tone ? " +tone" : ""));
    last_play_id = play_id;
  }
  void hold(ContactId contact, const Prompts& music) override {
    commands.push_back("hold " + std::to_string(contact) + " " + (music.empty() ? "ringback" : music.front().file));
  }
  void stop_playing(ContactId contact) override { commands.push_back("stop " + std::to_string(contact)); }
  void record(ContactId contact, const std::string& path, std::chrono::milliseconds max_length) override {
    commands.push_back("record " + std::to_string(contact) + " " + std::to_string(max_length.count()));
    recorded_to = path;
  }
  void stop_recording(ContactId contact) override { commands.push_back("stop_recording " + std::to_string(contact)); }
  int connect(ContactId contact, const std::string& to, const std::string& shown_as, bool auto_answer) override {
    commands.push_back("connect " + std::to_string(contact) + " " + to + (shown_as.empty() ? "" : " as " + shown_as) +
                       (auto_answer ? " auto-answer" : ""));
    return connect_code;
  }
  void cancel_connect(ContactId contact) override { commands.push_back("cancel " + std::to_string(contact)); }
  void hang_up(ContactId contact) override { commands.push_back("hang_up " + std::to_string(contact)); }
  ContactId originate(const std::string& to, const std::string& caller, const std::string&, int& code) override {
    commands.push_back("originate " + to + " as " + caller);
    code = originate_code;
    return originate_code == 0 ? next_session++ : 0;
  }

  void hold_bridged(ContactId contact, const Prompts& music) override {
    commands.push_back("hold_bridged " + std::to_string(contact) + " " +
                       (music.empty() ? "ringback" : music.front().file));
  }
  void resume_bridged(ContactId contact) override { commands.push_back("resume_bridged " + std::to_string(contact)); }
  void release_bridged(ContactId contact) override {
    commands.push_back("release_bridged " + std::to_string(contact));
  }
  int transfer_bridged(ContactId contact, const std::string& to) override {
    commands.push_back("transfer_bridged " + std::to_string(contact) + " " + to);
    return transfer_code;
  }
  void send_digits(ContactId contact, const std::string& digits) override {
    commands.push_back("digits " + std::to_string(contact) + " " + digits);
  }
  bool join_bridged(ContactId contact, ContactId guest, bool with_customer) override {
    commands.push_back((with_customer ? "join " : "consult ") + std::to_string(contact) + " " + std::to_string(guest));
    return true;
  }
  void unjoin_bridged(ContactId contact) override { commands.push_back("unjoin " + std::to_string(contact)); }
  bool monitor_bridged(ContactId contact, ContactId supervisor, MonitorMode mode) override {
    static constexpr const char* kModes[] = {"listen", "whisper", "barge"};
    commands.push_back("monitor " + std::to_string(contact) + " " + std::to_string(supervisor) + " " +
                       kModes[static_cast<int>(mode)]);
    return true;
  }
  void unmonitor_bridged(ContactId contact) override { commands.push_back("unmonitor " + std::to_string(contact)); }
  bool hand_over_bridged(ContactId contact, ContactId guest) override {
    commands.push_back("hand_over " + std::to_string(contact) + " " + std::to_string(guest));
    return hand_over_works;
  }
  int check_dial(const std::string&, const std::string&) override { return check_dial_code; }
  ContactId ring_agent(const std::string& extension, const std::string& shown, bool auto_answer,
                       std::string& session_id, int& code) override {
    commands.push_back("ring_agent " + extension + " as " + shown + (auto_answer ? " auto-answer" : ""));
    code = originate_code;
    if (originate_code != 0) return 0;
    session_id = "dial-" + std::to_string(next_session);
    return next_session++;
  }
  int dial(ContactId agent_session, const std::string& to, const std::string& shown_as,
           const std::string& extension) override {
    commands.push_back("dial " + std::to_string(agent_session) + " " + to + " as " + shown_as + " for " + extension);
    return connect_code;
  }

  // The commands since the last call, and forgets them.
  std::vector<std::string> take() { return std::exchange(commands, {}); }

  std::vector<std::string> commands;
  std::uint64_t last_play_id = 0;
  std::string recorded_to;
  int connect_code = 0;    // what connect() answers
  int transfer_code = 0;   // what transfer_bridged() answers
  int originate_code = 0;  // 0: originate() and ring_agent() place the session
  int check_dial_code = 0;  // what check_dial() answers
  bool hand_over_works = true;
  ContactId next_session = 500;
};

// Timers that fire when the FakeClock is moved past them, in order.
class ClockTimers final : public core::Timers {
 public:
  explicit ClockTimers(core::FakeClock& clock) : clock_(clock) {}
  TimerId start(std::chrono::milliseconds after, std::function<void()> fire) override {
    pending_.emplace(next_, Pending{clock_.now_ms() + after.count(), std::move(fire)});
    return next_++;
  }
  void cancel(TimerId id) override { pending_.erase(id); }
  void advance(std::chrono::milliseconds by) {
    const std::int64_t until = clock_.now_ms() + by.count();
    while (true) {
      auto next = pending_.end();
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->second.due <= until && (next == pending_.end() || it->second.due < next->second.due)) next = it;
      }
      if (next == pending_.end()) break;
      clock_.set_ms(std::max(clock_.now_ms(), next->second.due));
      auto fire = std::move(next->second.fire);
      pending_.erase(next);
      fire();
    }
    clock_.set_ms(until);
  }

 private:
  struct Pending {
    std::int64_t due;
    std::function<void()> fire;
  };
  core::FakeClock& clock_;
  std::map<TimerId, Pending> pending_;
  TimerId next_ = 1;
};

class CallEvents final : public acd::Observer {
 public:
  void on_agent_state(const acd::AgentStateRecord&) override {}
  void on_call_event(const acd::CallEvent& event) override { kinds.push_back(event.kind); }
  std::vector<acd::CallEventKind> kinds;
};

struct FlowReturn {
  ContactId contact;
  std::string flow;
  std::string failure;
  bool operator==(const FlowReturn&) const = default;
};

class ContactsTest : public ::testing::Test {
 protected:
  static constexpr acd::QueueId kSales = 1;

  static ContactSettings test_settings() {
    ContactSettings settings;
    settings.voicemail_dir = ::testing::TempDir() + "contact-voicemail";
    settings.trunk_prefixes["carrier"] = "9";
    settings.caller_id = "4000123";  // shown to customers on click-to-dial calls
    return settings;
  }

  // The queue "sales" in the router and in Contacts, with `change` applied.
  void add_sales(std::function<void(acd::QueueConfig&, QueueSettings&)> change = {}) {
    acd::QueueConfig config;
    config.id = kSales;
    config.name = "sales";
    config.overflow.kind = acd::OverflowTarget::Kind::kIvrFlow;
    config.overflow.destination = kQueueNodeFailure;
    QueueSettings queue;
    queue.acd_queue = kSales;
    queue.music = {Prompt{"jazz.wav", "", "", ""}};
    if (change) change(config, queue);
    ASSERT_TRUE(router.add_queue(config).empty());
    contacts.set_queue("sales", queue);
  }

  // Agent `id` with extension 1000 + id; ready unless told otherwise.
  void add_agent(acd::AgentId id, bool ready = true) {
    acd::AgentConfig agent;
    agent.id = id;
    agent.name = "agent-" + std::to_string(id);
    agent.extension = std::to_string(1000 + id);
    ASSERT_TRUE(router.add_agent(agent).empty());
    contacts.set_agent(id, agent.extension);
    ASSERT_EQ(router.log_in(id), acd::Status::kOk);
    if (ready) make_ready(id);
  }

  void make_ready(acd::AgentId id) {
    ASSERT_EQ(router.set_ready(id), acd::Status::kOk);
    contacts.route_queued_calls();
  }

  static Customer customer(ContactId id, const std::string& trunk = "") {
    return Customer{id, "sip-" + std::to_string(id), "13800000" + std::to_string(id), "Customer", "4000", trunk};
  }

  acd::AgentState state_of(acd::AgentId id) const { return router.agent_status(id)->state; }

  // Customer 1 in "sales", answered by agent 7 (extension 1007), after waiting 5 s;
  // the channel's commands and the views so far are cleared.
  void talking_to_agent_7() {
    add_sales([](acd::QueueConfig& config, QueueSettings&) { config.wrap_up = std::chrono::seconds(30); });
    add_agent(7, /*ready=*/false);
    ASSERT_EQ(contacts.queue(customer(1), "sales", {}, 0), std::nullopt);
    timers.advance(std::chrono::seconds(5));
    make_ready(7);
    contacts.on_connect_result(1, true, 200);
    control.take();
    views.clear();
  }
  bool waiting(ContactId id) const { return router.wait_status(id).has_value(); }

  core::FakeClock clock;
  ClockTimers timers{clock};
  FakeControl control;
  CallEvents events;
  acd::Router router{clock, acd::RouterOptions{&events, 1}};
  std::vector<FlowReturn> returned;
  std::vector<VoicemailMessage> voicemails;
  std::vector<CallbackRecord> callbacks;
  std::vector<ContactView> views;  // every contact_changed
  std::set<std::string> vip_callers;
  std::map<std::string, std::shared_ptr<const calendar::Calendar>> calendars;  // what the lookup finds
  std::vector<std::string> closed_queues;  // every queue_closed
  Contacts contacts{
      ContactParts{control, &router, timers, clock,
                   [this](ContactId contact, const std::string& flow, const std::string& failure) {
                     returned.push_back({contact, flow, failure});
                   },
                   [this](const VoicemailMessage& message) { voicemails.push_back(message); }, {},
                   [this](const CallbackRecord& record) { callbacks.push_back(record); },
                   [this](const ContactView& view) { views.push_back(view); },
                   [this](const std::string& caller) { return vip_callers.contains(caller); },
                   [this](const std::string& name) {
                     auto it = calendars.find(name);
                     return it == calendars.end() ? nullptr : it->second;
                   },
                   [this](const std::string& queue, ContactId) { closed_queues.push_back(queue); }},
      test_settings()};
};

}  // namespace unicc::contact
