#pragma once
// /api/v1/customers — the CRM's customers (crm::CustomerStore): agents, supervisors
// and admins create (POST), read (GET /{id}), change (PATCH /{id}, audited as
// customer.create and customer.update) and find them, by any spelling of a phone
// (?phone=) or by part of a name, phone or e-mail (?q=, paged); GET /{id}/contacts
// lists their earlier calls, newest first. qa may read. docs/api.md has the fields.
#include <nlohmann/json.hpp>

#include <functional>

#include "api/context.h"
#include "crm/customers.h"
#include "http/router.h"

namespace unicc::api {

// `created` is told of each customer POST creates (after it answered nothing yet): an
// agent who fills in an unknown caller's record mid-call gets it onto the call.
void add_customer_routes(http::Router& router, ApiContext& context, crm::CustomerStore& customers,
                         std::function<void(const crm::Customer&)> created = {});

// A customer as every answer and event shows one (the live call's screen pop too).
nlohmann::json customer_json(const crm::Customer& customer);

}  // namespace unicc::api
