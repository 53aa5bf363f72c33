#include "api/customers.h"

#include <nlohmann/json.hpp>

#include "http/json_fields.h"

namespace unicc::api {
namespace {

using auth::Role;
using http::HttpError;
using nlohmann::json;

// crm checks lengths in characters; the body's own bound keeps these reads finite.
constexpr std::size_t kUncheckedLength = std::string::npos;


json contact_json(const crm::CustomerContact& contact) {
  return {{"cdr_id", contact.cdr_id},
          {"call_id", contact.call_id},
          {"at", contact.started_at},
          {"channel", "voice"},
          {"direction", contact.direction},
          {"caller", contact.caller},
          {"agent", contact.agent},
          {"queue", contact.queue},
          {"disposition", contact.disposition},
          {"disposition_code", contact.disposition_code},
          {"notes", contact.notes},
          {"duration_ms", contact.duration_ms},
          {"recording", contact.recorded ? json("/api/v1/cdrs/" + std::to_string(contact.cdr_id) + "/recording")
                                         : json(nullptr)}};
}

[[noreturn]] void rethrow_customer_error(const crm::CustomerError& error) {
  int status = 400;
  if (error.code() == "phone_taken") status = 409;
  if (error.code() == "not_found") status = 404;
  throw HttpError(status, error.code(), error.what());
}

// A text field that null clears, like "".
std::optional<std::string> nullable_text(const http::JsonFields& fields, const std::string& name) {
  if (fields.is_null(name)) return "";
  return fields.optional_string(name, kUncheckedLength);
}

// The fields of a POST or PATCH body; `present` gets the names it sets (for the audit
// log, which records what changed, not the customer's data).
crm::CustomerChanges customer_changes(const std::string& body, json& present) {
  http::JsonFields fields(body, {"name", "phones", "email", "vip", "tags", "birthday", "address", "notes", "fields"});
  crm::CustomerChanges changes;
  changes.name = fields.optional_string("name", kUncheckedLength);
  changes.phones = fields.optional_string_list("phones");
  changes.email = nullable_text(fields, "email");
  changes.vip = fields.optional_bool("vip");
  changes.tags = fields.optional_string_list("tags");
  changes.birthday = nullable_text(fields, "birthday");
  changes.address = nullable_text(fields, "address");
  changes.notes = nullable_text(fields, "notes");
  changes.fields = fields.optional_string_map("fields");
  present = json::array();
  for (const char* name : {"name", "phones", "email", "vip", "tags", "birthday", "address", "notes", "fields"}) {
    if (fields.has(name)) present.push_back(name);
  }
  return changes;
}

crm::Customer existing_customer(crm::CustomerStore& customers, const http::Request& request) {
  const std::int64_t id = http::int_param("id", request.params.at("id"), 1, INT64_MAX);
  auto customer = customers.get(id);
  if (!customer) throw HttpError(404, "not_found", "no customer with id " + std::to_string(id));
  return *customer;
}

const std::initializer_list<Role> kCustomerReaders = {Role::agent, Role::supervisor, Role::admin, Role::qa};
const std::initializer_list<Role> kCustomerWriters = {Role::agent, Role::supervisor, Role::admin};

}  // namespace

json customer_json(const crm::Customer& customer) {
  return {{"id", customer.id},
          {"name", customer.name},
          {"phones", customer.phones},
          {"email", customer.email},
          {"vip", customer.vip},
          {"tags", customer.tags},
          {"birthday", customer.birthday},
          {"address", customer.address},
          {"notes", customer.notes},
          {"fields", customer.fields},
          {"created_at", customer.created_at},
          {"updated_at", customer.updated_at}};
}

void add_customer_routes(http::Router& router, ApiContext& context, crm::CustomerStore& customers,
                         std::function<void(const crm::Customer&)> created) {
  router.add("POST", "/api/v1/customers", [&context, &customers, created](http::Request& request) {
    const auto who = require_role(request, context.sessions, kCustomerWriters);
    json present;
    const auto changes = customer_changes(request.body, present);
    if (!changes.name) throw HttpError(400, "missing_field", "field 'name' is required");
    crm::Customer customer;
    crm::apply_changes(customer, changes);
    try {
      customer = customers.create(customer);
    } catch (const crm::CustomerError& error) {
      rethrow_customer_error(error);
    }
    record_audit(context, who, request, "customer.create", "customer:" + std::to_string(customer.id),
                 {{"fields", present}});
    if (created) created(customer);
    return http::json_response(201, customer_json(customer));
  });
  router.add("GET", "/api/v1/customers", [&context, &customers](http::Request& request) {
    require_role(request, context.sessions, kCustomerReaders);
    const std::string phone = query_param(request, "phone");
    json items = json::array();
    if (!phone.empty()) {
      if (!query_param(request, "q").empty()) {
        throw HttpError(400, "invalid_parameter", "'phone' and 'q' cannot be combined");
      }
      if (!customers.normalizer().normalize(phone)) {
        throw HttpError(400, "invalid_parameter", "'phone' is not a phone number");
      }
      if (auto customer = customers.find_by_phone(phone)) items.push_back(customer_json(*customer));
      return http::json_response(200, {{"items", items}, {"total", items.size()}});
    }
    const Paging page = paging(request);
    const auto found = customers.search(query_param(request, "q"), page.limit, page.offset);
    for (const auto& customer : found.items) items.push_back(customer_json(customer));
    return http::json_response(200, {{"items", items}, {"total", found.total}});
  });
  router.add("GET", "/api/v1/customers/{id}", [&context, &customers](http::Request& request) {
    require_role(request, context.sessions, kCustomerReaders);
    return http::json_response(200, customer_json(existing_customer(customers, request)));
  });
  router.add("PATCH", "/api/v1/customers/{id}", [&context, &customers](http::Request& request) {
    const auto who = require_role(request, context.sessions, kCustomerWriters);
    const std::int64_t id = http::int_param("id", request.params.at("id"), 1, INT64_MAX);
    json present;
    const auto changes = customer_changes(request.body, present);
    crm::Customer customer;
    try {
      customer = customers.update(id, changes);
    } catch (const crm::CustomerError& error) {
      rethrow_customer_error(error);
    }
    record_audit(context, who, request, "customer.update", "customer:" + std::to_string(id), {{"fields", present}});
    return http::json_response(200, customer_json(customer));
  });
  router.add("GET", "/api/v1/customers/{id}/contacts", [&context, &customers](http::Request& request) {
    require_role(request, context.sessions, kCustomerReaders);
    const auto customer = existing_customer(customers, request);
    json items = json::array();
    for (const auto& contact : customers.contacts(customer, paging(request).limit)) {
      items.push_back(contact_json(contact));
    }
    return http::json_response(200, {{"items", items}});
  });
}

}  // namespace unicc::api
