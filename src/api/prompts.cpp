#include "api/prompts.h"

#include <chrono>
#include <future>
#include <memory>

#include <nlohmann/json.hpp>

#include "http/json_fields.h"
#include "http/static_files.h"
#include "ivr/prompt_source.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

// Longer text is not a prompt; the TTS would also take long to read it.
constexpr std::size_t kMaxSpokenText = 1000;
// A first rendering runs espeak-ng; a cached one answers in milliseconds.
constexpr auto kSpeakTimeout = std::chrono::seconds(20);

json prompt_json(const ivr::LibraryPrompt& prompt) {
  return {{"name", prompt.name},
          {"file", prompt.file},
          {"source", prompt.source},
          {"duration_ms", prompt.duration_ms},
          {"bytes", prompt.bytes},
          {"modified_at", prompt.modified_at},
          {"audio", "/api/v1/prompts/" + prompt.name + "/audio"}};
}

struct PromptRoutes {
  ApiContext& context;
  ivr::PromptLibrary& library;
  PromptHooks hooks;

  static std::string name_param(http::Request& request) {
    const std::string& name = request.params["name"];
    if (!ivr::PromptLibrary::valid_name(name)) {
      throw http::HttpError(400, "invalid_parameter", "a prompt name is 1 to 64 letters, digits, '_' or '-'");
    }
    return name;
  }

  ivr::LibraryPrompt existing(const std::string& name) {
    auto prompt = library.find(name);
    if (!prompt) throw http::HttpError(404, "not_found", "no prompt " + name);
    return *prompt;
  }

  http::Response list(http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    json items = json::array();
    for (const auto& prompt : library.list()) items.push_back(prompt_json(prompt));
    return http::json_response(200, {{"items", items}});
  }

  http::Response one(http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    return http::json_response(200, prompt_json(existing(name_param(request))));
  }

  http::Response audio(http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    const auto prompt = existing(name_param(request));
    auto reply = http::file_reply(request, library.path(prompt.name), "audio/wav");
    if (!reply) throw http::HttpError(404, "not_found", "no prompt " + prompt.name);
    reply->response.headers.emplace_back("Content-Disposition", "inline; filename=\"" + prompt.file + "\"");
    return std::move(reply->response);
  }

  // A one-time code for recording `name` from the admin's own phone (*77<code>#).
  http::Response phone_code(http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin});
    const std::string name = name_param(request);
    if (!hooks.phone_codes) throw http::HttpError(404, "not_found", "recording by phone is not available");
    if (who.extension.empty()) {
      throw http::HttpError(409, "no_extension", "you have no extension: the prompt is recorded from your own phone");
    }
    const std::int64_t now = context.clock.now_ms();
    const std::string code = hooks.phone_codes->issue({name, who.extension, who.username, who.user_id, 0}, now);
    record_audit(context, who, request, "prompt.phone_code", "prompt:" + name, {{"extension", who.extension}});
    return http::json_response(201, {{"prompt", name},
                                     {"code", code},
                                     {"dial", std::string(ivr::PromptRecorder::kFeatureCode) + code + "#"},
                                     {"extension", who.extension},
                                     {"expires_at", now + ivr::PhoneRecordingCodes::kValidMs}});
  }

  http::Response upload(http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin});
    const std::string name = name_param(request);
    if (request.body.empty()) throw http::HttpError(400, "empty_body", "the body must be the audio file");
    const auto before = library.find(name);
    const bool replaced = before && before->source == "uploaded";
    ivr::LibraryPrompt stored;
    try {
      stored = library.store(name, request.body);
    } catch (const media::PromptError& error) {
      throw http::HttpError(422, "not_audio", error.what());
    }
    hooks.changed(stored.file);
    record_audit(context, who, request, "prompt.upload", "prompt:" + name,
                 {{"bytes_uploaded", request.body.size()}, {"duration_ms", stored.duration_ms}});
    return http::json_response(replaced ? 200 : 201, prompt_json(stored));
  }

  http::Response remove(http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin});
    const std::string name = name_param(request);
    if (!library.remove(name)) {
      const bool shipped = library.find(name).has_value();
      throw http::HttpError(shipped ? 409 : 404, shipped ? "shipped" : "not_found",
                            shipped ? "prompt " + name + " is shipped with unicc and cannot be deleted"
                                    : "no uploaded prompt " + name);
    }
    hooks.changed(name + ".wav");
    record_audit(context, who, request, "prompt.delete", "prompt:" + name, json::object());
    return http::Response{204, "application/json", "", {}};
  }

  // The TTS reading of a text, as a flow's prompt would say it: the designer's preview.
  http::Response speak(http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    http::JsonFields fields(request.body, {"text", "language", "voice"});
    ivr::Prompt prompt;
    prompt.text = fields.required_string("text", kMaxSpokenText);
    prompt.language = fields.optional_string("language", 16).value_or("");
    prompt.voice = fields.optional_string("voice", 32).value_or("");
    if (prompt.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw http::HttpError(400, "invalid_field", "text: must not be empty");
    }
    auto result = std::make_shared<std::promise<media::TtsResult>>();
    auto spoken = result->get_future();
    hooks.tts.speak(ivr::PromptSource::voice_for(prompt), prompt.text,
                    [result](const media::TtsResult& done) { result->set_value(done); });
    if (spoken.wait_for(kSpeakTimeout) != std::future_status::ready) {
      throw http::HttpError(504, "tts_timeout", "the text-to-speech did not answer in time");
    }
    const media::TtsResult done = spoken.get();
    if (!done.prompt) throw http::HttpError(422, "tts_failed", done.error);
    return http::Response{200, "audio/wav", media::wav_bytes(*done.prompt), {{"Cache-Control", "no-store"}}};
  }
};

}  // namespace

void add_prompt_routes(http::Router& router, ApiContext& context, ivr::PromptLibrary& library, PromptHooks hooks) {
  auto routes = std::make_shared<PromptRoutes>(PromptRoutes{context, library, std::move(hooks)});
  auto bind = [routes](http::Response (PromptRoutes::*handler)(http::Request&)) {
    return [routes, handler](http::Request& request) { return ((*routes).*handler)(request); };
  };
  router.add("GET", "/api/v1/prompts", bind(&PromptRoutes::list));
  router.add("POST", "/api/v1/prompts/speak", bind(&PromptRoutes::speak));
  router.add("GET", "/api/v1/prompts/{name}", bind(&PromptRoutes::one));
  router.add("GET", "/api/v1/prompts/{name}/audio", bind(&PromptRoutes::audio));
  router.add("PUT", "/api/v1/prompts/{name}", bind(&PromptRoutes::upload));
  router.add("DELETE", "/api/v1/prompts/{name}", bind(&PromptRoutes::remove));
  router.add("POST", "/api/v1/prompts/{name}/phone-code", bind(&PromptRoutes::phone_code));
}

}  // namespace unicc::api
