#pragma once
// sip::Message — a parsed SIP request or response (RFC 3261 §7).
//
// Message::parse() takes ownership of the received bytes and validates them
// strictly: start line, header syntax, the headers every message needs (Via,
// From, To, Call-ID, CSeq, and for requests a CSeq method equal to the request
// method), the structured headers below, and size limits. It never throws and
// never reads outside the buffer; garbage yields a ParseError whose reason can
// go straight into a "400 Bad Request" (or 505 for "Unsupported SIP version").
//
// Every string_view a Message hands out points into its own buffer, which is
// shared and immutable: copies and moves of a Message stay valid, and views stay
// valid as long as any copy of the Message lives. Parsing copies nothing but
// unfolds continuation lines in place (CRLF+WSP becomes spaces, as §7.3.1 allows).
//
// Multi-value headers (Via, Contact, Route, Record-Route) may arrive as repeated
// lines, comma-separated values, or both; the lists below hold one entry per
// value in order. Commas inside quoted strings and <...> do not split.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/header_names.h"
#include "sip/params.h"
#include "sip/result.h"
#include "sip/uri.h"

namespace unicc::sip {

// A final response that accepts the request: 2xx.
constexpr bool is_success(int status_code) { return status_code >= 200 && status_code < 300; }

enum class Method : std::uint8_t {
  kOther, kInvite, kAck, kBye, kCancel, kRegister, kOptions, kInfo, kUpdate, kPrack,
  kSubscribe, kNotify, kRefer, kMessage, kPublish,
};
// Methods are case-sensitive (§7.1): "invite" is an unknown method.
Method method_from_name(std::string_view name);

struct Header {
  HeaderId id = HeaderId::kOther;
  std::string_view name;   // canonical long name for known headers, else as written
  std::string_view value;  // trimmed, continuation lines unfolded
};

struct Via {
  std::string_view transport;  // "UDP", "TCP", "TLS", "WS", ... as written
  HostPort sent_by;
  ParamList params;            // all parameters, including the ones below
  std::string_view branch;     // "" when absent
  std::string_view received;   // "" when absent
  bool rport = false;          // ";rport" present, with or without a value
  std::uint16_t rport_value = 0;  // 0 for a bare ";rport"

  // One via-parm (a single comma-separated value of a Via header).
  static Result<Via> parse(std::string_view text);
};

// From, To, Contact, Route and Record-Route values.
struct NameAddr {
  std::string_view display_name;  // without quotes; backslash escapes as written
  Uri uri;
  ParamList params;               // header parameters (after the URI)

  // name-addr or addr-spec with header parameters (§20.10 rules for ";").
  static Result<NameAddr> parse(std::string_view text);

  std::string_view tag() const { return params.get("tag").value_or(""); }
  // Contact ";expires=" in seconds; nullopt when absent or malformed.
  std::optional<std::uint32_t> expires() const;
  // Contact ";q=" as thousandths (";q=0.5" -> 500); nullopt when absent or malformed.
  std::optional<std::uint16_t> q_thousandths() const;
};

struct CSeq {
  std::uint32_t number = 0;  // < 2^31 (§8.1.1.5)
  std::string_view method;
};

struct ParseLimits {
  std::size_t max_message_bytes = 64 * 1024;
  std::size_t max_headers = 128;
  std::size_t max_header_bytes = 8 * 1024;  // one header line after unfolding
  std::size_t max_list_values = 64;         // Via, Contact, Route or Record-Route entries
};

enum class Framing {
  kDatagram,  // UDP: Content-Length optional; bytes beyond it are discarded (§18.3)
  kStream,    // TCP/TLS: Content-Length required (the StreamFramer cut the message)
};

class Message {
 public:
  static Result<Message> parse(std::string data, Framing framing = Framing::kDatagram,
                               const ParseLimits& limits = {});

  bool is_request() const { return is_request_; }
  // Request line; empty / kOther for responses.
  std::string_view method() const { return method_; }
  Method method_id() const { return method_id_; }
  const Uri& request_uri() const { return request_uri_; }
  // The Request-URI exactly as the request line writes it (what digest credentials name).
  std::string_view request_uri_text() const;
  // Status line; 0 / "" for requests.
  int status_code() const { return status_code_; }
  std::string_view reason() const { return reason_; }
  std::string_view start_line() const { return start_line_; }

  // All header lines in order, including the ones parsed below.
  const std::vector<Header>& headers() const { return headers_; }
  // First value of a header, by long or compact name in any case.
  std::optional<std::string_view> header(std::string_view name) const;
  // Every line's value of a header, in order (not split at commas).
  std::vector<std::string_view> header_values(std::string_view name) const;

  const std::vector<Via>& vias() const { return vias_; }  // never empty
  const NameAddr& from() const { return from_; }
  const NameAddr& to() const { return to_; }
  std::string_view call_id() const { return call_id_; }
  const CSeq& cseq() const { return cseq_; }
  std::optional<std::uint32_t> max_forwards() const { return max_forwards_; }
  const std::vector<NameAddr>& contacts() const { return contacts_; }
  bool contact_wildcard() const { return contact_wildcard_; }  // "Contact: *"
  const std::vector<NameAddr>& routes() const { return routes_; }
  const std::vector<NameAddr>& record_routes() const { return record_routes_; }
  std::optional<std::uint32_t> content_length() const { return content_length_; }
  std::string_view content_type() const { return content_type_; }  // with parameters
  std::optional<std::uint32_t> expires() const { return expires_; }
  std::string_view body() const { return body_; }

 private:
  friend class MessageParser;
  Message() = default;

  std::shared_ptr<const std::string> buffer_;
  std::string_view start_line_;
  bool is_request_ = false;
  Method method_id_ = Method::kOther;
  std::string_view method_;
  Uri request_uri_;
  int status_code_ = 0;
  std::string_view reason_;
  std::vector<Header> headers_;
  std::vector<Via> vias_;
  NameAddr from_;
  NameAddr to_;
  std::string_view call_id_;
  CSeq cseq_;
  std::optional<std::uint32_t> max_forwards_;
  std::vector<NameAddr> contacts_;
  bool contact_wildcard_ = false;
  std::vector<NameAddr> routes_;
  std::vector<NameAddr> record_routes_;
  std::optional<std::uint32_t> content_length_;
  std::string_view content_type_;
  std::optional<std::uint32_t> expires_;
  std::string_view body_;
};

}  // namespace unicc::sip
