// Skilled queue names: what callback requests keep, and a restart reads back.
#include "contact/queue_name.h"

#include <gtest/gtest.h>

namespace unicc::contact {
namespace {

TEST(QueueName, ASkilledQueueNameSplitsBackIntoItsQueueAndSkills) {
  const std::string name = skilled_queue_name("sales", {{"mandarin", 5}, {"first.aid", 1}});
  EXPECT_EQ(name, "sales+first.aid:1+mandarin:5");
  EXPECT_EQ(split_skilled_queue_name(name),
            (std::pair<std::string, std::vector<std::string>>{"sales", {"first.aid:1", "mandarin:5"}}));
  EXPECT_EQ(split_skilled_queue_name("sales"), (std::pair<std::string, std::vector<std::string>>{"sales", {}}));
}

}  // namespace
}  // namespace unicc::contact
