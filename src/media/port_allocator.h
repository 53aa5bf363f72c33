#pragma once
// PortAllocator — hands out RTP/RTCP port pairs from a configured range.
//
// A pair is an even RTP port and RTCP on the next port, both inside [min, max].
// Released pairs go to the back of the line, so a port just freed is the last to be
// reused and late packets of an old call rarely reach a new one. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
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
  std::deque<std::uint16_t> free_;
  std::vector<bool> in_use_;  // indexed by (rtp_port - first_port_) / 2
};

}  // namespace unicc::media
