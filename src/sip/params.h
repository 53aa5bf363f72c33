#pragma once
// sip::ParamList — a validated, zero-copy view of ";name=value" style parameters.
//
// Three syntaxes share this type: header parameters (RFC 3261 generic-param, values
// may be quoted strings), URI parameters (uri-parameter) and URI headers
// ("?h1=v1&h2=v2"). parse() validates the whole list once; afterwards lookups
// and iteration cannot fail. Names compare case-insensitively. The list views
// text owned by someone else (usually a sip::Message) and is only valid as long
// as that text is.
#include <optional>
#include <string_view>

#include "sip/scan.h"

namespace unicc::sip {

struct Param {
  std::string_view name;
  std::string_view value;  // "" for a flag such as ";lr"; quoted values without quotes
};

enum class ParamSyntax { kHeader, kUri, kUriHeaders };

class ParamList {
 public:
  ParamList() = default;

  // `raw` is the text after the first separator, e.g. "branch=z9hG4bK1;rport" for
  // ";branch=z9hG4bK1;rport". Returns nullopt if any parameter is malformed.
  static std::optional<ParamList> parse(std::string_view raw, ParamSyntax syntax);

  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  bool empty() const { return raw_.empty(); }
  std::string_view raw() const { return raw_; }
  char separator() const { return syntax_ == ParamSyntax::kUriHeaders ? '&' : ';'; }

  // Calls visit(Param) in order until it returns false.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    if (raw_.empty()) return;
    scan::split_top_level(raw_, separator(), [&](std::string_view item) { return visit(split(item)); });
  }

 private:
  ParamList(std::string_view raw, ParamSyntax syntax) : raw_(raw), syntax_(syntax) {}
  static Param split(std::string_view item);

  std::string_view raw_;
  ParamSyntax syntax_ = ParamSyntax::kHeader;
};

}  // namespace unicc::sip
