#pragma once
// The SIP ban list for admins (see sip::BanList):
//   GET    /api/v1/sip/bans               bans in force, oldest first
//   DELETE /api/v1/sip/bans/{kind}/{key}  lifts a ban (kind "address" or "user"); audited
#include "api/context.h"
#include "http/router.h"
#include "sip/ban_list.h"

namespace unicc::api {

void add_sip_ban_routes(http::Router& router, ApiContext& context, sip::BanList& bans);

}  // namespace unicc::api
