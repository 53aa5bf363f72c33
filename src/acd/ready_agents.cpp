#include "acd/ready_agents.h"

#include <algorithm>

namespace unicc::acd {
// The heap is 4-ary: half the depth of a binary heap, and the four children of a
// node share a cache line or two, which is what a sift-down waits on.
namespace {
constexpr std::size_t kArity = 4;
// A run per primary costs its slot while empty, so a key whose primary is this far
// from the others goes to the heap.
constexpr std::int64_t kMaxRuns = 256;
}  // namespace

void ReadyAgents::Run::push_back(const Entry& e) {
  if (count_ == slots_.size()) {
    std::vector<Entry> grown(std::max<std::size_t>(8, 2 * slots_.size()));
    for (std::uint32_t i = 0; i < count_; ++i) grown[i] = at(i);
    slots_ = std::move(grown);
    head_ = 0;
  }
  ++count_;
  back() = e;
}

template <typename Stale>
std::size_t ReadyAgents::Run::erase_if(Stale stale) {
  std::uint32_t kept = 0;
  for (std::uint32_t i = 0; i < count_; ++i) {
    if (!stale(at(i))) at(kept++) = at(i);
  }
  const std::size_t dropped = count_ - kept;
  count_ = kept;
  return dropped;
}

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

// The last entry, moved to the top, nearly always belongs near the bottom again, so
// the hole left by the top goes down to a leaf along the smallest children without
// comparing against it (Floyd), and it is put there and sifted up the little it needs.
void ReadyAgents::pop_top() {
  const std::size_t n = heap_.size() - 1;  // after taking the last entry out
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = hole * kArity + 1;
    if (first >= n) break;
    std::size_t least = first;
    for (std::size_t c = first + 1; c < std::min(first + kArity, n); ++c) {
      if (heap_[c].key < heap_[least].key) least = c;
    }
    heap_[hole] = heap_[least];
    hole = least;
  }
  heap_[hole] = heap_[n];
  heap_.pop_back();
  if (hole < n) sift_up(hole);
}

// Null when the run would be too far from the others. The vector follows the
// primaries (fewest-calls: counts only grow): a primary beyond either end takes the
// empty runs at the other end, storage and all, before new runs are made.
ReadyAgents::Run* ReadyAgents::run_for(std::int64_t primary) {
  if (runs_.empty()) {
    base_ = primary;
    first_ = 0;
  }
  std::int64_t i = primary - base_;
  const auto size = static_cast<std::int64_t>(runs_.size());
  if (i < 0) {
    const auto missing = static_cast<std::size_t>(-i);
    const bool top_empty =
        missing <= runs_.size() && std::all_of(runs_.end() - static_cast<std::ptrdiff_t>(missing),
                                               runs_.end(), [](const Run& r) { return r.empty(); });
    if (top_empty) {
      std::rotate(runs_.begin(), runs_.end() - static_cast<std::ptrdiff_t>(missing), runs_.end());
    } else {
      if (size - i > kMaxRuns) return nullptr;
      runs_.insert(runs_.begin(), missing, Run{});
    }
    base_ = primary;
    i = 0;
  } else if (i >= size) {
    const auto missing = static_cast<std::uint32_t>(i - size + 1);
    if (first_ >= missing) {
      std::rotate(runs_.begin(), runs_.begin() + missing, runs_.end());
      base_ += missing;
      first_ -= missing;
      i -= missing;
    } else {
      if (i >= kMaxRuns) return nullptr;
      runs_.resize(static_cast<std::size_t>(i) + 1);
    }
  }
  first_ = std::min(first_, static_cast<std::uint32_t>(i));
  return &runs_[static_cast<std::size_t>(i)];
}

void ReadyAgents::push_heap(const Entry& e) {
  heap_.push_back(e);
  sift_up(heap_.size() - 1);
}

void ReadyAgents::remove_from_heap(std::size_t i) {
  heap_[i] = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  if (i > 0 && heap_[i].key < heap_[(i - 1) / kArity].key) {
    sift_up(i);
  } else {
    sift_down(i);
  }
}

// Stale entries that never reach the front would wait for a compaction, whose cost
// (every entry) lands on one decision. Sweeping a little instead finds them at a
// bounded cost: add() looks at two heap entries, which keeps up with the stale ones
// (a queue sees about fifteen adds per best()), and best() cleans one run other than
// the first, whose front it has just cleaned (runs are short, except longest-idle's
// only one, and their stale entries mostly go from the back when appending).
void ReadyAgents::sweep_heap() {
  for (int looked = 0; looked < 2 && !heap_.empty(); ++looked) {
    if (heap_sweep_ >= heap_.size()) heap_sweep_ = 0;
    if (live(heap_[heap_sweep_])) {
      ++heap_sweep_;
    } else {
      remove_from_heap(heap_sweep_);
      --entries_;
    }
  }
}

void ReadyAgents::sweep_runs() {
  if (runs_.size() < 2) return;
  if (++run_sweep_ >= runs_.size()) run_sweep_ = 0;
  if (run_sweep_ == first_) return;
  entries_ -= static_cast<std::uint32_t>(
      runs_[run_sweep_].erase_if([&](const Entry& e) { return !live(e); }));
}

void ReadyAgents::add(const ReadyKey& key, std::uint64_t epoch) {
  ++live_;
  ++entries_;
  const Entry entry{key, epoch};
  if (random_) {
    if (runs_.size() <= key.tier) runs_.resize(key.tier + 1u);
    runs_[key.tier].push_back(entry);
  } else {
    Run* run = key.arrives_in_order && key.tier != 0 ? run_for(key.primary) : nullptr;
    if (run) {
      // The entries added last are the likeliest to be stale already (a busy center
      // gives a newly ready agent a call at once), and the order check below reads
      // the last one anyway: drop them now rather than sweep for them later.
      while (!run->empty() && !live(run->back())) {
        run->pop_back();
        --entries_;
      }
    }
    if (run && (run->empty() || !(key < run->back().key))) {
      run->push_back(entry);
    } else {
      push_heap(entry);
    }
    if (too_many_stale()) sweep_heap();
  }
  if (entries_ > 2 * live_ + 64) compact();
}

// Leaves first_ at a run with a live front (or past the runs), and a live top on the
// heap.
void ReadyAgents::drop_stale_fronts() {
  for (; first_ < runs_.size(); ++first_) {
    Run& run = runs_[first_];
    while (!run.empty() && !live(run.front())) {
      run.pop_front();
      --entries_;
    }
    if (!run.empty()) break;
  }
  while (!heap_.empty() && !live(heap_.front())) {
    pop_top();
    --entries_;
  }
}

std::uint32_t ReadyAgents::best() {
  drop_stale_fronts();
  if (too_many_stale()) sweep_runs();
  if (first_ == runs_.size()) return heap_.front().key.agent;
  const Entry& front = runs_[first_].front();
  if (heap_.empty() || front.key < heap_.front().key) return front.key.agent;
  return heap_.front().key.agent;
}

std::uint32_t ReadyAgents::draw(std::mt19937_64& random) {
  for (Run& pool : runs_) {
    while (!pool.empty()) {
      std::uniform_int_distribution<std::size_t> position(0, pool.size() - 1);
      Entry& drawn = pool.at(position(random));
      if (live(drawn)) return drawn.key.agent;
      drawn = pool.back();
      pool.pop_back();
      --entries_;
    }
  }
  return 0;  // unreachable while size() > 0
}

std::vector<std::uint32_t> ReadyAgents::all() {
  compact();
  std::vector<std::uint32_t> agents;
  for (Run& run : runs_) {
    for (std::size_t i = 0; i < run.size(); ++i) agents.push_back(run.at(i).key.agent);
  }
  for (const Entry& e : heap_) agents.push_back(e.key.agent);
  return agents;
}

void ReadyAgents::compact() {
  auto stale = [&](const Entry& e) { return !live(e); };
  first_ = static_cast<std::uint32_t>(runs_.size());
  for (std::size_t i = runs_.size(); i-- > 0;) {
    runs_[i].erase_if(stale);
    if (!runs_[i].empty()) first_ = static_cast<std::uint32_t>(i);
  }
  std::erase_if(heap_, stale);
  for (std::size_t i = heap_.size() / kArity + 1; i-- > 0;) {
    if (i < heap_.size()) sift_down(i);
  }
  entries_ = live_;
}

}  // namespace unicc::acd
