#pragma once
// Internal to the acd module. One queue's ready agents, ordered for its strategy.
//
// Removal is lazy, so that an agent leaving "ready" costs nothing per queue it
// serves: each entry carries the ready epoch its agent had when it was added, and an
// entry whose agent's current epoch differs (epochs[agent], 0 when not ready) is stale
// and dropped when met. add() compacts when stale entries outnumber live ones.
//
// Ordered strategies keep entries added in key order (the usual case for
// longest-idle, where the key is the time the agent became ready) in a sorted run, and
// the others in a 4-ary min-heap; best() is the smaller of the two live fronts. So the
// common case costs O(1) per entry and the general one O(log n). kRandom keeps one
// unordered pool per tier and draws by position, retrying after dropping a stale
// entry, so the draw stays uniform over live agents.
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "acd/strategy.h"

namespace unicc::acd {

class ReadyAgents {
 public:
  ReadyAgents(const std::vector<std::uint64_t>* epochs, bool random)
      : epochs_(epochs), random_(random) {}

  void add(const ReadyKey& key, std::uint64_t epoch);
  // A member agent stopped being ready (its entry goes stale by itself).
  void left() { --live_; }
  std::size_t size() const { return live_; }

  // The live agent with the smallest key; only when size() > 0.
  std::uint32_t best();
  // A uniformly drawn live agent of the lowest tier present; only when size() > 0.
  std::uint32_t draw(std::mt19937_64& random);
  // Every live agent (ring-all).
  std::vector<std::uint32_t> all();

 private:
  struct Entry {
    ReadyKey key;
    std::uint64_t epoch;
  };
  bool live(const Entry& e) const { return (*epochs_)[e.key.agent] == e.epoch; }
  void compact();
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  void pop_top();

  const std::vector<std::uint64_t>* epochs_;
  bool random_;
  std::size_t live_ = 0;
  std::deque<Entry> sorted_;     // ordered strategies: ascending
  std::vector<Entry> heap_;      // ordered strategies: added out of order
  std::vector<Entry> pools_[2];  // kRandom, by tier
};

}  // namespace unicc::acd
