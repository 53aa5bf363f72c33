#include "wfm/staffing.h"

#include <algorithm>
#include <cmath>

#include "acd/erlang.h"

namespace unicc::wfm {

namespace {

Figures erlang_c_figures(const Workload& work, const Targets& targets, int agents) {
  const double load = work.load();
  Figures out;
  out.agents = agents;
  if (load >= agents) {
    out.stable = false;
    out.occupancy = 1;
    return out;
  }
  out.service_level = acd::erlang_c_service_level(agents, load, work.aht_s, targets.threshold_s);
  out.asa_s = acd::erlang_c_asa(agents, load, work.aht_s);
  out.occupancy = load / agents;
  return out;
}

Figures erlang_a_figures(const Workload& work, const Targets& targets, int agents) {
  const acd::ErlangA a =
      acd::erlang_a(agents, work.calls / work.interval_s, work.aht_s, *work.patience_s, targets.threshold_s);
  Figures out;
  out.agents = agents;
  out.abandonment = a.p_abandon;
  out.asa_s = a.asa;
  // Agents are busy only with the calls that stay to be answered.
  out.occupancy = std::min(1.0, work.load() * (1.0 - a.p_abandon) / agents);
  switch (targets.basis) {
    case ServiceLevelBasis::offered:
      out.service_level = a.answered_within;
      break;
    case ServiceLevelBasis::answered:
      out.service_level = a.p_abandon < 1.0 ? a.answered_within / (1.0 - a.p_abandon) : 0.0;
      break;
    case ServiceLevelBasis::not_abandoned_early:
      out.service_level = a.abandoned_within < 1.0 ? a.answered_within / (1.0 - a.abandoned_within) : 0.0;
      break;
  }
  out.service_level = std::clamp(out.service_level, 0.0, 1.0);
  return out;
}

}  // namespace

Figures figures_at(const Workload& work, const Targets& targets, int agents) {
  return work.patience_s ? erlang_a_figures(work, targets, agents) : erlang_c_figures(work, targets, agents);
}

bool meets(const Figures& figures, const Targets& targets) {
  if (!figures.stable) return false;
  if (targets.service_level && figures.service_level < *targets.service_level) return false;
  if (targets.asa_s && (!figures.asa_s || *figures.asa_s > *targets.asa_s)) return false;
  if (targets.max_occupancy && figures.occupancy > *targets.max_occupancy) return false;
  return true;
}

std::optional<int> agents_needed(const Workload& work, const Targets& targets) {
  if (work.calls <= 0) return 0;
  // Erlang C needs more agents than the load to be stable at all.
  int low = work.patience_s ? 1 : static_cast<int>(std::floor(work.load())) + 1;
  int high = kMaxAgents;
  if (low > high || !meets(figures_at(work, targets, high), targets)) return std::nullopt;
  while (low < high) {  // invariant: `high` meets the targets
    const int middle = low + (high - low) / 2;
    if (meets(figures_at(work, targets, middle), targets)) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return high;
}

int scheduled_agents(int on_phones, double shrinkage) {
  // The small tolerance keeps 14 / 0.7 at 20 rather than 21 from rounding.
  return static_cast<int>(std::ceil(on_phones / (1.0 - shrinkage) - 1e-9));
}

std::vector<Figures> figures_around(const Workload& work, const Targets& targets, int answer, int below, int above) {
  std::vector<Figures> out;
  for (int agents = std::max(1, answer - below); agents <= std::min(kMaxAgents, answer + above); ++agents) {
    out.push_back(figures_at(work, targets, agents));
  }
  return out;
}

}  // namespace unicc::wfm
