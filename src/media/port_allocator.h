#pragma once
// PortAllocator — hands out RTP/RTCP port pairs from a configured range.
//
// A pair is an even RTP port and RTCP on the next port, both inside [min, max].
// Pairs are handed out in random order, so an attacker cannot guess the port of the
// next call and send to it before its phone does. A released pair cools off (up to
// half the range waits) before it can be chosen again, so late packets of an old call
// rarely reach a new one. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

namespace unicc::media {

class PortAllocator {
 public:
  PortAllocator(std::uint16_t port_min, std::uint16_t port_max);

  // The RTP port of a free pair, or nullopt when every pair is in use.
  std::optional<std::uint16_t> acquire();
  // Gives back a pair from acquire(); anything else is ignored.
  void release(std::uint16_t rtp_port);
  std::size_t available() const;

 private:
  mutable std::mutex mutex_;
  std::uint16_t first_port_;
  std::vector<std::uint16_t> ready_;    // chosen from at random
  std::deque<std::uint16_t> cooling_;   // released, oldest first
  std::size_t cooling_capacity_ = 0;
  std::vector<bool> in_use_;  // indexed by (rtp_port - first_port_) / 2
  std::mt19937_64 random_;
};

}  // namespace unicc::media
