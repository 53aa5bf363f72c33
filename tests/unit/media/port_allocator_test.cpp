#include "media/port_allocator.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace unicc::media {
namespace {

TEST(PortAllocatorTest, HandsOutEvenPortsWithRoomForRtcp) {
  PortAllocator ports(10001, 10008);  // pairs 10002, 10004, 10006; 10008 has no 10009
  EXPECT_EQ(ports.available(), 3u);
  std::set<std::uint16_t> seen;
  while (auto port = ports.acquire()) {
    EXPECT_EQ(*port % 2, 0);
    EXPECT_GE(*port, 10002);
    EXPECT_LE(*port + 1, 10008);
    seen.insert(*port);
  }
  EXPECT_EQ(seen, (std::set<std::uint16_t>{10002, 10004, 10006}));
  EXPECT_EQ(ports.available(), 0u);
}

TEST(PortAllocatorTest, ReusesReleasedPortsLast) {
  PortAllocator ports(20000, 20005);
  const auto first = ports.acquire();
  ASSERT_TRUE(first);
  ports.release(*first);
  EXPECT_NE(ports.acquire(), first);
  EXPECT_NE(ports.acquire(), first);
  EXPECT_EQ(ports.acquire(), first);
}

// An attacker who saw one call's port must not be able to predict the next one.
TEST(PortAllocatorTest, HandsOutPairsInUnpredictableOrder) {
  std::set<std::vector<std::uint16_t>> orders;
  for (int run = 0; run < 5; ++run) {
    PortAllocator ports(20000, 21000);
    std::vector<std::uint16_t> order;
    for (int i = 0; i < 8; ++i) order.push_back(*ports.acquire());
    orders.insert(order);
  }
  EXPECT_EQ(orders.size(), 5u);
  PortAllocator ports(20000, 21000);
  int ascending = 0;
  auto previous = *ports.acquire();
  for (int i = 0; i < 100; ++i) {
    const auto next = *ports.acquire();
    if (next == previous + 2) ++ascending;
    previous = next;
  }
  EXPECT_LT(ascending, 10);
}

TEST(PortAllocatorTest, IgnoresPortsItDidNotHandOut) {
  PortAllocator ports(20000, 20003);
  ports.release(20000);  // free already
  ports.release(20001);  // odd
  ports.release(30000);  // outside
  EXPECT_EQ(ports.available(), 2u);
  const auto port = ports.acquire();
  ports.release(*port);
  ports.release(*port);
  EXPECT_EQ(ports.available(), 2u);
}

TEST(PortAllocatorTest, RangeEndingAtTheTopPortDoesNotWrap) {
  PortAllocator ports(65530, 65535);
  EXPECT_EQ(ports.available(), 3u);
  PortAllocator empty(40000, 39000);
  EXPECT_EQ(empty.available(), 0u);
  EXPECT_FALSE(empty.acquire());
}

}  // namespace
}  // namespace unicc::media
