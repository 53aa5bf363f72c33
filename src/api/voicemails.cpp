#include "api/voicemails.h"

#include <nlohmann/json.hpp>

#include "http/json_fields.h"
#include "http/static_files.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

json voicemail_json(const call::Voicemail& voicemail) {
  return {{"id", voicemail.id},
          {"mailbox", voicemail.mailbox},
          {"caller", voicemail.caller},
          {"caller_name", voicemail.caller_name},
          {"call_id", voicemail.call_id},
          {"created_at", voicemail.created_at},
          {"duration_ms", voicemail.duration_ms},
          {"heard", voicemail.heard},
          {"audio", "/api/v1/voicemails/" + std::to_string(voicemail.id) + "/audio"}};
}

struct VoicemailRoutes {
  ApiContext& context;
  call::VoicemailStore& voicemails;

  auth::Principal allow(const http::Request& request, std::initializer_list<Role> roles) {
    return require_role(request, context.sessions, roles);
  }

  static std::int64_t id_param(http::Request& request) {
    return http::int_param("id", request.params["id"], 1, INT64_MAX);
  }

  static http::HttpError missing(std::int64_t id) {
    return http::HttpError(404, "not_found", "no voicemail " + std::to_string(id));
  }

  call::Voicemail existing(std::int64_t id) {
    auto voicemail = voicemails.get(id);
    if (!voicemail) throw missing(id);
    return *voicemail;
  }

  static call::VoicemailFilter filter_of(const http::Request& request) {
    call::VoicemailFilter filter;
    filter.mailbox = query_param(request, "mailbox");
    const std::string heard = query_param(request, "heard");
    if (heard == "true" || heard == "false") {
      filter.heard = heard == "true";
    } else if (!heard.empty()) {
      throw http::HttpError(400, "invalid_parameter", "heard must be true or false");
    }
    const Paging page = paging(request);
    filter.limit = page.limit;
    filter.offset = page.offset;
    return filter;
  }

  http::Response list(http::Request& request) {
    allow(request, {Role::admin, Role::supervisor});
    auto filter = filter_of(request);
    json items = json::array();
    for (const auto& voicemail : voicemails.find(filter)) items.push_back(voicemail_json(voicemail));
    return http::json_response(200, {{"items", items}, {"total", voicemails.count(filter)}});
  }

  http::Response one(http::Request& request) {
    allow(request, {Role::admin, Role::supervisor});
    return http::json_response(200, voicemail_json(existing(id_param(request))));
  }

  http::Response audio(http::Request& request) {
    allow(request, {Role::admin, Role::supervisor});
    auto voicemail = existing(id_param(request));
    auto reply = http::file_reply(request, voicemail.path, "audio/wav");
    if (!reply) {
      throw http::HttpError(404, "not_found", "the audio of voicemail " + std::to_string(voicemail.id) + " is gone");
    }
    std::string name = "voicemail-" + std::to_string(voicemail.id) + ".wav";
    reply->response.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + "\"");
    return std::move(reply->response);
  }

  http::Response heard(http::Request& request) {
    allow(request, {Role::admin, Role::supervisor});
    auto id = id_param(request);
    if (!voicemails.mark_heard(id)) throw missing(id);
    return http::json_response(200, voicemail_json(existing(id)));
  }

  http::Response remove(http::Request& request) {
    auto who = allow(request, {Role::admin});
    auto voicemail = existing(id_param(request));
    if (!voicemails.remove(voicemail.id)) throw missing(voicemail.id);
    record_audit(context, who, request, "voicemail.delete", "voicemail:" + std::to_string(voicemail.id),
                       {{"mailbox", voicemail.mailbox}, {"caller", voicemail.caller},
                        {"created_at", voicemail.created_at}});
    return http::Response{204, "application/json", "", {}};
  }
};

}  // namespace

void add_voicemail_routes(http::Router& router, ApiContext& context, call::VoicemailStore& voicemails) {
  auto routes = std::make_shared<VoicemailRoutes>(VoicemailRoutes{context, voicemails});
  auto bind = [routes](http::Response (VoicemailRoutes::*handler)(http::Request&)) {
    return [routes, handler](http::Request& request) { return ((*routes).*handler)(request); };
  };
  router.add("GET", "/api/v1/voicemails", bind(&VoicemailRoutes::list));
  router.add("GET", "/api/v1/voicemails/{id}", bind(&VoicemailRoutes::one));
  router.add("GET", "/api/v1/voicemails/{id}/audio", bind(&VoicemailRoutes::audio));
  router.add("POST", "/api/v1/voicemails/{id}/heard", bind(&VoicemailRoutes::heard));
  router.add("DELETE", "/api/v1/voicemails/{id}", bind(&VoicemailRoutes::remove));
}

}  // namespace unicc::api
