#include "api/cdrs.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

#include "http/json_fields.h"
#include "http/static_files.h"

namespace unicc::api {
namespace {

// The stored trace and events are our own JSON; a row that does not parse reads as
// none (`absent`).
nlohmann::json stored_json(const std::string& stored, nlohmann::json absent) {
  if (stored.empty()) return absent;
  nlohmann::json parsed = nlohmann::json::parse(stored, nullptr, false);
  return parsed.is_discarded() ? absent : parsed;
}

nlohmann::json cdr_json(const call::Cdr& cdr) {
  auto seconds = [](std::int64_t from, std::int64_t to) { return from > 0 && to >= from ? (to - from) / 1000 : 0; };
  return {{"id", cdr.id},
          {"call_id", cdr.call_id},
          {"b_call_id", cdr.b_call_id},
          {"direction", cdr.direction},
          {"caller", cdr.caller},
          {"caller_name", cdr.caller_name},
          {"dialled", cdr.dialled},
          {"callee", cdr.callee},
          {"trunk", cdr.trunk},
          {"started_at", cdr.started_at},
          {"answered_at", cdr.answered_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(cdr.answered_at)},
          {"ended_at", cdr.ended_at},
          {"wait_s", seconds(cdr.started_at, cdr.answered_at > 0 ? cdr.answered_at : cdr.ended_at)},
          {"talk_s", seconds(cdr.answered_at, cdr.ended_at)},
          {"disposition", cdr.disposition},
          {"hangup_cause", cdr.hangup_cause},
          {"hangup_side", cdr.hangup_side},
          {"recording_path", cdr.recording_path},
          {"recording", cdr.recording_path.empty() ? "none" : cdr.recording_deleted_at != 0 ? "deleted" : "available"},
          {"recording_deleted_at",
           cdr.recording_deleted_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(cdr.recording_deleted_at)},
          {"rtp",
           {{"from_caller", cdr.rtp_from_caller},
            {"to_caller", cdr.rtp_to_caller},
            {"from_callee", cdr.rtp_from_callee},
            {"to_callee", cdr.rtp_to_callee},
            {"lost", cdr.rtp_lost}}},
          {"ivr", stored_json(cdr.ivr_trace, nullptr)},
          {"agent", cdr.agent},
          {"queue", cdr.queue},
          {"customer_id", cdr.customer_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(cdr.customer_id)},
          {"disposition_code", cdr.disposition_code},
          {"notes", cdr.notes},
          {"events", stored_json(cdr.events, nlohmann::json::array())}};
}

const char* kDispositions[] = {"answered",  "busy",   "no_answer", "cancelled",   "unavailable", "not_found",
                               "rejected",  "failed", "blocked",   "in_progress", "interrupted"};

// Whether the agent at `extension` talked on the call: its last agent, or one who
// passed it on (a step's `from`: a transfer, a three-way call).
bool talked_on(const call::Cdr& cdr, const std::string& extension) {
  if (extension.empty()) return false;
  if (cdr.agent == extension) return true;
  const auto steps = nlohmann::json::parse(cdr.events, nullptr, false);
  if (!steps.is_array()) return false;
  return std::any_of(steps.begin(), steps.end(), [&extension](const nlohmann::json& step) {
    return step.is_object() && step.value("from", std::string()) == extension;
  });
}

// "YYYY-MM-DD HH:MM UTC", for a message.
std::string utc_minute(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &parts);
  return text;
}

// GET /api/v1/cdrs/{id}/recording: the call's WAV, whole or the byte range a player
// seeks to; with ?download=1 as an attachment, for the roles that may take a copy.
http::Response serve_recording(http::Request& request, ApiContext& context, call::CdrStore& cdrs,
                               const std::string& recordings_dir) {
  using auth::Role;
  const std::int64_t id = http::int_param("id", request.params["id"], 1, INT64_MAX);
  const std::string download = query_param(request, "download");
  if (!download.empty() && download != "1" && download != "0") {
    throw http::HttpError(400, "invalid_parameter", "download must be 1 or 0");
  }
  const bool downloading = download == "1";
  auto who = require_login(request, context.sessions);
  auto cdr = cdrs.get(id);
  const bool reviews_calls = who.role == Role::admin || who.role == Role::supervisor || who.role == Role::qa;
  // An agent is told the same for a call that does not exist as for someone else's,
  // so agents cannot learn which calls there are.
  if (!reviews_calls && (!cdr || !talked_on(*cdr, who.extension))) {
    throw http::HttpError(403, "forbidden", "agents hear the recordings of the calls they talked on only");
  }
  if (downloading && who.role != Role::admin && who.role != Role::supervisor) {
    throw http::HttpError(403, "forbidden", "only admins and supervisors download recordings");
  }
  const std::string call = "call " + std::to_string(id);
  if (!cdr) throw http::HttpError(404, "not_found", "no " + call);
  if (cdr->recording_deleted_at != 0) {
    throw http::HttpError(410, "recording_deleted",
                          "the recording of " + call + " was deleted by the retention on " +
                              utc_minute(cdr->recording_deleted_at));
  }
  auto reply = recording_reply(request, recordings_dir, cdr->recording_path, call);
  // A player asks again for every seek; only a playback from the start is audited.
  if (reply.from_start) {
    record_audit(context, who, request, downloading ? "recording.download" : "recording.play",
                 "cdr:" + std::to_string(id),
                 {{"call_id", cdr->call_id}, {"agent", cdr->agent}, {"started_at", cdr->started_at}});
  }
  reply.response.headers.emplace_back("Content-Disposition", std::string(downloading ? "attachment" : "inline") +
                                                                 "; filename=\"call-" + std::to_string(id) +
                                                                 ".wav\"");
  return std::move(reply.response);
}

}  // namespace

http::FileReply recording_reply(const http::Request& request, const std::string& recordings_dir,
                                const std::string& path, const std::string& what) {
  if (path.empty()) throw http::HttpError(404, "not_found", what + " was not recorded");
  // The path comes from the database: whatever it says, only a file inside the
  // recordings folder is served.
  auto file = http::canonical_inside(recordings_dir, path);
  auto reply = file ? http::file_reply(request, *file, "audio/wav") : std::nullopt;
  if (!reply) throw http::HttpError(404, "not_found", "the recording of " + what + " is gone");
  return std::move(*reply);
}

void add_cdr_routes(http::Router& router, ApiContext& context, call::CdrStore& cdrs, std::string recordings_dir) {
  router.add("GET", "/api/v1/cdrs", [&context, &cdrs](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor, auth::Role::qa});
    auto query = [&request](const char* name) { return query_param(request, name); };
    call::CdrFilter filter;
    if (!query("from").empty()) filter.from_ms = http::int_param("from", query("from"), 0, INT64_MAX);
    if (!query("to").empty()) filter.to_ms = http::int_param("to", query("to"), 1, INT64_MAX);
    filter.number = query("number");
    filter.disposition = query("disposition");
    if (!filter.disposition.empty()) {
      bool known = false;
      for (const char* d : kDispositions) known = known || filter.disposition == d;
      if (!known) throw http::HttpError(400, "invalid_parameter", "unknown disposition '" + filter.disposition + "'");
    }
    filter.agent = query("agent");
    filter.queue = query("queue");
    if (!query("customer_id").empty()) {
      filter.customer_id = http::int_param("customer_id", query("customer_id"), 1, INT64_MAX);
    }
    filter.customer_name = query("customer");
    if (!query("min_duration").empty()) {
      filter.min_talk_s = http::int_param("min_duration", query("min_duration"), 0, INT32_MAX);
    }
    if (!query("max_duration").empty()) {
      filter.max_talk_s = http::int_param("max_duration", query("max_duration"), 0, INT32_MAX);
    }
    const std::string recorded = query("has_recording");
    if (recorded == "true" || recorded == "false") {
      filter.has_recording = recorded == "true";
    } else if (!recorded.empty()) {
      throw http::HttpError(400, "invalid_parameter", "has_recording must be true or false");
    }
    const Paging page = paging(request);
    filter.limit = page.limit;
    filter.offset = page.offset;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& cdr : cdrs.find(filter)) items.push_back(cdr_json(cdr));
    return http::json_response(200, {{"items", items}, {"total", cdrs.count(filter)}});
  });
  router.add("GET", "/api/v1/cdrs/{id}/recording",
             [&context, &cdrs, recordings_dir = std::move(recordings_dir)](http::Request& request) {
               return serve_recording(request, context, cdrs, recordings_dir);
             });
}

}  // namespace unicc::api
