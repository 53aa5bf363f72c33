#include "api/calls.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <spdlog/spdlog.h>

#include "api/customers.h"
#include "core/text.h"
#include "http/json_fields.h"

namespace unicc::api {
namespace {

using contact::ContactView;

constexpr std::size_t kMaxTarget = 64;
constexpr std::size_t kMaxNotes = 4000;
// Events waiting for their customer lookup; beyond, they go out without one.
constexpr std::size_t kMaxPendingEvents = 10000;
// Calls whose agents are remembered for their wrap-up.
constexpr std::size_t kRememberedCalls = 20000;

bool supervises(const auth::Principal& who) {
  return who.role == auth::Role::admin || who.role == auth::Role::supervisor;
}

bool sees_all_calls(const auth::Principal& who) { return supervises(who) || who.role == auth::Role::qa; }

nlohmann::json step_json(const contact::ContactStep& step) {
  return {{"at", step.at_ms}, {"kind", step.kind}, {"mode", step.mode}, {"from", step.from}, {"to", step.to}};
}

// Whether a supervisor is or was on the call: what its agent is not shown.
bool monitored(const ContactView& call) {
  return call.monitor || std::any_of(call.steps.begin(), call.steps.end(), [](const contact::ContactStep& step) {
           return step.kind == "monitor" || step.kind == "monitor_ended";
         });
}

ContactView as_agent_sees(ContactView call) {
  call.monitor.reset();
  std::erase_if(call.steps, [](const contact::ContactStep& step) {
    return step.kind == "monitor" || step.kind == "monitor_ended";
  });
  return call;
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
  return core::is_dial_string(to);
}

// The "to" of a transfer or conference: 400 unless valid_target (queues only where
// `queues` may be the target).
std::string target_field(const http::JsonFields& fields, bool queues) {
  std::string to = fields.required_string("to", kMaxTarget);
  if (!valid_target(to) || (!queues && to.starts_with("queue:"))) {
    throw http::HttpError(400, "invalid_field", queues ? "to: an extension or number (digits, +, *, #) or queue:<name>"
                                                       : "to: an extension or number (digits, +, *, #)");
  }
  return to;
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
  if (problem == "in_conference") return "not during a three-way call";
  if (problem == "consulting") return "not while consulting a transfer target: complete or cancel the transfer first";
  if (problem == "not_consulting") return "no transfer target has answered a consult on call " + call_id;
  if (problem == "held") return "call " + call_id + " is on hold: resume it first";
  if (problem == "already_on_call") return "that party is already on the call";
  if (problem == "not_supported") return "a call the agent placed cannot be transferred to a queue";
  if (problem == "not_offered") return "call " + call_id + " is not ringing an agent's phone";
  if (problem == "already_monitored") return "another supervisor is on call " + call_id;
  return problem;
}

// Click-to-dial's problems: status and message.
std::pair<int, std::string> dial_problem(const std::string& problem, const std::string& agent) {
  if (problem == "unknown_agent") return {404, "no agent with extension " + agent};
  if (problem == "no_route") return {400, "to: no extension, DID or trunk prefix matches that number"};
  if (problem == "refused") return {403, "calls to that number are not allowed"};
  if (problem == "logged_out") return {409, "agent " + agent + " is logged out"};
  if (problem == "busy") return {409, "agent " + agent + " is on a call or being offered one"};
  if (problem == "unavailable") return {409, "agent " + agent + "'s phone (or the number's) cannot be reached now"};
  return {409, problem};
}

}  // namespace

LiveCallEvents::LiveCallEvents(http::EventHub& hub, crm::CustomerStore& customers, auth::AuditLog& audit,
                               std::function<void(contact::ContactId, std::int64_t)> customer_found)
    : hub_(hub),
      customers_(customers),
      audit_(audit),
      customer_found_(std::move(customer_found)),
      worker_([this] { run(); }) {}

LiveCallEvents::~LiveCallEvents() { stop(); }

void LiveCallEvents::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (worker_.joinable()) worker_.join();
}

void LiveCallEvents::changed(const ContactView& call) {
  remember_agent(call);
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || pending_.size() >= kMaxPendingEvents) {
      spdlog::warn("live call events: {} waiting for the customer lookup; call {} goes out without it",
                   pending_.size(), call.session_id);
    } else {
      pending_.push_back(call);
      wake_.notify_one();
      return;
    }
  }
  send(call, nullptr);
}

void LiveCallEvents::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, with everything published
    ContactView call = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    publish(call);
    lock.lock();
  }
}

void LiveCallEvents::publish(const ContactView& call) {
  auto known = customer_of_call_.find(call.id);
  // (Looked up again once the call names a record it had none of: one made mid-call.)
  if (known != customer_of_call_.end() && known->second.is_null() && call.customer_id != 0) {
    customer_of_call_.erase(known);
    known = customer_of_call_.end();
  }
  if (known == customer_of_call_.end()) {
    known = customer_of_call_.emplace(call.id, customer_of(customers_, call)).first;
    if (known->second.is_object() && call.customer_id == 0) customer_found_(call.id, known->second["id"].get<std::int64_t>());
  }
  const nlohmann::json customer = known->second;
  if (call.state == "ended" || call.state == "ivr") {
    const bool left_an_agent = call.state == "ended" && !call.agent.empty();
    // A transfer ends the call for one agent only: the call goes on.
    if (!left_an_agent || call.steps.empty() || call.steps.back().from != call.agent) customer_of_call_.erase(known);
  }
  audit_monitoring(call);
  send(call, customer);
}

// To everyone who follows the call; agents get it without its supervisors.
void LiveCallEvents::send(const ContactView& call, const nlohmann::json& customer) {
  nlohmann::json event = live_call_event(call);
  event["call"]["customer"] = customer;
  if (!monitored(call)) {
    hub_.publish_to(event, [&call](const auth::Principal& who) { return follows_call(who, call); });
    return;
  }
  hub_.publish_to(event, [](const auth::Principal& who) { return sees_all_calls(who); });
  nlohmann::json agents_event = live_call_event(as_agent_sees(call));
  agents_event["call"]["customer"] = customer;
  hub_.publish_to(agents_event, [&call](const auth::Principal& who) {
    return !sees_all_calls(who) && follows_call(who, call);
  });
}

// Who listened to which call, how and how long: each monitoring's end is audited.
void LiveCallEvents::audit_monitoring(const ContactView& call) {
  const bool on = call.monitor && call.monitor->answered && call.state != "ended" && call.state != "ivr";
  auto open = monitoring_.find(call.id);
  if (on) {
    Monitoring& monitoring = open == monitoring_.end() ? monitoring_[call.id] : open->second;
    monitoring.supervisor = call.monitor->supervisor;
    monitoring.since_ms = call.monitor->since_ms;
    const std::string mode = contact::monitor_mode_name(call.monitor->mode);
    if (monitoring.modes.empty() || monitoring.modes.back() != mode) monitoring.modes.push_back(mode);
    return;
  }
  if (open == monitoring_.end()) return;
  const Monitoring monitoring = std::move(open->second);
  monitoring_.erase(open);
  std::int64_t ended_ms = call.state_since_ms;
  for (const auto& step : call.steps) {
    if (step.kind == "monitor_ended" || step.kind == "intercept") ended_ms = step.at_ms;
  }
  audit_.submit(auth::AuditEntry{0, 0, 0, "system", "system", "call.monitor_ended", "call:" + call.session_id,
                                 nlohmann::json{{"supervisor", monitoring.supervisor},
                                                {"modes", monitoring.modes},
                                                {"started_at", monitoring.since_ms},
                                                {"ended_at", ended_ms},
                                                {"duration_ms", ended_ms - monitoring.since_ms}}
                                     .dump(),
                                 ""});
}

void LiveCallEvents::remember_agent(const ContactView& call) {
  // An agent's own outbound call is theirs to wrap up from their answer on, also when
  // the customer did not answer.
  const bool dialled = call.direction == "outbound" && call.state == "dialing";
  if (call.agent.empty() || (call.state != "talking" && call.state != "held" && !dialled)) return;
  std::lock_guard lock(mutex_);
  auto [entry, added] = agents_of_call_.try_emplace(call.session_id);
  entry->second.insert(call.agent);
  if (!added) return;
  remembered_.push_back(call.session_id);
  if (remembered_.size() > kRememberedCalls) {
    agents_of_call_.erase(remembered_.front());
    remembered_.pop_front();
  }
}

bool LiveCallEvents::handled_by(const std::string& call_id, const std::string& extension) const {
  std::lock_guard lock(mutex_);
  auto found = agents_of_call_.find(call_id);
  return found != agents_of_call_.end() && found->second.count(extension) > 0;
}

nlohmann::json customer_of(crm::CustomerStore& customers, const ContactView& call) {
  try {
    const std::string& number = call.direction == "outbound" ? call.dialled : call.caller;
    auto customer = call.customer_id != 0 ? customers.get(call.customer_id) : customers.find_by_phone(number);
    return customer ? customer_json(*customer) : nlohmann::json(nullptr);
  } catch (const std::exception& error) {
    spdlog::warn("call {}: the caller's customer record cannot be read: {}", call.session_id, error.what());
    return nullptr;
  }
}

// The call's guest if it is of `kind`: {"with", "answered"}, else null.
nlohmann::json guest_json(const ContactView& call, contact::ContactGuest::Kind kind) {
  if (!call.guest || call.guest->kind != kind) return nullptr;
  return {{"with", call.guest->with}, {"answered", call.guest->answered}};
}

nlohmann::json monitor_json(const ContactView& call) {
  if (!call.monitor) return nullptr;
  const contact::ContactMonitor& monitor = *call.monitor;
  return {{"supervisor", monitor.supervisor},
          {"mode", contact::monitor_mode_name(monitor.mode)},
          {"answered", monitor.answered},
          {"intercepting", monitor.intercepting},
          {"since", monitor.since_ms}};
}

nlohmann::json live_call_json(const ContactView& call, const nlohmann::json& customer) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : call.steps) steps.push_back(step_json(step));
  return {{"call_id", call.session_id},
          {"state", call.state},
          {"direction", call.direction == "outbound" ? "outbound" : call.trunk.empty() ? "internal" : "inbound"},
          {"reason", call.reason},
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
          {"ivr_path", call.ivr_path},
          {"ivr_variables", call.ivr_variables},
          {"conference", guest_json(call, contact::ContactGuest::Kind::kConference)},
          {"consult", guest_json(call, contact::ContactGuest::Kind::kConsult)},
          {"monitor", monitor_json(call)},
          {"customer", customer}};
}

nlohmann::json live_call_event(const ContactView& call) {
  return {{"type", "live_call"}, {"call", live_call_json(call)}};
}

bool handles_call(const auth::Principal& who, const ContactView& call) {
  return supervises(who) || (!who.extension.empty() && who.extension == call.agent);
}

bool follows_call(const auth::Principal& who, const ContactView& call) {
  return handles_call(who, call) || (!who.extension.empty() && call.guest && call.guest->with == who.extension);
}

// A transfer the agent already made, asked for again (a double click that arrives
// after the call left them): answered as done, not as someone else's call.
bool repeats_own_transfer(const auth::Principal& who, const std::string& command, const ContactView& call) {
  if (who.extension.empty() || call.steps.empty()) return false;
  const auto& last = call.steps.back();
  const bool transfer = command == "transfer" || command == "consult" || command == "transfer_complete";
  return transfer && last.kind == "transfer" && last.from == who.extension;
}

bool sees_agent(const auth::Principal& who, const std::string& extension) {
  return supervises(who) || (!who.extension.empty() && who.extension == extension);
}

// A supervisor on a call: listen, whisper, barge in (POST, PATCH to change the mode)
// and intercept. The phone called is `supervisor`'s, by default the user's own.
void add_monitor_routes(http::Router& router, ApiContext& context, const LiveCalls& calls) {
  auto supervisor_field = [](const http::JsonFields& fields, const auth::Principal& who, const std::string& fallback) {
    std::string supervisor = fields.optional_string("supervisor", kMaxTarget).value_or(fallback);
    if (supervisor.empty()) {
      throw http::HttpError(400, "no_extension", "supervisor: the extension of the phone to call (you have none)");
    }
    if (!core::is_dial_string(supervisor)) {
      throw http::HttpError(400, "invalid_field", "supervisor: an extension or number (digits, +, *, #)");
    }
    if (!supervises(who) && supervisor != who.extension) {
      throw http::HttpError(403, "forbidden", "you may only listen on your own extension");
    }
    return supervisor;
  };
  auto mode_field = [](const http::JsonFields& fields, const auth::Principal& who) {
    const std::string mode = fields.optional_string("mode", 16).value_or("listen");
    if (!contact::monitor_mode_named(mode)) throw http::HttpError(400, "invalid_field", "mode: listen, whisper or barge");
    if (!supervises(who) && mode != "listen") {
      throw http::HttpError(403, "forbidden", "a quality inspector may only listen");
    }
    return mode;
  };
  // Runs the command as `who` (any call is a supervisor's to act on) and answers the call.
  auto run = [&context, calls](http::Request& request, const auth::Principal& who, const std::string& command,
                               const std::string& argument, const std::string& audited, nlohmann::json detail) {
    const std::string& call_id = request.params.at("call_id");
    auto outcome = calls.command(call_id, command, argument, [](const ContactView&) { return true; });
    if (!outcome.problem.empty()) {
      throw http::HttpError(status_of(outcome.problem), outcome.problem, message_of(outcome.problem, call_id));
    }
    record_audit(context, who, request, audited, "call:" + call_id, std::move(detail));
    return http::json_response(200, live_call_json(*outcome.contact, customer_of(calls.customers, *outcome.contact)));
  };
  router.add("POST", "/api/v1/calls/{call_id}/monitor", [&context, supervisor_field, mode_field,
                                                           run](http::Request& request) {
    auto who = require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor, auth::Role::qa});
    http::JsonFields fields(request.body, {"supervisor", "mode"});
    const std::string supervisor = supervisor_field(fields, who, who.extension);
    const std::string mode = mode_field(fields, who);
    return run(request, who, "monitor", supervisor + " " + mode, "call.monitor",
               {{"supervisor", supervisor}, {"mode", mode}});
  });
  // Changes the mode of the supervisor on the call (the one named, or the one there).
  router.add("PATCH", "/api/v1/calls/{call_id}/monitor", [&context, calls, supervisor_field, mode_field,
                                                            run](http::Request& request) {
    auto who = require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor, auth::Role::qa});
    http::JsonFields fields(request.body, {"supervisor", "mode"});
    if (!fields.optional_string("mode", 16)) throw http::HttpError(400, "invalid_field", "mode: listen, whisper or barge");
    std::string on_call = who.extension;
    for (const auto& call : calls.list()) {
      if (call.session_id == request.params.at("call_id") && call.monitor) on_call = call.monitor->supervisor;
    }
    const std::string supervisor = supervisor_field(fields, who, on_call);
    const std::string mode = mode_field(fields, who);
    return run(request, who, "monitor", supervisor + " " + mode, "call.monitor_mode",
               {{"supervisor", supervisor}, {"mode", mode}});
  });
  router.add("POST", "/api/v1/calls/{call_id}/intercept", [&context, supervisor_field, run](http::Request& request) {
    auto who = require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor});
    http::JsonFields fields(request.body, {"supervisor"});
    const std::string supervisor = supervisor_field(fields, who, who.extension);
    return run(request, who, "intercept", supervisor, "call.intercept", {{"supervisor", supervisor}});
  });
}

void add_call_routes(http::Router& router, ApiContext& context, LiveCalls calls) {
  router.add("GET", "/api/v1/calls", [&context, calls](http::Request& request) {
    auto who = require_login(request, context.sessions);
    const bool sees_all = sees_all_calls(who);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& call : calls.list()) {
      if (sees_all) {
        items.push_back(live_call_json(call, customer_of(calls.customers, call)));
      } else if (follows_call(who, call)) {
        items.push_back(live_call_json(as_agent_sees(call), customer_of(calls.customers, call)));
      }
    }
    return http::json_response(200, {{"items", items}});
  });

  // `read` turns the request into the command for Telephony and its argument.
  auto command_route = [&router, &context, calls](const std::string& path, auto read) {
    router.add("POST", "/api/v1/calls/{call_id}/" + path,
               [&context, calls, read](http::Request& request) {
                 auto who = require_role(request, context.sessions,
                                         {auth::Role::admin, auth::Role::supervisor, auth::Role::agent});
                 const auto read_command = read(request);  // (not a structured binding: lambdas capture it)
                 const std::string& command = read_command.first;
                 const std::string& argument = read_command.second;
                 const std::string& call_id = request.params.at("call_id");
                 auto outcome = calls.command(call_id, command, argument, [&who, &command](const ContactView& call) {
                   return handles_call(who, call) || repeats_own_transfer(who, command, call);
                 });
                 if (!outcome.problem.empty()) {
                   throw http::HttpError(status_of(outcome.problem), outcome.problem,
                                         message_of(outcome.problem, call_id));
                 }
                 if (who.extension.empty() || !outcome.contact || who.extension != outcome.contact->agent) {
                   // Someone else's call: supervisors' interventions are audited.
                   record_audit(context, who, request, "call." + command, "call:" + call_id,
                                {{"argument", argument}});
                 }
                 const ContactView shown = supervises(who) ? *outcome.contact : as_agent_sees(*outcome.contact);
                 return http::json_response(200, live_call_json(shown, customer_of(calls.customers, shown)));
               });
  };
  using Command = std::pair<std::string, std::string>;
  for (const char* command : {"answer", "hold", "resume", "hangup"}) {
    command_route(command, [command](const http::Request&) { return Command{command, ""}; });
  }
  command_route("transfer", [](const http::Request& request) {
    http::JsonFields fields(request.body, {"to", "mode"});
    const std::string mode = fields.optional_string("mode", 16).value_or("blind");
    if (mode != "blind" && mode != "attended") throw http::HttpError(400, "invalid_field", "mode: blind or attended");
    const bool blind = mode == "blind";
    return Command{blind ? "transfer" : "consult", target_field(fields, blind)};
  });
  command_route("transfer/complete", [](const http::Request&) { return Command{"transfer_complete", ""}; });
  command_route("transfer/cancel", [](const http::Request&) { return Command{"transfer_cancel", ""}; });
  command_route("conference", [](const http::Request& request) {
    http::JsonFields fields(request.body, {"to"});
    return Command{"conference", target_field(fields, false)};
  });
  command_route("dtmf", [](const http::Request& request) {
    return Command{"dtmf", http::JsonFields(request.body, {"digits"}).required_string("digits", 32)};
  });

  add_monitor_routes(router, context, calls);

  // Click-to-dial: the call proceeds by itself once the agent's phone rings; its
  // states reach the agent as live_call events.
  router.add("POST", "/api/v1/calls", [&context, calls](http::Request& request) {
    auto who = require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor, auth::Role::agent});
    http::JsonFields fields(request.body, {"agent", "to"});
    const std::string agent = fields.required_string("agent", kMaxTarget);
    const std::string to = target_field(fields, false);
    if (!supervises(who) && who.extension != agent) {
      throw http::HttpError(403, "forbidden", "an agent dials only for their own extension");
    }
    auto outcome = calls.dial(agent, to);
    if (!outcome.problem.empty()) {
      auto [status, message] = dial_problem(outcome.problem, agent);
      throw http::HttpError(status, status == 400 ? "invalid_field" : outcome.problem, message);
    }
    if (!outcome.repeated && who.extension != agent) {
      record_audit(context, who, request, "call.dial", "agent:" + agent, {{"to", to}});
    }
    return http::json_response(outcome.repeated ? 200 : 201,
                               live_call_json(*outcome.contact, customer_of(calls.customers, *outcome.contact)));
  });

  router.add("POST", "/api/v1/calls/{call_id}/wrap-up", [&context, calls](http::Request& request) {
    auto who = require_role(request, context.sessions, {auth::Role::admin, auth::Role::supervisor, auth::Role::agent});
    const std::string& call_id = request.params.at("call_id");
    http::JsonFields fields(request.body, {"disposition", "notes"});
    const std::string code = fields.required_string("disposition", 32);
    const std::string notes = fields.optional_string("notes", kMaxNotes).value_or("");
    if (!calls.known_disposition(code)) {
      throw http::HttpError(400, "invalid_field", "disposition: not one of the codes of GET /api/v1/cti/codes");
    }
    if (!supervises(who) && !calls.events.handled_by(call_id, who.extension)) {
      throw http::HttpError(403, "forbidden", "you did not talk on call " + call_id);
    }
    if (!calls.wrap_up(call_id, code, notes)) throw http::HttpError(404, "not_found", "no call " + call_id);
    if (!who.extension.empty()) calls.end_wrap_up(who.extension);
    return http::json_response(200, {{"call_id", call_id}, {"disposition", code}, {"notes", notes}});
  });
}

}  // namespace unicc::api
