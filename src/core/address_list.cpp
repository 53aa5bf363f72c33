#include "core/address_list.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace unicc::core {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

// IPv4 becomes IPv4-mapped IPv6, so one prefix comparison serves both families.
std::optional<Bytes> to_bytes(const std::string& text, bool& is_v4) {
  boost::system::error_code error;
  auto address = boost::asio::ip::make_address(text, error);
  if (error) return std::nullopt;
  Bytes bytes{};
  if (address.is_v4()) {
    is_v4 = true;
    bytes[10] = bytes[11] = 0xff;
    auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), bytes.begin() + 12);
  } else {
    auto v6 = address.to_v6();
    if (v6.scope_id() != 0) return std::nullopt;  // "fe80::1%eth0" names an interface, not a network
    auto raw = v6.to_bytes();
    std::copy(raw.begin(), raw.end(), bytes.begin());
    is_v4 = v6.is_v4_mapped();
  }
  return bytes;
}

bool in_prefix(const Bytes& address, const Bytes& network, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((address[static_cast<std::size_t>(i)] & mask) != (network[static_cast<std::size_t>(i)] & mask)) return false;
  }
  return true;
}

// A DNS name: dot-separated labels of letters, digits and '-'.
bool valid_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (label == 0 || label > 63 || name[i - 1] == '-' || name[i - label] == '-') return false;
      label = 0;
      continue;
    }
    char c = name[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    ++label;
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

struct Range {
  const char* network;
  int bits;  // of the IPv4 or IPv6 address as written
  const char* name;
};

// Most specific first where they overlap (0.0.0.0 before 0.0.0.0/8).
constexpr Range kRestrictedV4[] = {
    {"0.0.0.0", 32, "unspecified"},      {"0.0.0.0", 8, "reserved"},       {"127.0.0.0", 8, "loopback"},
    {"10.0.0.0", 8, "private"},          {"172.16.0.0", 12, "private"},    {"192.168.0.0", 16, "private"},
    {"169.254.0.0", 16, "link-local"},   {"100.64.0.0", 10, "reserved"},   {"192.0.0.0", 24, "reserved"},
    {"198.18.0.0", 15, "reserved"},      {"224.0.0.0", 4, "multicast"},    {"255.255.255.255", 32, "broadcast"},
    {"240.0.0.0", 4, "reserved"},
};
constexpr Range kRestrictedV6[] = {
    {"::", 128, "unspecified"}, {"::1", 128, "loopback"},    {"fe80::", 10, "link-local"},
    {"fc00::", 7, "private"},   {"fec0::", 10, "private"},   {"ff00::", 8, "multicast"},
    {"64:ff9b::", 96, "reserved"},  // NAT64: reaches IPv4 addresses, private ones included
};

}  // namespace

std::optional<std::string> AddressList::problem(const std::string& entry, bool host_names_allowed) {
  auto slash = entry.find('/');
  bool is_v4 = false;
  if (slash != std::string::npos) {
    std::string bits_text = entry.substr(slash + 1);
    if (!to_bytes(entry.substr(0, slash), is_v4)) return "'" + entry + "' is not an IP network like 10.1.2.0/24";
    is_v4 = entry.find(':') == std::string::npos;  // the prefix counts the bits of the family written
    int bits = -1;
    auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (ec != std::errc() || end != bits_text.data() + bits_text.size() || bits < 0 || bits > (is_v4 ? 32 : 128)) {
      return "'" + entry + "': the prefix length must be 0-" + (is_v4 ? "32" : "128");
    }
    return std::nullopt;
  }
  if (to_bytes(entry, is_v4)) return std::nullopt;
  if (host_names_allowed && valid_host_name(entry)) return std::nullopt;
  return "'" + entry + "' is not an IP address or network" + (host_names_allowed ? " or host name" : "");
}

AddressList::AddressList(const std::vector<std::string>& entries, bool host_names_allowed) {
  for (const auto& entry : entries) {
    if (auto why = problem(entry, host_names_allowed)) throw std::invalid_argument(*why);
    auto slash = entry.find('/');
    bool is_v4 = false;
    if (auto bytes = to_bytes(entry.substr(0, slash), is_v4)) {
      is_v4 = entry.find(':') == std::string::npos;
      int bits = slash == std::string::npos ? 128 : std::stoi(entry.substr(slash + 1)) + (is_v4 ? 96 : 0);
      networks_.push_back({*bytes, bits});
    } else {
      hosts_.push_back(lower(entry));
    }
  }
}

bool AddressList::contains_address(const std::string& address) const {
  bool is_v4 = false;
  auto bytes = to_bytes(address, is_v4);
  if (!bytes) return false;
  return std::any_of(networks_.begin(), networks_.end(),
                     [&](const Network& network) { return in_prefix(*bytes, network.bytes, network.prefix_bits); });
}

bool AddressList::contains_host(const std::string& host_name) const {
  std::string name = lower(host_name);
  if (!name.empty() && name.back() == '.') name.pop_back();  // the root label
  return std::find(hosts_.begin(), hosts_.end(), name) != hosts_.end();
}

std::string restricted_range(const std::string& address) {
  bool is_v4 = false;
  auto bytes = to_bytes(address, is_v4);
  if (!bytes) return "invalid";
  auto find = [&](const auto& ranges, int offset_bits) -> std::string {
    for (const Range& range : ranges) {
      bool unused = false;
      if (in_prefix(*bytes, *to_bytes(range.network, unused), range.bits + offset_bits)) return range.name;
    }
    return "";
  };
  return is_v4 ? find(kRestrictedV4, 96) : find(kRestrictedV6, 0);
}

}  // namespace unicc::core
