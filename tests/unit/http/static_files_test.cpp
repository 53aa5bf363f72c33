#include "http/static_files.h"

#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace unicc::http
