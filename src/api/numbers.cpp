#include "api/numbers.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "call/routing.h"
#include "call/sip_accounts.h"
#include "core/text.h"
#include "http/json_fields.h"

namespace unicc::api {
namespace {

using auth::Role;
using nlohmann::json;

constexpr std::size_t kMaxNumber = 32;
constexpr std::size_t kMaxDescription = 200;

json item(const std::string& number, const std::string& target, const std::string& source,
          const std::string& description) {
  return {{"number", number}, {"target", target}, {"source", source}, {"description", description}};
}

json record_json(const call::NumberRecord& record) {
  json out = item(record.number, record.target, "database", record.description);
  out["updated_by"] = record.updated_by;
  out["updated_at"] = record.updated_at;
  return out;
}

// The number of the path, checked: 1-32 digits, '+', '*' or '#'.
std::string number_param(http::Request& request) {
  std::string number = request.params["number"];
  if (number.size() > kMaxNumber || !core::is_dial_string(number)) {
    throw http::HttpError(400, "invalid_field", "number: must be 1-32 digits, '+', '*' or '#'");
  }
  return number;
}

struct NumberRoutes {
  ApiContext& context;
  call::NumberStore& numbers;
  NumberOwners owners;

  // Who else answers `number`: 409 naming the owner.
  void check_owner(const std::string& number) {
    if (auto flow = owners.flows.for_did(number)) {
      throw http::HttpError(409, "number_owned_by_flow",
                            "number: " + number + " is answered by flow '" + flow->name + "' (its dids)");
    }
    for (const auto& did : owners.config_dids) {
      if (call::did_covers(did, number)) {
        throw http::HttpError(409, "number_owned_by_config",
                              "number: " + number + " is a [[did]] of the configuration file (" + did.numbers + ")");
      }
    }
  }

  bool is_extension(const std::string& extension) {
    auto accounts = call::list_sip_accounts(context.db);
    return std::any_of(accounts.begin(), accounts.end(),
                       [&extension](const auto& account) { return account.extension == extension; });
  }

  void check_target(const call::NumberTarget& target) {
    if (target.kind == "flow") {
      if (!owners.flows.current(target.name)) {
        throw http::HttpError(400, "invalid_field", "target: flow '" + target.name + "' is not published");
      }
    } else if (target.kind == "queue") {
      if (!owners.acd.queue(target.name)) {
        throw http::HttpError(400, "invalid_field", "target: queue '" + target.name + "' does not exist");
      }
    } else {
      if (!is_extension(target.name)) {
        throw http::HttpError(400, "invalid_field", "target: there is no SIP account " + target.name);
      }
    }
  }

  http::Response list(http::Request& request) {
    require_role(request, context.sessions, {Role::admin, Role::supervisor});
    json items = json::array();
    for (const auto& did : owners.config_dids) items.push_back(item(did.numbers, "extension:" + did.target, "config", ""));
    for (const auto& flow : owners.flows.all()) {
      for (const auto& did : flow->dids) {
        json entry = item(did, "flow:" + flow->name, "flow", flow->description);
        entry["flow"] = flow->name;
        items.push_back(std::move(entry));
      }
    }
    for (const auto& record : numbers.all()) items.push_back(record_json(record));
    std::stable_sort(items.begin(), items.end(),
                     [](const json& a, const json& b) { return a["number"].get<std::string>() < b["number"].get<std::string>(); });
    return http::json_response(200, {{"items", items}});
  }

  http::Response put(http::Request& request) {
    const auto who = require_role(request, context.sessions, {Role::admin});
    const std::string number = number_param(request);
    http::JsonFields fields(request.body, {"target", "description"});
    const std::string target_text = fields.required_string("target", 200);
    const auto target = call::parse_number_target(target_text);
    if (!target) {
      throw http::HttpError(400, "invalid_field",
                            "target: must be flow:<name>, queue:<name> or extension:<extension>");
    }
    const std::string description = fields.optional_string("description", kMaxDescription).value_or("");
    check_owner(number);
    // Phones dialling an extension's own number reach that extension first.
    if (is_extension(number)) {
      throw http::HttpError(409, "number_is_extension", "number: " + number + " is an extension's own number");
    }
    check_target(*target);
    const auto before = numbers.find(number);
    call::NumberRecord record{number, target_text, description, who.username, context.clock.now_ms()};
    numbers.put(record);
    json detail = {{"target", record.target}, {"description", record.description}};
    if (before) detail["was"] = {{"target", before->target}, {"description", before->description}};
    record_audit(context, who, request, "number.update", "number:" + number, detail);
    return http::json_response(before ? 200 : 201, record_json(record));
  }

  http::Response remove(http::Request& request) {
    const auto who = require_role(request, context.sessions, {Role::admin});
    const std::string number = number_param(request);
    const auto before = numbers.find(number);
    if (!before) {
      check_owner(number);  // one the flows or the file own cannot be deleted here
      throw http::HttpError(404, "not_found", "number: " + number + " is not in the numbers table");
    }
    numbers.remove(number);
    record_audit(context, who, request, "number.delete", "number:" + number,
                 {{"was", {{"target", before->target}, {"description", before->description}}}});
    return http::Response{204, "application/json", "", {}};
  }
};

}  // namespace

void add_number_routes(http::Router& router, ApiContext& context, call::NumberStore& numbers, NumberOwners owners) {
  auto routes = std::make_shared<NumberRoutes>(NumberRoutes{context, numbers, owners});
  auto bind = [routes](http::Response (NumberRoutes::*handler)(http::Request&)) {
    return [routes, handler](http::Request& request) { return ((*routes).*handler)(request); };
  };
  router.add("GET", "/api/v1/numbers", bind(&NumberRoutes::list));
  router.add("PUT", "/api/v1/numbers/{number}", bind(&NumberRoutes::put));
  router.add("DELETE", "/api/v1/numbers/{number}", bind(&NumberRoutes::remove));
}

}  // namespace unicc::api
