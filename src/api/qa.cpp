#include "api/qa.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/documents.h"
#include "core/text.h"
#include "http/csv.h"
#include "http/json_fields.h"
#include "qa/scoring.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

constexpr const char* kQaTypes[] = {"routine", "sample", "complaint", "calibration", "coaching"};
constexpr std::size_t kMaxMarks = 200;
constexpr std::size_t kMaxTextBytes = 6000;
constexpr std::int64_t kMaxExportRows = 10000;

// Our own stored JSON; a row that does not parse reads as an empty list.
json stored_list(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_array() ? parsed : json::array();
}

json evaluation_json(const qa::Evaluation& e) {
  return {{"id", e.id},
          {"serial", e.serial},
          {"cdr_id", e.cdr_id},
          {"call_id", e.call_id},
          {"agent", e.agent},
          {"inspector", e.inspector},
          {"form", e.form_name},
          {"form_version", e.form_version},
          {"qa_type", e.qa_type},
          {"business_type", e.business_type},
          {"total", e.total},
          {"grade", e.grade},
          {"critical_failed", e.critical_failed},
          {"items", stored_list(e.items)},
          {"comment", e.comment},
          {"marks", stored_list(e.marks)},
          {"call_started_at", e.call_started_at},
          {"call_ended_at", e.call_ended_at},
          {"call_duration_ms", e.call_duration_ms},
          {"status", e.status},
          {"response", e.response},
          {"responded_at", e.responded_at == 0 ? json(nullptr) : json(e.responded_at)},
          {"created_at", e.created_at},
          {"updated_at", e.updated_at}};
}

json item_scores_json(const std::vector<qa::ItemScore>& items) {
  json out = json::array();
  for (const auto& item : items) {
    json row = {{"item", item.item}, {"score", item.score}, {"max", item.max}, {"na", item.na}};
    if (item.passed) row["passed"] = *item.passed;
    if (!item.comment.empty()) row["comment"] = item.comment;
    out.push_back(std::move(row));
  }
  return out;
}

std::string utc_time(std::int64_t ms) {
  if (ms <= 0) return "";
  return fmt::format("{:%Y-%m-%d %H:%M:%S}", std::chrono::sys_seconds(std::chrono::seconds(ms / 1000)));
}

std::string number(double value) { return fmt::format("{:g}", value); }

http::Response csv_response(const std::vector<qa::Evaluation>& rows) {
  std::string lines = http::csv_line(
      {"serial", "created_at_utc", "inspector", "agent", "qa_type", "business_type", "form", "form_version", "total",
       "grade", "critical_failed", "status", "agent_response", "cdr_id", "call_id", "call_started_at_utc",
       "call_ended_at_utc", "call_duration_s", "comment"});
  for (const auto& e : rows) {
    lines += http::csv_line({e.serial, utc_time(e.created_at), e.inspector, e.agent, e.qa_type, e.business_type,
                             e.form_name, std::to_string(e.form_version), number(e.total), e.grade,
                             e.critical_failed ? "yes" : "no", e.status, e.response, std::to_string(e.cdr_id),
                             e.call_id, utc_time(e.call_started_at), utc_time(e.call_ended_at),
                             std::to_string(e.call_duration_ms / 1000), e.comment});
  }
  return http::csv_response(lines, "qa-evaluations.csv");
}

struct QaRoutes {
  ApiContext& context;
  qa::FormStore& forms;
  qa::EvaluationStore& evaluations;
  call::CdrStore& cdrs;

  auth::Principal evaluator(const http::Request& request) {
    return require_role(request, context.sessions, {Role::admin, Role::supervisor, Role::qa});
  }
  static bool evaluates(const auth::Principal& who) {
    return who.role == Role::admin || who.role == Role::supervisor || who.role == Role::qa;
  }

  static std::string form_name_param(http::Request& request) {
    std::string name = request.params["name"];
    if (!core::is_name(name)) throw http::HttpError(400, "invalid_parameter", "'" + name + "' is not a form name");
    return name;
  }

  static http::Response invalid_form(const qa::InvalidInput& problem) {
    return http::json_response(
        422, {{"error", {{"code", "invalid_form"}, {"message", problem.what()}, {"field", problem.field()}}}});
  }

  // A published version (0: none is current); 404 when there is none.
  qa::Form published_form(const std::string& name, std::int64_t version) {
    auto stored = version > 0 ? forms.version(name, version) : std::nullopt;
    if (!stored) {
      throw http::HttpError(404, "not_found",
                            "form '" + name + "' has no published version" + (version > 0 ? " " + std::to_string(version) : ""));
    }
    return qa::parse_form(json::parse(stored->document));  // checked when published
  }

  http::Response list_forms(http::Request& request) {
    require_login(request, context.sessions);
    json items = json::array();
    for (const auto& summary : forms.list()) {
      json title = nullptr;
      if (auto current = forms.version(summary.name, summary.current_version)) {
        title = json::parse(current->document, nullptr, false).value("title", json(nullptr));
      }
      items.push_back({{"name", summary.name},
                       {"title", title},
                       {"current_version", summary.current_version},
                       {"latest_version", summary.latest_version},
                       {"has_draft", summary.has_draft}});
    }
    return http::json_response(200, {{"items", items}});
  }

  http::Response save_form(http::Request& request) {
    auto who = evaluator(request);
    auto document = http::parse_json_object_body(request.body);
    auto name = document.find("name");
    if (name == document.end() || !name->is_string() || !core::is_name(name->get<std::string>())) {
      throw http::HttpError(400, "invalid_field", "field 'name' must be 1-64 letters, digits, '_' or '-'");
    }
    auto stored = forms.save_draft(name->get<std::string>(), request.body, who.username);
    json out = document_version_json(stored, false);
    try {
      qa::parse_form(document);
      out["valid"] = true;
    } catch (const qa::InvalidInput& problem) {
      out["valid"] = false;
      out["problem"] = {{"field", problem.field()}, {"message", problem.what()}};
    }
    return http::json_response(201, out);
  }

  http::Response get_form(http::Request& request) {
    require_login(request, context.sessions);
    return http::json_response(200, document_overview(forms, form_name_param(request), "form"));
  }

  http::Response get_form_version(http::Request& request) {
    require_login(request, context.sessions);
    std::string name = form_name_param(request);
    const std::int64_t version = http::int_param("version", request.params["version"], 1, INT64_MAX);
    auto stored = forms.version(name, version);
    if (!stored) throw http::HttpError(404, "not_found", "form '" + name + "' has no version " + std::to_string(version));
    return http::json_response(200, document_version_json(*stored, true));
  }

  http::Response publish_form(http::Request& request) {
    auto who = evaluator(request);
    std::string name = form_name_param(request);
    auto draft = forms.draft(name);
    if (!draft) throw http::HttpError(404, "not_found", "form '" + name + "' has no draft");
    try {
      qa::parse_form(json::parse(draft->document));
    } catch (const qa::InvalidInput& problem) {
      return invalid_form(problem);
    }
    store::StoredDocument published;
    try {
      published = forms.publish(name, who.username);
    } catch (const store::VersionedDocumentsError& error) {
      throw http::HttpError(404, "not_found", error.what());  // published meanwhile
    }
    record_audit(context, who, request, "qa_form.publish", "qa_form:" + name, {{"version", published.version}});
    return http::json_response(200, document_version_json(published, false));
  }

  static json marks_of(const json& body, std::int64_t duration_ms) {
    auto found = body.find("marks");
    if (found == body.end()) return json::array();
    if (!found->is_array() || found->size() > kMaxMarks) {
      throw http::HttpError(400, "invalid_field", "field 'marks' must be a list of at most " + std::to_string(kMaxMarks));
    }
    json out = json::array();
    for (std::size_t i = 0; i < found->size(); ++i) {
      const json& mark = (*found)[i];
      const std::string field = "marks[" + std::to_string(i) + "]";
      if (!mark.is_object() || mark.size() != 2 || !mark.contains("at_ms") || !mark.contains("text") ||
          !mark["at_ms"].is_number_integer() || !mark["text"].is_string()) {
        throw http::HttpError(400, "invalid_field", "field '" + field + "' must be {\"at_ms\": integer, \"text\": text}");
      }
      const auto at = mark["at_ms"].get<std::int64_t>();
      const auto text = mark["text"].get<std::string>();
      if (at < 0 || (duration_ms > 0 && at > duration_ms)) {
        throw http::HttpError(400, "invalid_field", "field '" + field + ".at_ms' must be within the call (0 to " +
                                                        std::to_string(duration_ms) + " ms)");
      }
      if (text.empty() || text.size() > kMaxTextBytes) {
        throw http::HttpError(400, "invalid_field", "field '" + field + ".text' must be a text of 1 to " +
                                                        std::to_string(kMaxTextBytes) + " bytes");
      }
      out.push_back({{"at_ms", at}, {"text", text}});
    }
    std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["at_ms"] < b["at_ms"]; });
    return out;
  }

  http::Response create_evaluation(http::Request& request) {
    auto who = evaluator(request);
    http::JsonFields fields(request.body, {"cdr_id", "form", "form_version", "qa_type", "business_type", "answers",
                                           "comment", "marks"});
    const json body = http::parse_json_object_body(request.body);
    const auto cdr_field = fields.optional_int("cdr_id", 1, INT64_MAX);
    if (!cdr_field) throw http::HttpError(400, "missing_field", "field 'cdr_id' is required");
    const std::int64_t cdr_id = *cdr_field;
    const std::string form_name = fields.required_string("form", 64);
    if (!core::is_name(form_name)) throw http::HttpError(400, "invalid_field", "field 'form' is not a form name");
    const std::int64_t form_version =
        fields.optional_int("form_version", 1, INT64_MAX).value_or(forms.current_version(form_name));
    const std::string qa_type = fields.optional_string("qa_type", 32).value_or("routine");
    if (std::none_of(std::begin(kQaTypes), std::end(kQaTypes), [&qa_type](const char* t) { return qa_type == t; })) {
      throw http::HttpError(400, "invalid_field",
                            "field 'qa_type' must be routine, sample, complaint, calibration or coaching");
    }
    qa::Evaluation evaluation;
    evaluation.business_type = fields.optional_string("business_type", 200).value_or("");
    evaluation.comment = fields.optional_string("comment", kMaxTextBytes).value_or("");
    auto cdr = cdrs.get(cdr_id);
    if (!cdr) throw http::HttpError(404, "not_found", "no call " + std::to_string(cdr_id));
    if (cdr->agent.empty()) throw http::HttpError(422, "no_agent", "no agent talked on call " + std::to_string(cdr_id));
    if (cdr->ended_at == 0) {
      throw http::HttpError(409, "call_in_progress", "call " + std::to_string(cdr_id) + " has not ended yet");
    }
    const qa::Form form = published_form(form_name, form_version);
    qa::Score score;
    try {
      score = qa::score(form, body.contains("answers") ? body["answers"] : json());
    } catch (const qa::InvalidInput& problem) {
      throw http::HttpError(400, "invalid_field", problem.what());
    }
    const std::int64_t duration = cdr->answered_at > 0 ? cdr->ended_at - cdr->answered_at : 0;
    evaluation.marks = marks_of(body, duration).dump();
    evaluation.cdr_id = cdr_id;
    evaluation.call_id = cdr->call_id;
    evaluation.agent = cdr->agent;
    evaluation.inspector = who.username;
    evaluation.form_name = form.name;
    evaluation.form_version = form_version;
    evaluation.qa_type = qa_type;
    evaluation.total = score.total;
    evaluation.grade = score.grade;
    evaluation.critical_failed = !score.critical_failures.empty();
    evaluation.items = item_scores_json(score.items).dump();
    evaluation.call_started_at = cdr->started_at;
    evaluation.call_ended_at = cdr->ended_at;
    evaluation.call_duration_ms = duration;
    qa::Evaluation stored;
    try {
      stored = evaluations.create(std::move(evaluation));
    } catch (const qa::EvaluationError& error) {
      throw http::HttpError(409, error.code(), error.what());
    }
    record_audit(context, who, request, "qa.evaluate", "qa_evaluation:" + stored.serial,
                 {{"cdr_id", cdr_id}, {"agent", stored.agent}, {"total", stored.total}, {"grade", stored.grade}});
    return http::json_response(201, evaluation_json(stored));
  }

  http::Response list_evaluations(http::Request& request) {
    auto who = require_login(request, context.sessions);
    auto query = [&request](const char* name) { return query_param(request, name); };
    qa::EvaluationFilter filter;
    filter.agent = query("agent");
    // Agents see their own evaluations only, whatever they ask for.
    if (!evaluates(who)) {
      if (who.extension.empty()) throw http::HttpError(403, "forbidden", "only agents with an extension have evaluations");
      filter.agent = who.extension;
    }
    filter.inspector = query("inspector");
    filter.grade = query("grade");
    filter.qa_type = query("qa_type");
    filter.business_type = query("business_type");
    filter.serial_from = query("serial_from");
    filter.serial_to = query("serial_to");
    if (!query("min_total").empty()) filter.min_total = http::int_param("min_total", query("min_total"), 0, 100);
    if (!query("max_total").empty()) filter.max_total = http::int_param("max_total", query("max_total"), 0, 100);
    filter.status = query("status");
    if (!filter.status.empty() && filter.status != "pending" && filter.status != "acknowledged" &&
        filter.status != "disputed") {
      throw http::HttpError(400, "invalid_parameter", "status must be pending, acknowledged or disputed");
    }
    if (!query("cdr").empty()) filter.cdr_id = http::int_param("cdr", query("cdr"), 1, INT64_MAX);
    if (!query("from").empty()) filter.from_ms = http::int_param("from", query("from"), 0, INT64_MAX);
    if (!query("to").empty()) filter.to_ms = http::int_param("to", query("to"), 1, INT64_MAX);
    const bool csv = query("format") == "csv" || request.header("accept").starts_with("text/csv");
    if (!query("format").empty() && query("format") != "csv" && query("format") != "json") {
      throw http::HttpError(400, "invalid_parameter", "format must be json or csv");
    }
    if (csv) {
      filter.limit = kMaxExportRows;
      auto rows = evaluations.find(filter);
      record_audit(context, who, request, "qa.export", "qa_evaluations",
                   {{"rows", rows.size()}, {"agent", filter.agent}, {"inspector", filter.inspector},
                    {"grade", filter.grade}, {"from", filter.from_ms}, {"to", filter.to_ms}});
      return csv_response(rows);
    }
    const Paging page = paging(request);
    filter.limit = page.limit;
    filter.offset = page.offset;
    json items = json::array();
    for (const auto& e : evaluations.find(filter)) items.push_back(evaluation_json(e));
    return http::json_response(200, {{"items", items}, {"total", evaluations.count(filter)}});
  }

  // The evaluation, if `who` may see it; an agent is told the same for someone
  // else's as for none, so agents cannot learn which evaluations exist.
  qa::Evaluation visible(http::Request& request, const auth::Principal& who) {
    const std::int64_t id = http::int_param("id", request.params["id"], 1, INT64_MAX);
    auto found = evaluations.get(id);
    if (found && (evaluates(who) || (!who.extension.empty() && found->agent == who.extension))) return *found;
    throw http::HttpError(404, "not_found", "no evaluation " + std::to_string(id));
  }

  http::Response get_evaluation(http::Request& request) {
    auto who = require_login(request, context.sessions);
    return http::json_response(200, evaluation_json(visible(request, who)));
  }

  http::Response answer(http::Request& request, const std::string& status) {
    auto who = require_login(request, context.sessions);
    auto evaluation = visible(request, who);
    if (who.extension.empty() || evaluation.agent != who.extension) {
      throw http::HttpError(403, "forbidden", "only the evaluated agent answers an evaluation");
    }
    std::string reason;
    if (status == "disputed") {
      http::JsonFields fields(request.body, {"reason"});
      reason = fields.required_string("reason", kMaxTextBytes);
      if (reason.empty()) throw http::HttpError(400, "invalid_field", "field 'reason' must say why");
    }
    qa::Evaluation answered;
    try {
      answered = evaluations.respond(evaluation.id, status, reason);
    } catch (const qa::EvaluationError& error) {
      throw http::HttpError(error.code() == "not_found" ? 404 : 409, error.code(), error.what());
    }
    record_audit(context, who, request, status == "disputed" ? "qa.dispute" : "qa.acknowledge",
                 "qa_evaluation:" + answered.serial, {{"reason", reason}});
    return http::json_response(200, evaluation_json(answered));
  }
  http::Response acknowledge(http::Request& request) { return answer(request, "acknowledged"); }
  http::Response dispute(http::Request& request) { return answer(request, "disputed"); }

  static json spread_json(const std::vector<double>& values) {
    if (values.empty()) return {{"count", 0}};
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    double mean = 0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    double variance = 0;
    for (double v : values) variance += (v - mean) * (v - mean);
    variance /= static_cast<double>(values.size());
    auto round1 = [](double v) { return std::round(v * 10) / 10; };
    return {{"count", values.size()},
            {"mean", round1(mean)},
            {"min", *low},
            {"max", *high},
            {"spread", round1(*high - *low)},
            {"stddev", round1(std::sqrt(variance))}};
  }

  http::Response calibration(http::Request& request) {
    evaluator(request);
    if (query_param(request, "cdr").empty()) throw http::HttpError(400, "missing_parameter", "give the call as ?cdr=ID");
    qa::EvaluationFilter filter;
    filter.cdr_id = http::int_param("cdr", query_param(request, "cdr"), 1, INT64_MAX);
    filter.limit = 1000;
    auto scored = evaluations.find(filter);
    std::reverse(scored.begin(), scored.end());  // oldest first
    json inspectors = json::array();
    std::vector<double> totals;
    std::map<std::string, std::vector<double>> per_item;
    std::vector<std::string> item_order;
    for (const auto& e : scored) {
      totals.push_back(e.total);
      json items = stored_list(e.items);
      for (const auto& item : items) {
        if (!item.is_object() || item.value("na", false) || !item.contains("score")) continue;
        const std::string id = item.value("item", std::string());
        if (!per_item.contains(id)) item_order.push_back(id);
        per_item[id].push_back(item["score"].get<double>());
      }
      inspectors.push_back({{"id", e.id},
                            {"serial", e.serial},
                            {"inspector", e.inspector},
                            {"form", e.form_name},
                            {"form_version", e.form_version},
                            {"total", e.total},
                            {"grade", e.grade},
                            {"critical_failed", e.critical_failed},
                            {"items", items},
                            {"created_at", e.created_at}});
    }
    json items = json::array();
    for (const auto& id : item_order) {
      json row = spread_json(per_item[id]);
      row["item"] = id;
      items.push_back(std::move(row));
    }
    return http::json_response(200, {{"cdr_id", filter.cdr_id},
                                     {"evaluations", inspectors},
                                     {"total", spread_json(totals)},
                                     {"items", items}});
  }

  http::Response sample(http::Request& request) {
    evaluator(request);
    const std::int64_t per_agent = query_param(request, "per_agent").empty()
                                       ? 5
                                       : http::int_param("per_agent", query_param(request, "per_agent"), 1, 100);
    std::string week = query_param(request, "week");
    if (week.empty()) week = qa::iso_week_of(context.clock.now_ms());
    auto bounds = qa::iso_week_bounds(week);
    if (!bounds) throw http::HttpError(400, "invalid_parameter", "week must be an ISO week such as 2026-W49");
    json items = json::array();
    for (const auto& call : qa::sample(evaluations.sample_candidates(bounds->first, bounds->second), per_agent, week)) {
      items.push_back({{"cdr_id", call.cdr_id},
                       {"agent", call.agent},
                       {"caller", call.caller},
                       {"queue", call.queue},
                       {"started_at", call.started_at},
                       {"duration_ms", call.duration_ms},
                       {"recorded", call.recorded}});
    }
    return http::json_response(200, {{"week", week},
                                     {"from", bounds->first},
                                     {"to", bounds->second},
                                     {"per_agent", per_agent},
                                     {"items", items}});
  }
};

}  // namespace

void add_qa_routes(http::Router& router, ApiContext& context, qa::FormStore& forms, qa::EvaluationStore& evaluations,
                   call::CdrStore& cdrs) {
  auto routes = std::make_shared<QaRoutes>(QaRoutes{context, forms, evaluations, cdrs});
  auto bind = [routes](http::Response (QaRoutes::*handler)(http::Request&)) {
    return [routes, handler](http::Request& request) { return ((*routes).*handler)(request); };
  };
  router.add("GET", "/api/v1/qa/forms", bind(&QaRoutes::list_forms));
  router.add("POST", "/api/v1/qa/forms", bind(&QaRoutes::save_form));
  router.add("GET", "/api/v1/qa/forms/{name}", bind(&QaRoutes::get_form));
  router.add("GET", "/api/v1/qa/forms/{name}/versions/{version}", bind(&QaRoutes::get_form_version));
  router.add("POST", "/api/v1/qa/forms/{name}/publish", bind(&QaRoutes::publish_form));
  router.add("POST", "/api/v1/qa/evaluations", bind(&QaRoutes::create_evaluation));
  router.add("GET", "/api/v1/qa/evaluations", bind(&QaRoutes::list_evaluations));
  router.add("GET", "/api/v1/qa/evaluations/{id}", bind(&QaRoutes::get_evaluation));
  router.add("POST", "/api/v1/qa/evaluations/{id}/acknowledge", bind(&QaRoutes::acknowledge));
  router.add("POST", "/api/v1/qa/evaluations/{id}/dispute", bind(&QaRoutes::dispute));
  router.add("GET", "/api/v1/qa/calibration", bind(&QaRoutes::calibration));
  router.add("GET", "/api/v1/qa/sample", bind(&QaRoutes::sample));
}

}  // namespace unicc::api
