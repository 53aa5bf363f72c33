// unicc_acd_route: the latency of one routing decision in a large center — 10,000
// agents with 8 of 200 skills each, 500 queues needing one skill (a fifth of them a
// second one too), and about 1,000 calls waiting — for each strategy.
//
// The center is held in a steady state: 10,000 calls are always in it (connected or
// waiting). One iteration is a call ending (its agent takes the best waiting call it
// serves, or becomes ready) and new calls arriving in random queues to replace it
// (each offered to a ready agent by the strategy, or left waiting). Arrivals are
// uniform over queues while staffing is not, so some queues can never keep up; their
// callers give up: whenever more than 1,000 wait, the one waiting longest hangs up,
// and a new call replaces them too. Each of these commands is one decision, timed on
// its own for p50/p99. Offers are answered at once, outside the timings but inside
// decisions/s. The center is warmed up before timing and kept across Google
// Benchmark's runs of one strategy, so every run sees the same mix of decisions. See
// docs/performance.md ("ACD routing").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "acd/router.h"
#include "core/clock.h"

namespace {

using namespace unicc::acd;

constexpr int kAgents = 10'000;
constexpr int kSkills = 200;
constexpr int kSkillsPerAgent = 8;
constexpr int kQueues = 500;
constexpr std::size_t kCallsInCenter = kAgents;
constexpr std::size_t kWaiting = 1'000;
// The mix of decisions is steady from the start, since the center is filled by the
// same rules; the warm-up gives the ready sets their usual share of stale entries.
constexpr int kWarmUpCycles = 20'000;

// How the decisions split, to show that the center is in a steady state.
struct Mix {
  double ends = 0;
  double ends_taking_a_call = 0;
  double arrivals = 0;
  double arrivals_offered = 0;
  double abandons = 0;
};

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
    std::vector<double> untimed;
    refill(untimed);
    for (int i = 0; i < kWarmUpCycles; ++i) {
      cycle(untimed);
      untimed.clear();
    }
    mix_ = Mix{};
  }

  // One call ends and new ones replace it; appends each decision's latency in ns.
  void cycle(std::vector<double>& latencies) {
    clock_.advance(std::chrono::milliseconds(1));
    std::uniform_int_distribution<std::size_t> pick(0, connected_.size() - 1);
    const std::size_t i = pick(random_);
    const CallId ending = connected_[i];
    connected_[i] = connected_.back();
    connected_.pop_back();
    latencies.push_back(timed([&] { router_.end_call(ending); }));
    ++mix_.ends;
    mix_.ends_taking_a_call += static_cast<double>(answer());
    refill(latencies);
    router_.on_timer();
  }

  std::size_t connected() const { return connected_.size(); }
  std::size_t waiting() const { return waiting_.size(); }
  const Mix& mix() const { return mix_; }

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

  // New calls until kCallsInCenter are in the center, the longest waiting caller
  // hanging up whenever more than kWaiting wait.
  void refill(std::vector<double>& latencies) {
    while (connected_.size() + waiting_.size() < kCallsInCenter) {
      std::uniform_int_distribution<QueueId> queue(1, kQueues);
      const CallRequest call{++calls_, queue(random_), calls_ % 10 == 0 ? 1 : 0, std::nullopt};
      waiting_.insert(call.call);
      arrival_order_.push_back(call.call);
      latencies.push_back(timed([&] { router_.enqueue(call); }));
      ++mix_.arrivals;
      mix_.arrivals_offered += static_cast<double>(answer());
      if (waiting_.size() > kWaiting) abandon(latencies);
    }
  }

  void abandon(std::vector<double>& latencies) {
    while (!waiting_.contains(arrival_order_.front())) arrival_order_.pop_front();
    const CallId leaving = arrival_order_.front();
    arrival_order_.pop_front();
    waiting_.erase(leaving);
    latencies.push_back(timed([&] { router_.end_call(leaving); }));
    ++mix_.abandons;
  }

  // Answers each call with the first agent offered it (ring-all offers several), and
  // returns how many calls were answered. Answering may free ring-all agents who take
  // further calls: loop until quiet.
  std::size_t answer() {
    std::size_t answered = 0;
    for (router_.take_decisions(decisions_); !decisions_.empty();
         router_.take_decisions(decisions_)) {
      for (const Decision& d : decisions_) {
        const OfferCall* offer = std::get_if<OfferCall>(&d);
        if (!offer || router_.answered(offer->call, offer->agent) != Status::kOk) continue;
        connected_.push_back(offer->call);
        waiting_.erase(offer->call);
        ++answered;
      }
    }
    return answered;
  }

  unicc::core::FakeClock clock_;
  Router router_;
  std::mt19937_64 random_{2024};
  std::vector<Decision> decisions_;
  std::vector<CallId> connected_;
  std::unordered_set<CallId> waiting_;  // not yet answered
  std::deque<CallId> arrival_order_;    // may still hold answered calls, skipped when met
  CallId calls_ = 0;
  Mix mix_;
};

double percentile(std::vector<double>& values, double p) {
  auto at =
      values.begin() + static_cast<std::ptrdiff_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

void route(benchmark::State& state, Strategy strategy) {
  // Built and warmed up once per strategy, then carried from run to run.
  static std::unique_ptr<Center> center;
  static Strategy built_for;
  if (!center || built_for != strategy) {
    center.reset();
    center = std::make_unique<Center>(strategy);
    built_for = strategy;
  }
  const Mix before = center->mix();
  std::vector<double> latencies;
  double connected = 0;
  double waiting = 0;
  for (auto _ : state) {
    center->cycle(latencies);
    connected += static_cast<double>(center->connected());
    waiting += static_cast<double>(center->waiting());
  }
  const Mix& after = center->mix();
  const double iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(latencies.size()));
  state.counters["p50_ns"] = percentile(latencies, 0.50);
  state.counters["p99_ns"] = percentile(latencies, 0.99);
  state.counters["connected"] = connected / iterations;
  state.counters["waiting"] = waiting / iterations;
  state.counters["end_takes_call"] =
      (after.ends_taking_a_call - before.ends_taking_a_call) / (after.ends - before.ends);
  state.counters["arrival_offered"] =
      (after.arrivals_offered - before.arrivals_offered) / (after.arrivals - before.arrivals);
  state.counters["abandons"] = (after.abandons - before.abandons) / iterations;
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& [name, strategy] : kStrategyNames) {
    std::string label(name);
    std::replace(label.begin(), label.end(), '_', '-');  // the benchmark names docs/performance.md quotes
    benchmark::RegisterBenchmark(("route/" + label).c_str(), route, strategy)->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
