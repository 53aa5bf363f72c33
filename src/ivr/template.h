#pragma once
// ivr templates — text with ${variable} references (prompt text, URLs, transfer
// targets, set values). A reference to a variable that has no value becomes "".
// "$$" stands for a literal "$".
#include <map>
#include <string>
#include <vector>

namespace unicc::ivr {

using Variables = std::map<std::string, std::string>;

// The names referenced by `text`; sets `why` when a reference is not closed.
std::vector<std::string> template_references(const std::string& text, std::string& why);

// `text` with every reference replaced by its value.
std::string fill_template(const std::string& text, const Variables& variables);

}  // namespace unicc::ivr
