// libFuzzer target: the a=crypto attribute parser (SDES keys from hostile peers).
//
// Any input must parse or fail cleanly; a line that parses must format back to a
// line that parses to the same tag and key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/sdp_crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace unicc::sip;
  const auto crypto = parse_crypto(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!crypto) return 0;
  const std::string line = format_crypto(crypto->tag, crypto->suite, crypto->key_salt);
  const auto again = parse_crypto(line);  // its suite is a view into `line`
  if (!again || again->tag != crypto->tag || again->key_salt != crypto->key_salt || again->suite != crypto->suite) {
    std::abort();
  }
  return 0;
}
