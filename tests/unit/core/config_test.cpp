#include "core/config.h"

#include <gtest/gtest.h>

#include "support/documented_keys.h"

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

TEST(Config, CrmPhoneRulesAreDigits) {
  Config config = parse_config("[crm]\ncountry_code = \"44\"\ntrunk_prefix = \"\"\n", "crm.toml");
  EXPECT_EQ(config.crm.country_code, "44");
  EXPECT_EQ(config.crm.trunk_prefix, "");
  EXPECT_EQ(parse_config("", "empty.toml").crm.country_code, "86");
  auto problems = problems_of("[crm]\ncountry_code = \"+86\"\ntrunk_prefix = \"000\"\n");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "test.toml:2: crm.country_code: must be 1-3 digits (0-9)");
  EXPECT_EQ(problems[1], "test.toml:3: crm.trunk_prefix: must be 0-2 digits (0-9)");
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
  EXPECT_EQ(testing::undocumented_keys(config_keys()), std::vector<std::string>{});
}

// The sections of modules above core are theirs; core alone does not know them.
TEST(Config, TablesCoreDoesNotOwnAreUnknownToIt) {
  auto problems = problems_of("[[queue]]\nname = \"sales\"\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "test.toml:1: queue: unknown key");
}

}  // namespace
}  // namespace unicc::core

namespace unicc::core {
namespace {

TEST(ConfigTables, TrunksAndDidsAreRead) {
  Config config = parse_config(R"(
[[trunk]]
name = "carrier"
address = "192.0.2.10"
outbound_prefix = "0"
[[trunk]]
name = "backup"
address = "192.0.2.11"
port = 5080
transport = "tcp"
[[did]]
numbers = "4000-4099"
target = "1001"
)", "t.toml");
  ASSERT_EQ(config.trunks.size(), 2u);
  EXPECT_EQ(config.trunks[0].name, "carrier");
  EXPECT_EQ(config.trunks[0].port, 5060);
  EXPECT_EQ(config.trunks[0].outbound_prefix, "0");
  EXPECT_EQ(config.trunks[1].transport, "tcp");
  EXPECT_EQ(config.trunks[1].port, 5080);
  ASSERT_EQ(config.dids.size(), 1u);
  EXPECT_EQ(config.dids[0].numbers, "4000-4099");
}

TEST(ConfigTables, ProblemsNameTheElement) {
  try {
    parse_config("[[trunk]]\nname = \"a\"\naddress = \"x\"\n[[trunk]]\nname = \"b\"\nport = 0\nfoo = 1\n"
                 "[[did]]\nnumbers = \"40-4099\"\ntarget = \"1001\"\n",
                 "t.toml");
    FAIL();
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 4u) << error.what();
    EXPECT_EQ(error.problems()[0], "t.toml:4: trunk[2].address: is required");
    EXPECT_EQ(error.problems()[1], "t.toml:6: trunk[2].port: must be between 1 and 65535");
    EXPECT_EQ(error.problems()[2], "t.toml:7: trunk[2].foo: unknown key");
    EXPECT_NE(error.problems()[3].find("t.toml:9: did[1].numbers: must be a number or a range"), std::string::npos);
  }
}

TEST(ConfigTables, TlsTrunksAndSrtpPoliciesAreCheckedTogether) {
  Config config = parse_config(R"(
[sip]
tls = true
tls_ca_file = "ca.pem"
[media]
srtp = "required"
srtp_required_extensions = ["1002"]
[[trunk]]
name = "secure"
address = "192.0.2.10"
transport = "tls"
tls_name = "sip.carrier.example"
srtp = "off"
)", "t.toml");
  EXPECT_EQ(config.media.srtp, "required");
  EXPECT_EQ(config.media.srtp_required_extensions, std::vector<std::string>{"1002"});
  EXPECT_EQ(config.trunks[0].tls_name, "sip.carrier.example");
  EXPECT_EQ(config.trunks[0].srtp, "off");
  EXPECT_NE(problems_of("[media]\nsrtp = \"sometimes\"\n").at(0).find("media.srtp: must be one of"),
            std::string::npos);
  const auto problems =
      problems_of("[[trunk]]\nname = \"a\"\naddress = \"x\"\ntransport = \"tls\"\ntls_name = \"n\"\n");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "test.toml:4: trunk[1].transport: \"tls\" needs sip.tls = true");
  EXPECT_EQ(problems[1], "test.toml:5: trunk[1].tls_name: needs transport = \"tls\" and sip.tls_ca_file");
}

TEST(ConfigTables, TrunkRegistrationKeysAreRead) {
  Config config = parse_config(R"(
[[trunk]]
name = "carrier"
address = "192.0.2.10"
username = "acct77"
password = "secret"
register = true
register_expires_s = 600
register_user = "4930123"
contact_user = "4000"
[[trunk]]
name = "plain"
address = "192.0.2.11"
)", "t.toml");
  const TrunkConfig& carrier = config.trunks[0];
  EXPECT_TRUE(carrier.register_with_carrier);
  EXPECT_EQ(carrier.register_expires_s, 600);
  EXPECT_EQ(carrier.register_user, "4930123");
  EXPECT_EQ(carrier.contact_user, "4000");
  EXPECT_FALSE(config.trunks[1].register_with_carrier);
  EXPECT_EQ(config.trunks[1].register_expires_s, 3600);
}

TEST(ConfigTables, RegisteringTrunkNeedsCredentialsAndASaneExpiry) {
  try {
    parse_config("[[trunk]]\nname = \"a\"\naddress = \"x\"\nusername = \"u\"\nregister = true\n", "t.toml");
    FAIL();
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 1u) << error.what();
    EXPECT_EQ(error.problems()[0], "t.toml:5: trunk[1].password: is required when register = true");
  }
  try {
    parse_config("[[trunk]]\nname = \"a\"\naddress = \"x\"\nregister = \"yes\"\nregister_expires_s = 10\n",
                 "t.toml");
    FAIL();
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 2u) << error.what();
    EXPECT_EQ(error.problems()[0], "t.toml:4: trunk[1].register: expected true or false");
    EXPECT_EQ(error.problems()[1], "t.toml:5: trunk[1].register_expires_s: must be between 60 and 86400");
  }
}

TEST(ConfigTables, ATableInsteadOfAnArrayIsAnError) {
  try {
    parse_config("[trunk]\nname = \"a\"\n", "t.toml");
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.problems()[0], "t.toml:1: trunk: expected [[trunk]] tables");
  }
}

TEST(ConfigTables, PortRangeMustBeOrdered) {
  try {
    parse_config("[media]\nrtp_port_min = 30000\nrtp_port_max = 20000\n", "t.toml");
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("media.rtp_port_min: must be below media.rtp_port_max"),
              std::string::npos);
  }
}

// The agent desktop's code lists: defaults, a file's own lists, and their problems.
TEST(ConfigCodes, WithoutTablesTheDefaultListsApply) {
  Config config = parse_config("", "t.toml");
  ASSERT_EQ(config.cti.dispositions.size(), 7u);
  EXPECT_EQ(config.cti.dispositions[0].code, "resolved");
  EXPECT_EQ(config.cti.dispositions[0].en, "Resolved");
  EXPECT_EQ(config.cti.dispositions[0].zh, "已解决");
  EXPECT_EQ(config.cti.dispositions[6].code, "other");
  ASSERT_EQ(config.cti.not_ready_reasons.size(), 6u);
  EXPECT_EQ(config.cti.not_ready_reasons[4].code, "after_call_work");
  EXPECT_EQ(config.cti.not_ready_reasons[4].zh, "话后处理");
  EXPECT_TRUE(config.cti.has_disposition("wrong_number"));
  EXPECT_FALSE(config.cti.has_disposition("break"));
  EXPECT_TRUE(config.cti.has_not_ready_reason("lunch"));
  EXPECT_FALSE(config.cti.has_not_ready_reason(""));
}

TEST(ConfigCodes, AFileListReplacesItsDefaultsOnly) {
  Config config = parse_config(R"(
[[disposition]]
code = "sold"
en = "Sold"
zh = "已成交"
[[disposition]]
code = "no-sale"
en = "No sale"
)", "t.toml");
  ASSERT_EQ(config.cti.dispositions.size(), 2u);
  EXPECT_EQ(config.cti.dispositions[0].zh, "已成交");
  EXPECT_EQ(config.cti.dispositions[1].code, "no-sale");
  EXPECT_EQ(config.cti.dispositions[1].zh, "No sale");  // no Chinese given: the English label
  EXPECT_TRUE(config.cti.has_disposition("sold"));
  EXPECT_FALSE(config.cti.has_disposition("resolved"));
  EXPECT_EQ(config.cti.not_ready_reasons.size(), 6u);
}

TEST(ConfigCodes, ProblemsNameTheLineAndTheElement) {
  auto problems = problems_of(R"([[not_ready_reason]]
code = "Break Time"
en = "Break"
[[not_ready_reason]]
code = "lunch"
[[not_ready_reason]]
code = "lunch"
en = "Lunch again"
[[disposition]]
code = ""
en = ""
[[disposition]]
code = "abcdefghijklmnopqrstuvwxyz0123456"
en = "Thirty-three characters"
)");
  ASSERT_EQ(problems.size(), 6u);
  EXPECT_EQ(problems[0], "test.toml:2: not_ready_reason[1].code: must be 1-32 characters of a-z, 0-9, _ and -");
  EXPECT_EQ(problems[1], "test.toml:4: not_ready_reason[2].en: is required");
  EXPECT_EQ(problems[2], "test.toml:7: not_ready_reason[3].code: \"lunch\" is already the code of not_ready_reason[2]");
  EXPECT_EQ(problems[3], "test.toml:10: disposition[1].code: must be 1-32 characters of a-z, 0-9, _ and -");
  EXPECT_EQ(problems[4], "test.toml:11: disposition[1].en: must not be empty");
  EXPECT_EQ(problems[5], "test.toml:13: disposition[2].code: must be 1-32 characters of a-z, 0-9, _ and -");
}

// Labels are counted in characters, not bytes: 64 Chinese ones are a label, 65 too many.
TEST(ConfigCodes, LabelsAreAtMost64Characters) {
  std::string sixty_four;
  for (int i = 0; i < 16; ++i) sixty_four += "话后处理";
  auto file = [](const std::string& zh) { return "[[disposition]]\ncode = \"x\"\nen = \"X\"\nzh = \"" + zh + "\"\n"; };
  EXPECT_EQ(parse_config(file(sixty_four), "t.toml").cti.dispositions[0].zh, sixty_four);
  auto problems = problems_of(file(sixty_four + "话"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "test.toml:4: disposition[1].zh: must be at most 64 characters");
}

}  // namespace
}  // namespace unicc::core
