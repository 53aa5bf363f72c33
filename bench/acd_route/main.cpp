// unicc_acd_route: the latency of one routing decision in a large center — 10,000
// agents with 8 of 200 skills each, 500 queues needing one skill (a fifth of them a
// second one too), and 1,000 calls waiting — for each strategy. One iteration is a
// call ending (its agent becomes ready and takes the best waiting call it serves, if
// any) and, while fewer than 1,000 wait, a new call arriving (offered to a ready agent
// by the strategy, or left waiting). Each of these commands is one decision, timed on
// its own for p50/p99. Offers are answered at once, outside the timings but inside
// decisions/s. See docs/performance.md ("ACD routing").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "acd/router.h"
#include "core/clock.h"

namespace {

using namespace unicc::acd;

constexpr int kAgents = 10'000;
constexpr int kSkills = 200;
constexpr int kSkillsPerAgent = 8;
constexpr int kQueues = 500;
constexpr std::size_t kWaiting = 1'000;

class Center {
 public:
  explicit Center(Strategy strategy) : router_(clock_, RouterOptions{nullptr, 7}) {
    for (int q = 1; q <= kQueues; ++q) {
      QueueConfig queue;
      queue.id = static_cast<QueueId>(q);
      queue.name = "queue";
      queue.strategy = strategy;
      queue.skills.push_back({skill(), level(1, 3)});
      if (q % 5 == 0) queue.skills.push_back({skill(queue.skills[0].skill), 1});
      router_.add_queue(queue);
    }
    for (int a = 1; a <= kAgents; ++a) {
      AgentConfig agent;
      agent.id = static_cast<AgentId>(a);
      agent.name = "agent";
      agent.extension = std::to_string(a);
      while (agent.skills.size() < kSkillsPerAgent) {
        SkillId s = skill();
        bool taken = std::any_of(agent.skills.begin(), agent.skills.end(),
                                 [&](const SkillLevel& x) { return x.skill == s; });
        if (!taken) agent.skills.push_back({s, level(1, 10)});
      }
      router_.add_agent(agent);
      router_.log_in(agent.id);
      router_.set_ready(agent.id);
    }
    while (waiting() < kWaiting) arrive();
  }

  // One call ends and, below 1,000 waiting, one arrives; appends each decision's
  // latency in ns.
  void cycle(std::vector<double>& latencies) {
    clock_.advance(std::chrono::milliseconds(1));
    std::uniform_int_distribution<std::size_t> pick(0, connected_.size() - 1);
    const std::size_t i = pick(random_);
    const CallId ending = connected_[i];
    connected_[i] = connected_.back();
    connected_.pop_back();
    latencies.push_back(timed([&] { router_.end_call(ending); }));
    answer();
    if (waiting_ < kWaiting) {
      const CallRequest call = next_call();
      latencies.push_back(timed([&] { router_.enqueue(call); }));
      answer();
    }
    router_.on_timer();
  }

  std::size_t waiting() const { return waiting_; }

 private:
  template <typename F>
  static double timed(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
        .count();
  }

  SkillId skill(SkillId other = 0) {
    std::uniform_int_distribution<SkillId> d(1, kSkills);
    SkillId s;
    do s = d(random_);
    while (s == other);
    return s;
  }
  int level(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  CallRequest next_call() {
    std::uniform_int_distribution<QueueId> queue(1, kQueues);
    ++waiting_;
    return CallRequest{++calls_, queue(random_), calls_ % 10 == 0 ? 1 : 0, std::nullopt};
  }

  void arrive() {
    router_.enqueue(next_call());
    answer();
  }

  // Answers each call with the first agent offered it (ring-all offers several).
  // Answering may free ring-all agents who take further calls: loop until quiet.
  void answer() {
    for (router_.take_decisions(decisions_); !decisions_.empty();
         router_.take_decisions(decisions_)) {
      for (const Decision& d : decisions_) {
        const OfferCall* offer = std::get_if<OfferCall>(&d);
        if (!offer || router_.answered(offer->call, offer->agent) != Status::kOk) continue;
        connected_.push_back(offer->call);
        --waiting_;
      }
    }
  }

  unicc::core::FakeClock clock_;
  Router router_;
  std::mt19937_64 random_{2024};
  std::vector<Decision> decisions_;
  std::vector<CallId> connected_;
  CallId calls_ = 0;
  std::size_t waiting_ = 0;  // calls not yet answered
};

double percentile(std::vector<double>& values, double p) {
  auto at =
      values.begin() + static_cast<std::ptrdiff_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

void route(benchmark::State& state, Strategy strategy) {
  Center center(strategy);
  std::vector<double> latencies;
  double waiting = 0;
  for (auto _ : state) {
    center.cycle(latencies);
    waiting += static_cast<double>(center.waiting());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(latencies.size()));
  state.counters["p50_ns"] = percentile(latencies, 0.50);
  state.counters["p99_ns"] = percentile(latencies, 0.99);
  state.counters["waiting"] = waiting / static_cast<double>(state.iterations());
}

}  // namespace

int main(int argc, char** argv) {
  const std::pair<const char*, Strategy> strategies[] = {
      {"longest-idle", Strategy::kLongestIdle},
      {"round-robin", Strategy::kRoundRobin},
      {"fewest-calls", Strategy::kFewestCalls},
      {"least-talk-time", Strategy::kLeastTalkTime},
      {"ring-all", Strategy::kRingAll},
      {"linear", Strategy::kLinear},
      {"random", Strategy::kRandom},
      {"best-skill", Strategy::kBestSkill},
  };
  for (auto [name, strategy] : strategies) {
    benchmark::RegisterBenchmark((std::string("route/") + name).c_str(), route, strategy)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
