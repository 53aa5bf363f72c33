#pragma once
// Player — turns prompts into the 20 ms G.711 payloads an IVR sends towards a caller.
//
// play() starts a sequence of prompts played back to back; with `loop` it starts over
// after the last one (music on hold, tone cadences) until stop(). The owner calls
// next_frame() every 20 ms while it sends: each call returns the next 160 samples
// encoded in the player's law, the end of the sequence padded with silence. A sequence
// that does not loop ends with a frame marked `last` — the "finished" notice; an
// empty one gives a single silent frame marked last, so every such play() is answered.
// After the last frame, and after stop() (which sends no notice), next_frame() returns
// nullopt until the next play(); play() replaces whatever was playing.
// Pure: no clock, no socket, no thread. Not thread-safe: one player per call, used on
// that call's media thread.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/g711.h"
#include "media/prompt.h"

namespace unicc::media {

inline constexpr std::size_t kFrameSamples = 160;  // 20 ms at 8 kHz

struct PlayerFrame {
  std::array<std::uint8_t, kFrameSamples> payload;
  bool last = false;  // the final frame of a sequence that does not loop
};

class Player {
 public:
  explicit Player(G711Law law) : law_(law) {}

  void play(std::vector<Prompt> prompts, bool loop = false);
  void stop() { playing_ = false; }
  bool playing() const { return playing_; }

  std::optional<PlayerFrame> next_frame();

 private:
  // Copies samples from the current position into `out`, moving through the
  // sequence (and round it when looping); what the sequence cannot fill is left as is.
  void fill(std::span<std::int16_t> out);

  G711Law law_;
  std::vector<Prompt> prompts_;
  bool loop_ = false;
  bool playing_ = false;
  bool has_samples_ = false;  // a looping sequence of empty prompts plays silence
  std::size_t prompt_index_ = 0;
  std::size_t sample_index_ = 0;
};

}  // namespace unicc::media
