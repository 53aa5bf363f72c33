#include "acd/ready_agents.h"

#include <algorithm>

namespace unicc::acd {
// The heap is 4-ary: half the depth of a binary heap, and the four children of a
// node share a cache line or two, which is what a sift-down waits on.
namespace {
constexpr std::size_t kArity = 4;
}  // namespace

void ReadyAgents::sift_up(std::size_t i) {
  Entry moving = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!(moving.key < heap_[parent].key)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = moving;
}

void ReadyAgents::sift_down(std::size_t i) {
  Entry moving = heap_[i];
  const std::size_t n = heap_.size();
  for (;;) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t least = first;
    for (std::size_t c = first + 1; c < std::min(first + kArity, n); ++c) {
      if (heap_[c].key < heap_[least].key) least = c;
    }
    if (!(heap_[least].key < moving.key)) break;
    heap_[i] = heap_[least];
    i = least;
  }
  heap_[i] = moving;
}

void ReadyAgents::pop_top() {
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
}

void ReadyAgents::add(const ReadyKey& key, std::uint64_t epoch) {
  ++live_;
  if (random_) {
    pools_[key.tier == 0 ? 0 : 1].push_back(Entry{key, epoch});
  } else if (sorted_.empty() || !(key < sorted_.back().key)) {
    sorted_.push_back(Entry{key, epoch});
  } else {
    heap_.push_back(Entry{key, epoch});
    sift_up(heap_.size() - 1);
  }
  const std::size_t entries = sorted_.size() + heap_.size() + pools_[0].size() + pools_[1].size();
  if (entries > 2 * live_ + 64) compact();
}

std::uint32_t ReadyAgents::best() {
  while (!sorted_.empty() && !live(sorted_.front())) sorted_.pop_front();
  while (!heap_.empty() && !live(heap_.front())) pop_top();
  if (heap_.empty()) return sorted_.front().key.agent;
  if (sorted_.empty() || heap_.front().key < sorted_.front().key) return heap_.front().key.agent;
  return sorted_.front().key.agent;
}

std::uint32_t ReadyAgents::draw(std::mt19937_64& random) {
  for (std::vector<Entry>& pool : pools_) {
    while (!pool.empty()) {
      std::uniform_int_distribution<std::size_t> position(0, pool.size() - 1);
      const std::size_t i = position(random);
      if (live(pool[i])) return pool[i].key.agent;
      pool[i] = pool.back();
      pool.pop_back();
    }
  }
  return 0;  // unreachable while size() > 0
}

std::vector<std::uint32_t> ReadyAgents::all() {
  compact();
  std::vector<std::uint32_t> agents;
  for (const Entry& e : sorted_) agents.push_back(e.key.agent);
  for (const Entry& e : heap_) agents.push_back(e.key.agent);
  for (const auto& pool : pools_) {
    for (const Entry& e : pool) agents.push_back(e.key.agent);
  }
  return agents;
}

void ReadyAgents::compact() {
  auto stale = [&](const Entry& e) { return !live(e); };
  std::erase_if(sorted_, stale);
  std::erase_if(heap_, stale);
  for (std::size_t i = heap_.size() / kArity + 1; i-- > 0;) {
    if (i < heap_.size()) sift_down(i);
  }
  for (auto& pool : pools_) std::erase_if(pool, stale);
}

}  // namespace unicc::acd
