#include "core/config.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace unicc::core {
namespace {

std::vector<std::string> problems_of(const std::string& text) {
  try {
    parse_config(text, "test.toml");
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

TEST(Config, EmptyFileGivesDefaults) {
  Config config = parse_config("", "empty.toml");
  EXPECT_EQ(config.http.address, "127.0.0.1");
  EXPECT_EQ(config.http.port, 8080);
  EXPECT_EQ(config.database.url, "sqlite:var/unicc.db");
  EXPECT_EQ(config.log.format, "text");
}

TEST(Config, ReadsEverySection) {
  Config config = parse_config(R"(
[http]
port = 9090
max_body_bytes = 4096
[database]
url = "postgresql://u:p@127.0.0.1:5432/cc"
[log]
level = "debug"
format = "json"
[auth]
token_ttl_s = 600
)", "x.toml");
  EXPECT_EQ(config.http.port, 9090);
  EXPECT_EQ(config.http.max_body_bytes, 4096);
  EXPECT_EQ(config.database.url, "postgresql://u:p@127.0.0.1:5432/cc");
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, "json");
  EXPECT_EQ(config.auth.token_ttl_s, 600);
}

TEST(Config, UnknownKeyNamesFileLineAndKey) {
  auto problems = problems_of("[http]\nport = 1\nprot = 2\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "test.toml:3: http.prot: unknown key");
}

TEST(Config, UnknownSectionIsReported) {
  auto problems = problems_of("\n[htp]\nport = 1\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "test.toml:2: htp: unknown section");
}

TEST(Config, WrongTypeAndRangeAreReportedTogether) {
  auto problems = problems_of("[http]\nport = \"80\"\nthreads = 0\n[log]\nformat = \"xml\"\n");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], "test.toml:2: http.port: expected an integer");
  EXPECT_EQ(problems[1], "test.toml:3: http.threads: must be between 1 and 64");
  EXPECT_EQ(problems[2], "test.toml:5: log.format: must be one of \"text\", \"json\"");
}

TEST(Config, BadDatabaseUrlIsRejected) {
  auto problems = problems_of("[database]\nurl = \"mysql://x\"\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("test.toml:2: database.url: must start with"), std::string::npos);
}

TEST(Config, SyntaxErrorNamesTheLine) {
  auto problems = problems_of("[http]\nport = = 3\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("test.toml:2: ", 0), 0u) << problems[0];
}

TEST(Config, MissingFileIsAClearError) {
  try {
    load_config("/nonexistent/unicc.toml");
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()), "/nonexistent/unicc.toml: cannot be read");
  }
}

TEST(Config, ExampleFileIsValid) {
  Config config = load_config(std::string(UNICC_SOURCE_DIR) + "/etc/unicc.toml");
  EXPECT_EQ(config.http.port, Config{}.http.port);
}

// docs/configuration.md must document every key with its real default.
TEST(Config, DocumentationListsEveryKeyWithItsDefault) {
  std::ifstream in(std::string(UNICC_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  for (const auto& key : config_keys()) {
    std::string row = "| `" + key.name + "` | `" + key.default_value + "` |";
    EXPECT_NE(doc.find(row), std::string::npos) << "missing row: " << row;
  }
}

}  // namespace
}  // namespace unicc::core
