// libFuzzer target: SIP message parsing, serialization and TCP framing.
//
// Any input must parse or fail cleanly; a message that parses must serialize to
// text that parses again into the same shape and serializes identically.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sip/auth_header.h"
#include "sip/builder.h"
#include "sip/message.h"
#include "sip/stream_framer.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void exercise_framer(const std::string& input) {
  unicc::sip::StreamFramer framer;
  for (std::size_t at = 0; at < input.size(); at += 7) {
    framer.append(std::string_view(input).substr(at, 7));
    while (true) {
      auto next = framer.next();
      if (!next.ok() || !next->has_value()) break;
      (void)unicc::sip::Message::parse(std::move(**next), unicc::sip::Framing::kStream);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace unicc::sip;
  std::string input(reinterpret_cast<const char*>(data), size);
  exercise_framer(input);
  auto message = Message::parse(input);
  if (!message.ok()) return 0;
  for (const Header& header : message->headers()) {
    if (header.id == HeaderId::kAuthorization || header.id == HeaderId::kWwwAuthenticate) {
      (void)AuthHeader::parse(header.value);
    }
  }
  std::string text = serialize(*message);
  auto again = Message::parse(text, Framing::kStream);
  check(again.ok());
  check(again->vias().size() == message->vias().size());
  check(again->contacts().size() == message->contacts().size());
  check(again->call_id() == message->call_id());
  check(again->body() == message->body());
  check(serialize(*again) == text);
  if (message->is_request()) {
    (void)response_to(*message, 200, {}, "fuzz").finish();
  }
  return 0;
}
