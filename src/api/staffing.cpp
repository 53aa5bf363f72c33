#include "api/staffing.h"

#include <charconv>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/json_fields.h"
#include "wfm/call_history.h"
#include "wfm/forecast.h"
#include "wfm/staffing.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

// Bounds that keep one answer to a few milliseconds: the offered load in Erlangs,
// and the callers who would be waiting at once were nobody answering (arrival rate ×
// patience), which sets how far Erlang A's chain runs.
constexpr double kMaxLoadErlangs = 5000;
constexpr double kMaxQueuedAtOnce = 100000;
constexpr int kFiguresBelow = 2, kFiguresAbove = 3;

// A number the planner takes, by its name in the body (POST) or the query (GET).
struct Bound {
  const char* name;
  double min, max;
};
constexpr Bound kCalls{"calls", 0, 1e6}, kAht{"aht_s", 1, 86400}, kPatience{"patience_s", 1, 86400},
    kTargetSl{"target_sl", 0.01, 0.9999}, kThreshold{"threshold_s", 0, 3600}, kTargetAsa{"target_asa_s", 1, 3600},
    kMaxOccupancy{"max_occupancy", 0.1, 1}, kShrinkage{"shrinkage", 0, 0.95};
constexpr const char* kBasis = "service_level_basis";

// How a request's numbers are read: JSON fields (400 invalid_field) or query
// parameters (400 invalid_parameter), both naming the field.
class Inputs {
 public:
  explicit Inputs(const http::JsonFields& fields) : fields_(&fields) {}
  explicit Inputs(const http::Request& request) : request_(&request) {}

  std::optional<double> number(const Bound& bound) const {
    if (fields_) return fields_->optional_number(bound.name, bound.min, bound.max);
    const std::string text = query_param(*request_, bound.name);
    if (text.empty()) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !(value >= bound.min && value <= bound.max)) {
      refuse(bound.name, fmt::format("must be a number between {:g} and {:g}", bound.min, bound.max));
    }
    return value;
  }
  std::optional<std::string> text(const char* name) const {
    if (fields_) return fields_->optional_string(name, 32);
    const std::string value = query_param(*request_, name);
    return value.empty() ? std::nullopt : std::optional(value);
  }
  [[noreturn]] void refuse(const std::string& name, const std::string& problem) const {
    if (fields_) throw http::HttpError(400, "invalid_field", "field '" + name + "' " + problem);
    throw http::HttpError(400, "invalid_parameter", "'" + name + "' " + problem);
  }
  [[noreturn]] void missing(const std::string& name, const std::string& note = "") const {
    if (fields_) throw http::HttpError(400, "missing_field", "field '" + name + "' is required" + note);
    throw http::HttpError(400, "invalid_parameter", "'" + name + "' is required" + note);
  }

 private:
  const http::JsonFields* fields_ = nullptr;
  const http::Request* request_ = nullptr;
};

const char* basis_name(wfm::ServiceLevelBasis basis) {
  switch (basis) {
    case wfm::ServiceLevelBasis::answered:
      return "answered";
    case wfm::ServiceLevelBasis::not_abandoned_early:
      return "not_abandoned_early";
    case wfm::ServiceLevelBasis::offered:
      break;
  }
  return "offered";
}

// What a plan needs besides the calls: handle time, patience, targets, shrinkage.
struct Plan {
  wfm::Workload work;  // without calls
  wfm::Targets targets;
  double shrinkage = 0;

  json describe() const {
    return {{"model", work.patience_s ? "erlang_a" : "erlang_c"},
            {"service_level_basis", basis_name(targets.basis)},
            {"threshold_s", targets.threshold_s},
            {"shrinkage", shrinkage}};
  }
};

Plan read_plan(const Inputs& in, double interval_s) {
  Plan plan;
  plan.work.interval_s = interval_s;
  const auto aht = in.number(kAht);
  if (!aht) in.missing(kAht.name);
  plan.work.aht_s = *aht;
  plan.work.patience_s = in.number(kPatience);
  plan.targets.service_level = in.number(kTargetSl);
  plan.targets.threshold_s = in.number(kThreshold).value_or(20);
  plan.targets.asa_s = in.number(kTargetAsa);
  plan.targets.max_occupancy = in.number(kMaxOccupancy);
  if (auto name = in.text(kBasis)) {
    bool known = false;
    for (auto basis : {wfm::ServiceLevelBasis::offered, wfm::ServiceLevelBasis::answered,
                       wfm::ServiceLevelBasis::not_abandoned_early}) {
      if (*name == basis_name(basis)) {
        plan.targets.basis = basis;
        known = true;
      }
    }
    if (!known) in.refuse(kBasis, "must be offered, answered or not_abandoned_early");
  }
  plan.shrinkage = in.number(kShrinkage).value_or(0);
  if (!plan.targets.service_level && !plan.targets.asa_s) in.missing(kTargetSl.name, " (or 'target_asa_s')");
  return plan;
}

// Refuses a workload the search should not take on, naming the field to change.
void check_size(const Inputs& in, const wfm::Workload& work, const char* calls_field) {
  if (work.load() > kMaxLoadErlangs) {
    in.refuse(calls_field, fmt::format("with aht_s over the interval is a load of {:g} Erlangs, more than {:g}",
                                       work.load(), kMaxLoadErlangs));
  }
  if (work.patience_s && work.calls / work.interval_s * *work.patience_s > kMaxQueuedAtOnce) {
    in.refuse(kPatience.name, fmt::format("is too long for this many calls: calls / interval_s × patience_s must be "
                                          "at most {:g}",
                                          kMaxQueuedAtOnce));
  }
}

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json figures_json(const wfm::Figures& figures, double shrinkage) {
  return {{"agents", figures.agents},
          {"scheduled_agents", wfm::scheduled_agents(figures.agents, shrinkage)},
          {"stable", figures.stable},
          {"service_level", figures.service_level},
          {"asa_s", optional_json(figures.asa_s)},
          {"occupancy", figures.occupancy},
          {"abandonment", optional_json(figures.abandonment)}};
}

const json kNoCallsFigures = {{"agents", 0},          {"scheduled_agents", 0}, {"stable", true},
                              {"service_level", nullptr}, {"asa_s", nullptr},   {"occupancy", nullptr},
                              {"abandonment", nullptr}};

// The agents `work` needs and their figures; 400 naming the target when no staff
// up to wfm::kMaxAgents meets it.
std::pair<int, json> staff(const Inputs& in, const Plan& plan, const wfm::Workload& work) {
  const auto agents = wfm::agents_needed(work, plan.targets);
  if (!agents) {
    const wfm::Figures most = wfm::figures_at(work, plan.targets, wfm::kMaxAgents);
    const Bound& missed = plan.targets.service_level && most.service_level < *plan.targets.service_level ? kTargetSl
                          : plan.targets.asa_s && (!most.asa_s || *most.asa_s > *plan.targets.asa_s) ? kTargetAsa
                                                                                                   : kMaxOccupancy;
    in.refuse(missed.name, fmt::format("cannot be met with up to {} agents", wfm::kMaxAgents));
  }
  if (*agents == 0) return {0, kNoCallsFigures};
  return {*agents, figures_json(wfm::figures_at(work, plan.targets, *agents), plan.shrinkage)};
}

json erlang(const http::Request& request) {
  const http::JsonFields fields(request.body, {kCalls.name, "interval_s", kAht.name, kTargetSl.name, kThreshold.name,
                                               kPatience.name, kShrinkage.name, kTargetAsa.name, kMaxOccupancy.name,
                                               kBasis});
  const Inputs in(fields);
  const auto calls = in.number(kCalls);
  if (!calls) in.missing(kCalls.name);
  const Plan plan = read_plan(in, static_cast<double>(fields.optional_int("interval_s", 60, 86400).value_or(1800)));
  wfm::Workload work = plan.work;
  work.calls = *calls;
  check_size(in, work, kCalls.name);
  json out = plan.describe();
  out["load_erlangs"] = work.load();
  auto [agents, figures] = staff(in, plan, work);
  out.update(figures);
  json around = json::array();
  if (agents > 0) {
    for (const auto& row : wfm::figures_around(work, plan.targets, agents, kFiguresBelow, kFiguresAbove)) {
      around.push_back(figures_json(row, plan.shrinkage));
    }
  }
  out["around"] = std::move(around);
  return out;
}

json forecast(const http::Request& request, ApiContext& context) {
  const Inputs in(request);
  const std::string queue = query_param(request, "queue");
  if (queue.size() > 64) in.refuse("queue", "is longer than 64 bytes");
  const std::string interval_text = query_param(request, "interval");
  const int interval_s =
      interval_text.empty() ? 1800 : static_cast<int>(http::int_param("interval", interval_text, 900, 3600));
  if (interval_s != 900 && interval_s != 1800 && interval_s != 3600) in.refuse("interval", "must be 900, 1800 or 3600");
  const std::string weeks_text = query_param(request, "weeks");
  wfm::ForecastRequest ask;
  ask.now_ms = context.clock.now_ms();
  ask.interval_s = interval_s;
  ask.weeks = weeks_text.empty() ? 4 : static_cast<int>(http::int_param("weeks", weeks_text, 1, wfm::kMaxForecastWeeks));
  // The plan, when a handle time is given.
  std::optional<Plan> plan;
  if (!query_param(request, kAht.name).empty()) plan = read_plan(in, interval_s);

  wfm::CallHistory history(context.db);
  if (const auto first = history.first_arrival(queue)) ask.history_start_ms = wfm::local_midnight(*first, 1);
  const wfm::Forecast result =
      wfm::forecast_week(ask, history.arrivals(queue, wfm::history_from(ask), wfm::local_midnight(ask.now_ms, 0)));

  json accuracy = {{"held_back_from", result.held_back_from_ms}, {"held_back_to", result.held_back_to_ms},
                   {"weeks_used", result.held_back_weeks_used},  {"mape", optional_json(result.mape)},
                   {"intervals", result.mape_intervals},        {"note", nullptr}};
  if (result.held_back_weeks_used == 0) {
    accuracy["note"] = "not enough history: measuring needs two full weeks of calls, the latest held back";
  } else if (!result.mape) {
    accuracy["note"] = "no calls in the held-back week";
  }
  json intervals = json::array();
  for (const auto& interval : result.intervals) {
    json row = {{"start", interval.start_ms}, {"calls", interval.calls}};
    if (plan) {
      wfm::Workload work = plan->work;
      work.calls = interval.calls;
      check_size(in, work, kAht.name);
      row.update(staff(in, *plan, work).second);
    }
    intervals.push_back(std::move(row));
  }
  return {{"queue", queue},
          {"interval_s", interval_s},
          {"weeks", ask.weeks},
          {"from", result.from_ms},
          {"to", result.to_ms},
          {"weeks_used", result.weeks_used},
          {"note", result.weeks_used == 0 ? json("not enough history: no full week of calls on record") : json(nullptr)},
          {"trend", result.trend},
          {"accuracy", accuracy},
          {"plan", plan ? plan->describe() : json(nullptr)},
          {"intervals", intervals}};
}

}  // namespace

void add_staffing_routes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/staffing/erlang", [&context](http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    return http::json_response(200, erlang(request));
  });
  router.add("GET", "/api/v1/staffing/forecast", [&context](http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    return http::json_response(200, forecast(request, context));
  });
}

}  // namespace unicc::api
