#include "media/tones.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>

namespace unicc::media {
namespace {

constexpr double kZeroDbm0Peak = 22656.0;

std::size_t samples_in(std::chrono::milliseconds duration) {
  return static_cast<std::size_t>(duration.count() * kPromptSampleRate / 1000);
}

struct RegionTones {
  ToneSpec ringback;
  ToneSpec busy;
};

// Levels as the national plans give them: about -10 dBm0 in China and Europe; in the US
// -19 dBm0 per frequency for ringback and -24 for busy (ANSI T1.401).
RegionTones tones_of(ToneRegion region) {
  using std::chrono::milliseconds;
  switch (region) {
    case ToneRegion::kChina:
      return {{{450}, milliseconds(1000), milliseconds(4000), -10}, {{450}, milliseconds(350), milliseconds(350), -10}};
    case ToneRegion::kEurope:
      return {{{425}, milliseconds(1000), milliseconds(4000), -10}, {{425}, milliseconds(500), milliseconds(500), -10}};
    case ToneRegion::kUs:
      return {{{440, 480}, milliseconds(2000), milliseconds(4000), -19},
              {{480, 620}, milliseconds(500), milliseconds(500), -24}};
  }
  return {};
}

}  // namespace

Prompt make_tone(const ToneSpec& spec) {
  const double peak = kZeroDbm0Peak * std::pow(10.0, spec.level_dbm0 / 20.0);
  const std::size_t on = samples_in(spec.on);
  std::vector<std::int16_t> samples(on + samples_in(spec.off), 0);
  for (std::size_t n = 0; n < on; ++n) {
    double sum = 0;
    for (double frequency : spec.frequencies_hz) {
      sum += std::sin(2 * std::numbers::pi * frequency * static_cast<double>(n) / kPromptSampleRate);
    }
    samples[n] = static_cast<std::int16_t>(std::clamp(std::lround(peak * sum), -32768L, 32767L));
  }
  return Prompt(std::move(samples));
}

Prompt beep() { return make_tone({{1000}, std::chrono::milliseconds(200), {}, -10}); }

Prompt ringback(ToneRegion region) { return make_tone(tones_of(region).ringback); }

Prompt busy_tone(ToneRegion region) { return make_tone(tones_of(region).busy); }

std::optional<Prompt> dtmf_tone(char digit) {
  static constexpr std::string_view kKeys = "123A456B789C*0#D";
  static constexpr double kRows[] = {697, 770, 852, 941};
  static constexpr double kColumns[] = {1209, 1336, 1477, 1633};
  const auto at = kKeys.find(digit);
  if (digit == '\0' || at == std::string_view::npos) return std::nullopt;
  using std::chrono::milliseconds;
  return make_tone({{kRows[at / 4], kColumns[at % 4]}, milliseconds(100), milliseconds(60), -7});
}

}  // namespace unicc::media
