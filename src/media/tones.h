#pragma once
// Tones — the call-progress tones a caller hears from us, as Prompts.
//
// A tone Prompt holds exactly one cadence cycle, tone then silence, so a Player that
// loops it plays the cadence for as long as needed; a tone without silence (beep)
// plays once. Levels are in dBm0 per frequency, where 0 dBm0 is a sine peaking at
// 22656 (G.711's full scale being +3.17 dBm0). Regions follow ITU-T E.180's
// national tables; China's tones are 450 Hz (YDN 065), Europe's 425 Hz (ETSI).
#include <chrono>
#include <optional>
#include <vector>

#include "media/prompt.h"

namespace unicc::media {

struct ToneSpec {
  std::vector<double> frequencies_hz;  // summed, each at level_dbm0
  std::chrono::milliseconds on{0};
  std::chrono::milliseconds off{0};
  double level_dbm0 = -13;
};

// One cycle of `spec`: `on` of the summed sines, then `off` of silence.
Prompt make_tone(const ToneSpec& spec);

enum class ToneRegion { kChina, kEurope, kUs };

// 1 kHz for 200 ms, no silence: "speak after the tone".
Prompt beep();
// China and Europe: 1 s on, 4 s off; US: 440+480 Hz, 2 s on, 4 s off.
Prompt ringback(ToneRegion region);
// China: 0.35 s on, 0.35 s off; Europe: 0.5/0.5; US: 480+620 Hz, 0.5/0.5.
Prompt busy_tone(ToneRegion region);
// A keypad digit (0-9, *, #, A-D) as its DTMF pair (ITU-T Q.23): 100 ms on, 60 ms
// off, -7 dBm0 per frequency; nullopt for any other character.
std::optional<Prompt> dtmf_tone(char digit);

}  // namespace unicc::media
