#pragma once
// A Router on a FakeClock with an observer that keeps everything, and short helpers
// to add queues and agents and to read the decisions.
#include <gtest/gtest.h>

#include <vector>

#include "acd/router.h"
#include "core/clock.h"

namespace unicc::acd {

class RecordingObserver : public Observer {
 public:
  void on_agent_state(const AgentStateRecord& record) override { states.push_back(record); }
  void on_call_event(const CallEvent& event) override { calls.push_back(event); }
  std::vector<AgentStateRecord> states;
  std::vector<CallEvent> calls;
};

class RouterTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kStart = 1'700'000'000'000;

  static QueueConfig make_queue(QueueId id, Strategy strategy = Strategy::kLongestIdle) {
    QueueConfig q;
    q.id = id;
    q.name = "queue-" + std::to_string(id);
    q.strategy = strategy;
    return q;
  }

  void add_queue(const QueueConfig& q) {
    std::vector<std::string> errors = router.add_queue(q);
    ASSERT_TRUE(errors.empty()) << errors.front();
  }

  void add_agent(AgentId id, std::vector<SkillLevel> skills = {}, bool newly_trained = false) {
    AgentConfig a;
    a.id = id;
    a.name = "agent-" + std::to_string(id);
    a.extension = std::to_string(1000 + id);
    a.skills = std::move(skills);
    a.newly_trained = newly_trained;
    std::vector<std::string> errors = router.add_agent(a);
    ASSERT_TRUE(errors.empty()) << errors.front();
  }

  void ready(AgentId id) {
    if (router.agent_status(id)->state == AgentState::kLoggedOut) {
      ASSERT_EQ(router.log_in(id), Status::kOk);
    }
    ASSERT_EQ(router.set_ready(id), Status::kOk);
  }

  void advance(std::chrono::milliseconds by) {
    clock.advance(by);
    router.on_timer();
  }

  void enqueue(CallId call, QueueId queue, int priority = 0,
               std::optional<AgentId> last_agent = std::nullopt) {
    ASSERT_EQ(router.enqueue(CallRequest{call, queue, priority, last_agent}), Status::kOk);
  }

  std::vector<Decision> take() {
    std::vector<Decision> out;
    router.take_decisions(out);
    return out;
  }

  template <typename D>
  std::vector<D> take_only() {
    std::vector<D> out;
    for (const Decision& d : take()) {
      if (const D* x = std::get_if<D>(&d)) out.push_back(*x);
    }
    return out;
  }

  // The agents that got an OfferCall since the last look, in order.
  std::vector<AgentId> offered() {
    std::vector<AgentId> agents;
    for (const OfferCall& o : take_only<OfferCall>()) agents.push_back(o.agent);
    return agents;
  }

  // Enqueues `call`, expects exactly one offer, answers it; returns the agent.
  AgentId route_and_answer(CallId call, QueueId queue, int priority = 0) {
    enqueue(call, queue, priority);
    std::vector<OfferCall> offers = take_only<OfferCall>();
    EXPECT_EQ(offers.size(), 1u);
    if (offers.size() != 1) return 0;
    EXPECT_EQ(router.answered(call, offers[0].agent), Status::kOk);
    return offers[0].agent;
  }

  AgentState state_of(AgentId id) { return router.agent_status(id)->state; }

  core::FakeClock clock{kStart};
  RecordingObserver observer;
  Router router{clock, RouterOptions{&observer, 42}};
};

using std::chrono::seconds;

}  // namespace unicc::acd
