#include "core/address_list.h"

#include <gtest/gtest.h>

#include "core/config.h"

namespace unicc::core {
namespace {

TEST(RestrictedRange, NamesEveryNonPublicRange) {
  struct Case {
    const char* address;
    const char* range;
  };
  for (const auto& [address, range] : std::vector<Case>{
           {"127.0.0.1", "loopback"},          {"127.255.0.9", "loopback"},     {"::1", "loopback"},
           {"::ffff:127.0.0.1", "loopback"},   {"169.254.169.254", "link-local"}, {"fe80::1", "link-local"},
           {"10.1.2.3", "private"},            {"172.16.0.1", "private"},        {"172.31.255.255", "private"},
           {"192.168.1.1", "private"},         {"fd00::5", "private"},           {"::ffff:10.0.0.1", "private"},
           {"0.0.0.0", "unspecified"},         {"::", "unspecified"},            {"0.1.2.3", "reserved"},
           {"224.0.0.1", "multicast"},         {"ff02::1", "multicast"},         {"255.255.255.255", "broadcast"},
           {"100.64.0.1", "reserved"},         {"240.0.0.1", "reserved"},        {"64:ff9b::a9fe:a9fe", "reserved"},
           {"8.8.8.8", ""},                    {"172.32.0.1", ""},               {"2001:4860:4860::8888", ""},
           {"crm.example.com", "invalid"},     {"", "invalid"},
       }) {
    EXPECT_EQ(restricted_range(address), range) << address;
  }
}

TEST(AddressList, MatchesAddressesNetworksAndHostNames) {
  AddressList list({"10.1.2.0/24", "192.0.2.7", "fd00:1::/32", "CRM.example.com"}, true);
  EXPECT_TRUE(list.contains_address("10.1.2.200"));
  EXPECT_TRUE(list.contains_address("::ffff:10.1.2.200"));
  EXPECT_FALSE(list.contains_address("10.1.3.1"));
  EXPECT_TRUE(list.contains_address("192.0.2.7"));
  EXPECT_FALSE(list.contains_address("192.0.2.8"));
  EXPECT_TRUE(list.contains_address("fd00:1:ffff::1"));
  EXPECT_FALSE(list.contains_address("fd00:2::1"));
  EXPECT_FALSE(list.contains_address("crm.example.com")) << "a name is not an address";
  EXPECT_TRUE(list.contains_host("crm.example.com"));
  EXPECT_TRUE(list.contains_host("crm.EXAMPLE.com."));
  EXPECT_FALSE(list.contains_host("evil-crm.example.com"));
  EXPECT_FALSE(list.contains_host("10.1.2.3"));
  EXPECT_TRUE(AddressList({"0.0.0.0/0"}).contains_address("203.0.113.1"));
  EXPECT_TRUE(AddressList().empty());
}

TEST(AddressList, BadEntriesAreNamed) {
  EXPECT_EQ(AddressList::problem("10.1.2.0/33", false), "'10.1.2.0/33': the prefix length must be 0-32");
  EXPECT_EQ(AddressList::problem("fe80::/129", false), "'fe80::/129': the prefix length must be 0-128");
  EXPECT_EQ(AddressList::problem("10.1.2.0/", false), "'10.1.2.0/': the prefix length must be 0-32");
  EXPECT_EQ(AddressList::problem("crm.example.com", false), "'crm.example.com' is not an IP address or network");
  EXPECT_FALSE(AddressList::problem("crm.example.com", true));
  EXPECT_TRUE(AddressList::problem("bad_host!", true));
  EXPECT_TRUE(AddressList::problem("", true));
  EXPECT_TRUE(AddressList::problem("-x.example.com", true));
  EXPECT_THROW(AddressList({"10.0.0.0/8", "nonsense value"}), std::invalid_argument);
}

TEST(AddressListConfig, ListsAreReadAndEveryEntryChecked) {
  Config config = parse_config(
      "[auth]\ntrusted_networks = [\"10.20.0.0/16\", \"::1\"]\n"
      "[ivr]\nhttp_allow = [\"10.1.2.0/24\", \"crm.example.com\"]\n",
      "unicc.toml");
  EXPECT_EQ(config.auth.trusted_networks, (std::vector<std::string>{"10.20.0.0/16", "::1"}));
  EXPECT_EQ(config.ivr.http_allow, (std::vector<std::string>{"10.1.2.0/24", "crm.example.com"}));
  EXPECT_TRUE(parse_config("", "unicc.toml").ivr.http_allow.empty());
  auto problems = [](const std::string& text) {
    try {
      parse_config(text, "unicc.toml");
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  EXPECT_EQ(problems("[auth]\ntrusted_networks = [\"crm.example.com\"]\n"),
            "unicc.toml:2: auth.trusted_networks: 'crm.example.com' is not an IP address or network");
  EXPECT_EQ(problems("[ivr]\nhttp_allow = \"10.0.0.0/8\"\n"), "unicc.toml:2: ivr.http_allow: expected an array of strings");
  EXPECT_EQ(problems("[ivr]\nhttp_allow = [1]\n"), "unicc.toml:2: ivr.http_allow: expected an array of strings");
  EXPECT_EQ(problems("[ivr]\nhttp_allow = [\"10.0.0.0/40\"]\n"),
            "unicc.toml:2: ivr.http_allow: '10.0.0.0/40': the prefix length must be 0-32");
}

}  // namespace
}  // namespace unicc::core
