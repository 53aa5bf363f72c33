// The Erlang formulas against values known in closed form.
#include "acd/erlang.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace unicc::acd {
namespace {

TEST(Erlang, BMatchesTheTable) {
  EXPECT_NEAR(erlang_b(10, 5.0), 0.018385, 1e-6);
  EXPECT_NEAR(erlang_b(1, 1.0), 0.5, 1e-12);
}

TEST(Erlang, CMatchesClosedForms) {
  // n = 2, A = 1: 1/3. n = 3, A = 2: 4/9.
  EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(erlang_c(3, 2.0), 4.0 / 9.0, 1e-12);
  EXPECT_EQ(erlang_c(3, 3.0), 1.0);
  // ASA = C * h / (n - A); service level = 1 - C exp(-(n - A) t / h).
  EXPECT_NEAR(erlang_c_asa(3, 2.0, 180.0), 4.0 / 9.0 * 180.0, 1e-9);
  EXPECT_NEAR(erlang_c_service_level(3, 2.0, 180.0, 20.0),
              1.0 - 4.0 / 9.0 * std::exp(-20.0 / 180.0), 1e-12);
}

TEST(Erlang, CStaysFiniteForLargeCenters) {
  const double c = erlang_c(2000, 1900.0);
  EXPECT_GT(c, 0.0);
  EXPECT_LT(c, 1.0);
}

// With patience equal to the handle time, every caller leaves at the same rate
// whether served or waiting, so the number in the system is Poisson(A) as in M/M/inf.
TEST(Erlang, AWithPatienceEqualToHandleTimeIsPoisson) {
  ErlangA a = erlang_a(3, 2.0, 1.0, 1.0);  // A = 2
  EXPECT_NEAR(a.p_wait, 1.0 - 5.0 * std::exp(-2.0), 1e-9);
  // P(abandon) = E[callers beyond 3] / A = (9 e^-2 - 1) / 2.
  EXPECT_NEAR(a.p_abandon, (9.0 * std::exp(-2.0) - 1.0) / 2.0, 1e-9);
}

TEST(Erlang, AWithEndlessPatienceIsErlangC) {
  ErlangA a = erlang_a(10, 8.5 / 180.0, 180.0, 1e9);
  EXPECT_NEAR(a.p_wait, erlang_c(10, 8.5), 1e-6);
  EXPECT_NEAR(a.asa, erlang_c_asa(10, 8.5, 180.0), 0.2);
  EXPECT_LT(a.p_abandon, 1e-5);
}

// Against the chain solved directly, with abandonment from Little's law on the queue
// (P(abandon) = patience rate * mean queue length / arrival rate) instead of the
// per-position formula erlang_a uses.
TEST(Erlang, AMatchesTheChainSolvedDirectly) {
  const int n = 5;
  const double mu = 1.0 / 180.0, theta = 1.0 / 60.0;
  for (double lambda : {3.0 / 180.0, 5.0 / 180.0, 10.0 / 180.0}) {
    std::vector<double> p{1.0};
    for (int k = 1; k < 400; ++k) {
      p.push_back(p.back() * lambda / (std::min(k, n) * mu + std::max(k - n, 0) * theta));
    }
    double total = 0, waiting = 0, queued = 0;
    for (int k = 0; k < 400; ++k) {
      total += p[k];
      if (k < n) continue;
      waiting += p[k];
      queued += (k - n) * p[k];
    }
    ErlangA a = erlang_a(n, lambda, 180.0, 60.0);
    EXPECT_NEAR(a.p_wait, waiting / total, 1e-9) << lambda;
    EXPECT_NEAR(a.p_abandon, theta * queued / total / lambda, 1e-9) << lambda;
  }
}

// The waits within a threshold against a second method: the caller's own chain (j
// callers ahead, moving up at n mu + j theta, hanging up at theta) stepped through
// time by uniformization from the queue's stationary distribution, instead of the
// incomplete-beta closed form erlang_a uses.
TEST(Erlang, AWaitsWithinAThresholdMatchTheCallersChain) {
  const int n = 5, deepest = 150;
  const double mu = 1.0 / 180.0, theta = 1.0 / 60.0, lambda = 6.0 / 180.0;
  std::vector<double> p{1.0};
  for (int k = 1; k <= n + deepest; ++k) {
    p.push_back(p.back() * lambda / (std::min(k, n) * mu + std::max(k - n, 0) * theta));
  }
  double total = 0;
  for (double w : p) total += w;
  for (double threshold : {0.0, 5.0, 20.0, 60.0}) {
    // state[j]: probability the tagged caller has j ahead and still waits.
    std::vector<double> state(deepest + 1, 0.0);
    double answered_at_once = 0;
    for (int k = 0; k <= n + deepest; ++k) {
      if (k < n) answered_at_once += p[k] / total;
      else if (k - n <= deepest) state[k - n] = p[k] / total;
    }
    const double fastest = n * mu + (deepest + 1) * theta;
    double answered = 0, abandoned = 0, poisson = std::exp(-fastest * threshold);
    double answered_within = 0, abandoned_within = 0, cumulative = 0;
    for (int step = 0; cumulative < 1.0 - 1e-13; ++step) {
      cumulative += poisson;
      answered_within += poisson * answered;
      abandoned_within += poisson * abandoned;
      std::vector<double> next(deepest + 1, 0.0);
      for (int j = 0; j <= deepest; ++j) {
        const double forward = (n * mu + j * theta) / fastest, leave = theta / fastest;
        if (j == 0) answered += state[j] * forward;
        else next[j - 1] += state[j] * forward;
        abandoned += state[j] * leave;
        next[j] += state[j] * (1.0 - forward - leave);
      }
      state = next;
      poisson *= fastest * threshold / (step + 1);
    }
    ErlangA a = erlang_a(n, lambda, 180.0, 60.0, threshold);
    EXPECT_NEAR(a.answered_within, answered_at_once + answered_within, 1e-9) << threshold;
    EXPECT_NEAR(a.abandoned_within, abandoned_within, 1e-9) << threshold;
  }
}

TEST(Erlang, AWaitsWithinAThresholdReachTheWholeAnswer) {
  ErlangA a = erlang_a(8, 9.0 / 200.0, 200.0, 90.0, 1e6);
  EXPECT_NEAR(a.answered_within, 1.0 - a.p_abandon, 1e-9);
  EXPECT_NEAR(a.abandoned_within, a.p_abandon, 1e-9);
  ErlangA at_once = erlang_a(8, 9.0 / 200.0, 200.0, 90.0, 0.0);
  EXPECT_NEAR(at_once.answered_within, 1.0 - at_once.p_wait, 1e-12);
  EXPECT_EQ(at_once.abandoned_within, 0.0);
}

TEST(Erlang, AWithEndlessPatienceHasErlangCsServiceLevel) {
  ErlangA a = erlang_a(14, 10.0 / 180.0, 180.0, 1e9, 20.0);
  EXPECT_NEAR(a.answered_within, erlang_c_service_level(14, 10.0, 180.0, 20.0), 1e-5);
}

}  // namespace
}  // namespace unicc::acd
