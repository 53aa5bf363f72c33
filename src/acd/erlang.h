#pragma once
// Queueing formulas for a single queue of identical agents, to size staffing and to
// check the router's simulator against theory. Times in any one unit (seconds, say);
// `load` is in Erlangs (arrival rate × handle time).
//
// Erlang C is M/M/n: Poisson arrivals, exponential handle times, callers never give
// up. Erlang A is M/M/n+M: callers also abandon after an exponential patience. ASA is
// the mean wait of the callers who are answered (0 for those answered at once).
namespace unicc::acd {

// Probability that a call is blocked with `agents` lines and no queue.
double erlang_b(int agents, double load);

// Probability that a call waits; 1 when load >= agents (the queue grows without end).
double erlang_c(int agents, double load);
double erlang_c_asa(int agents, double load, double handle_time);
// Probability that a call is answered within `threshold`.
double erlang_c_service_level(int agents, double load, double handle_time, double threshold);

struct ErlangA {
  double p_wait = 0;     // finds every agent busy
  double p_abandon = 0;  // hangs up before an answer
  double asa = 0;        // mean wait of answered calls
  // Of all offered calls, those answered after waiting at most `threshold`, and those
  // that hung up after waiting at most `threshold` (both 0..1; with threshold 0, the
  // calls answered at once and none).
  double answered_within = 0;
  double abandoned_within = 0;
};

// Exact for the birth-death chain (truncated where its tail is below 1e-16). `agents`
// is at least 1. The waits within `threshold` use the closed form for a caller who
// finds j callers ahead: their wait V until an agent takes them, were they to stay,
// is a sum of exponentials with rates n mu + i theta (i = j..0), so e^(-theta V) is
// Beta(n mu / theta, j + 1); weighting by the caller's own patience,
// P(answered within t) = E[e^(-theta V); V <= t] and P(still waiting at t) =
// e^(-theta t) P(V > t), both regularized incomplete beta functions.
ErlangA erlang_a(int agents, double arrival_rate, double handle_time, double patience, double threshold = 0);

}  // namespace unicc::acd
