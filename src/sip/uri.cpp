#include "sip/uri.h"

#include <array>

namespace unicc::sip {
namespace {

using scan::all_of_class;

constexpr ParseError kBadHost{"Malformed host"};
constexpr ParseError kBadUri{"Malformed URI"};

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  while (true) {
    std::size_t dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    if (part.size() > 3 || !scan::parse_uint(part, 255)) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool valid_ipv6(std::string_view s) {
  if (s.find(':') == std::string_view::npos) return false;
  for (char c : s) {
    if (scan::hex_value(c) < 0 && c != ':' && c != '.') return false;
  }
  return true;
}

// Compares two %-escaped strings by their decoded bytes without allocating.
bool escaped_equal(std::string_view a, std::string_view b, bool ignore_case) {
  auto next = [](std::string_view s, std::size_t& i) {
    char c = s[i++];
    if (c == '%' && i + 1 < s.size() && scan::hex_value(s[i]) >= 0 &&
        scan::hex_value(s[i + 1]) >= 0) {
      c = static_cast<char>(scan::hex_value(s[i]) * 16 + scan::hex_value(s[i + 1]));
      i += 2;
    }
    return c;
  };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    char x = next(a, i);
    char y = next(b, j);
    if (ignore_case ? scan::to_lower(x) != scan::to_lower(y) : x != y) return false;
  }
  return i == a.size() && j == b.size();
}

// Parameters whose presence on one side only makes two URIs differ (§19.1.4).
bool must_match_when_present(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kNames = {"user", "ttl", "method", "maddr",
                                                             "transport"};
  for (std::string_view candidate : kNames) {
    if (scan::iequals(name, candidate)) return true;
  }
  return false;
}

bool params_equivalent(const ParamList& a, const ParamList& b) {
  bool equal = true;
  a.for_each([&](const Param& param) {
    std::optional<std::string_view> other = b.get(param.name);
    if (other) {
      equal = escaped_equal(param.value, *other, true);
    } else {
      equal = !must_match_when_present(param.name);
    }
    return equal;
  });
  if (!equal) return false;
  b.for_each([&](const Param& param) {
    equal = !must_match_when_present(param.name) || a.has(param.name);
    return equal;
  });
  return equal;
}

bool headers_equivalent(const ParamList& a, const ParamList& b) {
  std::size_t a_count = 0;
  std::size_t b_count = 0;
  bool equal = true;
  a.for_each([&](const Param& header) {
    ++a_count;
    std::optional<std::string_view> other = b.get(header.name);
    equal = other && escaped_equal(header.value, *other, false);
    return equal;
  });
  b.for_each([&](const Param&) { return ++b_count, true; });
  return equal && a_count == b_count;
}

Result<Uri> parse_sip(Uri uri, std::string_view rest) {
  std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    std::size_t colon = userinfo.find(':');
    uri.user = userinfo.substr(0, colon);
    if (!all_of_class(uri.user, scan::kUnreserved | scan::kUserUnreserved, true)) {
      return ParseError{"Malformed URI user"};
    }
    if (colon != std::string_view::npos) {
      uri.password = userinfo.substr(colon + 1);
      if (!uri.password.empty() &&
          !all_of_class(uri.password, scan::kUnreserved | scan::kPasswordExtra, true)) {
        return ParseError{"Malformed URI password"};
      }
    }
    rest.remove_prefix(at + 1);
  }
  std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    auto headers = ParamList::parse(rest.substr(question + 1), ParamSyntax::kUriHeaders);
    if (!headers) return ParseError{"Malformed URI headers"};
    uri.headers = *headers;
    rest = rest.substr(0, question);
  }
  std::size_t semicolon = rest.find(';');
  if (semicolon != std::string_view::npos) {
    auto params = ParamList::parse(rest.substr(semicolon + 1), ParamSyntax::kUri);
    if (!params) return ParseError{"Malformed URI parameters"};
    uri.params = *params;
    rest = rest.substr(0, semicolon);
  }
  auto host_port = HostPort::parse(rest, false);
  if (!host_port) return host_port.error();
  uri.host_port = *host_port;
  return uri;
}

Result<Uri> parse_tel(Uri uri, std::string_view rest) {
  std::size_t semicolon = rest.find(';');
  uri.user = rest.substr(0, semicolon);
  if (!all_of_class(uri.user, scan::kUnreserved | scan::kPasswordExtra, true)) {
    return ParseError{"Malformed telephone number"};
  }
  if (semicolon != std::string_view::npos) {
    auto params = ParamList::parse(rest.substr(semicolon + 1), ParamSyntax::kUri);
    if (!params) return ParseError{"Malformed URI parameters"};
    uri.params = *params;
  }
  return uri;
}

}  // namespace

Result<HostPort> HostPort::parse(std::string_view text, bool allow_lws) {
  HostPort result;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return kBadHost;
    result.host = text.substr(1, close - 1);
    if (!valid_ipv6(result.host)) return kBadHost;
    result.kind = HostKind::kIPv6;
    rest = text.substr(close + 1);
  } else {
    std::size_t colon = text.find(':');
    result.host = text.substr(0, colon);
    rest = text.substr(result.host.size());
    if (allow_lws) result.host = scan::trim(result.host);
    if (!all_of_class(result.host, scan::kHostName)) return kBadHost;
    if (result.host.find_first_not_of("0123456789.") == std::string_view::npos) {
      if (!valid_ipv4(result.host)) return kBadHost;
      result.kind = HostKind::kIPv4;
    }
  }
  if (allow_lws) rest = scan::trim(rest);
  if (rest.empty()) return result;
  if (rest.front() != ':') return kBadHost;
  rest.remove_prefix(1);
  auto port = scan::parse_uint(allow_lws ? scan::trim(rest) : rest, 65535);
  if (!port || *port == 0) return ParseError{"Malformed port"};
  result.port = static_cast<std::uint16_t>(*port);
  return result;
}

void HostPort::append_to(std::string& out) const {
  if (kind == HostKind::kIPv6) {
    out += '[';
    out += host;
    out += ']';
  } else {
    out += host;
  }
  if (port != 0) {
    out += ':';
    out += std::to_string(port);
  }
}

Result<Uri> Uri::parse(std::string_view text) {
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !scan::has_class(text[0], scan::kAlpha) ||
      !all_of_class(text.substr(0, colon), scan::kSchemeChar)) {
    return kBadUri;
  }
  std::string_view scheme = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  Uri uri;
  uri.raw = text;
  if (scan::iequals(scheme, "sip") || scan::iequals(scheme, "sips")) {
    uri.scheme = scheme.size() == 3 ? UriScheme::kSip : UriScheme::kSips;
    return parse_sip(uri, rest);
  }
  if (scan::iequals(scheme, "tel")) {
    uri.scheme = UriScheme::kTel;
    return parse_tel(uri, rest);
  }
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"') return kBadUri;
  }
  if (rest.empty()) return kBadUri;
  uri.scheme = UriScheme::kOther;
  return uri;
}

std::string Uri::user_decoded() const {
  std::string decoded;
  scan::append_unescaped(user, decoded);
  return decoded;
}

void Uri::append_to(std::string& out) const {
  switch (scheme) {
    case UriScheme::kOther:
      out += raw;
      return;
    case UriScheme::kTel:
      out += "tel:";
      out += user;
      break;
    case UriScheme::kSip:
    case UriScheme::kSips:
      out += scheme == UriScheme::kSip ? "sip:" : "sips:";
      if (!user.empty()) {
        out += user;
        if (!password.empty()) {
          out += ':';
          out += password;
        }
        out += '@';
      }
      host_port.append_to(out);
      break;
  }
  if (!params.empty()) {
    out += ';';
    out += params.raw();
  }
  if (!headers.empty()) {
    out += '?';
    out += headers.raw();
  }
}

std::string Uri::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

bool equivalent(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) return false;
  if (a.scheme == UriScheme::kOther) return a.raw == b.raw;
  return escaped_equal(a.user, b.user, false) && escaped_equal(a.password, b.password, false) &&
         scan::iequals(a.host_port.host, b.host_port.host) && a.host_port.port == b.host_port.port &&
         params_equivalent(a.params, b.params) && headers_equivalent(a.headers, b.headers);
}

}  // namespace unicc::sip
