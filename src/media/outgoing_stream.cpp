#include "media/outgoing_stream.h"

#include <algorithm>

namespace unicc::media {

OutgoingStream::Numbering OutgoingStream::next(std::uint32_t source_ssrc, std::uint16_t source_sequence,
                                               std::uint32_t source_timestamp,
                                               std::chrono::steady_clock::time_point now) {
  if (!started_ || rebase_pending_ || source_ssrc != source_ssrc_) {
    rebase(source_ssrc, source_sequence, source_timestamp, now);
  }
  const Numbering numbering{static_cast<std::uint16_t>(source_sequence + sequence_offset_),
                            source_timestamp + timestamp_offset_};
  // Signed 16-bit distance: positive means newer, across the wrap.
  if (static_cast<std::int16_t>(numbering.sequence - newest_sequence_) > 0) {
    newest_sequence_ = numbering.sequence;
    newest_timestamp_ = numbering.timestamp;
    newest_sent_at_ = now;
  }
  return numbering;
}

void OutgoingStream::rebase(std::uint32_t source_ssrc, std::uint16_t source_sequence,
                            std::uint32_t source_timestamp, std::chrono::steady_clock::time_point now) {
  if (!started_) {
    // Nothing sent yet: keep the first source's numbering, and make it the newest.
    newest_sequence_ = static_cast<std::uint16_t>(source_sequence - 1);
    newest_timestamp_ = source_timestamp;
    newest_sent_at_ = now;
  } else {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - newest_sent_at_);
    // At least one unit, so the new source's first packet never shares a timestamp
    // with the last packet of the old one.
    const auto elapsed_units = std::max<std::int64_t>(1, elapsed.count() * clock_rate_ / 1'000'000);
    const auto next_timestamp = static_cast<std::uint32_t>(newest_timestamp_ + elapsed_units);
    sequence_offset_ = static_cast<std::uint16_t>(newest_sequence_ + 1 - source_sequence);
    timestamp_offset_ = next_timestamp - source_timestamp;
  }
  started_ = true;
  rebase_pending_ = false;
  source_ssrc_ = source_ssrc;
}

}  // namespace unicc::media
