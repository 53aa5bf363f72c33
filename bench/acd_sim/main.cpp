// unicc_acd_sim: the real acd::Router in a simulated call center, next to Erlang C
// and Erlang A. See docs/performance.md ("ACD routing") and simulation.h.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "acd/erlang.h"
#include "simulation.h"

namespace {

using unicc::acd::sim::Estimate;

struct Options {
  std::vector<int> agents{10, 50, 200};
  std::vector<double> occupancy{0.85, 0.90, 0.95};
  double handle_time_s = 180;
  double patience_s = 300;
  double threshold_s = 20;
  std::uint64_t calls = 200'000;
  std::uint64_t warmup = 10'000;
  std::uint64_t seed = 1;
  bool check = false;
  bool check_interval = false;
  double tolerance_c = 2.0;
  double tolerance_a = 5.0;
};

// Prints one row; returns whether it passes: within `tolerance` percent of theory, or
// with `interval`, theory within three half-widths of the simulated value (what a
// short run can show).
bool row(int agents, double load, const char* model, const char* figure, const Estimate& sim,
         double theory, double tolerance, bool interval) {
  const double diff = 100.0 * (sim.value - theory) / theory;
  const bool ok =
      interval ? std::abs(sim.value - theory) <= 3 * sim.half_width : std::abs(diff) <= tolerance;
  fmt::print("| {} | {:.1f} | {} | {} | {:.4g} ± {:.2g} | {:.4g} | {:+.2f} %{} |\n", agents, load,
             model, figure, sim.value, sim.half_width, theory, diff, ok ? "" : " **out**");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"Simulates one queue through the real acd::Router and compares with Erlang C/A"};
  cli.add_option("--agents", o.agents, "load points: agents (several allowed)");
  cli.add_option("--occupancy", o.occupancy,
                 "offered load per agent, one per load point (or one for all)");
  cli.add_option("--handle-time", o.handle_time_s, "mean handle time, seconds");
  cli.add_option("--patience", o.patience_s,
                 "mean patience for the Erlang A runs, seconds; 0: none");
  cli.add_option("--threshold", o.threshold_s, "service-level threshold, seconds");
  cli.add_option("--calls", o.calls, "counted calls per run");
  cli.add_option("--warmup", o.warmup, "calls before counting starts");
  cli.add_option("--seed", o.seed, "random seed");
  cli.add_flag("--check", o.check, "exit 1 if a figure is outside its tolerance");
  cli.add_flag("--check-interval", o.check_interval,
               "exit 1 if theory is outside three half-widths of a simulated figure");
  cli.add_option("--tolerance-c", o.tolerance_c, "percent, against Erlang C");
  cli.add_option("--tolerance-a", o.tolerance_a, "percent, against Erlang A");
  CLI11_PARSE(cli, argc, argv);
  if (o.occupancy.size() == 1) o.occupancy.resize(o.agents.size(), o.occupancy.front());
  if (o.occupancy.size() != o.agents.size()) {
    fmt::print(stderr, "give one --occupancy, or one per --agents\n");
    return 2;
  }

  fmt::print(
      "Handle time {} s, patience {} s (Erlang A), {} counted calls per run after {} "
      "(seed {}); service level = answered within {} s; ± is a 95 % interval.\n\n",
      o.handle_time_s, o.patience_s, o.calls, o.warmup, o.seed, o.threshold_s);
  fmt::print("| agents | Erlangs | model | figure | simulated | theory | difference |\n");
  fmt::print("| --- | --- | --- | --- | --- | --- | --- |\n");
  bool all_ok = true;
  std::vector<double> ns_per_call;
  const bool interval = o.check_interval;
  for (std::size_t i = 0; i < o.agents.size(); ++i) {
    const int n = o.agents[i];
    const double load = o.occupancy[i] * n;
    unicc::acd::sim::Scenario s{n,       load,     o.handle_time_s, 0, o.threshold_s,
                                o.calls, o.warmup, o.seed};
    auto c = unicc::acd::sim::simulate(s);
    ns_per_call.push_back(c.routing_ns_per_call);
    all_ok &= row(n, load, "Erlang C", "P(wait)", c.p_wait, unicc::acd::erlang_c(n, load),
                  o.tolerance_c, interval);
    all_ok &= row(n, load, "Erlang C", "ASA (s)", c.asa_s,
                  unicc::acd::erlang_c_asa(n, load, o.handle_time_s), o.tolerance_c, interval);
    all_ok &= row(n, load, "Erlang C", "service level", c.service_level,
                  unicc::acd::erlang_c_service_level(n, load, o.handle_time_s, o.threshold_s),
                  o.tolerance_c, interval);
    if (o.patience_s <= 0) continue;
    s.patience_s = o.patience_s;
    auto a = unicc::acd::sim::simulate(s);
    ns_per_call.push_back(a.routing_ns_per_call);
    auto theory = unicc::acd::erlang_a(n, load / o.handle_time_s, o.handle_time_s, o.patience_s);
    all_ok &= row(n, load, "Erlang A", "P(wait)", a.p_wait, theory.p_wait, o.tolerance_a, interval);
    all_ok &= row(n, load, "Erlang A", "P(abandon)", a.p_abandon, theory.p_abandon, o.tolerance_a,
                  interval);
    all_ok &= row(n, load, "Erlang A", "ASA (s)", a.asa_s, theory.asa, o.tolerance_a, interval);
  }
  double mean_ns = 0;
  for (double ns : ns_per_call) mean_ns += ns / static_cast<double>(ns_per_call.size());
  fmt::print("\nRouter time per call (enqueue + answered + end_call): {:.0f} ns\n", mean_ns);
  if ((o.check || o.check_interval) && !all_ok) {
    fmt::print("Some figures are out.\n");
    return 1;
  }
  return 0;
}
