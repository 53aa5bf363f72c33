#pragma once
// wfm::Staffing — how many agents an interval needs: the smallest number that meets
// every target (service level, ASA, occupancy cap) in Erlang C, or in Erlang A when
// callers' patience is given, over acd's formulas (acd/erlang.h), and how many to
// schedule once shrinkage (breaks, training, absence) takes its share.
//
// Contract:
// - figures_at() gives the figures of one staffing level: service level on the
//   chosen basis, ASA (mean wait of answered calls), occupancy (carried load per
//   agent) and, in Erlang A, the share of calls abandoned. With Erlang C and no more
//   agents than the load the queue grows without end: `stable` is false, the service
//   level 0, occupancy 1, and there is no ASA.
// - agents_needed() searches 1..kMaxAgents by bisection, which is exact because each
//   figure moves one way as agents are added; no answer (nullopt) when even
//   kMaxAgents miss a target. With no calls the answer is 0 agents.
// - The caller validates inputs (positive times, targets in range, a load and a
//   patience bounded as the API bounds them); this module trusts them.
#include <optional>
#include <vector>

namespace unicc::wfm {

inline constexpr int kMaxAgents = 10000;

// Which calls a service level counts once callers may hang up (Erlang A). In Erlang C
// nobody hangs up and the three agree.
enum class ServiceLevelBasis {
  offered,          // answered within the threshold / offered: an abandon counts against
  answered,         // answered within the threshold / answered: abandons are left out
  not_abandoned_early,  // answered within / (offered - abandoned within the threshold)
};

// The calls of one interval.
struct Workload {
  double calls = 0;                  // offered in the interval
  double interval_s = 1800;
  double aht_s = 0;                  // average handle time: talk + hold + after-call work
  std::optional<double> patience_s;  // callers' mean patience; set → Erlang A

  double load() const { return calls * aht_s / interval_s; }  // Erlangs
};

struct Targets {
  std::optional<double> service_level;  // 0..1 answered within threshold_s
  double threshold_s = 20;
  std::optional<double> asa_s;
  std::optional<double> max_occupancy;  // 0..1
  ServiceLevelBasis basis = ServiceLevelBasis::offered;
};

struct Figures {
  int agents = 0;
  bool stable = true;
  double service_level = 0;
  std::optional<double> asa_s;
  double occupancy = 0;
  std::optional<double> abandonment;  // Erlang A only
};

// The figures with `agents` (at least 1) on the phones.
Figures figures_at(const Workload& work, const Targets& targets, int agents);
bool meets(const Figures& figures, const Targets& targets);

// The smallest number of agents on the phones meeting every target.
std::optional<int> agents_needed(const Workload& work, const Targets& targets);

// Agents to schedule so that `on_phones` remain after `shrinkage` (0..1) of their
// time goes elsewhere: ceil(on_phones / (1 - shrinkage)).
int scheduled_agents(int on_phones, double shrinkage);

// The figures for `below` agents under `answer` up to `above` over it (at least 1
// agent, at most kMaxAgents): the trade-off a manager weighs.
std::vector<Figures> figures_around(const Workload& work, const Targets& targets, int answer, int below, int above);

}  // namespace unicc::wfm
