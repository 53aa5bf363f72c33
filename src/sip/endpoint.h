#pragma once
// sip::Endpoint — where a SIP message came from or goes to.
//
// For TCP and TLS, `connection` names the connection a request arrived on, so
// responses go back over it (RFC 3261 §18.2.2); 0 means "open or reuse one to
// address:port". Over TLS it also carries the peer certificate's verified names.
// LocalAddress is the other end: where peers reach us.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace unicc::sip {

enum class Transport : std::uint8_t { kUdp, kTcp, kTls };

std::string_view transport_name(Transport transport);  // "UDP" / "TCP" / "TLS"

struct Endpoint {
  Transport transport = Transport::kUdp;
  std::string address;  // numeric IPv4 or IPv6, no brackets
  std::uint16_t port = 0;
  std::uint64_t connection = 0;
  // For a message received over TLS: the names (subjectAltName DNS entries, else the
  // subject's CN) of the peer's certificate when it chained to sip.tls_ca_file;
  // null when the peer sent none or it did not verify. Not part of equality.
  std::shared_ptr<const std::vector<std::string>> tls_names{};

  bool operator==(const Endpoint& other) const {
    return transport == other.transport && address == other.address && port == other.port;
  }
  std::string to_string() const;  // "UDP 127.0.0.1:5060"
};

// Where peers reach us, written into Via and Contact of what we send.
struct LocalAddress {
  std::string address;
  std::uint16_t udp_port = 0;
  std::uint16_t tcp_port = 0;
  std::uint16_t tls_port = 0;

  std::uint16_t port(Transport transport) const;
  // A Via with `branch` and rport (RFC 3581).
  std::string via(Transport transport, std::string_view branch) const;
  // <sip:unicc@address:port;transport=...>: the peer's in-dialog requests come back
  // over the transport the dialog uses (a TLS dialog is never continued in clear).
  std::string contact(Transport transport) const;
};

}  // namespace unicc::sip
