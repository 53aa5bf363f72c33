#pragma once
// Signal measurements for the prompt tests: the amplitude of one frequency
// (a single-bin DFT, i.e. Goertzel's quantity), RMS, and test signals.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

namespace unicc::media::testing {

// Amplitude of the sine at `frequency` in `samples` (exact over whole cycles).
template <typename Sample>
double tone_amplitude(std::span<const Sample> samples, double frequency, double rate) {
  double re = 0;
  double im = 0;
  for (std::size_t n = 0; n < samples.size(); ++n) {
    const double phase = 2 * std::numbers::pi * frequency * static_cast<double>(n) / rate;
    re += static_cast<double>(samples[n]) * std::cos(phase);
    im += static_cast<double>(samples[n]) * std::sin(phase);
  }
  return 2 * std::hypot(re, im) / static_cast<double>(samples.size());
}

template <typename Sample>
double rms(std::span<const Sample> samples) {
  double sum = 0;
  for (Sample sample : samples) sum += static_cast<double>(sample) * static_cast<double>(sample);
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

inline std::vector<float> sine(double frequency, double amplitude, double rate, double seconds) {
  std::vector<float> out(static_cast<std::size_t>(rate * seconds));
  for (std::size_t n = 0; n < out.size(); ++n) {
    out[n] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(n) / rate));
  }
  return out;
}

// Adds white Gaussian noise of RMS `level` (deterministic seed), clipping to 16 bits.
inline void add_noise(std::vector<std::int16_t>& samples, double level) {
  std::mt19937 random(42);
  std::normal_distribution<double> noise(0.0, level);
  for (std::int16_t& sample : samples) {
    sample = static_cast<std::int16_t>(std::clamp(std::lround(sample + noise(random)), -32768L, 32767L));
  }
}

}  // namespace unicc::media::testing
