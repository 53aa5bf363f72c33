#pragma once
// InbandDtmfDetector — DTMF digits heard in the audio itself, for phones and trunks
// that send no RFC 4733 events (dtmf.h handles those).
//
// spandsp's detector (ITU-T Q.23/Q.24: at least 40 ms of tone, twist limits, tuned
// against talk-off by speech and music) runs on 8 kHz linear samples, fed in order in
// blocks of any size. Each key press is reported once, when it has been confirmed
// (about 30 ms into the tone), so an IVR can cut its prompt at once. Not thread-safe:
// one detector per incoming stream, fed from that stream's thread.
#include <cstdint>
#include <span>
#include <string>

#include "media/g711.h"

struct dtmf_rx_state_s;

namespace unicc::media {

class InbandDtmfDetector {
 public:
  InbandDtmfDetector();
  ~InbandDtmfDetector();
  InbandDtmfDetector(const InbandDtmfDetector&) = delete;
  InbandDtmfDetector& operator=(const InbandDtmfDetector&) = delete;

  // The digits ('0'-'9', '*', '#', 'A'-'D') whose press was confirmed within `samples`;
  // usually empty, at most one per 20 ms packet.
  std::string on_samples(std::span<const std::int16_t> samples);
  // The same for a PCMU or PCMA payload.
  std::string on_payload(G711Law law, std::span<const std::uint8_t> payload);

 private:
  dtmf_rx_state_s* state_;
  std::string confirmed_;  // filled by spandsp's callback during on_samples()
};

}  // namespace unicc::media
