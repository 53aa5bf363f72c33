#pragma once
// sip::Uri — SIP, SIPS and tel: URIs (RFC 3261 §19.1, RFC 3966 minimally).
//
// Uri::parse() validates the text and returns views into it: the Uri is valid only
// while that text lives (inside a sip::Message it lives as long as the Message).
// Fields stay as written, %-escapes included; user_decoded() decodes on demand.
// A Uri can also be assembled field by field (views into the caller's strings)
// and written with append_to(). URIs of any other scheme parse as
// UriScheme::kOther and keep only `raw`, so the server can answer 416.
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/params.h"
#include "sip/result.h"

namespace unicc::sip {

// The port a SIP URI or Via means when it names none (RFC 3261 §19.1.2).
inline constexpr std::uint16_t kDefaultSipPort = 5060;

enum class HostKind : std::uint8_t { kName, kIPv4, kIPv6 };

// host [":" port]; an IPv6 host is stored without its brackets.
struct HostPort {
  std::string_view host;
  HostKind kind = HostKind::kName;
  std::uint16_t port = 0;  // 0 when absent

  // Accepts LWS around ":" when `allow_lws` (Via sent-by allows it; URIs do not).
  static Result<HostPort> parse(std::string_view text, bool allow_lws);
  void append_to(std::string& out) const;
};

enum class UriScheme : std::uint8_t { kSip, kSips, kTel, kOther };

struct Uri {
  UriScheme scheme = UriScheme::kSip;
  std::string_view raw;       // the parsed text; the only field set for kOther
  std::string_view user;      // escaped as written; for tel: the number
  std::string_view password;  // escaped as written
  HostPort host_port;         // empty for tel:
  ParamList params;           // ";transport=tcp;lr"
  ParamList headers;          // "?Subject=hi&Priority=urgent"

  static Result<Uri> parse(std::string_view text);

  std::string user_decoded() const;
  std::string_view host() const { return host_port.host; }
  std::uint16_t port() const { return host_port.port; }
  std::string_view transport() const { return params.get("transport").value_or(""); }
  std::string_view maddr() const { return params.get("maddr").value_or(""); }
  std::string_view user_param() const { return params.get("user").value_or(""); }
  bool loose_route() const { return params.has("lr"); }
  bool gruu() const { return params.has("gr"); }

  void append_to(std::string& out) const;
  std::string to_string() const;
};

// URI equivalence per RFC 3261 §19.1.4: scheme, user and password exact after
// unescaping; host case-insensitive; an absent port differs from an explicit
// 5060; user/ttl/method/maddr/transport must agree when either side has them;
// other parameters only when both have them; headers must all match. kOther
// URIs compare by case-sensitive raw text.
bool equivalent(const Uri& a, const Uri& b);

}  // namespace unicc::sip
