#pragma once
// /api/v1/calendars — shared business hours and holidays (calendar/calendar.h), named
// by flows' schedule nodes and by queues. Admins and supervisors read, admins write:
//   GET    /api/v1/calendars          {"items":[calendar + "status" + "updated_at"/"updated_by"]}
//   GET    /api/v1/calendars/{name}   one, with "status" (open/closed/holiday now and the
//                                     next change) and "used_by" (flows and queues)
//   PUT    /api/v1/calendars/{name}   create (201) or replace (200); 400 invalid_field
//                                     naming the field ("hours.mon[1].to")
//   DELETE /api/v1/calendars/{name}   204; 409 in_use while a published flow version
//                                     or a queue names it
// Writes are audited (calendar.created / calendar.updated / calendar.deleted, target
// "calendar:NAME") and sent to supervisors' event streams as {"type":"calendar",...}.
// Calls see a change at their next decision (the store's snapshot).
#include <functional>
#include <string>
#include <vector>

#include "api/context.h"
#include "calendar/calendar_store.h"
#include "http/router.h"
#include "ivr/flow_store.h"

namespace unicc::api {

// The queues naming a calendar ("queue 'support'"), for used_by and in_use.
using CalendarQueueUsers = std::function<std::vector<std::string>(const std::string& calendar)>;

void add_calendar_routes(http::Router& router, ApiContext& context, calendar::CalendarStore& calendars,
                         ivr::FlowStore& flows, CalendarQueueUsers queue_users);

}  // namespace unicc::api
