#include "simulation.h"

#include <chrono>
#include <cmath>
#include <queue>
#include <random>
#include <stdexcept>
#include <variant>
#include <vector>

#include "acd/router.h"
#include "core/clock.h"

namespace unicc::acd::sim {
namespace {

constexpr QueueId kQueue = 1;
constexpr int kBatches = 20;

enum class EventKind : std::uint8_t { kArrival, kHangUp, kGiveUp, kRouterDeadline };

struct Event {
  std::int64_t at_ms;
  EventKind kind;
  CallId call;
  bool operator>(const Event& other) const { return at_ms > other.at_ms; }
};

// Calls in flight, by id modulo the size: calls settle roughly in arrival order, so
// far fewer than kInFlight are ever unsettled at once (checked).
constexpr std::size_t kInFlight = 1 << 20;

struct CallRecord {
  CallId call = 0;
  std::int64_t arrived_ms = 0;
  bool settled = true;  // answered or given up
};

// Sums per batch of counted calls, for the batch-means confidence intervals.
struct Batch {
  double calls = 0, waited = 0, answered = 0, wait_sum_answered = 0, in_service_level = 0,
         abandoned = 0;
};

Estimate batch_estimate(const std::vector<Batch>& batches, double (*figure)(const Batch&)) {
  double sum = 0, sum_sq = 0;
  for (const Batch& b : batches) {
    const double x = figure(b);
    sum += x;
    sum_sq += x * x;
  }
  const double n = static_cast<double>(batches.size());
  const double mean = sum / n;
  const double variance = std::max(0.0, (sum_sq - n * mean * mean) / (n - 1));
  return Estimate{mean, 2.093 * std::sqrt(variance / n)};  // Student t, 19 degrees of freedom
}

class Simulation {
 public:
  explicit Simulation(const Scenario& s)
      : s_(s),
        clock_(0),
        router_(clock_),
        random_(s.seed),
        inter_arrival_ms_(s.load / (s.handle_time_s * 1000.0)),
        handle_ms_(1.0 / (s.handle_time_s * 1000.0)),
        patience_ms_(s.patience_s > 0 ? 1.0 / (s.patience_s * 1000.0) : 1.0) {
    QueueConfig queue;
    queue.id = kQueue;
    queue.name = "simulated";
    queue.ring_timeout = std::chrono::hours(24);  // agents answer at once
    check(router_.add_queue(queue));
    for (int i = 1; i <= s.agents; ++i) {
      AgentConfig agent;
      agent.id = static_cast<AgentId>(i);
      agent.name = "agent";
      agent.extension = std::to_string(i);
      check(router_.add_agent(agent));
      router_.log_in(agent.id);
      router_.set_ready(agent.id);
    }
  }

  Outcome run() {
    const std::uint64_t total = s_.warmup + s_.calls;
    records_.resize(kInFlight);
    batches_.resize(kBatches);
    events_.push(Event{0, EventKind::kArrival, 0});
    while (settled_ < s_.calls) {
      const Event e = next_event();
      clock_.set_ms(e.at_ms);
      switch (e.kind) {
        case EventKind::kArrival: arrive(e.call, total); break;
        case EventKind::kHangUp: timed([&] { router_.end_call(e.call); }); break;
        case EventKind::kGiveUp: give_up(e.call); break;
        case EventKind::kRouterDeadline: timed([&] { router_.on_timer(); }); break;
      }
      answer_offers();
    }
    return outcome();
  }

 private:
  static void check(const std::vector<std::string>& errors) {
    if (!errors.empty()) throw std::runtime_error(errors.front());
  }

  template <typename F>
  void timed(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    routing_ns_ +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  }

  std::int64_t draw_ms(std::exponential_distribution<double>& d) {
    return static_cast<std::int64_t>(std::llround(d(random_)));
  }

  Event next_event() {
    if (auto deadline = router_.next_deadline()) {
      const std::int64_t at =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline->time_since_epoch())
              .count();
      if (at < events_.top().at_ms) return Event{at, EventKind::kRouterDeadline, 0};
    }
    Event e = events_.top();
    events_.pop();
    return e;
  }

  void arrive(CallId call, std::uint64_t total) {
    const std::int64_t now = clock_.now_ms();
    CallRecord& r = records_[call % kInFlight];
    if (!r.settled) throw std::runtime_error("too many calls in flight for the simulator");
    r = CallRecord{call, now, false};
    timed([&] { router_.enqueue(CallRequest{call, kQueue, 0, std::nullopt}); });
    if (call + 1 < total)
      events_.push(Event{now + draw_ms(inter_arrival_ms_), EventKind::kArrival, call + 1});
    if (s_.patience_s > 0)
      events_.push(Event{now + draw_ms(patience_ms_), EventKind::kGiveUp, call});
  }

  void give_up(CallId call) {
    CallRecord& r = records_[call % kInFlight];
    if (r.call != call || r.settled) return;  // answered already
    settle(r, false);
    timed([&] { router_.end_call(call); });
  }

  void answer_offers() {
    router_.take_decisions(decisions_);
    for (const Decision& d : decisions_) {
      const OfferCall* offer = std::get_if<OfferCall>(&d);
      if (!offer) continue;
      settle(records_[offer->call % kInFlight], true);
      timed([&] { router_.answered(offer->call, offer->agent); });
      events_.push(Event{clock_.now_ms() + draw_ms(handle_ms_), EventKind::kHangUp, offer->call});
    }
  }

  void settle(CallRecord& r, bool answered) {
    r.settled = true;
    if (r.call < s_.warmup) return;
    const std::int64_t waited_ms = clock_.now_ms() - r.arrived_ms;
    Batch& b = batches_[(r.call - s_.warmup) * kBatches / s_.calls];
    b.calls += 1;
    b.waited += waited_ms > 0;
    if (answered) {
      b.answered += 1;
      b.wait_sum_answered += waited_ms / 1000.0;
      b.in_service_level += waited_ms <= std::llround(s_.threshold_s * 1000.0);
    } else {
      b.abandoned += 1;
    }
    ++settled_;
  }

  Outcome outcome() const {
    const std::vector<Batch>& batches = batches_;
    Outcome o;
    o.p_wait = batch_estimate(batches, [](const Batch& b) { return b.waited / b.calls; });
    o.asa_s =
        batch_estimate(batches, [](const Batch& b) { return b.wait_sum_answered / b.answered; });
    o.service_level =
        batch_estimate(batches, [](const Batch& b) { return b.in_service_level / b.calls; });
    o.p_abandon = batch_estimate(batches, [](const Batch& b) { return b.abandoned / b.calls; });
    o.routing_ns_per_call = routing_ns_ / static_cast<double>(s_.warmup + s_.calls);
    return o;
  }

  const Scenario s_;
  core::FakeClock clock_;
  Router router_;
  std::mt19937_64 random_;
  std::exponential_distribution<double> inter_arrival_ms_, handle_ms_, patience_ms_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::vector<CallRecord> records_;
  std::vector<Batch> batches_;
  std::vector<Decision> decisions_;
  std::uint64_t settled_ = 0;  // counted calls answered or given up
  double routing_ns_ = 0;
};

}  // namespace

Outcome simulate(const Scenario& scenario) { return Simulation(scenario).run(); }

}  // namespace unicc::acd::sim
