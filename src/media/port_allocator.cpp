#include "media/port_allocator.h"

namespace unicc::media {

PortAllocator::PortAllocator(std::uint16_t port_min, std::uint16_t port_max)
    : first_port_(static_cast<std::uint16_t>(port_min + (port_min % 2))) {
  // Widen to int so a range ending at 65535 does not wrap.
  for (int port = first_port_; port + 1 <= int{port_max}; port += 2) {
    free_.push_back(static_cast<std::uint16_t>(port));
  }
  in_use_.assign(free_.size(), false);
}

std::optional<std::uint16_t> PortAllocator::acquire() {
  std::lock_guard lock(mutex_);
  if (free_.empty()) return std::nullopt;
  const std::uint16_t port = free_.front();
  free_.pop_front();
  in_use_[(port - first_port_) / 2] = true;
  return port;
}

void PortAllocator::release(std::uint16_t rtp_port) {
  std::lock_guard lock(mutex_);
  if (rtp_port < first_port_ || (rtp_port - first_port_) % 2 != 0) return;
  const std::size_t index = (rtp_port - first_port_) / 2;
  if (index >= in_use_.size() || !in_use_[index]) return;
  in_use_[index] = false;
  free_.push_back(rtp_port);
}

std::size_t PortAllocator::available() const {
  std::lock_guard lock(mutex_);
  return free_.size();
}

}  // namespace unicc::media
