// libFuzzer target: SDP parsing and serialization.
//
// Any input must parse or fail cleanly; a description that parses must
// serialize to text that parses again and serializes identically.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/sdp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using unicc::sip::SessionDescription;
  auto sdp = SessionDescription::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!sdp.ok()) return 0;
  std::string text = sdp->serialize();
  auto again = SessionDescription::parse(text);
  if (!again.ok() || again->serialize() != text || again->media.size() != sdp->media.size()) {
    std::abort();
  }
  return 0;
}
