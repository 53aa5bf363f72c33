#pragma once
// /api/v1/voicemails — the messages callers left, for admins and supervisors: list
// (by mailbox and heard, newest first, paged), read one, fetch its audio (WAV),
// mark it heard; admins delete a message and its file (audited). docs/api.md has
// the endpoints.
#include "call/voicemail_store.h"
#include "api/context.h"
#include "http/router.h"

namespace unicc::api {

void add_voicemail_routes(http::Router& router, ApiContext& context, call::VoicemailStore& voicemails);

}  // namespace unicc::api
