#include "api/calls.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "http/json_fields.h"

namespace unicc::api {
namespace {

using contact::ContactView;

constexpr std::size_t kMaxTarget = 64;

bool supervises(const auth::Principal& who) {
  return who.role == auth::Role::admin || who.role == auth::Role::supervisor;
}

nlohmann::json step_json(const contact::ContactStep& step) {
  return {{"at", step.at_ms}, {"kind", step.kind}, {"mode", step.mode}, {"from", step.from}, {"to", step.to}};
}

// An extension or a number as a phone dials it, or "queue:" and a queue's name.
bool valid_target(const std::string& to) {
  auto all_of = [](std::string_view text, auto allowed) {
    return !text.empty() && std::all_of(text.begin(), text.end(), allowed);
  };
  constexpr std::string_view kQueue = "queue:";
  if (to.starts_with(kQueue)) {
    return all_of(std::string_view(to).substr(kQueue.size()), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+' || c == ':';
    });
  }
  return all_of(to, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '*' || c == '#'; });
}

// The status a command's problem answers with.
int status_of(const std::string& problem) {
  if (problem == "not_found") return 404;
  if (problem == "forbidden") return 403;
  if (problem == "invalid_digits") return 400;
  return 409;
}

std::string message_of(const std::string& problem, const std::string& call_id) {
  if (problem == "not_found") return "no live call " + call_id + " (or no such transfer target)";
  if (problem == "forbidden") return "call " + call_id + " is not yours";
  if (problem == "not_talking") return "call " + call_id + " is not talking to an agent";
  if (problem == "invalid_digits") return "digits: 1 to 32 of 0-9, *, #, A-D";
  if (problem == "unknown_queue") return "no such queue";
  if (problem == "unavailable") return "the transfer target cannot be reached now";
  if (problem == "refused") return "calls to that number are not allowed";
  return problem;
}

}  // namespace

nlohmann::json live_call_json(const ContactView& call) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : call.steps) steps.push_back(step_json(step));
  return {{"call_id", call.session_id},
          {"state", call.state},
          {"direction", call.trunk.empty() ? "internal" : "inbound"},
          {"caller", call.caller},
          {"caller_name", call.caller_name},
          {"dialled", call.dialled},
          {"trunk", call.trunk},
          {"queue", call.queue},
          {"agent", call.agent},
          {"since", call.since_ms},
          {"state_since", call.state_since_ms},
          {"waited_ms", call.waited_ms},
          {"steps", steps},
          {"customer", nullptr}};
}

nlohmann::json live_call_event(const ContactView& call) {
  return {{"type", "live_call"}, {"call", live_call_json(call)}};
}

bool handles_call(const auth::Principal& who, const ContactView& call) {
  return supervises(who) || (!who.extension.empty() && who.extension == call.agent);
}

bool sees_agent(const auth::Principal& who, const std::string& extension) {
  return supervises(who) || (!who.extension.empty() && who.extension == extension);
}

void add_call_routes(http::Router& router, ApiContext& context, LiveCalls calls) {
  router.add("GET", "/api/v1/calls", [&context, calls](http::Request& request) {
    auto who = require_login(request, context.sessions);
    const bool sees_all = supervises(who) || who.role == auth::Role::qa;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& call : calls.list()) {
      if (sees_all || handles_call(who, call)) items.push_back(live_call_json(call));
    }
    return http::json_response(200, {{"items", items}});
  });

  auto command_route = [&router, &context, calls](const std::string& command, auto read_argument) {
    router.add("POST", "/api/v1/calls/{call_id}/" + command,
               [&context, calls, command, read_argument](http::Request& request) {
                 auto who = require_role(request, context.sessions,
                                         {auth::Role::admin, auth::Role::supervisor, auth::Role::agent});
                 const std::string argument = read_argument(request);
                 const std::string& call_id = request.params.at("call_id");
                 auto outcome = calls.command(call_id, command, argument,
                                              [&who](const ContactView& call) { return handles_call(who, call); });
                 if (!outcome.problem.empty()) {
                   throw http::HttpError(status_of(outcome.problem), outcome.problem,
                                         message_of(outcome.problem, call_id));
                 }
                 if (who.extension.empty() || !outcome.contact || who.extension != outcome.contact->agent) {
                   // Someone else's call: supervisors' interventions are audited.
                   record_audit(context, who, request, "call." + command, "call:" + call_id,
                                {{"argument", argument}});
                 }
                 return http::json_response(200, live_call_json(*outcome.contact));
               });
  };
  auto no_body = [](const http::Request&) { return std::string(); };
  for (const char* command : {"hold", "resume", "hangup"}) command_route(command, no_body);
  command_route("transfer", [](const http::Request& request) {
    http::JsonFields fields(request.body, {"to", "mode"});
    const std::string mode = fields.optional_string("mode", 16).value_or("blind");
    if (mode != "blind") {
      throw http::HttpError(400, "invalid_field", "mode: only blind transfers are available (attended: not yet)");
    }
    std::string to = fields.required_string("to", kMaxTarget);
    if (!valid_target(to)) {
      throw http::HttpError(400, "invalid_field", "to: an extension or number (digits, +, *, #) or queue:<name>");
    }
    return to;
  });
  command_route("dtmf", [](const http::Request& request) {
    return http::JsonFields(request.body, {"digits"}).required_string("digits", 32);
  });
}

}  // namespace unicc::api
