#pragma once
// Sample-rate conversion for prompts: band-limited (windowed-sinc, libsamplerate's
// medium quality), so going down to 8 kHz removes what lies above 4 kHz instead of
// folding it back into the speech band as dropping samples would. Levels of what
// passes are kept. Off the media threads: a second of audio costs about a millisecond.
#include <span>
#include <vector>

namespace unicc::media {

// `in` at `from_rate` Hz, returned at `to_rate` Hz (about in.size() * to_rate /
// from_rate samples). Throws std::invalid_argument for a rate that is not positive.
std::vector<float> resample(std::span<const float> in, int from_rate, int to_rate);

}  // namespace unicc::media
