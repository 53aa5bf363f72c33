#pragma once
// The SIP ban list for admins (see sip::BanList):
//   GET    /api/v1/sip/bans               bans in force, oldest first
//   DELETE /api/v1/sip/bans/{kind}/{key}  lifts a ban (kind "address" or "user"); audited
#include "http/api.h"
#include "http/router.h"
#include "sip/ban_list.h"

namespace unicc::app {

void add_sip_ban_routes(http::Router& router, http::ApiContext& context, sip::BanList& bans);

}  // namespace unicc::app
