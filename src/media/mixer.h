#pragma once
// Mixer — the audio of one conference: who hears whom, and what each one hears.
//
// Participants put 20 ms frames of linear PCM (kFrameSamples at 8 kHz) as their
// packets arrive; once per 20 ms, mix() ends the interval and hands every participant
// the sum of this interval's frames of the participants it hears — never its own
// voice — saturated to 16 bits. Who hears whom is a matrix, so one mixer serves a
// three-way call (everyone hears everyone, the default), a supervisor who listens (hears
// all, heard by none), whispers (heard by the agent only) or barges in (everyone).
//
// Packets do not arrive on the tick: each participant has a short queue that starts
// being read once kPrimeFrames frames wait (absorbing jitter at the cost of one frame
// of delay) and holds at most kMaxQueuedFrames (a sender that runs fast loses its
// oldest frames, so delay stays bounded). A participant with nothing queued is silent
// for that interval and primes again.
//
// Not thread-safe: the owner serialises calls (the media engine does it on one RTP
// thread, or under its lock).
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <span>

namespace unicc::media {

class Mixer {
 public:
  using Id = std::uint32_t;
  static constexpr std::size_t kFrameSamples = 160;
  static constexpr std::size_t kPrimeFrames = 2;
  static constexpr std::size_t kMaxQueuedFrames = 5;
  using Frame = std::array<std::int16_t, kFrameSamples>;

  // A new participant hears everyone and is heard by everyone. Adding one that is
  // already there changes nothing.
  void add(Id id);
  void remove(Id id);
  bool contains(Id id) const { return participants_.contains(id); }
  std::size_t size() const { return participants_.size(); }

  // Whether `listener` hears `speaker` (both must be participants; else ignored).
  void set_hears(Id listener, Id speaker, bool hears);
  bool hears(Id listener, Id speaker) const;

  // One frame of `speaker`'s audio; shorter input is padded with silence, longer cut.
  void put(Id speaker, std::span<const std::int16_t> samples);

  // Ends the interval: `out` is called once per participant, in Id order, with what
  // it hears (silence when nobody it hears spoke).
  void mix(const std::function<void(Id listener, std::span<const std::int16_t> heard)>& out);

 private:
  struct Participant {
    std::deque<Frame> queued;
    bool primed = false;
    std::set<Id> deaf_to;  // speakers this participant does not hear
  };
  std::map<Id, Participant> participants_;
};

}  // namespace unicc::media
