#pragma once
// /api/v1/prompts — the prompt library (ivr/prompt_library.h) for the console: list
// the uploaded and shipped prompts (admin, supervisor), upload one (admin: the body is
// the audio file, WAV or MP3 or any format libsndfile reads, converted on upload),
// play it, delete an upload (audited), and hear text read by the TTS before a flow
// says it (`POST /api/v1/prompts/speak`). docs/api.md has the endpoints.
#include <functional>
#include <string>

#include "api/context.h"
#include "http/router.h"
#include "ivr/phone_recording.h"
#include "ivr/prompt_library.h"
#include "media/tts_cache.h"

namespace unicc::api {

struct PromptHooks {
  // A file of the library changed: calls must read it again (ivr::PromptSource::forget).
  std::function<void(const std::string& file)> changed;
  media::TtsCache& tts;
  // POST /api/v1/prompts/{name}/phone-code hands out codes from here; 404 without.
  ivr::PhoneRecordingCodes* phone_codes = nullptr;
};

void add_prompt_routes(http::Router& router, ApiContext& context, ivr::PromptLibrary& library, PromptHooks hooks);

}  // namespace unicc::api
