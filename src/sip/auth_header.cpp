#include "sip/auth_header.h"

#include "sip/scan.h"

namespace unicc::sip {

Result<AuthHeader> AuthHeader::parse(std::string_view value) {
  constexpr ParseError kMalformed{"Malformed authentication header"};
  AuthHeader header;
  std::size_t space = value.find_first_of(" \t");
  header.scheme = value.substr(0, space);
  if (!scan::is_token(header.scheme)) return kMalformed;
  if (space == std::string_view::npos) return header;
  bool valid = scan::split_top_level(scan::trim(value.substr(space)), ',', [&](std::string_view item) {
    std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) return false;
    AuthParam param{scan::trim(item.substr(0, equals)), {}};
    std::string_view raw = scan::trim(item.substr(equals + 1));
    if (!scan::is_token(param.name)) return false;
    if (!raw.empty() && raw.front() == '"') {
      if (scan::quoted_string_length(raw) != raw.size()) return false;
      scan::append_unquoted(raw, param.value);
    } else if (scan::is_token(raw)) {
      param.value = raw;
    } else {
      return false;
    }
    header.params.push_back(std::move(param));
    return true;
  });
  if (!valid) return kMalformed;
  return header;
}

std::optional<std::string_view> AuthHeader::param(std::string_view name) const {
  for (const AuthParam& param : params) {
    if (scan::iequals(param.name, name)) return param.value;
  }
  return std::nullopt;
}

}  // namespace unicc::sip
