#include "api/cases.h"

#include <memory>

#include <nlohmann/json.hpp>

#include "api/cdrs.h"
#include "http/json_fields.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kCategoryMax = 100;
constexpr std::size_t kNotesMax = 4000;

json case_json(const call::TypicalCase& typical) {
  return {{"id", typical.id},
          {"cdr_id", typical.cdr_id},
          {"kind", typical.kind},
          {"title", typical.title},
          {"category", typical.category},
          {"notes", typical.notes},
          {"created_by", typical.created_by},
          {"created_at", typical.created_at},
          {"updated_at", typical.updated_at},
          {"call",
           {{"caller", typical.caller},
            {"agent", typical.agent},
            {"queue", typical.queue},
            {"started_at", typical.started_at},
            {"talk_s", typical.talk_ms / 1000}}},
          {"recording", "/api/v1/cases/" + std::to_string(typical.id) + "/recording"}};
}

std::string checked_kind(const std::string& kind) {
  if (kind != "good" && kind != "bad") throw http::HttpError(400, "invalid_field", "kind must be good or bad");
  return kind;
}

std::string checked_title(std::string title) {
  if (title.empty()) throw http::HttpError(400, "invalid_field", "title must not be empty");
  return title;
}

struct CaseRoutes {
  ApiContext& context;
  call::CaseStore& cases;
  call::CdrStore& cdrs;
  std::string recordings_dir;

  static std::int64_t id_param(http::Request& request) {
    return http::int_param("id", request.params["id"], 1, INT64_MAX);
  }

  call::TypicalCase existing(std::int64_t id) {
    auto typical = cases.get(id);
    if (!typical) throw http::HttpError(404, "not_found", "no case " + std::to_string(id));
    return *typical;
  }

  void audit(const auth::Principal& who, const http::Request& request, const char* action,
             const call::TypicalCase& typical) {
    record_audit(context, who, request, action, "case:" + std::to_string(typical.id),
                 {{"cdr_id", typical.cdr_id}, {"kind", typical.kind}, {"title", typical.title}});
  }

  http::Response create(http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin, Role::supervisor, Role::qa});
    http::JsonFields body(request.body, {"cdr_id", "kind", "title", "category", "notes"});
    call::TypicalCase typical;
    const auto cdr_id = body.optional_int("cdr_id", 1, INT64_MAX);
    if (!cdr_id) throw http::HttpError(400, "missing_field", "cdr_id is required");
    typical.cdr_id = *cdr_id;
    typical.kind = checked_kind(body.required_string("kind", 10));
    typical.title = checked_title(body.required_string("title", kTitleMax));
    typical.category = body.optional_string("category", kCategoryMax).value_or("");
    typical.notes = body.optional_string("notes", kNotesMax).value_or("");
    typical.created_by = who.username;
    typical.created_at = context.clock.now_ms();
    auto cdr = cdrs.get(typical.cdr_id);
    if (!cdr) throw http::HttpError(404, "not_found", "no call " + std::to_string(typical.cdr_id));
    if (cdr->recording_path.empty() || cdr->recording_deleted_at != 0) {
      throw http::HttpError(409, "no_recording", "call " + std::to_string(typical.cdr_id) + " has no recording to keep");
    }
    auto stored = cases.add(typical);
    audit(who, request, "case.create", stored);
    return http::json_response(201, case_json(stored));
  }

  http::Response list(http::Request& request) {
    require_login(request, context.sessions);
    call::CaseFilter filter;
    filter.kind = query_param(request, "kind");
    if (!filter.kind.empty() && filter.kind != "good" && filter.kind != "bad") {
      throw http::HttpError(400, "invalid_parameter", "kind must be good or bad");
    }
    filter.category = query_param(request, "category");
    filter.text = query_param(request, "q");
    const Paging page = paging(request);
    filter.limit = page.limit;
    filter.offset = page.offset;
    json items = json::array();
    for (const auto& typical : cases.find(filter)) items.push_back(case_json(typical));
    return http::json_response(200, {{"items", items}, {"total", cases.count(filter)}});
  }

  http::Response one(http::Request& request) {
    require_login(request, context.sessions);
    return http::json_response(200, case_json(existing(id_param(request))));
  }

  http::Response change(http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin, Role::supervisor});
    auto typical = existing(id_param(request));
    http::JsonFields body(request.body, {"kind", "title", "category", "notes"});
    if (auto kind = body.optional_string("kind", 10)) typical.kind = checked_kind(*kind);
    if (auto title = body.optional_string("title", kTitleMax)) typical.title = checked_title(*title);
    if (auto category = body.optional_string("category", kCategoryMax)) typical.category = *category;
    if (auto notes = body.optional_string("notes", kNotesMax)) typical.notes = *notes;
    if (!cases.update(typical, context.clock.now_ms())) throw http::HttpError(404, "not_found", "no such case");
    auto stored = existing(typical.id);
    audit(who, request, "case.update", stored);
    return http::json_response(200, case_json(stored));
  }

  http::Response remove(http::Request& request) {
    auto who = require_role(request, context.sessions, {Role::admin, Role::supervisor});
    auto typical = existing(id_param(request));
    if (!cases.remove(typical.id)) throw http::HttpError(404, "not_found", "no such case");
    audit(who, request, "case.delete", typical);
    return http::Response{204, "application/json", "", {}};
  }

  http::Response recording(http::Request& request) {
    auto who = require_login(request, context.sessions);
    auto typical = existing(id_param(request));
    const std::string what = "case " + std::to_string(typical.id);
    auto reply = recording_reply(request, recordings_dir, typical.recording_path, what);
    if (reply.from_start) audit(who, request, "case.play", typical);
    reply.response.headers.emplace_back("Content-Disposition",
                                        "inline; filename=\"case-" + std::to_string(typical.id) + ".wav\"");
    return std::move(reply.response);
  }
};

}  // namespace

void add_case_routes(http::Router& router, ApiContext& context, call::CaseStore& cases, call::CdrStore& cdrs,
                     std::string recordings_dir) {
  auto routes = std::make_shared<CaseRoutes>(CaseRoutes{context, cases, cdrs, std::move(recordings_dir)});
  auto bind = [routes](http::Response (CaseRoutes::*handler)(http::Request&)) {
    return [routes, handler](http::Request& request) { return ((*routes).*handler)(request); };
  };
  router.add("POST", "/api/v1/cases", bind(&CaseRoutes::create));
  router.add("GET", "/api/v1/cases", bind(&CaseRoutes::list));
  router.add("GET", "/api/v1/cases/{id}", bind(&CaseRoutes::one));
  router.add("PATCH", "/api/v1/cases/{id}", bind(&CaseRoutes::change));
  router.add("DELETE", "/api/v1/cases/{id}", bind(&CaseRoutes::remove));
  router.add("GET", "/api/v1/cases/{id}/recording", bind(&CaseRoutes::recording));
}

}  // namespace unicc::api
