#pragma once
// /api/v1/customers — the CRM's customers (crm::CustomerStore): agents, supervisors
// and admins create (POST), read (GET /{id}), change (PATCH /{id}, audited as
// customer.create and customer.update) and find them, by any spelling of a phone
// (?phone=) or by part of a name, phone or e-mail (?q=, paged); GET /{id}/contacts
// lists their earlier calls, newest first. qa may read. docs/api.md has the fields.
#include <nlohmann/json.hpp>

#include "api/context.h"
#include "crm/customers.h"
#include "http/router.h"

namespace unicc::api {

void add_customer_routes(http::Router& router, ApiContext& context, crm::CustomerStore& customers);

// A customer as every answer and event shows one (the live call's screen pop too).
nlohmann::json customer_json(const crm::Customer& customer);

}  // namespace unicc::api
