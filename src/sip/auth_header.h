#pragma once
// sip::AuthHeader — the value of Authorization, Proxy-Authorization,
// WWW-Authenticate or Proxy-Authenticate (RFC 3261 §25.1, Digest per RFC 2617).
//
// parse() splits `scheme param=value, param="quoted", ...` into parameters.
// Values are copies with quotes removed and backslash escapes resolved, because
// digest hashes the exact unescaped bytes (these headers are rare enough that
// the copies do not matter); the scheme and parameter names view the parsed
// text. Parameter names compare case-insensitively.
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
