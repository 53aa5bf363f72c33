#pragma once
// call::AudioOffer — the audio a party's SDP offers or answers, narrowed to what
// unicc relays (PCMU, PCMA, RFC 4733 telephone-event), and the SDP unicc sends
// in its own name (its relay address and port; codecs as negotiated).
//
// SRTP by SDES (RFC 4568) is negotiated per leg under an SrtpPolicy: a party's
// first a=crypto line unicc implements is its key (RTP/SAVP, or RTP/AVP with crypto
// lines: best-effort SRTP as some phones offer it); unicc answers it with a fresh
// key of its own in the same suite and tag, and offers SRTP itself only where the
// policy requires it. Keys travel in the SDP in clear: over plain UDP/TCP anyone on
// the path reads them, which is why SDES belongs with SIP over TLS.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/relay.h"
#include "media/srtp.h"

namespace unicc::call {

struct Codec {
  std::uint8_t payload_type = 0;
  std::string name;  // "PCMU", "PCMA", "telephone-event"
  std::uint32_t clock_rate = 8000;
  std::string fmtp;  // e.g. "0-16" for telephone-event
};

// Whether a party's media is SRTP (media.srtp, [[trunk]] srtp, per extension):
// kOff — plain RTP only (an RTP/SAVP offer gets 488); kOptional — an SRTP offer is
// answered with SRTP, unicc's own offers are plain; kRequired — unicc offers RTP/SAVP
// and a plain offer or answer gets 488.
enum class SrtpPolicy : std::uint8_t { kOff, kOptional, kRequired };
std::optional<SrtpPolicy> srtp_policy_named(std::string_view name);  // "off", "optional", "required"

// One side's SDES key on a leg, as its a=crypto line carries it.
struct SdesKey {
  std::uint32_t tag = 1;
  media::SrtpKey key;
  bool savp = true;  // the m= line says RTP/SAVP (else RTP/AVP with crypto)

  bool operator==(const SdesKey&) const = default;
};

struct AudioOffer {
  std::string address;  // c= of the audio stream; "0.0.0.0" for old-style hold
  std::uint16_t port = 0;
  std::vector<Codec> codecs;  // voice codecs first, in the party's order, then telephone-event
  media::Direction direction = media::Direction::kSendRecv;
  std::optional<std::uint32_t> ptime;
  std::optional<SdesKey> srtp;  // the party's key: its first a=crypto line we implement

  std::optional<std::uint8_t> dtmf_payload_type() const;
  bool has_voice_codec() const;
};

struct SdpOutcome {
  std::optional<AudioOffer> offer;
  int status = 0;       // when no offer: 400 (bad SDP) or 488 (nothing we can relay)
  std::string reason;
};

// Reads the first audio stream of an SDP body. RTP/SAVP without a crypto line we
// implement is 488.
SdpOutcome read_audio(std::string_view sdp_body);

// Our key on a leg whose party offered `offer` (an offer in a new dialog, or a
// re-INVITE's with `current` our key so far): a 488 status when the policy refuses
// the offer; else our key (nullopt: plain RTP). A party that keeps SRTP in the same
// suite keeps our key, so a re-INVITE does not restart the streams.
struct SrtpAnswer {
  int refusal = 0;  // 488 when refused
  std::string reason;
  std::optional<SdesKey> own;
};
SrtpAnswer answer_srtp(SrtpPolicy policy, const AudioOffer& offer, const std::optional<SdesKey>& current = {});

// Our key when unicc makes the first offer on a leg: a fresh one under kRequired.
std::optional<SdesKey> offer_srtp(SrtpPolicy policy);

// Whether a party's answer to our offer (with `own` our key) is acceptable: it
// takes SRTP exactly when we offered it.
bool answer_matches_srtp(const std::optional<SdesKey>& own, const AudioOffer& answer);

// The keys the relay needs for a leg, when both sides have one.
std::optional<media::SrtpKeys> relay_keys(const std::optional<SdesKey>& own, const AudioOffer& party);

// The direction an answerer states for an offered direction (RFC 3264 §6.1).
media::Direction answer_direction(media::Direction offered);

// SDP for our side of a leg: our relay address and port, the given codecs, the
// given direction. `version` must grow with each new description in a dialog.
// `own`, if set, makes it RTP/SAVP (or RTP/AVP as the party offered) with our key's
// a=crypto line.
std::string describe_audio(const std::vector<Codec>& codecs, std::string_view address, std::uint16_t port,
                           media::Direction direction, std::uint64_t session_id, std::uint64_t version,
                           std::optional<std::uint32_t> ptime, const std::optional<SdesKey>& own = {});

// What unicc answers itself to an offer (a call it answers, an IVR): the first voice
// codec offered, plus telephone-event when offered. `offered` must have a voice codec.
std::vector<Codec> answer_codecs(const std::vector<Codec>& offered);

// The codecs of `answer` that `offer` also had (by name), in the answer's order.
std::vector<Codec> common_codecs(const std::vector<Codec>& offer, const std::vector<Codec>& answer);

}  // namespace unicc::call
