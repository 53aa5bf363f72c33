#pragma once
// OutgoingStream — the numbering of the one RTP stream a relay sends towards a leg.
//
// Whatever feeds it (the other leg's phone, a new phone after a transfer, later a
// prompt player), the receiver sees one SSRC with sequence numbers and timestamps
// that continue without jumps. A packet from a new source (a different incoming SSRC)
// or the first packet after interrupt() re-bases the numbering: it gets the sequence
// number after the newest one sent and a timestamp advanced by the wall time since
// then. Within one source the offsets stay constant, so gaps, reordering and the
// shared timestamp of an RFC 4733 event's packets pass through unchanged. The first
// source keeps its own numbering. Not thread-safe.
#include <chrono>
#include <cstdint>

namespace unicc::media {

class OutgoingStream {
 public:
  // `clock_rate`: RTP timestamp units per second of the media sent (8000 for G.711).
  explicit OutgoingStream(std::uint32_t ssrc, std::uint32_t clock_rate = 8000)
      : ssrc_(ssrc), clock_rate_(clock_rate) {}

  struct Numbering {
    std::uint16_t sequence;
    std::uint32_t timestamp;
  };

  // The outgoing numbering of a packet about to be sent.
  Numbering next(std::uint32_t source_ssrc, std::uint16_t source_sequence, std::uint32_t source_timestamp,
                 std::chrono::steady_clock::time_point now);

  // Packets of the current source were withheld (hold): re-base on the next one so
  // the receiver sees no sequence gap.
  void interrupt() { rebase_pending_ = true; }

  std::uint32_t ssrc() const { return ssrc_; }

 private:
  void rebase(std::uint32_t source_ssrc, std::uint16_t source_sequence, std::uint32_t source_timestamp,
              std::chrono::steady_clock::time_point now);

  std::uint32_t ssrc_;
  std::uint32_t clock_rate_;
  bool started_ = false;
  bool rebase_pending_ = false;
  std::uint32_t source_ssrc_ = 0;
  std::uint16_t sequence_offset_ = 0;
  std::uint32_t timestamp_offset_ = 0;
  // The newest packet sent (highest sequence number, modulo 2^16).
  std::uint16_t newest_sequence_ = 0;
  std::uint32_t newest_timestamp_ = 0;
  std::chrono::steady_clock::time_point newest_sent_at_;
};

}  // namespace unicc::media
