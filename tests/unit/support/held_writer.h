#pragma once
// Keeps an AsyncWriter's thread inside one write until release(), so that a test can
// queue writes behind it and see what a read does meanwhile.
#include <future>

#include "store/async_writer.h"

namespace unicc::testing {

class HeldWriter {
 public:
  explicit HeldWriter(store::AsyncWriter& writer) {
    writer.submit([held = released_.get_future().share()](soci::session&) { held.wait(); }, "held by the test");
  }
  ~HeldWriter() { release(); }
  void release() {
    if (released_once_) return;
    released_once_ = true;
    released_.set_value();
  }

 private:
  std::promise<void> released_;
  bool released_once_ = false;
};

}  // namespace unicc::testing
