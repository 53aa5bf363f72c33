#pragma once
// sip::SessionDescription — SDP (RFC 4566) for audio offers and answers (RFC 3264).
//
// parse() validates a body and returns views into it, so the text (usually a
// sip::Message body) must outlive the result. The attributes a call needs are
// parsed into fields (rtpmap, fmtp, ptime, direction, rtcp); every other
// attribute and line (i=, b=, k=, ...) is kept as written, so serialize() gives
// back an equivalent description in RFC 4566 line order. Any media type parses,
// so a B2BUA can answer an unwanted video stream with port 0. Lines may end in
// CRLF or a bare LF; serialize() writes CRLF. A description can also be built
// field by field (views into the caller's strings) and serialized.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/result.h"

namespace unicc::sip {

struct SdpOrigin {
  std::string_view username = "-";
  std::uint64_t session_id = 0;
  std::uint64_t session_version = 0;
  std::string_view network_type = "IN";
  std::string_view address_type = "IP4";
  std::string_view address;
};

struct SdpConnection {
  std::string_view network_type = "IN";
  std::string_view address_type = "IP4";
  std::string_view address;  // multicast "/ttl" suffixes kept as written
};

enum class SdpDirection : std::uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };

struct SdpRtpMap {
  std::uint8_t payload_type = 0;
  std::string_view encoding;  // "PCMU", "telephone-event", ...
  std::uint32_t clock_rate = 8000;
  std::uint8_t channels = 0;  // 0 when not written (means 1)
};

struct SdpFmtp {
  std::uint8_t payload_type = 0;
  std::string_view parameters;  // "0-16"
};

struct SdpAttribute {
  std::string_view name;
  std::string_view value;  // "" for property attributes such as a=ice-lite
};

// A line kept verbatim: `type` is its letter, `value` what follows "=".
struct SdpLine {
  char type = 0;
  std::string_view value;
};

struct SdpMedia {
  std::string_view media = "audio";
  std::uint16_t port = 0;        // 0 rejects or disables the stream
  std::uint16_t port_count = 0;  // "m=audio 49170/2": 2; 0 when not written
  std::string_view protocol = "RTP/AVP";
  std::vector<std::string_view> formats;  // payload type numbers for RTP
  std::optional<SdpConnection> connection;
  std::vector<SdpRtpMap> rtpmaps;
  std::vector<SdpFmtp> fmtps;
  std::optional<std::uint32_t> ptime;
  std::optional<SdpDirection> direction;
  std::optional<std::uint16_t> rtcp_port;
  std::string_view rtcp_address;  // "IN IP4 192.0.2.1" after the a=rtcp port, if any
  std::vector<SdpAttribute> attributes;
  std::vector<SdpLine> other_lines;  // i=, b=, k=

  const SdpRtpMap* find_rtpmap(std::uint8_t payload_type) const;
  std::optional<std::string_view> find_fmtp(std::uint8_t payload_type) const;
};

struct SessionDescription {
  SdpOrigin origin;
  std::string_view session_name = "-";
  std::optional<SdpConnection> connection;
  std::uint64_t start_time = 0;
  std::uint64_t stop_time = 0;
  std::optional<SdpDirection> direction;
  std::vector<SdpAttribute> attributes;
  std::vector<SdpLine> other_lines;  // i=, u=, e=, p=, b=, r=, z=, k=, further t=
  std::vector<SdpMedia> media;

  static Result<SessionDescription> parse(std::string_view text);
  std::string serialize() const;

  // The media's own value, else the session's, else sendrecv / nullptr.
  SdpDirection direction_of(const SdpMedia& stream) const;
  const SdpConnection* connection_of(const SdpMedia& stream) const;
};

}  // namespace unicc::sip
