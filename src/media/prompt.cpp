#include "media/prompt.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "media/resample.h"

namespace unicc::media {
namespace {

// libsndfile's float samples span [-1, 1) with 16-bit 32767 at 32767/32768, so this
// scale gives 16-bit sources back unchanged.
constexpr float kFullScale = 32768.0F;

std::vector<float> read_mono(SNDFILE* file, const SF_INFO& info) {
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * channels);
  const sf_count_t read = sf_readf_float(file, interleaved.data(), info.frames);
  std::vector<float> mono(static_cast<std::size_t>(std::max<sf_count_t>(read, 0)));
  for (std::size_t frame = 0; frame < mono.size(); ++frame) {
    float sum = 0;
    for (std::size_t channel = 0; channel < channels; ++channel) sum += interleaved[frame * channels + channel];
    mono[frame] = sum / static_cast<float>(channels);
  }
  return mono;
}

std::vector<std::int16_t> to_linear16(const std::vector<float>& samples) {
  std::vector<std::int16_t> out(samples.size());
  std::transform(samples.begin(), samples.end(), out.begin(), [](float sample) {
    return static_cast<std::int16_t>(std::clamp(std::lround(sample * kFullScale), -32768L, 32767L));
  });
  return out;
}

}  // namespace

Prompt load_prompt(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) throw PromptError("prompt " + path + ": " + sf_strerror(nullptr));
  if (info.channels < 1 || info.samplerate <= 0) {
    sf_close(file);
    throw PromptError("prompt " + path + ": no audio channels");
  }
  if (info.frames / info.samplerate > kMaxPromptLength.count()) {
    sf_close(file);
    throw PromptError("prompt " + path + ": longer than " + std::to_string(kMaxPromptLength.count() / 60) +
                      " minutes");
  }
  const std::vector<float> mono = read_mono(file, info);
  sf_close(file);
  return Prompt(to_linear16(resample(mono, info.samplerate, kPromptSampleRate)));
}

std::optional<std::chrono::milliseconds> audio_length(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) return std::nullopt;
  sf_close(file);
  if (info.samplerate <= 0) return std::nullopt;
  return std::chrono::milliseconds(info.frames * 1000 / info.samplerate);
}

std::string wav_bytes(const Prompt& prompt) {
  const auto samples = prompt.samples();
  const auto data_bytes = static_cast<std::uint32_t>(samples.size() * sizeof(std::int16_t));
  std::string out;
  out.reserve(44 + data_bytes);
  auto put = [&out](std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  };
  out += "RIFF";
  put(36 + data_bytes, 4);
  out += "WAVEfmt ";
  put(16, 4);                     // the fmt chunk's size
  put(1, 2);                      // PCM
  put(1, 2);                      // mono
  put(kPromptSampleRate, 4);
  put(kPromptSampleRate * 2, 4);  // bytes per second
  put(2, 2);                      // bytes per frame
  put(16, 2);                     // bits per sample
  out += "data";
  put(data_bytes, 4);
  for (std::int16_t sample : samples) put(static_cast<std::uint16_t>(sample), 2);
  return out;
}

void save_prompt(const Prompt& prompt, const std::string& path) {
  const std::string partial = path + ".partial";
  SF_INFO info{};
  info.samplerate = kPromptSampleRate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(partial.c_str(), SFM_WRITE, &info);
  if (file == nullptr) throw PromptError("prompt " + partial + ": " + sf_strerror(nullptr));
  const auto samples = prompt.samples();
  const sf_count_t written = sf_write_short(file, samples.data(), static_cast<sf_count_t>(samples.size()));
  const std::string write_error = sf_strerror(file);
  sf_close(file);
  if (written != static_cast<sf_count_t>(samples.size())) {
    std::remove(partial.c_str());
    throw PromptError("prompt " + partial + ": cannot write: " + write_error);
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(partial.c_str());
    throw PromptError("prompt " + path + ": cannot rename from " + partial + ": " + std::strerror(error));
  }
}

}  // namespace unicc::media
