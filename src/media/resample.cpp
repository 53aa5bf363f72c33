#include "media/resample.h"

#include <samplerate.h>

#include <stdexcept>
#include <string>

namespace unicc::media {

std::vector<float> resample(std::span<const float> in, int from_rate, int to_rate) {
  if (from_rate <= 0 || to_rate <= 0) {
    throw std::invalid_argument("resample: bad rate " + std::to_string(from_rate) + " -> " + std::to_string(to_rate));
  }
  if (from_rate == to_rate || in.empty()) return {in.begin(), in.end()};
  const double ratio = static_cast<double>(to_rate) / from_rate;
  // A few samples of headroom: libsamplerate may round the output length up.
  std::vector<float> out(static_cast<std::size_t>(static_cast<double>(in.size()) * ratio) + 16);
  SRC_DATA data{};
  data.data_in = in.data();
  data.input_frames = static_cast<long>(in.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  const int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1);
  if (error != 0) throw std::runtime_error(std::string("resample: ") + src_strerror(error));
  out.resize(static_cast<std::size_t>(data.output_frames_gen));
  return out;
}

}  // namespace unicc::media
