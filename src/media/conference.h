#pragma once
// Conference — one audio mix that relay legs join: a three-way call, a supervisor who
// listens, whispers or barges in.
//
// A leg joined to a conference (Relay::join) no longer exchanges audio with the other
// leg of its relay: what it sends goes into the mix (decoded from its G.711 law), and
// every 20 ms it hears the sum of the participants it hears (see Mixer), encoded in its
// law, as part of the one continuous stream it receives (SRTP when the leg is). Its
// digits are still detected and reported by its relay; prompts played towards it
// replace the mix while they play; its relay's call recording goes on unchanged.
// Who hears whom is set here per pair of participants; a new one hears and is heard
// by everyone.
//
// Made by MediaEngine::create_conference(). The mix ticks on one RTP thread while at
// least one leg is joined. Destroying the Conference sends its legs back to their
// relays' plain forwarding. Every method may be called from any thread.
#include <cstddef>
#include <cstdint>
#include <memory>

namespace unicc::media {

class Conference {
 public:
  using Participant = std::uint32_t;

  ~Conference();
  Conference(const Conference&) = delete;
  Conference& operator=(const Conference&) = delete;

  // Whether `listener` hears `speaker`; unknown participants are ignored.
  void set_hears(Participant listener, Participant speaker, bool hears);
  bool hears(Participant listener, Participant speaker) const;
  std::size_t participants() const;

  struct Core;  // defined in conference_core.h; public only for the media module

 private:
  explicit Conference(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  friend class MediaEngine;
  friend class Relay;

  std::shared_ptr<Core> core_;
};

}  // namespace unicc::media
