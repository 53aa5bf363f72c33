#pragma once
// sip::AuthHeader — the value of Authorization, Proxy-Authorization,
// WWW-Authenticate or Proxy-Authenticate (RFC 3261 §25.1, Digest per RFC 2617).
//
// parse() splits `scheme param=value, param="quoted", ...` into parameters with
// quoted strings unquoted and unescaped (the only copies made: these headers
// appear once per registration or call, and digest needs the exact bytes).
// Parameter names compare case-insensitively; values are kept as sent.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/result.h"

namespace unicc::sip {

struct AuthParam {
  std::string_view name;
  std::string value;
};

struct AuthHeader {
  std::string_view scheme;  // "Digest"
  std::vector<AuthParam> params;

  static Result<AuthHeader> parse(std::string_view value);
  std::optional<std::string_view> param(std::string_view name) const;
};

}  // namespace unicc::sip
