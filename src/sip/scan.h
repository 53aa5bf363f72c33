#pragma once
// Character classes and small scanners shared by the SIP and SDP parsers (internal).
//
// Everything works on std::string_view, never throws and never allocates except the
// helpers that append into a caller's std::string. Character classes follow the
// RFC 3261 §25 ABNF names; a byte >= 0x80 belongs to no class.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/text.h"

namespace unicc::sip::scan {

enum CharClass : std::uint16_t {
  kDigit = 1 << 0,
  kAlpha = 1 << 1,
  kHex = 1 << 2,
  kToken = 1 << 3,            // token (§25.1)
  kUnreserved = 1 << 4,       // alphanum / mark
  kUserUnreserved = 1 << 5,   // "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
  kPasswordExtra = 1 << 6,    // "&" / "=" / "+" / "$" / ","
  kParamUnreserved = 1 << 7,  // "[" / "]" / "/" / ":" / "&" / "+" / "$"
  kHnvUnreserved = 1 << 8,    // "[" / "]" / "/" / "?" / ":" / "+" / "$"
  kWord = 1 << 9,             // word (Call-ID)
  kHostName = 1 << 10,        // alphanum / "-" / "."
  kSchemeChar = 1 << 11,      // alphanum / "+" / "-" / "."
  kGenericValue = 1 << 12,    // token / host (IPv6 references included)
};

bool has_class(char c, std::uint16_t classes);
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_wsp(char c) { return c == ' ' || c == '\t'; }
inline char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// True if `s` is non-empty and every byte, or %HH escape where `allow_escapes`, is
// in `classes`.
bool all_of_class(std::string_view s, std::uint16_t classes, bool allow_escapes = false);
inline bool is_token(std::string_view s) { return all_of_class(s, kToken); }

bool iequals(std::string_view a, std::string_view b);
using core::trim;  // SP and HTAB on both ends

// Decimal digits only (no sign, no spaces), at most `max`.
std::optional<std::uint32_t> parse_uint(std::string_view s, std::uint32_t max);

// -1 if `c` is not a hex digit.
int hex_value(char c);

// Offset of the first `separator` at or after `from` that lies outside quoted
// strings and <...>; s.size() if there is none. `balanced` becomes false if a
// quoted string or <...> is left open at the end of `s`.
std::size_t find_top_level(std::string_view s, char separator, std::size_t from, bool& balanced);

// Calls on_item(trimmed item) for every `separator`-separated item of `s` that is
// outside quotes and <...>. Returns false on unbalanced quoting, an empty item, or
// when on_item returns false.
template <typename OnItem>
bool split_top_level(std::string_view s, char separator, OnItem&& on_item) {
  bool balanced = true;
  for (std::size_t start = 0;;) {
    std::size_t end = find_top_level(s, separator, start, balanced);
    if (!balanced) return false;
    std::string_view item = trim(s.substr(start, end - start));
    if (item.empty() || !on_item(item)) return false;
    if (end == s.size()) return true;
    start = end + 1;
  }
}

// Length of the quoted-string at the start of `s` (s[0] == '"'), including both
// quotes, or 0 if it is not terminated.
std::size_t quoted_string_length(std::string_view s);

// Appends `quoted` ("..." with quotes) to `out` with the quotes removed and
// backslash escapes resolved. Precondition: quoted_string_length(quoted) == size.
void append_unquoted(std::string_view quoted, std::string& out);

// Appends `s` to `out` with %HH escapes decoded; an invalid escape is copied as is.
void append_unescaped(std::string_view s, std::string& out);

}  // namespace unicc::sip::scan
