#pragma once
// Text from outside — a caller ID or display name from a phone, a trunk, a flow, the
// REST API or the CRM — made safe to write into an outgoing SIP header (RFC 3261
// §25.1). Every value that enters a header we build goes through one of these, so
// CR, LF, NUL or a stray quote can never start a header of the attacker's choosing.
#include <string>
#include <string_view>

namespace unicc::sip {

// A display name as a quoted-string: `"` and `\` escaped, control characters (CR, LF,
// NUL, ...) dropped, at most 128 bytes of the text kept (UTF-8 is allowed: §25.1
// UTF8-NONASCII). Empty text gives "".
std::string quoted_display_name(std::string_view text);

// The user part of a SIP URI: bytes outside unreserved / user-unreserved %-escaped.
std::string escaped_user(std::string_view text);

// A display name as a parsed header holds it (quotes removed, backslash escapes as
// written) turned back into its text, so it can be stored and quoted again.
std::string display_name_text(std::string_view as_written);

}  // namespace unicc::sip
