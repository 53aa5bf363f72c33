#include "ivr/template.h"

namespace unicc::ivr {
namespace {

// Walks `text`, calling literal(char) and reference(name); false when a reference is unclosed.
template <typename Literal, typename Reference>
bool walk(const std::string& text, Literal literal, Reference reference) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 == text.size()) {
      literal(text[i]);
    } else if (text[i + 1] == '$') {
      literal('$');
      ++i;
    } else if (text[i + 1] == '{') {
      auto close = text.find('}', i + 2);
      if (close == std::string::npos) return false;
      reference(text.substr(i + 2, close - i - 2));
      i = close;
    } else {
      literal(text[i]);
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> template_references(const std::string& text, std::string& why) {
  std::vector<std::string> names;
  if (!walk(text, [](char) {}, [&](const std::string& name) { names.push_back(name); })) {
    why = "a '${' is not closed by '}'";
  }
  return names;
}

std::string fill_template(const std::string& text, const Variables& variables) {
  std::string out;
  walk(
      text, [&](char c) { out += c; },
      [&](const std::string& name) {
        auto it = variables.find(name);
        if (it != variables.end()) out += it->second;
      });
  return out;
}

std::string fill_url_template(const std::string& text, const Variables& variables) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  walk(
      text, [&](char c) { out += c; },
      [&](const std::string& name) {
        auto it = variables.find(name);
        if (it == variables.end()) return;
        for (unsigned char c : it->second) {
          bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
          if (unreserved) {
            out += static_cast<char>(c);
          } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
          }
        }
      });
  return out;
}

std::string url_authority_part(const std::string& url) {
  auto scheme_end = url.find("://");
  std::size_t from = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  return url.substr(0, url.find_first_of("/?#", from));
}

}  // namespace unicc::ivr
