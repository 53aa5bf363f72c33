#pragma once
// A discrete-event simulation of one queue driven through the real acd::Router:
// Poisson arrivals, exponential handle times, optionally exponential patience. Time is
// a FakeClock moved from event to event; agents answer offers at once and have no
// wrap-up, so the model is exactly Erlang C (or Erlang A with patience).
//
// The first `warmup` calls are not counted. Each figure comes with the half-width of
// its 95 % confidence interval from batch means (20 batches in arrival order).
#include <cstdint>

namespace unicc::acd::sim {

struct Scenario {
  int agents = 10;
  double load = 8.5;              // offered Erlangs
  double handle_time_s = 180;     // mean
  double patience_s = 0;          // mean; 0: callers never abandon
  double threshold_s = 20;        // service level: answered within this
  std::uint64_t calls = 200'000;  // counted calls
  std::uint64_t warmup = 10'000;
  std::uint64_t seed = 1;
};

struct Estimate {
  double value = 0;
  double half_width = 0;  // 95 % confidence
};

struct Outcome {
  Estimate p_wait;         // found no ready agent
  Estimate asa_s;          // mean wait of answered calls
  Estimate service_level;  // answered within the threshold, of all calls
  Estimate p_abandon;
  double routing_ns_per_call = 0;  // router time (enqueue, answered, end_call) per call
};

Outcome simulate(const Scenario& scenario);

}  // namespace unicc::acd::sim
