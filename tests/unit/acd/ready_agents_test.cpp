// ReadyAgents against a plain ordered set, under seeded random sequences of agents
// becoming ready, being taken and leaving, with keys shaped like each strategy's.
#include "acd/ready_agents.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <vector>

namespace unicc::acd {
namespace {

constexpr std::uint32_t kAgents = 60;

// What the router keeps around a queue's ReadyAgents: the agents' ready epochs (0:
// not ready), and here also the live keys, which the ready set must agree with.
class Model {
 public:
  explicit Model(bool random) : ready(&epochs, random) {}

  void make_ready(std::uint32_t agent, ReadyKey key) {
    key.agent = agent;
    epochs[agent] = ++last_epoch;
    ready.add(key, epochs[agent]);
    live.emplace(key, agent);
    keys[agent] = key;
  }
  void leave(std::uint32_t agent) {
    epochs[agent] = 0;
    ready.left();
    live.erase({keys[agent], agent});
  }
  bool is_ready(std::uint32_t agent) const { return epochs[agent] != 0; }

  struct ByKey {
    bool operator()(const std::pair<ReadyKey, std::uint32_t>& a,
                    const std::pair<ReadyKey, std::uint32_t>& b) const {
      return a.first < b.first;
    }
  };
  std::vector<std::uint64_t> epochs = std::vector<std::uint64_t>(kAgents, 0);
  std::uint64_t last_epoch = 0;
  ReadyAgents ready;
  std::set<std::pair<ReadyKey, std::uint32_t>, ByKey> live;
  std::map<std::uint32_t, ReadyKey> keys;
};

// A key for an agent becoming ready at `now`, shaped like one strategy's.
using KeyMaker = std::function<ReadyKey(std::mt19937_64&, std::int64_t now)>;

std::uint8_t tier(std::mt19937_64& random) {
  return std::uniform_int_distribution<int>(0, 9)(random) == 0 ? 0 : 1;
}

// Mostly in order: now; sometimes an older time, like an agent released from ringing.
std::int64_t idle_since(std::mt19937_64& random, std::int64_t now) {
  const bool released = std::uniform_int_distribution<int>(0, 19)(random) == 0;
  return released ? now - std::uniform_int_distribution<std::int64_t>(1, 500)(random) : now;
}

const std::map<const char*, KeyMaker> kShapes = {
    {"longest-idle",
     [](std::mt19937_64& r, std::int64_t now) {
       ReadyKey k;
       k.tier = tier(r);
       k.secondary = idle_since(r, now);
       k.arrives_in_order = true;
       return k;
     }},
    {"fewest-calls (counts that grow, some far apart)",
     [](std::mt19937_64& r, std::int64_t now) {
       ReadyKey k;
       k.tier = tier(r);
       const bool stray = std::uniform_int_distribution<int>(0, 49)(r) == 0;
       k.primary = now / 40 + std::uniform_int_distribution<std::int64_t>(0, 8)(r) +
                   (stray ? 1000 : 0);
       k.secondary = idle_since(r, now);
       k.arrives_in_order = true;
       return k;
     }},
    {"runs of negative primaries",
     [](std::mt19937_64& r, std::int64_t now) {
       ReadyKey k;
       k.tier = tier(r);
       k.primary = -std::uniform_int_distribution<std::int64_t>(1, 20)(r);
       k.secondary = idle_since(r, now);
       k.arrives_in_order = true;
       return k;
     }},
    {"heap only (round-robin, least-talk-time, linear, best-skill)",
     [](std::mt19937_64& r, std::int64_t) {
       ReadyKey k;
       k.tier = tier(r);
       k.primary = std::uniform_int_distribution<std::int64_t>(0, 50)(r);
       k.secondary = std::uniform_int_distribution<std::int64_t>(0, 1000)(r);
       return k;
     }},
};

// Agents become ready, the best is taken (as the router does: it is reserved and
// leaves), and others leave on their own, in proportions that let the set grow to
// most agents and shrink to none again.
TEST(ReadyAgentsTest, BestIsAlwaysTheSmallestLiveKey) {
  for (const auto& [shape, make_key] : kShapes) {
    SCOPED_TRACE(shape);
    std::mt19937_64 random(11);
    Model model(false);
    for (std::int64_t now = 1; now <= 20'000; ++now) {
      const auto agent = std::uniform_int_distribution<std::uint32_t>(0, kAgents - 1)(random);
      const int action = std::uniform_int_distribution<int>(0, 9)(random);
      // The share of arrivals swings over time, so the set fills and drains.
      const int arrivals = (now / 2'000) % 2 == 0 ? 6 : 3;
      if (action < arrivals) {
        if (!model.is_ready(agent)) model.make_ready(agent, make_key(random, now));
      } else if (action < 8) {
        if (model.ready.size() > 0) {
          const std::uint32_t best = model.ready.best();
          ASSERT_EQ(best, model.live.begin()->second) << "at step " << now;
          model.leave(best);
        }
      } else if (model.is_ready(agent)) {
        model.leave(agent);
      }
      ASSERT_EQ(model.ready.size(), model.live.size());
    }
  }
}

TEST(ReadyAgentsTest, AllIsEveryLiveAgent) {
  std::mt19937_64 random(5);
  Model model(false);
  const KeyMaker& make_key = kShapes.begin()->second;
  for (std::int64_t now = 1; now <= 5'000; ++now) {
    const auto agent = std::uniform_int_distribution<std::uint32_t>(0, kAgents - 1)(random);
    if (model.is_ready(agent)) {
      model.leave(agent);
    } else {
      model.make_ready(agent, make_key(random, now));
    }
    if (now % 50 == 0) {
      std::vector<std::uint32_t> all = model.ready.all();
      std::vector<std::uint32_t> expected;
      for (const auto& entry : model.live) expected.push_back(entry.second);
      std::sort(all.begin(), all.end());
      std::sort(expected.begin(), expected.end());
      ASSERT_EQ(all, expected) << "at step " << now;
    }
  }
}

TEST(ReadyAgentsTest, DrawIsALiveAgentOfTheLowestTierAndReachesThemAll) {
  std::mt19937_64 random(3);
  std::mt19937_64 draws(4);
  Model model(true);
  std::set<std::uint32_t> drawn;
  for (std::int64_t now = 1; now <= 20'000; ++now) {
    const auto agent = std::uniform_int_distribution<std::uint32_t>(0, kAgents - 1)(random);
    if (model.is_ready(agent)) {
      model.leave(agent);
    } else {
      ReadyKey key;
      key.tier = tier(random);
      model.make_ready(agent, key);
    }
    if (model.ready.size() == 0) continue;
    const std::uint32_t got = model.ready.draw(draws);
    ASSERT_TRUE(model.is_ready(got)) << "at step " << now;
    ASSERT_EQ(model.keys[got].tier, model.live.begin()->first.tier) << "at step " << now;
    drawn.insert(got);
  }
  EXPECT_EQ(drawn.size(), kAgents);
}

}  // namespace
}  // namespace unicc::acd
