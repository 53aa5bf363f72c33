#pragma once
// call::AudioOffer — the audio a party's SDP offers or answers, narrowed to what
// unicc relays (PCMU, PCMA, RFC 4733 telephone-event), and the SDP unicc sends
// in its own name (its relay address and port; codecs as negotiated).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/relay.h"

namespace unicc::call {

struct Codec {
  std::uint8_t payload_type = 0;
  std::string name;  // "PCMU", "PCMA", "telephone-event"
  std::uint32_t clock_rate = 8000;
  std::string fmtp;  // e.g. "0-16" for telephone-event
};

struct AudioOffer {
  std::string address;  // c= of the audio stream; "0.0.0.0" for old-style hold
  std::uint16_t port = 0;
  std::vector<Codec> codecs;  // voice codecs first, in the party's order, then telephone-event
  media::Direction direction = media::Direction::kSendRecv;
  std::optional<std::uint32_t> ptime;

  std::optional<std::uint8_t> dtmf_payload_type() const;
  bool has_voice_codec() const;
};

struct SdpOutcome {
  std::optional<AudioOffer> offer;
  int status = 0;       // when no offer: 400 (bad SDP) or 488 (nothing we can relay)
  std::string reason;
};

// Reads the first audio stream of an SDP body.
SdpOutcome read_audio(std::string_view sdp_body);

// The direction an answerer states for an offered direction (RFC 3264 §6.1).
media::Direction answer_direction(media::Direction offered);

// SDP for our side of a leg: our relay address and port, the given codecs, the
// given direction. `version` must grow with each new description in a dialog.
std::string describe_audio(const std::vector<Codec>& codecs, std::string_view address, std::uint16_t port,
                           media::Direction direction, std::uint64_t session_id, std::uint64_t version,
                           std::optional<std::uint32_t> ptime);

// What unicc answers itself to an offer (a call it answers, an IVR): the first voice
// codec offered, plus telephone-event when offered. `offered` must have a voice codec.
std::vector<Codec> answer_codecs(const std::vector<Codec>& offered);

// The codecs of `answer` that `offer` also had (by name), in the answer's order.
std::vector<Codec> common_codecs(const std::vector<Codec>& offer, const std::vector<Codec>& answer);

}  // namespace unicc::call
