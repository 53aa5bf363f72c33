#include "api/cti_codes.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "http/json_fields.h"

namespace unicc::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCodes = 50;
constexpr std::size_t kMaxLabel = 64;

json code_list_json(const std::vector<core::CtiCode>& codes) {
  json items = json::array();
  for (const auto& code : codes) {
    items.push_back({{"code", code.code}, {"label", {{"en", code.en}, {"zh-CN", code.zh}}}});
  }
  return items;
}

json lists_json(const core::CtiConfig& lists) {
  return {{"dispositions", code_list_json(lists.dispositions)},
          {"not_ready_reasons", code_list_json(lists.not_ready_reasons)}};
}

[[noreturn]] void invalid(const std::string& field, const std::string& problem) {
  throw http::HttpError(400, "invalid_field", field + ": " + problem);
}

void only_fields(const json& object, const std::string& prefix, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::none_of(allowed.begin(), allowed.end(), [&key](const char* name) { return key == name; })) {
      invalid(prefix + key, "unknown field");
    }
  }
}

// Labels are counted in characters (UTF-8 lead bytes; the JSON parser checked the
// encoding), so a Chinese label may have 64 of them, as in the configuration file.
std::string label_text(const json& object, const std::string& field, const std::string& name, bool required) {
  if (!object.contains(name)) {
    if (required) invalid(field + name, "is required");
    return "";
  }
  const json& value = object.at(name);
  if (!value.is_string()) invalid(field + name, "must be a string");
  const auto text = value.get<std::string>();
  if (required && text.empty()) invalid(field + name, "must not be empty");
  auto characters = std::count_if(text.begin(), text.end(), [](char byte) { return (byte & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(characters) > kMaxLabel) {
    invalid(field + name, "is longer than " + std::to_string(kMaxLabel) + " characters");
  }
  return text;
}

std::vector<core::CtiCode> read_list(const json& body, const std::string& name) {
  if (!body.contains(name)) invalid(name, "is required");
  const json& items = body.at(name);
  if (!items.is_array()) invalid(name, "must be an array");
  if (items.empty() || items.size() > kMaxCodes) invalid(name, "must have 1 to " + std::to_string(kMaxCodes) + " codes");
  std::vector<core::CtiCode> codes;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = name + "[" + std::to_string(i) + "]";
    const json& item = items[i];
    if (!item.is_object()) invalid(at, "must be a JSON object");
    only_fields(item, at + ".", {"code", "label"});
    core::CtiCode code;
    if (!item.contains("code")) invalid(at + ".code", "is required");
    if (!item.at("code").is_string()) invalid(at + ".code", "must be a string");
    code.code = item.at("code").get<std::string>();
    constexpr const char* kAllowed = "abcdefghijklmnopqrstuvwxyz0123456789_-";
    if (code.code.empty() || code.code.size() > 32 || code.code.find_first_not_of(kAllowed) != std::string::npos) {
      invalid(at + ".code", "must be 1-32 characters of a-z, 0-9, _ and -");
    }
    if (!seen.insert(code.code).second) invalid(at + ".code", "'" + code.code + "' is listed twice");
    if (!item.contains("label")) invalid(at + ".label.en", "is required");
    const json& label = item.at("label");
    if (!label.is_object()) invalid(at + ".label", "must be a JSON object");
    only_fields(label, at + ".label.", {"en", "zh-CN"});
    code.en = label_text(label, at + ".label.", "en", true);
    code.zh = label_text(label, at + ".label.", "zh-CN", false);
    if (code.zh.empty()) code.zh = code.en;
    codes.push_back(std::move(code));
  }
  return codes;
}

// What a save changed in the list `name`, into the audit entry's `detail`: the codes
// added, removed and given other labels, and the new order when the codes kept moved
// ("dispositions_added": [...]; flat keys, which the console names in the user's
// language). Nothing for a list that did not change.
void list_changes(const std::string& name, const std::vector<core::CtiCode>& before,
                  const std::vector<core::CtiCode>& after, json& detail) {
  auto find = [](const std::vector<core::CtiCode>& codes, const std::string& code) {
    return std::find_if(codes.begin(), codes.end(), [&code](const core::CtiCode& c) { return c.code == code; });
  };
  json added = json::array(), removed = json::array(), relabelled = json::array();
  std::vector<std::string> kept_before, kept_after, order;
  for (const auto& code : after) {
    order.push_back(code.code);
    auto old = find(before, code.code);
    if (old == before.end()) {
      added.push_back(code.code);
      continue;
    }
    kept_after.push_back(code.code);
    if (old->en != code.en || old->zh != code.zh) relabelled.push_back(code.code);
  }
  for (const auto& code : before) {
    if (find(after, code.code) == after.end()) {
      removed.push_back(code.code);
    } else {
      kept_before.push_back(code.code);
    }
  }
  if (!added.empty()) detail[name + "_added"] = added;
  if (!removed.empty()) detail[name + "_removed"] = removed;
  if (!relabelled.empty()) detail[name + "_relabelled"] = relabelled;
  if (kept_before != kept_after) detail[name + "_reordered"] = order;
}

}  // namespace

void add_cti_code_routes(http::Router& router, ApiContext& context, call::CtiCodeStore& codes) {
  router.add("GET", "/api/v1/cti/codes", [&context, &codes](http::Request& request) {
    require_login(request, context.sessions);
    return http::json_response(200, lists_json(codes.lists()));
  });

  router.add("PUT", "/api/v1/cti/codes", [&context, &codes](http::Request& request) {
    const auto who = require_role(request, context.sessions, {auth::Role::admin});
    const json body = http::parse_json_object_body(request.body);
    only_fields(body, "", {"dispositions", "not_ready_reasons"});
    core::CtiConfig lists;
    lists.dispositions = read_list(body, "dispositions");
    lists.not_ready_reasons = read_list(body, "not_ready_reasons");

    const core::CtiConfig before = codes.lists();
    codes.replace(lists);
    json detail = json::object();
    list_changes("dispositions", before.dispositions, lists.dispositions, detail);
    list_changes("not_ready_reasons", before.not_ready_reasons, lists.not_ready_reasons, detail);
    record_audit(context, who, request, "cti_codes.update", "cti_codes", detail);
    const json record = lists_json(lists);
    context.hub.publish({{"type", "cti_codes"}, {"record", record}});
    return http::json_response(200, record);
  });
}

}  // namespace unicc::api
