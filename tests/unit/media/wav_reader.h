#pragma once
// Reads a recording back for the media tests: frame count, channels, and the RMS
// level of each channel.
#include <sndfile.h>

#include <cmath>
#include <string>
#include <vector>

namespace unicc::media::testing {

struct WavSummary {
  bool opened = false;
  int sample_rate = 0;
  int channels = 0;
  long frames = 0;
  std::vector<std::int16_t> interleaved;

  double rms(int channel, long first_frame = 0, long end_frame = -1) const {
    if (end_frame < 0) end_frame = frames;
    double sum = 0;
    for (long frame = first_frame; frame < end_frame; ++frame) {
      const double sample = interleaved[static_cast<std::size_t>(frame * channels + channel)];
      sum += sample * sample;
    }
    return end_frame > first_frame ? std::sqrt(sum / static_cast<double>(end_frame - first_frame)) : 0.0;
  }
};

inline WavSummary read_wav(const std::string& path) {
  WavSummary summary;
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) return summary;
  summary.opened = true;
  summary.sample_rate = info.samplerate;
  summary.channels = info.channels;
  summary.frames = static_cast<long>(info.frames);
  summary.interleaved.resize(static_cast<std::size_t>(info.frames * info.channels));
  sf_readf_short(file, summary.interleaved.data(), info.frames);
  sf_close(file);
  return summary;
}

}  // namespace unicc::media::testing
