#include "media/port_allocator.h"

namespace unicc::media {

PortAllocator::PortAllocator(std::uint16_t port_min, std::uint16_t port_max)
    : first_port_(static_cast<std::uint16_t>(port_min + (port_min % 2))), random_(std::random_device{}()) {
  // Widen to int so a range ending at 65535 does not wrap.
  for (int port = first_port_; port + 1 <= int{port_max}; port += 2) {
    ready_.push_back(static_cast<std::uint16_t>(port));
  }
  in_use_.assign(ready_.size(), false);
  cooling_capacity_ = ready_.size() / 2;
}

std::optional<std::uint16_t> PortAllocator::acquire() {
  std::lock_guard lock(mutex_);
  if (ready_.empty() && !cooling_.empty()) {
    ready_.push_back(cooling_.front());
    cooling_.pop_front();
  }
  if (ready_.empty()) return std::nullopt;
  std::uniform_int_distribution<std::size_t> pick(0, ready_.size() - 1);
  const std::size_t chosen = pick(random_);
  const std::uint16_t port = ready_[chosen];
  ready_[chosen] = ready_.back();
  ready_.pop_back();
  in_use_[(port - first_port_) / 2] = true;
  return port;
}

void PortAllocator::release(std::uint16_t rtp_port) {
  std::lock_guard lock(mutex_);
  if (rtp_port < first_port_ || (rtp_port - first_port_) % 2 != 0) return;
  const std::size_t index = (rtp_port - first_port_) / 2;
  if (index >= in_use_.size() || !in_use_[index]) return;
  in_use_[index] = false;
  cooling_.push_back(rtp_port);
  if (cooling_.size() > cooling_capacity_) {
    ready_.push_back(cooling_.front());
    cooling_.pop_front();
  }
}

std::size_t PortAllocator::available() const {
  std::lock_guard lock(mutex_);
  return ready_.size() + cooling_.size();
}

}  // namespace unicc::media
