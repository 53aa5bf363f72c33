#pragma once
// A fixture for a store that writes through an AsyncWriter (CdrStore, CallbackStore...):
// a fresh test database, its writer, and the store; the writer is stopped first.
#include <gtest/gtest.h>

#include "core/metrics.h"
#include "store/async_writer.h"
#include "support/test_database.h"

namespace unicc::testing {

template <typename Store>
class WriterStoreTest : public ::testing::Test {
 protected:
  ~WriterStoreTest() override { writer.stop(); }

  TestDatabase test;
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 16, 1000, metrics};
  Store store{writer, test.db()};
};

}  // namespace unicc::testing
