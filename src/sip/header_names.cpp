#include "sip/header_names.h"

#include <array>

#include "sip/scan.h"

namespace unicc::sip {
namespace {

struct KnownHeader {
  HeaderId id;
  std::string_view name;
  char compact;  // '\0' when the header has no compact form
};

// Ordered roughly by how often they appear in a call, since lookup is linear.
constexpr auto kKnownHeaders = std::to_array<KnownHeader>({
    {HeaderId::kVia, "Via", 'v'},
    {HeaderId::kFrom, "From", 'f'},
    {HeaderId::kTo, "To", 't'},
    {HeaderId::kCallId, "Call-ID", 'i'},
    {HeaderId::kCSeq, "CSeq", '\0'},
    {HeaderId::kContact, "Contact", 'm'},
    {HeaderId::kMaxForwards, "Max-Forwards", '\0'},
    {HeaderId::kContentLength, "Content-Length", 'l'},
    {HeaderId::kContentType, "Content-Type", 'c'},
    {HeaderId::kRoute, "Route", '\0'},
    {HeaderId::kRecordRoute, "Record-Route", '\0'},
    {HeaderId::kExpires, "Expires", '\0'},
    {HeaderId::kAuthorization, "Authorization", '\0'},
    {HeaderId::kProxyAuthorization, "Proxy-Authorization", '\0'},
    {HeaderId::kWwwAuthenticate, "WWW-Authenticate", '\0'},
    {HeaderId::kProxyAuthenticate, "Proxy-Authenticate", '\0'},
    {HeaderId::kAllow, "Allow", '\0'},
    {HeaderId::kSupported, "Supported", 'k'},
    {HeaderId::kRequire, "Require", '\0'},
    {HeaderId::kProxyRequire, "Proxy-Require", '\0'},
    {HeaderId::kUnsupported, "Unsupported", '\0'},
    {HeaderId::kUserAgent, "User-Agent", '\0'},
    {HeaderId::kServer, "Server", '\0'},
    {HeaderId::kSessionExpires, "Session-Expires", 'x'},
    {HeaderId::kMinExpires, "Min-Expires", '\0'},
    {HeaderId::kReason, "Reason", '\0'},
    {HeaderId::kWarning, "Warning", '\0'},
    {HeaderId::kSubject, "Subject", 's'},
    {HeaderId::kContentEncoding, "Content-Encoding", 'e'},
    {HeaderId::kEvent, "Event", 'o'},
    {HeaderId::kAllowEvents, "Allow-Events", 'u'},
    {HeaderId::kReferTo, "Refer-To", 'r'},
    {HeaderId::kReferredBy, "Referred-By", 'b'},
    {HeaderId::kAcceptContact, "Accept-Contact", 'a'},
    {HeaderId::kRejectContact, "Reject-Contact", 'j'},
    {HeaderId::kRequestDisposition, "Request-Disposition", 'd'},
    {HeaderId::kIdentity, "Identity", 'y'},
});

}  // namespace

HeaderName resolve_header_name(std::string_view written) {
  if (written.size() == 1) {
    char compact = scan::to_lower(written[0]);
    for (const KnownHeader& known : kKnownHeaders) {
      if (known.compact == compact) return {known.id, known.name};
    }
    return {HeaderId::kOther, written};
  }
  for (const KnownHeader& known : kKnownHeaders) {
    if (scan::iequals(known.name, written)) return {known.id, known.name};
  }
  return {HeaderId::kOther, written};
}

}  // namespace unicc::sip
