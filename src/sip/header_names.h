#pragma once
// sip::HeaderId — recognizes header names as written on the wire.
//
// Header names are case-insensitive and many have a one-letter compact form
// (RFC 3261 §7.3.3 and the IANA registry: "v" is Via, "i" is Call-ID, ...).
// resolve_header_name() maps either spelling to one id and one canonical long
// name, so the rest of the stack never compares header names itself.
#include <cstdint>
#include <string_view>

namespace unicc::sip {

enum class HeaderId : std::uint8_t {
  kOther,  // not known to this table; compare by name
  kAcceptContact,
  kAllow,
  kAllowEvents,
  kAuthorization,
  kCallId,
  kContact,
  kContentEncoding,
  kContentLength,
  kContentType,
  kCSeq,
  kEvent,
  kExpires,
  kFrom,
  kIdentity,
  kMaxForwards,
  kMinExpires,
  kProxyAuthenticate,
  kProxyAuthorization,
  kProxyRequire,
  kReason,
  kRecordRoute,
  kReferredBy,
  kReferTo,
  kRejectContact,
  kRequestDisposition,
  kRequire,
  kRoute,
  kServer,
  kSessionExpires,
  kSubject,
  kSupported,
  kTo,
  kUnsupported,
  kUserAgent,
  kVia,
  kWarning,
  kWwwAuthenticate,
};

struct HeaderName {
  HeaderId id = HeaderId::kOther;
  std::string_view name;  // canonical long name for known headers, else as written
};

HeaderName resolve_header_name(std::string_view written);

}  // namespace unicc::sip
