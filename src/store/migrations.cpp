#include "store/migrations.h"

namespace unicc::store {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1,
       "users, sessions and audit log",
       {
           "CREATE TABLE users ("
           " id {id},"
           " username TEXT NOT NULL UNIQUE,"
           " display_name TEXT NOT NULL DEFAULT '',"
           " role TEXT NOT NULL,"
           " password_hash TEXT NOT NULL,"
           " disabled INTEGER NOT NULL DEFAULT 0,"
           " created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
           "CREATE TABLE sessions ("
           " token_hash TEXT PRIMARY KEY,"
           " user_id BIGINT NOT NULL REFERENCES users(id),"
           " created_at BIGINT NOT NULL,"
           " expires_at BIGINT NOT NULL,"
           " source TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX sessions_user ON sessions(user_id)",
           "CREATE TABLE audit_log ("
           " id {id},"
           " at BIGINT NOT NULL,"
           " actor_id BIGINT,"
           " actor TEXT NOT NULL,"
           " actor_role TEXT NOT NULL DEFAULT '',"
           " action TEXT NOT NULL,"
           " target TEXT NOT NULL DEFAULT '',"
           " detail TEXT NOT NULL DEFAULT '',"
           " source TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX audit_log_at ON audit_log(at)",
       }},
      {2,
       "SIP accounts and call detail records",
       {
           "CREATE TABLE sip_accounts ("
           " extension TEXT PRIMARY KEY,"
           " display_name TEXT NOT NULL DEFAULT '',"
           " realm TEXT NOT NULL,"
           " ha1_md5 TEXT NOT NULL,"
           " ha1_sha256 TEXT NOT NULL,"
           " enabled INTEGER NOT NULL DEFAULT 1,"
           " created_at BIGINT NOT NULL)",
           "CREATE TABLE cdrs ("
           " id {id},"
           " call_id TEXT NOT NULL,"
           " b_call_id TEXT NOT NULL DEFAULT '',"
           " direction TEXT NOT NULL,"
           " caller TEXT NOT NULL DEFAULT '',"
           " caller_name TEXT NOT NULL DEFAULT '',"
           " dialled TEXT NOT NULL DEFAULT '',"
           " callee TEXT NOT NULL DEFAULT '',"
           " trunk TEXT NOT NULL DEFAULT '',"
           " started_at BIGINT NOT NULL,"
           " answered_at BIGINT NOT NULL DEFAULT 0,"
           " ended_at BIGINT NOT NULL,"
           " disposition TEXT NOT NULL,"
           " hangup_cause TEXT NOT NULL DEFAULT '',"
           " hangup_side TEXT NOT NULL DEFAULT '',"
           " recording_path TEXT NOT NULL DEFAULT '',"
           " rtp_from_caller BIGINT NOT NULL DEFAULT 0,"
           " rtp_to_caller BIGINT NOT NULL DEFAULT 0,"
           " rtp_from_callee BIGINT NOT NULL DEFAULT 0,"
           " rtp_to_callee BIGINT NOT NULL DEFAULT 0,"
           " rtp_lost BIGINT NOT NULL DEFAULT 0)",
           "CREATE INDEX cdrs_started ON cdrs(started_at)",
           "CREATE INDEX cdrs_caller ON cdrs(caller)",
           "CREATE INDEX cdrs_callee ON cdrs(callee)",
       }},
      {3,
       "IVR flows with versions",
       {
           // One row per published version of a flow (version 1, 2, ...) and at
           // most one draft per name (version 0), which publishing turns into the
           // next version.
           "CREATE TABLE flows ("
           " id {id},"
           " name TEXT NOT NULL,"
           " version BIGINT NOT NULL,"
           " status TEXT NOT NULL,"
           " document TEXT NOT NULL,"
           " created_at BIGINT NOT NULL,"
           " created_by TEXT NOT NULL DEFAULT '',"
           " UNIQUE (name, version))",
           // The version calls start with, per name; rollback points it back.
           "CREATE TABLE flow_current ("
           " name TEXT PRIMARY KEY,"
           " version BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL,"
           " updated_by TEXT NOT NULL DEFAULT '')",
       }},
      {4,
       "voicemail messages",
       {
           // One row per message left in a mailbox; the audio is a WAV file at `path`.
           "CREATE TABLE voicemails ("
           " id {id},"
           " mailbox TEXT NOT NULL,"
           " caller TEXT NOT NULL DEFAULT '',"
           " caller_name TEXT NOT NULL DEFAULT '',"
           " call_id TEXT NOT NULL DEFAULT '',"
           " created_at BIGINT NOT NULL,"
           " duration_ms BIGINT NOT NULL DEFAULT 0,"
           " path TEXT NOT NULL,"
           " heard INTEGER NOT NULL DEFAULT 0)",
           "CREATE INDEX voicemails_mailbox_created ON voicemails(mailbox, created_at)",
           // Listing every mailbox newest first.
           "CREATE INDEX voicemails_created ON voicemails(created_at)",
       }},
      {5,
       "IVR trace in call detail records",
       {
           // JSON of the path through the IVR flow ("" for calls without one).
           "ALTER TABLE cdrs ADD COLUMN ivr_trace TEXT NOT NULL DEFAULT ''",
       }},
      {6,
       "agent state log",
       {
           // Every state change of every agent, the basis of occupancy and adherence.
           "CREATE TABLE agent_states ("
           " id {id},"
           " extension TEXT NOT NULL,"
           " from_state TEXT NOT NULL,"
           " to_state TEXT NOT NULL,"
           " reason TEXT NOT NULL DEFAULT '',"
           " at BIGINT NOT NULL,"
           " previous_ms BIGINT NOT NULL DEFAULT 0,"
           " call_id TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX agent_states_extension_at ON agent_states(extension, at)",
       }},
      {7,
       "ACD skills, queues and agents",
       {
           "CREATE TABLE skills ("
           " id {id},"
           " name TEXT NOT NULL UNIQUE,"
           " description TEXT NOT NULL DEFAULT '',"
           " created_at BIGINT NOT NULL)",
           // A queue's and an agent's settings are their REST JSON (without the key
           // column), read strictly by app::AcdStore.
           "CREATE TABLE acd_queues ("
           " id {id},"
           " name TEXT NOT NULL UNIQUE,"
           " settings TEXT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
           "CREATE TABLE acd_agents ("
           " id {id},"
           " extension TEXT NOT NULL UNIQUE,"
           " settings TEXT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
       }},
      {8,
       "callbacks in queue",
       {
           // Callers who hung up keeping their place, so that a restart loses none:
           // the rows still "waiting" are queued again at start (contact::CallbackStore).
           "CREATE TABLE callbacks ("
           " id {id},"
           " call_id TEXT NOT NULL UNIQUE,"
           " queue TEXT NOT NULL,"
           " number TEXT NOT NULL,"
           " caller TEXT NOT NULL DEFAULT '',"
           " caller_name TEXT NOT NULL DEFAULT '',"
           " dialled TEXT NOT NULL DEFAULT '',"
           " priority INTEGER NOT NULL DEFAULT 0,"
           " requested_at BIGINT NOT NULL,"
           " state TEXT NOT NULL,"
           " outcome TEXT NOT NULL DEFAULT '',"
           " agent TEXT NOT NULL DEFAULT '',"
           " attempts INTEGER NOT NULL DEFAULT 0,"
           " retry_at BIGINT NOT NULL DEFAULT 0,"
           " finished_at BIGINT NOT NULL DEFAULT 0)",
           "CREATE INDEX callbacks_state_requested ON callbacks(state, requested_at)",
       }},
      {9,
       "CDRs of calls in progress",
       {
           // An answered call's row is written "in_progress" and replaced, found by
           // its Call-ID, when the call ends; the next start closes those a kill left
           // behind (call::CdrStore).
           "CREATE INDEX cdrs_call_id ON cdrs(call_id)",
           "CREATE INDEX cdrs_in_progress ON cdrs(disposition) WHERE disposition = 'in_progress'",
       }},
      {10,
       "users' extensions",
       {
           // The SIP extension (a sip_accounts row) a user answers calls on; NULL
           // for none. NULLs are distinct in a UNIQUE index on SQLite and
           // PostgreSQL alike, so only users that have one are kept apart.
           "ALTER TABLE users ADD COLUMN extension TEXT",
           "CREATE UNIQUE INDEX users_extension ON users(extension)",
       }},
      {11,
       "customers; agent, queue, customer and wrap-up in call detail records",
       {
           // Tags (a JSON array of strings) and free fields (a JSON object of strings)
           // are read and written whole, never queried (crm::CustomerStore).
           "CREATE TABLE customers ("
           " id {id},"
           " name TEXT NOT NULL,"
           " email TEXT NOT NULL DEFAULT '',"
           " vip INTEGER NOT NULL DEFAULT 0,"
           " tags TEXT NOT NULL DEFAULT '[]',"
           " birthday TEXT NOT NULL DEFAULT '',"
           " address TEXT NOT NULL DEFAULT '',"
           " notes TEXT NOT NULL DEFAULT '',"
           " fields TEXT NOT NULL DEFAULT '{}',"
           " created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
           // A customer's phones as given and in one spelling (crm::PhoneNormalizer),
           // by which a caller is found; a number is one customer's at most.
           "CREATE TABLE customer_phones ("
           " customer_id BIGINT NOT NULL REFERENCES customers(id),"
           " position INTEGER NOT NULL,"
           " phone TEXT NOT NULL,"
           " normalized TEXT NOT NULL)",
           "CREATE UNIQUE INDEX customer_phones_normalized ON customer_phones(normalized)",
           "CREATE INDEX customer_phones_customer ON customer_phones(customer_id)",
           // What the contact layer knows of a call: the agent's extension, the queue,
           // the customer (NULL for none), the agent's wrap-up, and a JSON array of what
           // happened (transfers...) in order.
           "ALTER TABLE cdrs ADD COLUMN agent TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE cdrs ADD COLUMN queue TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE cdrs ADD COLUMN customer_id BIGINT",
           "ALTER TABLE cdrs ADD COLUMN disposition_code TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE cdrs ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE cdrs ADD COLUMN events TEXT NOT NULL DEFAULT ''",
           "CREATE INDEX cdrs_agent ON cdrs(agent)",
           "CREATE INDEX cdrs_queue ON cdrs(queue)",
           "CREATE INDEX cdrs_customer ON cdrs(customer_id)",
       }},
      {12,
       "quality: evaluation forms with versions, evaluations of calls",
       {
           // As flows and flow_current (store::VersionedDocuments).
           "CREATE TABLE qa_forms ("
           " id {id},"
           " name TEXT NOT NULL,"
           " version BIGINT NOT NULL,"
           " status TEXT NOT NULL,"
           " document TEXT NOT NULL,"
           " created_at BIGINT NOT NULL,"
           " created_by TEXT NOT NULL DEFAULT '',"
           " UNIQUE (name, version))",
           "CREATE TABLE qa_form_current ("
           " name TEXT PRIMARY KEY,"
           " version BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL,"
           " updated_by TEXT NOT NULL DEFAULT '')",
           // The call's facts are copied from its CDR so the evaluation reads the same
           // if the CDR is purged. Item scores and the recording's timed comments are
           // JSON arrays read and written whole. The serial is set from the id in the
           // inserting transaction (NULL only inside it).
           "CREATE TABLE qa_evaluations ("
           " id {id},"
           " serial TEXT,"
           " cdr_id BIGINT NOT NULL,"
           " call_id TEXT NOT NULL,"
           " agent TEXT NOT NULL,"
           " inspector TEXT NOT NULL,"
           " form_name TEXT NOT NULL,"
           " form_version BIGINT NOT NULL,"
           " qa_type TEXT NOT NULL,"
           " business_type TEXT NOT NULL DEFAULT '',"
           " total DOUBLE PRECISION NOT NULL,"
           " grade TEXT NOT NULL,"
           " critical_failed INTEGER NOT NULL DEFAULT 0,"
           " items TEXT NOT NULL,"
           " comment TEXT NOT NULL DEFAULT '',"
           " marks TEXT NOT NULL DEFAULT '[]',"
           " call_started_at BIGINT NOT NULL,"
           " call_ended_at BIGINT NOT NULL,"
           " call_duration_ms BIGINT NOT NULL,"
           " status TEXT NOT NULL,"
           " response TEXT NOT NULL DEFAULT '',"
           " responded_at BIGINT NOT NULL DEFAULT 0,"
           " created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
           "CREATE UNIQUE INDEX qa_evaluations_serial ON qa_evaluations(serial)",
           "CREATE UNIQUE INDEX qa_evaluations_call_inspector ON qa_evaluations(cdr_id, inspector)",
           "CREATE INDEX qa_evaluations_agent ON qa_evaluations(agent)",
           "CREATE INDEX qa_evaluations_created ON qa_evaluations(created_at)",
       }},
      {13,
       "answered and abandoned queue calls, for the wallboard",
       {
           // The calls that move a queue's day figures, with the caller's wait (the
           // CDRs lack it): the wallboard reads today's back at start
           // (acd_store::AgentLog::queue_calls_since).
           "CREATE TABLE queue_calls ("
           " id {id},"
           " queue TEXT NOT NULL,"
           " event TEXT NOT NULL,"
           " call_id BIGINT NOT NULL,"
           " agent TEXT NOT NULL DEFAULT '',"
           " waited_ms BIGINT NOT NULL,"
           " at BIGINT NOT NULL)",
           "CREATE INDEX queue_calls_at ON queue_calls(at)",
       }},
      {14,
       "recording retention; the typical-case library",
       {
           // When the retention deleted a call's recording (ms; 0 while it is kept):
           // the CDR keeps its path and says what became of it (call::RecordingRetention).
           "ALTER TABLE cdrs ADD COLUMN recording_deleted_at BIGINT NOT NULL DEFAULT 0",
           "CREATE INDEX cdrs_recorded ON cdrs(ended_at) WHERE recording_path <> '' AND recording_deleted_at = 0",
           // A recording a supervisor keeps as a good or bad example. A case pins its
           // call's recording: the retention skips calls that have one (call::CaseStore).
           "CREATE TABLE typical_cases ("
           " id {id},"
           " cdr_id BIGINT NOT NULL REFERENCES cdrs(id),"
           " kind TEXT NOT NULL,"
           " title TEXT NOT NULL,"
           " category TEXT NOT NULL DEFAULT '',"
           " notes TEXT NOT NULL DEFAULT '',"
           " created_by TEXT NOT NULL,"
           " created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
           "CREATE INDEX typical_cases_cdr ON typical_cases(cdr_id)",
           "CREATE INDEX typical_cases_kind ON typical_cases(kind, created_at)",
       }},
      {15,
       "the agent desktop's code lists",
       {
           // The dispositions ('disposition') and not-ready reasons ('not_ready_reason')
           // in their order, changed at run time (call::CtiCodeStore). CDRs and agent
           // states keep the code as text, not a reference: a code taken off a list stays
           // valid history.
           "CREATE TABLE cti_codes ("
           " list TEXT NOT NULL,"
           " position BIGINT NOT NULL,"
           " code TEXT NOT NULL,"
           " label_en TEXT NOT NULL,"
           " label_zh TEXT NOT NULL,"
           " PRIMARY KEY (list, code))",
       }},
      {16,
       "queue visits and their 15-minute roll-ups, for reports",
       {
           // One row per stay of a call in a queue, written as the visit ends
           // (report::Rollups); the facts behind the roll-ups below.
           "CREATE TABLE queue_visits ("
           " id {id},"
           " call_id BIGINT NOT NULL,"
           " queue TEXT NOT NULL,"
           " did TEXT NOT NULL DEFAULT '',"
           " entered_at BIGINT NOT NULL,"
           " first_offered_at BIGINT NOT NULL DEFAULT 0,"
           " first_offered_to TEXT NOT NULL DEFAULT '',"
           " offers BIGINT NOT NULL DEFAULT 0,"
           " offered_to TEXT NOT NULL DEFAULT '',"
           " outcome TEXT NOT NULL,"
           " agent TEXT NOT NULL DEFAULT '',"
           " answered_at BIGINT NOT NULL DEFAULT 0,"
           " abandoned_at BIGINT NOT NULL DEFAULT 0,"
           " short_abandon INTEGER NOT NULL DEFAULT 0,"
           " waited_ms BIGINT NOT NULL DEFAULT 0,"
           " overflowed_to TEXT NOT NULL DEFAULT '',"
           " transferred INTEGER NOT NULL DEFAULT 0,"
           " callback_requested INTEGER NOT NULL DEFAULT 0,"
           " ended_at BIGINT NOT NULL DEFAULT 0,"
           " talk_ms BIGINT NOT NULL DEFAULT 0,"
           " hold_ms BIGINT NOT NULL DEFAULT 0,"
           " acw_ms BIGINT NOT NULL DEFAULT 0,"
           " service_level_ms BIGINT NOT NULL DEFAULT 0)",
           "CREATE INDEX queue_visits_entered ON queue_visits(entered_at)",
           "CREATE INDEX queue_visits_call ON queue_visits(call_id)",
           // The sums reports read: per 15-minute interval (interval_start, ms) and
           // kind (queue, agent, did) of name, added to as visits end.
           "CREATE TABLE report_intervals ("
           " kind TEXT NOT NULL,"
           " name TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " offered BIGINT NOT NULL DEFAULT 0,"
           " answered BIGINT NOT NULL DEFAULT 0,"
           " abandoned BIGINT NOT NULL DEFAULT 0,"
           " short_abandoned BIGINT NOT NULL DEFAULT 0,"
           " overflowed BIGINT NOT NULL DEFAULT 0,"
           " answered_in_sl BIGINT NOT NULL DEFAULT 0,"
           " abandoned_in_sl BIGINT NOT NULL DEFAULT 0,"
           " handled BIGINT NOT NULL DEFAULT 0,"
           " wait_answered_ms BIGINT NOT NULL DEFAULT 0,"
           " wait_abandoned_ms BIGINT NOT NULL DEFAULT 0,"
           " max_wait_ms BIGINT NOT NULL DEFAULT 0,"
           " talk_ms BIGINT NOT NULL DEFAULT 0,"
           " hold_ms BIGINT NOT NULL DEFAULT 0,"
           " acw_ms BIGINT NOT NULL DEFAULT 0,"
           " transferred BIGINT NOT NULL DEFAULT 0,"
           " callbacks_requested BIGINT NOT NULL DEFAULT 0,"
           " callbacks_completed BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (kind, name, interval_start))",
           "CREATE INDEX report_intervals_start ON report_intervals(kind, interval_start)",
       }},
      {17,
       "numbers pointed at a flow, a queue or an extension at run time",
       {
           // call::NumberStore: one row per number (DID) with its target,
           // "flow:<name>", "queue:<name>" or "extension:<ext>"; the configuration's
           // [[did]] entries and the flows' own dids are not in it.
           "CREATE TABLE numbers ("
           " number TEXT PRIMARY KEY,"
           " target TEXT NOT NULL,"
           " description TEXT NOT NULL DEFAULT '',"
           " updated_by TEXT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
       }},
      {18,
       "agent time per state and reason, per 15-minute interval, for reports",
       {
           // Added to as each state of an agent ends (report::Rollups::record_state),
           // the span cut at the intervals it crosses; reason is the not-ready reason.
           "CREATE TABLE agent_state_intervals ("
           " agent TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " state TEXT NOT NULL,"
           " reason TEXT NOT NULL DEFAULT '',"
           " ms BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (agent, interval_start, state, reason))",
           "CREATE INDEX agent_state_intervals_start ON agent_state_intervals(interval_start)",
       }},
      {19,
       "answered and abandoned calls by wait-time bucket, per queue and 15-minute interval",
       {
           // The abandon curve's counts (report::Rollups::record), added to with the
           // visit's roll-ups; bucket is the bucket's lower bound in seconds.
           "CREATE TABLE report_waits ("
           " queue TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " bucket BIGINT NOT NULL,"
           " answered BIGINT NOT NULL DEFAULT 0,"
           " abandoned BIGINT NOT NULL DEFAULT 0,"
           " short_abandoned BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (queue, interval_start, bucket))",
           "CREATE INDEX report_waits_start ON report_waits(interval_start)",
       }},
      {20,
       "calls per IVR flow and how they left it, per 15-minute interval",
       {
           // Added to as each call that ran a flow ends (report::Rollups::record_flow_call),
           // in the interval the call entered the flow.
           "CREATE TABLE report_flows ("
           " flow TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " entered BIGINT NOT NULL DEFAULT 0,"
           " contained BIGINT NOT NULL DEFAULT 0,"
           " voicemail BIGINT NOT NULL DEFAULT 0,"
           " queued BIGINT NOT NULL DEFAULT 0,"
           " transferred BIGINT NOT NULL DEFAULT 0,"
           " to_agent BIGINT NOT NULL DEFAULT 0,"
           " abandoned BIGINT NOT NULL DEFAULT 0,"
           " failed BIGINT NOT NULL DEFAULT 0,"
           " ivr_ms BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (flow, interval_start))",
           "CREATE INDEX report_flows_start ON report_flows(interval_start)",
       }},
      {21,
       "shared business-hours and holiday calendars",
       {
           // One JSON document per calendar (calendar::CalendarStore; the form of
           // docs/api.md), named by flows' schedule nodes and by queues.
           "CREATE TABLE calendars ("
           " name TEXT PRIMARY KEY,"
           " document TEXT NOT NULL,"
           " updated_at BIGINT NOT NULL,"
           " updated_by TEXT NOT NULL)",
       }},
      {22,
       "SIP bans kept across restarts",
       {
           // call::SipBanStore: one row per ban in force (kind "address" or "user"),
           // written when it begins, deleted when an admin lifts it or at the next
           // start once it has ended; allowed: a banned user's known addresses, one per line.
           "CREATE TABLE sip_bans ("
           " kind TEXT NOT NULL,"
           " ban_key TEXT NOT NULL,"
           " since_ms BIGINT NOT NULL,"
           " until_ms BIGINT NOT NULL,"
           " failures BIGINT NOT NULL,"
           " allowed TEXT NOT NULL DEFAULT '',"
           " PRIMARY KEY (kind, ban_key))",
       }},
      {23,
       "first-contact resolution: each customer's last contact, and the roll-ups",
       {
           // report::Rollups::record_contact, on the writer's thread: the customer's
           // last contact ("c:<customer id>" or "n:<caller number>")...
           "CREATE TABLE report_last_contacts ("
           " customer TEXT PRIMARY KEY,"
           " started_at BIGINT NOT NULL,"
           " queue TEXT NOT NULL DEFAULT '',"
           " agent TEXT NOT NULL DEFAULT '')",
           // ...and per 15-minute interval of the contact's start, per queue, agent and
           // all ('all', ''), the contacts an agent handled and those followed by another
           // contact of the same customer within reports.fcr_window_h.
           "CREATE TABLE report_fcr ("
           " kind TEXT NOT NULL,"
           " name TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " handled BIGINT NOT NULL DEFAULT 0,"
           " repeated BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (kind, name, interval_start))",
       }},
      {24,
       "busy: queue visits that overflowed because the queue was full or had no agent",
       {
           // report::Visit::busy and its count in the roll-ups (the busy rate).
           "ALTER TABLE queue_visits ADD COLUMN busy INTEGER NOT NULL DEFAULT 0",
           "ALTER TABLE report_intervals ADD COLUMN busy BIGINT NOT NULL DEFAULT 0",
       }},
      {25,
       "settings changed while the server runs, laid over the configuration file's",
       {
           // settings::RunTimeSettings: one row per key changed in the console; the
           // value as JSON (a string, an integer, true/false or an array of strings).
           "CREATE TABLE settings ("
           " name TEXT PRIMARY KEY,"
           " value TEXT NOT NULL,"
           " changed_by TEXT NOT NULL,"
           " changed_at BIGINT NOT NULL)",
       }},
      {26,
       "hourly roll-ups beside the 15-minute ones, for reports by day, week and month",
       {
           // report::Rollups adds every visit and agent state to these as well: a report
           // whose periods start on whole hours (days, weeks and months in every
           // whole-hour time zone) reads a quarter of the rows, clustered by time.
           "CREATE TABLE report_hours ("
           " kind TEXT NOT NULL,"
           " name TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " offered BIGINT NOT NULL DEFAULT 0,"
           " answered BIGINT NOT NULL DEFAULT 0,"
           " abandoned BIGINT NOT NULL DEFAULT 0,"
           " short_abandoned BIGINT NOT NULL DEFAULT 0,"
           " overflowed BIGINT NOT NULL DEFAULT 0,"
           " answered_in_sl BIGINT NOT NULL DEFAULT 0,"
           " abandoned_in_sl BIGINT NOT NULL DEFAULT 0,"
           " handled BIGINT NOT NULL DEFAULT 0,"
           " wait_answered_ms BIGINT NOT NULL DEFAULT 0,"
           " wait_abandoned_ms BIGINT NOT NULL DEFAULT 0,"
           " max_wait_ms BIGINT NOT NULL DEFAULT 0,"
           " talk_ms BIGINT NOT NULL DEFAULT 0,"
           " hold_ms BIGINT NOT NULL DEFAULT 0,"
           " acw_ms BIGINT NOT NULL DEFAULT 0,"
           " transferred BIGINT NOT NULL DEFAULT 0,"
           " callbacks_requested BIGINT NOT NULL DEFAULT 0,"
           " callbacks_completed BIGINT NOT NULL DEFAULT 0,"
           " busy BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (kind, interval_start, name)){clustered}",
           "INSERT INTO report_hours (kind, name, interval_start, offered, answered, abandoned, short_abandoned, overflowed, answered_in_sl, abandoned_in_sl, handled, wait_answered_ms, wait_abandoned_ms, max_wait_ms, talk_ms, hold_ms, acw_ms, transferred, callbacks_requested, callbacks_completed, busy)"
           " SELECT kind, name, interval_start - interval_start % 3600000, SUM(offered), SUM(answered), SUM(abandoned), SUM(short_abandoned), SUM(overflowed), SUM(answered_in_sl), SUM(abandoned_in_sl), SUM(handled), SUM(wait_answered_ms), SUM(wait_abandoned_ms), MAX(max_wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(acw_ms), SUM(transferred), SUM(callbacks_requested), SUM(callbacks_completed), SUM(busy)"
           " FROM report_intervals GROUP BY kind, name, interval_start - interval_start % 3600000",
           "CREATE TABLE agent_state_hours ("
           " agent TEXT NOT NULL,"
           " interval_start BIGINT NOT NULL,"
           " state TEXT NOT NULL,"
           " reason TEXT NOT NULL DEFAULT '',"
           " ms BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (interval_start, agent, state, reason)){clustered}",
           "INSERT INTO agent_state_hours (agent, interval_start, state, reason, ms)"
           " SELECT agent, interval_start - interval_start % 3600000, state, reason, SUM(ms)"
           " FROM agent_state_intervals GROUP BY agent, interval_start - interval_start % 3600000, state, reason",
       }},
  };
  return all;
}

std::string for_backend(const std::string& sql, Backend backend) {
  auto replace_all = [](std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
      text.replace(pos, from.size(), to);
    }
    return text;
  };
  bool sqlite = backend == Backend::sqlite;
  std::string out = replace_all(sql, "{id}", sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
  // Rows stored in primary-key order, read by range without a second lookup.
  out = replace_all(out, "{clustered}", sqlite ? " WITHOUT ROWID" : "");
  return replace_all(out, "BIGINT", sqlite ? "INTEGER" : "BIGINT");
}

}  // namespace unicc::store
