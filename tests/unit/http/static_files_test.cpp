#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <optional>

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace unicc::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir();
    std::filesystem::create_directories(dir + "/web/assets");
    std::ofstream(dir + "/web/index.html") << "<html>unicc</html>";
    std::ofstream(dir + "/web/assets/app.js") << "console.log(1)";
    std::ofstream(dir + "/secret.txt") << "secret";
    std::filesystem::create_symlink(dir + "/secret.txt", dir + "/web/leak.txt");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  Response get(const std::string& path) {
    Request request;
    request.method = "GET";
    request.path = path;
    return StaticFiles(dir + "/web").serve(request);
  }

  std::string dir;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypes) {
  auto page = get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<html>unicc</html>");
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  auto script = get("/assets/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, AppRoutesFallBackToIndexButMissingFilesAre404) {
  EXPECT_EQ(get("/desk").body, "<html>unicc</html>");
  EXPECT_EQ(get("/assets/missing.js").status, 404);
}

TEST_F(StaticFilesTest, NothingOutsideTheRootIsServed) {
  EXPECT_EQ(get("/../secret.txt").status, 404);
  EXPECT_EQ(get("/assets/../../secret.txt").status, 404);
  EXPECT_EQ(get("/leak.txt").status, 404);
}

TEST(StaticFiles, MissingRootAnswers404) {
  Request request;
  request.method = "GET";
  request.path = "/";
  EXPECT_EQ(StaticFiles("/nonexistent/web").serve(request).status, 404);
}

// file_reply: a file whole, or the one byte range a player asks for.
class FileReplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir();
    std::ofstream(dir + "/ten.wav", std::ios::binary) << "0123456789";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::optional<FileReply> reply(const std::string& range, const std::string& name = "ten.wav") {
    Request request;
    request.method = "GET";
    if (!range.empty()) request.headers["range"] = range;
    return file_reply(request, dir + "/" + name, "audio/wav");
  }
  static std::string header(const Response& response, const std::string& name) {
    for (const auto& [field, value] : response.headers) {
      if (field == name) return value;
    }
    return "";
  }

  std::string dir;
};

TEST_F(FileReplyTest, WithoutARangeTheWholeFileSaysRangesAreAccepted) {
  auto whole = reply("");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->response.status, 200);
  EXPECT_EQ(whole->response.body, "0123456789");
  EXPECT_EQ(whole->response.content_type, "audio/wav");
  EXPECT_EQ(header(whole->response, "Accept-Ranges"), "bytes");
  EXPECT_EQ(header(whole->response, "Content-Range"), "");
  EXPECT_TRUE(whole->from_start);
}

TEST_F(FileReplyTest, OneRangeIsAPartWithItsContentRange) {
  struct Case {
    const char* range;
    const char* body;
    const char* content_range;
    bool from_start;
  };
  for (const Case& c : {Case{"bytes=2-4", "234", "bytes 2-4/10", false},
                        Case{"bytes=7-", "789", "bytes 7-9/10", false},
                        Case{"bytes=-3", "789", "bytes 7-9/10", false},
                        Case{"bytes=0-", "0123456789", "bytes 0-9/10", true},
                        Case{"bytes=8-100", "89", "bytes 8-9/10", false},
                        Case{"bytes=-50", "0123456789", "bytes 0-9/10", true}}) {
    auto part = reply(c.range);
    ASSERT_TRUE(part) << c.range;
    EXPECT_EQ(part->response.status, 206) << c.range;
    EXPECT_EQ(part->response.body, c.body) << c.range;
    EXPECT_EQ(header(part->response, "Content-Range"), c.content_range) << c.range;
    EXPECT_EQ(part->from_start, c.from_start) << c.range;
  }
}

TEST_F(FileReplyTest, ARangePastTheEndIs416WithTheSize) {
  for (const char* range : {"bytes=10-", "bytes=10-20", "bytes=-0"}) {
    auto refused = reply(range);
    ASSERT_TRUE(refused) << range;
    EXPECT_EQ(refused->response.status, 416) << range;
    EXPECT_EQ(header(refused->response, "Content-Range"), "bytes */10") << range;
    EXPECT_NE(refused->response.body.find("range_not_satisfiable"), std::string::npos);
    EXPECT_FALSE(refused->from_start);
  }
}

TEST_F(FileReplyTest, RangesOfAnotherFormAreIgnored) {
  for (const char* range :
       {"bytes=1-2,4-5", "items=1-2", "bytes=5-2", "bytes=x-", "bytes=-", "bytes= 1-2", "bytes=+1-2"}) {
    auto whole = reply(range);
    ASSERT_TRUE(whole) << range;
    EXPECT_EQ(whole->response.status, 200) << range;
    EXPECT_EQ(whole->response.body, "0123456789") << range;
  }
}

TEST_F(FileReplyTest, AMissingFileOrAFolderIsNoReply) {
  EXPECT_FALSE(reply("", "missing.wav"));
  EXPECT_FALSE(reply("", ""));
}

TEST(CanonicalInside, KeepsPathsInsideTheirFolder) {
  const std::string dir = testing::make_temp_dir();
  std::filesystem::create_directories(dir + "/recordings/2026");
  std::filesystem::create_directories(dir + "/recordings-old");
  std::ofstream(dir + "/recordings/2026/a.wav") << "a";
  std::ofstream(dir + "/recordings-old/b.wav") << "b";
  std::ofstream(dir + "/secret.txt") << "secret";
  std::filesystem::create_symlink(dir + "/secret.txt", dir + "/recordings/leak.wav");
  const std::string root = dir + "/recordings";

  auto inside = canonical_inside(root, dir + "/recordings/2026/../2026/a.wav");
  ASSERT_TRUE(inside);
  EXPECT_EQ(*inside, std::filesystem::canonical(dir + "/recordings/2026/a.wav"));
  EXPECT_FALSE(canonical_inside(root, dir + "/recordings/../secret.txt"));
  EXPECT_FALSE(canonical_inside(root, dir + "/recordings/leak.wav"));
  EXPECT_FALSE(canonical_inside(root, dir + "/recordings-old/b.wav"));  // a sibling sharing the prefix
  EXPECT_FALSE(canonical_inside(root, dir + "/recordings/missing.wav"));
  EXPECT_FALSE(canonical_inside(dir + "/none", dir + "/recordings/2026/a.wav"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace unicc::http
