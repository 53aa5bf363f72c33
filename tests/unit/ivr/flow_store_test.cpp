#include "ivr/flow_store.h"

#include <gtest/gtest.h>

#include "ivr/registry.h"
#include "support/test_database.h"

namespace unicc::ivr {
namespace {

std::string document(const std::string& name, const std::string& greeting, const std::string& did = "4000") {
  return R"({"name": ")" + name + R"(", "dids": [")" + did + R"("], "start": "hi", "nodes": {
  "hi": {"type": "play", "prompt": {"text": ")" + greeting + R"("}, "next": "bye"},
  "bye": {"type": "hangup"}}})";
}

std::string greeting(const Flow& flow) { return std::get<PlayNode>(flow.node("hi").body).prompt[0].text; }

class FlowStoreTest : public ::testing::Test {
 protected:
  unicc::testing::TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  FlowStore store{test.db(), clock};
  FlowRegistry registry{store};
};

TEST_F(FlowStoreTest, ADraftIsReplacedByEachSave) {
  store.save_draft("main", document("main", "one"), "ann");
  clock.advance(std::chrono::seconds(1));
  store.save_draft("main", document("main", "two"), "bob");
  auto draft = store.draft("main");
  ASSERT_TRUE(draft);
  EXPECT_NE(draft->document.find("two"), std::string::npos);
  EXPECT_EQ(draft->status, "draft");
  EXPECT_EQ(draft->version, 0);
  EXPECT_EQ(draft->created_by, "bob");
  EXPECT_EQ(draft->created_at, 1'795'000'001'000);
  EXPECT_EQ(store.current_version("main"), 0);
  ASSERT_EQ(store.list().size(), 1u);
  EXPECT_TRUE(store.list()[0].has_draft);
  EXPECT_EQ(store.list()[0].current_version, 0);
}

TEST_F(FlowStoreTest, PublishingNumbersVersionsAndMakesTheNewOneCurrent) {
  EXPECT_THROW(store.publish("main", "ann"), FlowStoreError);
  store.save_draft("main", document("main", "one"), "ann");
  EXPECT_EQ(store.publish("main", "ann").version, 1);
  EXPECT_FALSE(store.draft("main"));
  store.save_draft("main", document("main", "two"), "ann");
  auto second = store.publish("main", "bob");
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.status, "published");
  EXPECT_EQ(second.created_by, "bob");
  EXPECT_EQ(store.current_version("main"), 2);
  ASSERT_EQ(store.versions("main").size(), 2u);
  EXPECT_EQ(store.versions("main")[0].version, 2);
  EXPECT_NE(store.version("main", 1)->document.find("one"), std::string::npos);
  EXPECT_FALSE(store.version("main", 3));
  auto summary = store.list();
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].latest_version, 2);
  EXPECT_EQ(summary[0].current_version, 2);
  EXPECT_FALSE(summary[0].has_draft);
}

TEST_F(FlowStoreTest, SetCurrentRollsBackToAnExistingVersion) {
  store.save_draft("main", document("main", "one"), "ann");
  store.publish("main", "ann");
  store.save_draft("main", document("main", "two"), "ann");
  store.publish("main", "ann");
  store.set_current("main", 1, "ann");
  EXPECT_EQ(store.current_version("main"), 1);
  EXPECT_THROW(store.set_current("main", 7, "ann"), FlowStoreError);
  ASSERT_EQ(store.current_all().size(), 1u);
  EXPECT_EQ(store.current_all()[0].version, 1);
}

TEST_F(FlowStoreTest, TheRegistryServesCurrentVersionsByNameAndNumber) {
  store.save_draft("main", document("main", "one", "4000"), "ann");
  store.publish("main", "ann");
  store.save_draft("sales", document("sales", "sales", "4001"), "ann");
  store.publish("sales", "ann");
  registry.load();
  auto main = registry.current("main");
  ASSERT_TRUE(main);
  EXPECT_EQ(main->version, 1);
  EXPECT_EQ(registry.for_did("4001")->name, "sales");
  EXPECT_FALSE(registry.current("nothing"));
  EXPECT_FALSE(registry.for_did("4999"));

  store.save_draft("main", document("main", "two", "4000"), "ann");
  store.publish("main", "ann");
  EXPECT_EQ(registry.current("main")->version, 1) << "not refreshed yet";
  registry.refresh("main");
  EXPECT_EQ(registry.current("main")->version, 2);
  EXPECT_EQ(greeting(*registry.for_did("4000")), "two");
  EXPECT_EQ(greeting(*main), "one") << "a holder of version 1 keeps it";
}

TEST_F(FlowStoreTest, TheRegistrySkipsStoredVersionsThatNoLongerValidate) {
  store.save_draft("broken", R"({"name": "broken", "start": "x", "nodes": {}})", "ann");
  store.publish("broken", "ann");
  registry.load();
  EXPECT_FALSE(registry.current("broken"));
}

}  // namespace
}  // namespace unicc::ivr
