#include "api/callbacks.h"

#include <nlohmann/json.hpp>

#include "http/json_fields.h"

namespace unicc::api {
namespace {

using nlohmann::json;

json callback_json(const contact::CallbackRecord& callback) {
  return {{"id", callback.id},
          {"call_id", callback.call_id},
          {"queue", callback.queue},
          {"number", callback.number},
          {"caller", callback.caller},
          {"caller_name", callback.caller_name},
          {"dialled", callback.dialled},
          {"priority", callback.priority},
          {"requested_at", callback.requested_at},
          {"state", callback.state},
          {"outcome", callback.outcome},
          {"agent", callback.agent},
          {"attempts", callback.attempts},
          {"retry_at", callback.retry_at == 0 ? json(nullptr) : json(callback.retry_at)},
          {"finished_at", callback.finished_at == 0 ? json(nullptr) : json(callback.finished_at)}};
}

contact::CallbackFilter filter_of(const http::Request& request) {
  contact::CallbackFilter filter;
  filter.state = query_param(request, "state");
  if (!filter.state.empty() && filter.state != "waiting" && filter.state != "completed" && filter.state != "failed" &&
      filter.state != "cancelled") {
    throw http::HttpError(400, "invalid_parameter", "state must be waiting, completed, failed or cancelled");
  }
  filter.queue = query_param(request, "queue");
  const Paging page = paging(request);
  filter.limit = page.limit;
  filter.offset = page.offset;
  return filter;
}

}  // namespace

void add_callback_routes(http::Router& router, ApiContext& context, contact::CallbackStore& callbacks,
                         CancelCallback cancel) {
  router.add("GET", "/api/v1/callbacks", [&context, &callbacks](http::Request& request) {
    require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    const auto filter = filter_of(request);
    json items = json::array();
    for (const auto& callback : callbacks.find(filter)) items.push_back(callback_json(callback));
    return http::json_response(200, {{"items", items}, {"total", callbacks.count(filter)}});
  });
  router.add("DELETE", "/api/v1/callbacks/{id}", [&context, &callbacks, cancel](http::Request& request) {
    const auto who = require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    const std::int64_t id = http::int_param("id", request.params["id"], 1, INT64_MAX);
    const auto callback = callbacks.get(id);
    if (!callback) throw http::HttpError(404, "not_found", "no callback " + std::to_string(id));
    if (callback->state != "waiting") {
      throw http::HttpError(409, "not_waiting", "callback " + std::to_string(id) + " is " + callback->state);
    }
    if (std::string refused = cancel(callback->call_id, who.username); !refused.empty()) {
      throw http::HttpError(409, "not_waiting", "callback " + std::to_string(id) + ": " + refused);
    }
    record_audit(context, who, request, "callback.cancel", "callback:" + std::to_string(id),
                       {{"queue", callback->queue}, {"number", callback->number}});
    return http::Response{204, "application/json", "", {}};
  });
}

}  // namespace unicc::api
