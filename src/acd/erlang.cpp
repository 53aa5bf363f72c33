#include "acd/erlang.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/math/special_functions/beta.hpp>

namespace unicc::acd {

double erlang_b(int agents, double load) {
  double b = 1.0;
  for (int k = 1; k <= agents; ++k) b = load * b / (k + load * b);
  return b;
}

double erlang_c(int agents, double load) {
  if (load >= agents) return 1.0;
  const double b = erlang_b(agents, load);
  return agents * b / (agents - load * (1.0 - b));
}

double erlang_c_asa(int agents, double load, double handle_time) {
  return erlang_c(agents, load) * handle_time / (agents - load);
}

double erlang_c_service_level(int agents, double load, double handle_time, double threshold) {
  return 1.0 - erlang_c(agents, load) * std::exp(-(agents - load) * threshold / handle_time);
}

// States k = 0, 1, ... callers in the system; weights in logs because for many
// agents the unnormalised probabilities leave the range of a double.
ErlangA erlang_a(int agents, double arrival_rate, double handle_time, double patience, double threshold) {
  const double mu = 1.0 / handle_time, theta = 1.0 / patience, n = agents;
  // Below n: log w_k relative to w_n = 1, from w_k = w_{k+1} (k+1) mu / lambda.
  std::vector<double> log_w(agents + 1, 0.0);
  for (int k = agents - 1; k >= 0; --k)
    log_w[k] = log_w[k + 1] + std::log((k + 1) * mu / arrival_rate);
  // From n on, a caller who finds j callers ahead of them in the queue: the queue ahead
  // shrinks at n mu + i theta while i are ahead, and they give up at theta meanwhile.
  std::vector<double> log_queue;  // log w_{n+j}
  std::vector<double> answered;   // P(answered | j ahead)
  std::vector<double> wait;       // E[wait | j ahead, answered]
  double log_wj = 0, p_answer = 1, mean = 0;
  for (int j = 0;; ++j) {
    if (j > 0) log_wj += std::log(arrival_rate / (n * mu + j * theta));
    const double rate_ahead = n * mu + j * theta;
    p_answer *= rate_ahead / (rate_ahead + theta);
    mean += 1.0 / (rate_ahead + theta);
    log_queue.push_back(log_wj);
    answered.push_back(p_answer);
    wait.push_back(mean);
    // Past the peak the weights only fall; stop once they cannot matter.
    if (n * mu + j * theta > arrival_rate &&
        log_wj < std::log(1e-16) + *std::max_element(log_w.begin(), log_w.end()))
      break;
  }
  const double top = std::max(*std::max_element(log_w.begin(), log_w.end()),
                              *std::max_element(log_queue.begin(), log_queue.end()));
  double total = 0;
  for (int k = 0; k < agents; ++k) total += std::exp(log_w[k] - top);
  const double answered_at_once = total;
  // e^(-theta V) ~ Beta(alpha, j + 1); the tilted variable is Beta(alpha + 1, j + 1).
  const double alpha = n * mu / theta, at_threshold = std::exp(-theta * threshold);
  double waiting = 0, abandoning = 0, waited_answered = 0, answered_within = 0, abandoned_within = 0;
  for (std::size_t j = 0; j < log_queue.size(); ++j) {
    const double w = std::exp(log_queue[j] - top);
    waiting += w;
    abandoning += w * (1.0 - answered[j]);
    waited_answered += w * answered[j] * wait[j];
    // The incomplete beta costs; positions this unlikely cannot move the answer.
    if (threshold <= 0 || w < 1e-18) continue;
    const double positions = static_cast<double>(j + 1);
    const double answered_in_time =
        answered[j] * (1.0 - boost::math::ibeta(alpha + 1.0, positions, at_threshold));
    const double still_waiting = at_threshold * boost::math::ibeta(alpha, positions, at_threshold);
    answered_within += w * answered_in_time;
    abandoned_within += w * std::max(0.0, 1.0 - answered_in_time - still_waiting);
  }
  total += waiting;
  ErlangA result;
  result.p_wait = waiting / total;
  result.p_abandon = abandoning / total;
  result.asa = waited_answered / total / (1.0 - result.p_abandon);
  result.answered_within = (answered_at_once + answered_within) / total;
  result.abandoned_within = abandoned_within / total;
  return result;
}

}  // namespace unicc::acd
