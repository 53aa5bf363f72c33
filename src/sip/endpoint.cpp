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

}  // namespace unicc::sip
