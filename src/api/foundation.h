#pragma once
// The REST endpoints under /api/v1 that the foundation owns: health, login/logout,
// the current user, users and roles, the audit log; plus /metrics and the WebSocket
// hooks. The other modules of api/ add their own routes to the same Router.
//
// Role rules: admin manages users and reads the audit log; supervisors may list
// users; every signed-in user may read /me. Admin and supervisor actions are
// written to the audit log and published to admins on the event stream.
#include "api/context.h"
#include "http/router.h"
#include "http/server.h"

namespace unicc::api {

void add_foundation_routes(http::Router& router, ApiContext& context);
// The event stream's hooks. Besides ping, a client may send any REST call over its
// stream — {"type":"request","id":7,"method":"POST","path":"/api/v1/calls/…/hold",
// "body":{…}} — answered {"type":"response","id":7,"status":200,"body":{…}} by
// `router` exactly as over HTTP, with the stream's token: the agent desktop's
// commands without a connection per click.
http::WebSocketHooks websocket_hooks(ApiContext& context, const http::Router& router);

}  // namespace unicc::api
