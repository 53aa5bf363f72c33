#pragma once
// GET /api/v1/cdrs — call detail records for admins, supervisors and QA, newest
// first, filtered by time range (from, to: ms since epoch), number (caller,
// dialled or callee), disposition, agent, queue, customer_id, talk time
// (min_duration, max_duration: seconds) and has_recording, with limit/offset
// paging; and GET /api/v1/cdrs/{id}/recording — the call's recording (WAV, byte
// ranges for seeking) for admins, supervisors, QA and the agent who took the call,
// audited as recording.play, or with ?download=1 as an attachment for admins and
// supervisors only, audited as recording.download; 410 once the retention deleted
// it. Only files inside `recordings_dir` are served.
#include <string>

#include "api/context.h"
#include "call/cdr.h"
#include "http/router.h"
#include "http/static_files.h"

namespace unicc::api {

// The recording at `path` (a CDR's), whole or by range: 404 naming `what` (e.g.
// "call 7") when there is none, it is gone, or it lies outside `recordings_dir`.
http::FileReply recording_reply(const http::Request& request, const std::string& recordings_dir,
                                const std::string& path, const std::string& what);

void add_cdr_routes(http::Router& router, ApiContext& context, call::CdrStore& cdrs, std::string recordings_dir);

}  // namespace unicc::api
