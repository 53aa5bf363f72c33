#include "sip/endpoint.h"

namespace unicc::sip {

std::string_view transport_name(Transport transport) {
  switch (transport) {
    case Transport::kUdp:
      return "UDP";
    case Transport::kTcp:
      return "TCP";
    case Transport::kTls:
      return "TLS";
  }
  return "?";
}

std::string Endpoint::to_string() const {
  std::string text(transport_name(transport));
  text += ' ';
  // Brackets keep the port readable after an IPv6 address.
  bool ipv6 = address.find(':') != std::string::npos;
  if (ipv6) text += '[';
  text += address;
  if (ipv6) text += ']';
  text += ':';
  text += std::to_string(port);
  return text;
}

std::uint16_t LocalAddress::port(Transport transport) const {
  switch (transport) {
    case Transport::kTcp: return tcp_port;
    case Transport::kTls: return tls_port;
    case Transport::kUdp: break;
  }
  return udp_port;
}

std::string LocalAddress::via(Transport transport, std::string_view branch) const {
  return "SIP/2.0/" + std::string(transport_name(transport)) + " " + address + ":" + std::to_string(port(transport)) +
         ";branch=" + std::string(branch) + ";rport";
}

std::string LocalAddress::contact(Transport transport) const {
  std::string parameter;
  if (transport == Transport::kTcp) parameter = ";transport=tcp";
  if (transport == Transport::kTls) parameter = ";transport=tls";
  return "<sip:unicc@" + address + ":" + std::to_string(port(transport)) + parameter + ">";
}

}  // namespace unicc::sip
