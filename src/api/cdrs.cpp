#include "api/cdrs.h"

#include <nlohmann/json.hpp>

#include "api/context.h"
#include "http/json_fields.h"

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

}  // namespace

void add_cdr_routes(http::Router& router, call::CdrStore& cdrs, auth::Sessions& sessions) {
  router.add("GET", "/api/v1/cdrs", [&cdrs, &sessions](http::Request& request) {
    require_role(request, sessions, {auth::Role::admin, auth::Role::supervisor});
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
    const Paging page = paging(request);
    filter.limit = page.limit;
    filter.offset = page.offset;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& cdr : cdrs.find(filter)) items.push_back(cdr_json(cdr));
    return http::json_response(200, {{"items", items}, {"total", cdrs.count(filter)}});
  });
}

}  // namespace unicc::api
