// VoicemailStore on a fresh database (SQLite, or PostgreSQL under scripts/with-postgres):
// rows written through the async writer, read back newest first, filtered, marked
// heard and removed together with their file.
#include "call/voicemail_store.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace unicc::call {
namespace {

Voicemail message(const std::string& mailbox, std::int64_t created_at, const std::string& path = "") {
  Voicemail voicemail;
  voicemail.mailbox = mailbox;
  voicemail.caller = "+15550100";
  voicemail.caller_name = "Ada";
  voicemail.call_id = "call-" + std::to_string(created_at);
  voicemail.created_at = created_at;
  voicemail.duration_ms = 4200;
  voicemail.path = path.empty() ? "/nowhere/" + std::to_string(created_at) + ".wav" : path;
  return voicemail;
}

VoicemailFilter filter(const std::string& mailbox, std::optional<bool> heard = {}, std::int64_t limit = 50,
                       std::int64_t offset = 0) {
  VoicemailFilter out;
  out.mailbox = mailbox;
  out.heard = heard;
  out.limit = limit;
  out.offset = offset;
  return out;
}

std::vector<std::int64_t> times_of(const std::vector<Voicemail>& voicemails) {
  std::vector<std::int64_t> out;
  for (const auto& voicemail : voicemails) out.push_back(voicemail.created_at);
  return out;
}

class VoicemailStoreTest : public ::testing::Test {
 protected:
  ~VoicemailStoreTest() override { writer.stop(); }

  // Records and waits until the writer has committed.
  void record(const Voicemail& voicemail) {
    ASSERT_TRUE(store.record(voicemail));
    writer.flush();
  }

  testing::TestDatabase test;
  core::Metrics metrics;
  store::AsyncWriter writer{test.db(), 16, 1000, metrics};
  VoicemailStore store{writer, test.db()};
};

TEST_F(VoicemailStoreTest, RecordedMessagesReadBackWithEveryField) {
  record(message("1001", 1'795'000'000'123, "/var/vm/a.wav"));
  auto found = store.find({});
  ASSERT_EQ(found.size(), 1u);
  const auto& voicemail = found[0];
  EXPECT_GT(voicemail.id, 0);
  EXPECT_EQ(voicemail.mailbox, "1001");
  EXPECT_EQ(voicemail.caller, "+15550100");
  EXPECT_EQ(voicemail.caller_name, "Ada");
  EXPECT_EQ(voicemail.call_id, "call-1795000000123");
  EXPECT_EQ(voicemail.created_at, 1'795'000'000'123);  // 64-bit, not truncated
  EXPECT_EQ(voicemail.duration_ms, 4200);
  EXPECT_EQ(voicemail.path, "/var/vm/a.wav");
  EXPECT_FALSE(voicemail.heard);
  auto by_id = store.get(voicemail.id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->call_id, voicemail.call_id);
  EXPECT_FALSE(store.get(voicemail.id + 1));
}

TEST_F(VoicemailStoreTest, FindFiltersByMailboxAndHeardNewestFirstWithPaging) {
  record(message("1001", 100));
  record(message("1002", 200));
  record(message("1001", 300));
  record(message("1001", 400));
  EXPECT_EQ(times_of(store.find({})), (std::vector<std::int64_t>{400, 300, 200, 100}));
  EXPECT_EQ(times_of(store.find(filter("1001"))), (std::vector<std::int64_t>{400, 300, 100}));
  EXPECT_EQ(store.count(filter("1001")), 3);
  EXPECT_EQ(times_of(store.find(filter("1001", {}, 1, 1))), (std::vector<std::int64_t>{300}));

  ASSERT_TRUE(store.mark_heard(store.find(filter("1001", {}, 1))[0].id));  // the one at 400
  EXPECT_EQ(times_of(store.find(filter("1001", true))), (std::vector<std::int64_t>{400}));
  EXPECT_EQ(times_of(store.find(filter("1001", false))), (std::vector<std::int64_t>{300, 100}));
  EXPECT_EQ(store.count(filter("", false)), 3);
  EXPECT_EQ(store.count(filter("9999")), 0);
}

TEST_F(VoicemailStoreTest, MarkHeardIsFalseForAnUnknownMessage) {
  EXPECT_FALSE(store.mark_heard(42));
  record(message("1001", 100));
  auto id = store.find({})[0].id;
  EXPECT_TRUE(store.mark_heard(id));
  EXPECT_TRUE(store.mark_heard(id));  // already heard: still there
  EXPECT_TRUE(store.get(id)->heard);
}

TEST_F(VoicemailStoreTest, RemoveDeletesTheRowAndTheFile) {
  auto dir = testing::make_temp_dir();
  std::string path = dir + "/message.wav";
  std::ofstream(path) << "RIFF";
  record(message("1001", 100, path));
  record(message("1001", 200));  // its file never existed
  auto with_file = store.find(filter("", {}, 1, 1))[0].id;
  auto without_file = store.find(filter("", {}, 1))[0].id;

  EXPECT_TRUE(store.remove(with_file));
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(store.get(with_file));
  EXPECT_TRUE(store.remove(without_file));
  EXPECT_EQ(store.count({}), 0);
  EXPECT_FALSE(store.remove(with_file));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace unicc::call
