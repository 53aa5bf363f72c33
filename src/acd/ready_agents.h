#pragma once
// Internal to the acd module. One queue's ready agents, ordered for its strategy.
//
// Removal is lazy, so that an agent leaving "ready" costs nothing per queue it
// serves: each entry carries the ready epoch its agent had when it was added, and an
// entry whose agent's current epoch differs (epochs[agent], 0 when not ready) is stale
// and dropped when met: at the front of the order by best(), at the back of a run by
// add() when it appends there, and a few more per call by a sweep. Only if stale
// entries still come to outnumber live ones does add() compact them all.
//
// An agent serves many queues and is taken by one of them, so most entries go stale
// and are dropped at the front of the order: that must cost O(1), not a heap's sift.
// Keys that arrive in order (ReadyKey::arrives_in_order) are appended to a run per
// primary: longest-idle and ring-all have a single run, fewest-calls one per number
// of calls. The runs sit in a vector indexed by primary (the primaries of a queue's
// ready agents are a few small integers), so the best entry is the front of the first
// non-empty run. The heap takes the rest: keys that arrive out of order (an agent
// released from ringing keeps its old idle time), keys of newly trained agents on a
// queue that prefers them (tier 0: they are few and go first), primaries too far from
// the others for a run, and all keys of the other strategies; it is a 4-ary min-heap,
// and best() is the smaller of the two live fronts. (Best-skill would fit runs too,
// one per skill score, but its stale entries rarely reach the front, and the twenty
// or so ring buffers a queue then keeps cost more cache misses per add, which every
// queue of an agent becoming ready pays, than the heap's sifts; measured in
// docs/performance.md.)
// kRandom keeps one unordered run (pool) per tier and draws by position, retrying
// after dropping a stale entry, so the draw stays uniform over live agents.
//
// An agent becoming ready adds to the ready sets of all the queues it serves, and
// those are cold, so what add() reads sits in the object's first cache line (it is
// aligned to one): the counts, the cursors, the epochs and the heap. That leaves no
// room for runs_ as well, and the heap won the line: four strategies keep their
// agents in it, two in runs (docs/performance.md has the cache misses either way).
#include <cstdint>
#include <random>
#include <vector>

#include "acd/strategy.h"

namespace unicc::acd {

class alignas(64) ReadyAgents {
 public:
  ReadyAgents(const std::vector<std::uint64_t>* epochs, bool random)
      : random_(random), epochs_(epochs) {}

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
  // Entries of one primary in ascending order, in a ring buffer, so that both ends
  // cost O(1) and nothing is moved until it grows.
  class Run {
   public:
    bool empty() const { return count_ == 0; }
    std::size_t size() const { return count_; }
    Entry& at(std::size_t i) { return slots_[(head_ + i) & (slots_.size() - 1)]; }
    Entry& front() { return slots_[head_]; }
    Entry& back() { return at(count_ - 1); }
    void push_back(const Entry& e);
    void pop_front() {
      head_ = (head_ + 1) & static_cast<std::uint32_t>(slots_.size() - 1);
      --count_;
    }
    void pop_back() { --count_; }
    // Drops the entries `stale` says are, keeping the order; returns how many.
    template <typename Stale>
    std::size_t erase_if(Stale stale);

   private:
    std::vector<Entry> slots_;  // a power of two long, or empty
    std::uint32_t head_ = 0;
    std::uint32_t count_ = 0;
  };

  bool live(const Entry& e) const { return (*epochs_)[e.key.agent] == e.epoch; }
  // Past this the sweeps run; a compaction only at twice the live entries.
  bool too_many_stale() const { return entries_ > live_ + live_ / 2 + 16; }
  Run* run_for(std::int64_t primary);
  void push_heap(const Entry& e);
  void remove_from_heap(std::size_t i);
  void sweep_heap();
  void sweep_runs();
  void drop_stale_fronts();
  void compact();
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  void pop_top();

  // The first cache line (see the top of the file).
  std::uint32_t live_ = 0;
  std::uint32_t entries_ = 0;  // stale ones included, in runs_ and heap_
  std::uint32_t first_ = 0;    // runs_ before it are empty
  std::uint32_t heap_sweep_ = 0;  // where sweep_heap() looks next
  std::uint32_t run_sweep_ = 0;   // the run sweep_runs() cleans next
  bool random_;
  const std::vector<std::uint64_t>* epochs_;
  std::vector<Entry> heap_;
  std::int64_t base_ = 0;
  // The second.
  std::vector<Run> runs_;  // runs_[i] holds primary base_ + i; kRandom: the pool of tier i
};

}  // namespace unicc::acd
