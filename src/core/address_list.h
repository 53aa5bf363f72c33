#pragma once
// core::AddressList — networks and host names an administrator lists in the
// configuration (ivr.http_allow, auth.trusted_networks), and the address ranges
// that are never public (loopback, link-local, private, ...).
//
// An entry is an IP address ("10.1.2.3", "fe80::1"), a network in CIDR form
// ("10.1.2.0/24", "fc00::/7") or, where the list allows it, a host name
// ("crm.example.com", matched exactly, case-insensitively). IPv4-mapped IPv6
// addresses (::ffff:10.1.2.3) are treated as the IPv4 address they carry.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace unicc::core {

class AddressList {
 public:
  AddressList() = default;
  // Throws std::invalid_argument naming the first bad entry.
  explicit AddressList(const std::vector<std::string>& entries, bool host_names_allowed = false);

  // Why `entry` is not a valid entry; nullopt when it is.
  static std::optional<std::string> problem(const std::string& entry, bool host_names_allowed);

  // `address` is an IP address in text form; false for anything else.
  bool contains_address(const std::string& address) const;
  bool contains_host(const std::string& host_name) const;
  bool empty() const { return networks_.empty() && hosts_.empty(); }

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix_bits = 0;                   // of the 128
  };
  std::vector<Network> networks_;
  std::vector<std::string> hosts_;  // lower case
};

// The non-public range `address` (IP text) falls in — "loopback", "link-local",
// "private", "unspecified", "multicast", "broadcast", "reserved" (e.g. 0.0.0.0/8,
// 100.64.0.0/10 carrier NAT, 240.0.0.0/4) — or "" for a public address. Text that is
// not an IP address is "invalid".
std::string restricted_range(const std::string& address);

}  // namespace unicc::core
