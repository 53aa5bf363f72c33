#include "sip/message.h"

#include <algorithm>
#include <array>

#include "sip/scan.h"

namespace unicc::sip {
namespace {

constexpr std::string_view kVersion = "SIP/2.0";

// Reads the space-separated pieces of short structured values (Via's
// sent-protocol, CSeq) where the grammar allows linear whitespace.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  // Returns false when no whitespace was there.
  bool skip_wsp() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && scan::is_wsp(text_[pos_])) ++pos_;
    return pos_ > start;
  }
  std::string_view take_token() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && scan::has_class(text_[pos_], scan::kToken)) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  bool take(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // `c` surrounded by optional whitespace (SLASH, COLON, ... in §25.1).
  bool take_separator(char c) {
    skip_wsp();
    bool found = take(c);
    skip_wsp();
    return found;
  }
  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool valid_display_name_tokens(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return scan::is_wsp(c) || scan::has_class(c, scan::kToken); });
}

bool valid_call_id(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == std::string_view::npos) return scan::all_of_class(s, scan::kWord);
  return scan::all_of_class(s.substr(0, at), scan::kWord) &&
         scan::all_of_class(s.substr(at + 1), scan::kWord);
}

std::optional<std::uint32_t> parse_param_uint(const ParamList& params, std::string_view name,
                                              std::uint32_t max) {
  std::optional<std::string_view> value = params.get(name);
  if (!value) return std::nullopt;
  return scan::parse_uint(*value, max);
}

std::optional<CSeq> parse_cseq(std::string_view text) {
  std::size_t digits = text.find_first_not_of("0123456789");
  auto number = scan::parse_uint(text.substr(0, digits), 0x7fffffff);
  if (!number || digits == std::string_view::npos) return std::nullopt;
  Cursor cursor(text.substr(digits));
  if (!cursor.skip_wsp()) return std::nullopt;
  CSeq cseq{*number, cursor.take_token()};
  if (cseq.method.empty() || !cursor.rest().empty()) return std::nullopt;
  return cseq;
}

}  // namespace

Method method_from_name(std::string_view name) {
  static constexpr auto kMethods = std::to_array<std::pair<std::string_view, Method>>({
      {"INVITE", Method::kInvite},     {"ACK", Method::kAck},
      {"BYE", Method::kBye},           {"CANCEL", Method::kCancel},
      {"REGISTER", Method::kRegister}, {"OPTIONS", Method::kOptions},
      {"INFO", Method::kInfo},         {"UPDATE", Method::kUpdate},
      {"PRACK", Method::kPrack},       {"SUBSCRIBE", Method::kSubscribe},
      {"NOTIFY", Method::kNotify},     {"REFER", Method::kRefer},
      {"MESSAGE", Method::kMessage},   {"PUBLISH", Method::kPublish},
  });
  for (const auto& [text, method] : kMethods) {
    if (text == name) return method;
  }
  return Method::kOther;
}

std::optional<std::uint32_t> NameAddr::expires() const {
  return parse_param_uint(params, "expires", 0xffffffff);
}

std::optional<std::uint16_t> NameAddr::q_thousandths() const {
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  std::optional<std::string_view> q = params.get("q");
  if (!q || q->empty() || q->size() > 5 || ((*q)[0] != '0' && (*q)[0] != '1')) return std::nullopt;
  std::uint16_t value = static_cast<std::uint16_t>(((*q)[0] - '0') * 1000);
  if (q->size() == 1) return value;
  if ((*q)[1] != '.') return std::nullopt;
  std::uint16_t scale = 100;
  for (char digit : q->substr(2)) {
    if (!scan::is_digit(digit)) return std::nullopt;
    value = static_cast<std::uint16_t>(value + (digit - '0') * scale);
    scale /= 10;
  }
  if (value > 1000) return std::nullopt;
  return value;
}

Result<Via> Via::parse(std::string_view text) {
  constexpr ParseError kMalformed{"Malformed Via header"};
  // sent-protocol LWS sent-by *( SEMI via-params ), with LWS allowed around "/".
  Cursor cursor(text);
  std::string_view protocol = cursor.take_token();
  if (!scan::iequals(protocol, "SIP") || !cursor.take_separator('/') ||
      cursor.take_token() != "2.0" || !cursor.take_separator('/')) {
    return kMalformed;
  }
  Via via;
  via.transport = cursor.take_token();
  if (via.transport.empty() || !cursor.skip_wsp()) return kMalformed;
  std::string_view rest = cursor.rest();
  std::size_t semicolon = rest.find(';');
  auto sent_by = HostPort::parse(scan::trim(rest.substr(0, semicolon)), true);
  if (!sent_by) return kMalformed;
  via.sent_by = *sent_by;
  if (semicolon == std::string_view::npos) return via;
  auto params = ParamList::parse(scan::trim(rest.substr(semicolon + 1)), ParamSyntax::kHeader);
  if (!params) return kMalformed;
  via.params = *params;
  via.branch = params->get("branch").value_or("");
  via.received = params->get("received").value_or("");
  if (std::optional<std::string_view> rport = params->get("rport")) {
    via.rport = true;
    if (!rport->empty()) {
      auto port = scan::parse_uint(*rport, 65535);
      if (!port) return kMalformed;
      via.rport_value = static_cast<std::uint16_t>(*port);
    }
  }
  return via;
}

Result<NameAddr> NameAddr::parse(std::string_view text) {
  constexpr ParseError kMalformed{"Malformed address"};
  NameAddr result;
  std::string_view uri_text;
  std::string_view after_uri;
  std::size_t angle = text.find('<');
  if (!text.empty() && text.front() == '"') {
    std::size_t quoted = scan::quoted_string_length(text);
    if (quoted == 0) return kMalformed;
    result.display_name = text.substr(1, quoted - 2);
    text = scan::trim(text.substr(quoted));
    angle = text.empty() || text.front() != '<' ? std::string_view::npos : 0;
    if (angle == std::string_view::npos) return kMalformed;
  } else if (angle != std::string_view::npos) {
    result.display_name = scan::trim(text.substr(0, angle));
    if (!valid_display_name_tokens(result.display_name)) return kMalformed;
  }
  if (angle != std::string_view::npos) {
    std::size_t close = text.find('>', angle);
    if (close == std::string_view::npos) return kMalformed;
    uri_text = text.substr(angle + 1, close - angle - 1);
    after_uri = scan::trim(text.substr(close + 1));
  } else {
    // addr-spec: the first ";" starts header parameters, so the URI carries none (§20.10).
    std::size_t semicolon = text.find(';');
    uri_text = scan::trim(text.substr(0, semicolon));
    if (uri_text.find_first_of("?,") != std::string_view::npos) return kMalformed;
    after_uri = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon);
  }
  auto uri = Uri::parse(uri_text);
  if (!uri) return uri.error();
  result.uri = *uri;
  if (after_uri.empty()) return result;
  if (after_uri.front() != ';') return kMalformed;
  auto params = ParamList::parse(scan::trim(after_uri.substr(1)), ParamSyntax::kHeader);
  if (!params) return kMalformed;
  result.params = *params;
  return result;
}

// Fills a Message from its buffer; one instance per parse.
class MessageParser {
 public:
  MessageParser(Message& message, std::string& text, Framing framing, const ParseLimits& limits)
      : message_(message), text_(text), limits_(limits), framing_(framing) {}

  std::optional<ParseError> run() {
    std::size_t start = 0;
    while (text_.compare(start, 2, "\r\n") == 0) start += 2;  // §7.5: ignore leading CRLFs
    std::size_t head_end = text_.find("\r\n\r\n", start);
    if (head_end == std::string::npos) return ParseError{"Missing empty line after headers"};
    unfold(start, head_end);
    std::string_view head = std::string_view(text_).substr(start, head_end + 2 - start);
    if (auto error = parse_lines(head)) return error;
    if (auto error = check_required()) return error;
    return cut_body(head_end + 4);
  }

 private:
  // Continuation lines become part of the previous line: CRLF+WSP -> SP+SP+WSP.
  void unfold(std::size_t start, std::size_t head_end) {
    for (std::size_t crlf = text_.find("\r\n", start); crlf < head_end;
         crlf = text_.find("\r\n", crlf + 2)) {
      if (scan::is_wsp(text_[crlf + 2])) text_[crlf] = text_[crlf + 1] = ' ';
    }
  }

  std::optional<ParseError> parse_lines(std::string_view head) {
    bool first = true;
    while (!head.empty()) {
      std::size_t end = head.find("\r\n");
      std::string_view line = head.substr(0, end);
      head.remove_prefix(end + 2);
      if (line.size() > limits_.max_header_bytes) return ParseError{"Header too long"};
      bool has_control = std::any_of(line.begin(), line.end(), [](char c) {
        return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
      });
      if (has_control) return ParseError{"Invalid character in message"};
      if (first) {
        first = false;
        if (auto error = parse_start_line(line)) return error;
      } else if (message_.headers_.size() == limits_.max_headers) {
        return ParseError{"Too many headers"};
      } else if (auto error = parse_header_line(line)) {
        return error;
      }
    }
    return std::nullopt;
  }

  std::optional<ParseError> parse_start_line(std::string_view line) {
    message_.start_line_ = line;
    bool response = line.size() >= 4 && scan::iequals(line.substr(0, 4), "SIP/");
    return response ? parse_status_line(line) : parse_request_line(line);
  }

  static std::optional<ParseError> check_version(std::string_view version) {
    if (scan::iequals(version, kVersion)) return std::nullopt;
    if (version.size() >= 4 && scan::iequals(version.substr(0, 4), "SIP/")) {
      return ParseError{"Unsupported SIP version"};
    }
    return ParseError{"Malformed start line"};
  }

  std::optional<ParseError> parse_status_line(std::string_view line) {
    // SIP-Version SP Status-Code SP Reason-Phrase
    std::size_t space = line.find(' ');
    if (auto error = check_version(line.substr(0, space))) return error;
    std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
    auto code = scan::parse_uint(rest.substr(0, 3), 699);
    if (!code || *code < 100 || rest.size() < 3 || (rest.size() > 3 && rest[3] != ' ')) {
      return ParseError{"Malformed status line"};
    }
    message_.status_code_ = static_cast<int>(*code);
    message_.reason_ = rest.size() > 3 ? rest.substr(4) : "";
    return std::nullopt;
  }

  std::optional<ParseError> parse_request_line(std::string_view line) {
    // Method SP Request-URI SP SIP-Version
    constexpr ParseError kMalformed{"Malformed request line"};
    std::size_t first_space = line.find(' ');
    if (first_space == std::string_view::npos) return kMalformed;
    std::size_t second_space = line.find(' ', first_space + 1);
    if (second_space == std::string_view::npos) return kMalformed;
    std::string_view method = line.substr(0, first_space);
    if (!scan::is_token(method)) return kMalformed;
    if (auto error = check_version(line.substr(second_space + 1))) return error;
    auto uri = Uri::parse(line.substr(first_space + 1, second_space - first_space - 1));
    if (!uri) return ParseError{"Malformed Request-URI"};
    message_.is_request_ = true;
    message_.method_ = method;
    message_.method_id_ = method_from_name(method);
    message_.request_uri_ = *uri;
    return std::nullopt;
  }

  std::optional<ParseError> parse_header_line(std::string_view line) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return ParseError{"Malformed header line"};
    std::string_view written_name = scan::trim(line.substr(0, colon));
    if (!scan::is_token(written_name)) return ParseError{"Malformed header name"};
    HeaderName name = resolve_header_name(written_name);
    std::string_view value = scan::trim(line.substr(colon + 1));
    message_.headers_.push_back({name.id, name.name, value});
    return parse_known_header(name.id, value);
  }

  std::optional<ParseError> parse_known_header(HeaderId id, std::string_view value) {
    switch (id) {
      case HeaderId::kVia:
        return parse_list(value, message_.vias_, "Malformed Via header", &Via::parse);
      case HeaderId::kFrom:
        return parse_single_address(value, message_.from_, "Malformed From header");
      case HeaderId::kTo:
        return parse_single_address(value, message_.to_, "Malformed To header");
      case HeaderId::kContact:
        return parse_contact(value);
      case HeaderId::kRoute:
        return parse_list(value, message_.routes_, "Malformed Route header", &NameAddr::parse);
      case HeaderId::kRecordRoute:
        return parse_list(value, message_.record_routes_, "Malformed Record-Route header",
                          &NameAddr::parse);
      case HeaderId::kCallId:
        if (!message_.call_id_.empty() || !valid_call_id(value)) {
          return ParseError{"Malformed Call-ID header"};
        }
        message_.call_id_ = value;
        return std::nullopt;
      case HeaderId::kCSeq:
        return parse_cseq_header(value);
      case HeaderId::kMaxForwards:
        return parse_number(value, 255, message_.max_forwards_, "Malformed Max-Forwards header");
      case HeaderId::kContentLength:
        return parse_number(value, static_cast<std::uint32_t>(limits_.max_message_bytes),
                            message_.content_length_, "Malformed Content-Length header");
      case HeaderId::kExpires:
        return parse_number(value, 0xffffffff, message_.expires_, "Malformed Expires header");
      case HeaderId::kContentType:
        if (!message_.content_type_.empty() || value.find('/') == std::string_view::npos) {
          return ParseError{"Malformed Content-Type header"};
        }
        message_.content_type_ = value;
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  template <typename Item>
  std::optional<ParseError> parse_list(std::string_view value, std::vector<Item>& items,
                                       std::string_view reason,
                                       Result<Item> (*parse_item)(std::string_view)) {
    bool ok = scan::split_top_level(value, ',', [&](std::string_view text) {
      if (items.size() == limits_.max_list_values) return false;
      auto item = parse_item(text);
      if (!item) return false;
      items.push_back(std::move(item).value());
      return true;
    });
    if (ok) return std::nullopt;
    return ParseError{reason};
  }

  std::optional<ParseError> parse_single_address(std::string_view value, NameAddr& target,
                                                 std::string_view reason) {
    if (!target.uri.raw.empty()) return ParseError{reason};
    auto address = NameAddr::parse(value);
    if (!address) return ParseError{reason};
    target = *address;
    return std::nullopt;
  }

  std::optional<ParseError> parse_contact(std::string_view value) {
    constexpr std::string_view kMalformed = "Malformed Contact header";
    if (message_.contact_wildcard_) return ParseError{kMalformed};
    if (value == "*") {
      if (!message_.contacts_.empty()) return ParseError{kMalformed};
      message_.contact_wildcard_ = true;
      return std::nullopt;
    }
    return parse_list(value, message_.contacts_, kMalformed, &NameAddr::parse);
  }

  std::optional<ParseError> parse_cseq_header(std::string_view value) {
    std::optional<CSeq> cseq = parse_cseq(value);
    if (!cseq || !message_.cseq_.method.empty()) return ParseError{"Malformed CSeq header"};
    message_.cseq_ = *cseq;
    return std::nullopt;
  }

  static std::optional<ParseError> parse_number(std::string_view value, std::uint32_t max,
                                                std::optional<std::uint32_t>& target,
                                                std::string_view reason) {
    std::optional<std::uint32_t> number = scan::parse_uint(value, max);
    if (!number || target) return ParseError{reason};
    target = number;
    return std::nullopt;
  }

  std::optional<ParseError> check_required() const {
    if (message_.vias_.empty()) return ParseError{"Missing Via header"};
    if (message_.from_.uri.raw.empty()) return ParseError{"Missing From header"};
    if (message_.to_.uri.raw.empty()) return ParseError{"Missing To header"};
    if (message_.call_id_.empty()) return ParseError{"Missing Call-ID header"};
    if (message_.cseq_.method.empty()) return ParseError{"Missing CSeq header"};
    if (message_.is_request_ && message_.cseq_.method != message_.method_) {
      return ParseError{"CSeq method does not match request method"};
    }
    return std::nullopt;
  }

  std::optional<ParseError> cut_body(std::size_t body_start) {
    std::string_view rest = std::string_view(text_).substr(body_start);
    if (!message_.content_length_) {
      if (framing_ == Framing::kStream) return ParseError{"Missing Content-Length header"};
      message_.body_ = rest;
      return std::nullopt;
    }
    if (*message_.content_length_ > rest.size()) {
      return ParseError{"Body shorter than Content-Length"};
    }
    message_.body_ = rest.substr(0, *message_.content_length_);
    return std::nullopt;
  }

  Message& message_;
  std::string& text_;
  const ParseLimits& limits_;
  Framing framing_;
};

Result<Message> Message::parse(std::string data, Framing framing, const ParseLimits& limits) {
  if (data.size() > limits.max_message_bytes) return ParseError{"Message too large"};
  auto buffer = std::make_shared<std::string>(std::move(data));
  Message message;
  message.headers_.reserve(16);
  if (auto error = MessageParser(message, *buffer, framing, limits).run()) return *error;
  message.buffer_ = std::move(buffer);
  return message;
}

namespace {

bool same_header(const Header& header, const HeaderName& wanted) {
  return wanted.id == HeaderId::kOther ? scan::iequals(header.name, wanted.name)
                                       : header.id == wanted.id;
}

}  // namespace

std::optional<std::string_view> Message::header(std::string_view name) const {
  HeaderName wanted = resolve_header_name(name);
  for (const Header& header : headers_) {
    if (same_header(header, wanted)) return header.value;
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::header_values(std::string_view name) const {
  HeaderName wanted = resolve_header_name(name);
  std::vector<std::string_view> values;
  for (const Header& header : headers_) {
    if (same_header(header, wanted)) values.push_back(header.value);
  }
  return values;
}

std::string_view Message::request_uri_text() const {
  if (!is_request_) return {};
  const auto first = start_line_.find(' ');
  const auto last = start_line_.rfind(' ');
  if (first == std::string_view::npos || last <= first) return {};
  return start_line_.substr(first + 1, last - first - 1);
}

}  // namespace unicc::sip
