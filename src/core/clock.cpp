#include "core/clock.h"

namespace unicc::core {

std::int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::chrono::steady_clock::time_point SystemClock::steady_now() const {
  return std::chrono::steady_clock::now();
}

std::chrono::steady_clock::time_point FakeClock::steady_now() const {
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
}

}  // namespace unicc::core
