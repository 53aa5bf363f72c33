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

// For URLs: every value is percent-encoded (all but A-Z a-z 0-9 - . _ ~), so what a
// caller typed or a web service answered cannot add a path, a query parameter or a
// fragment, or change the host; the template's own text is kept as written.
std::string fill_url_template(const std::string& text, const Variables& variables);

// The part of an http(s) URL template before its path, query or fragment (the
// scheme and the authority), where references are not allowed.
std::string url_authority_part(const std::string& url);

}  // namespace unicc::ivr
