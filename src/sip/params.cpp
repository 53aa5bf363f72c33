#include "sip/params.h"

namespace unicc::sip {
namespace {

bool valid_param(const Param& param, ParamSyntax syntax, bool has_equals, std::string_view raw_value) {
  using namespace scan;
  switch (syntax) {
    case ParamSyntax::kHeader:
      if (!is_token(param.name)) return false;
      if (!has_equals) return true;
      if (!raw_value.empty() && raw_value.front() == '"') {
        return quoted_string_length(raw_value) == raw_value.size();
      }
      return all_of_class(raw_value, kGenericValue);
    case ParamSyntax::kUri:
      return all_of_class(param.name, kUnreserved | kParamUnreserved, true) &&
             (!has_equals || all_of_class(param.value, kUnreserved | kParamUnreserved, true));
    case ParamSyntax::kUriHeaders:
      return has_equals && all_of_class(param.name, kUnreserved | kHnvUnreserved, true) &&
             (param.value.empty() || all_of_class(param.value, kUnreserved | kHnvUnreserved, true));
  }
  return false;
}

}  // namespace

Param ParamList::split(std::string_view item) {
  std::size_t equals = item.find('=');
  if (equals == std::string_view::npos) return {item, {}};
  std::string_view value = scan::trim(item.substr(equals + 1));
  if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
  return {scan::trim(item.substr(0, equals)), value};
}

std::optional<ParamList> ParamList::parse(std::string_view raw, ParamSyntax syntax) {
  ParamList list(raw, syntax);
  bool valid = scan::split_top_level(raw, list.separator(), [&](std::string_view item) {
    std::size_t equals = item.find('=');
    bool has_equals = equals != std::string_view::npos;
    std::string_view raw_value = has_equals ? scan::trim(item.substr(equals + 1)) : std::string_view{};
    return valid_param(split(item), syntax, has_equals, raw_value);
  });
  if (!valid) return std::nullopt;
  return list;
}

std::optional<std::string_view> ParamList::get(std::string_view name) const {
  std::optional<std::string_view> found;
  for_each([&](const Param& param) {
    if (!scan::iequals(param.name, name)) return true;
    found = param.value;
    return false;
  });
  return found;
}

}  // namespace unicc::sip
