// The REST API under /api/v1 (docs/api.md): JSON in, JSON out, the error body
// {"error":{"code","message"}} turned into an ApiError.
import { t } from "./i18n";

export type Role = "admin" | "supervisor" | "qa" | "agent";
export type User = {
  id: number; username: string; display_name: string; role: Role; extension: string;
  disabled?: boolean; created_at?: number; updated_at?: number;
};

export type AgentState = "logged_out" | "ready" | "not_ready" | "reserved" | "on_call" | "wrap_up";
export type Agent = {
  extension: string; name: string; state: AgentState; reason: string; since: number; queues: string[];
  /** In GET /agents only; agent events leave them out. */
  skills?: { skill: string; level: number }[]; groups?: string[];
};
export type Queue = {
  name: string;
  status?: { waiting: number; logged_in: number; working: number; ready: number; handle_time_ms: number };
};

/** The ACD's configuration (docs/api.md, Skills, queues and agents). */
export type Skill = { name: string; description: string };
/** A shared calendar (docs/api.md, Calendars): "HH:MM" ranges, local to its time zone. */
export type CalendarRange = { from: string; to: string };
export type CalendarHoliday = { date: string; name: string; hours: CalendarRange[] };
export type Calendar = {
  name: string; description: string; time_zone: string;
  hours: Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", CalendarRange[]>;
  holidays: CalendarHoliday[];
  /** Now, by the saved calendar: open, closed or holiday, and when it next opens or closes (ms). */
  status: { state: "open" | "closed" | "holiday"; holiday: string | null; next_change: number | null };
  updated_at: number; updated_by: string;
};
export type QueueConfig = Queue & {
  strategy: string; priority: number; skills: { skill: string; min_level: number }[]; groups: string[];
  max_wait_s: number; max_size: number; wrap_up_s: number; ring_timeout_s: number; service_level_s: number;
  sl_formula?: string; announce_every_s: number; last_agent_wait_s: number; default_handle_time_s: number; prefer_newly_trained: boolean;
  agent_order: string[]; overflow_tiers: { after_s: number; queue: string }[]; overflow: Partial<Record<string, string>>;
  /** A shared calendar's name ("" = always open) and where calls go while it is closed ({} = told, then released). */
  calendar: string; closed: Partial<Record<string, string>>;
  ring: string; music: string; comfort_text: string; voice: string; comfort_every_s: number; announce_position: boolean;
  callback_key: string; callback_attempts: number; callback_retry_s: number; alert_wait_s: number; alert_waiting: number;
  alert_service_level_pct: number;
};
export type AgentConfig = Partial<Agent> & {
  extension: string; name: string; skills: { skill: string; level: number }[]; groups: string[];
  newly_trained: boolean; auto_answer: boolean;
};

export type IvrStep = {
  node: string; type: string; entered_at: number; left_at: number; ms: number; digits: string; exit: string; note: string;
};
export type IvrTrace = {
  flow: string; version: number; exit: string; exit_target: string; started_at: number; ended_at: number;
  steps: IvrStep[]; previous?: IvrTrace | null;
};
export type Cdr = {
  id: number; call_id: string; direction: string; caller: string; caller_name: string; dialled: string; callee: string;
  trunk: string; started_at: number; answered_at: number | null; ended_at: number; wait_s: number; talk_s: number;
  disposition: string; hangup_cause: string; hangup_side: string; ivr: IvrTrace | null;
  agent?: string; queue?: string; customer_id?: number | null; disposition_code?: string; notes?: string;
  /** Whether the recording can be played; "deleted" by the retention at recording_deleted_at. */
  recording?: "available" | "deleted" | "none"; recording_deleted_at?: number | null;
};
/** A call kept in the typical-case library (GET /cases). */
export type TypicalCase = {
  id: number; cdr_id: number; kind: "good" | "bad"; title: string; category: string; notes: string; created_by: string;
  created_at: number; updated_at: number; recording: string;
  call: { caller: string; agent: string; queue: string; started_at: number; talk_s: number };
};
export type Page<T> = { items: T[]; total: number };

/** A customer record (CRM): matched to a call by the caller's number. */
export type Customer = {
  id: number; name: string; phones: string[]; email: string; vip: boolean; tags: string[]; birthday: string;
  address: string; notes: string; fields: Record<string, string>; created_at?: number; updated_at?: number;
};
/** One earlier contact with a customer (GET /customers/{id}/contacts). */
export type Contact = {
  call_id: string; at: number; channel: string; direction: string; caller: string; agent: string; queue: string;
  disposition: string; disposition_code: string; notes: string; duration_ms: number; recording: string | null;
};
export type CallState =
  | "ivr" | "queued" | "offered" | "dialing" | "talking" | "held" | "transferring" | "voicemail" | "ended";
/** What agents did with a live call: a transfer, or one that failed. */
export type CtiStep = { at: number; kind: string; mode: string; from: string; to: string };
/** The party an agent called into a customer's call: a three-way call's guest or a consulted target. */
export type CallGuest = { with: string; answered: boolean };
/** A customer call as the CTI sees it (GET /calls, "live_call" events). */
export type CtiCall = {
  call_id: string; state: CallState; direction: string; caller: string; caller_name: string; dialled: string;
  trunk?: string; queue: string; agent: string; since: number; state_since: number; waited_ms: number;
  /** Why an outbound call ended without the customer (busy, no_answer, agent_no_answer, …), else "". */
  reason?: string;
  customer: Customer | null; ivr_path: string[]; ivr_variables?: Record<string, string>; steps?: CtiStep[];
  /** A three-way call: the guest, and whether they answered (then all three talk). */
  conference?: CallGuest | null;
  /** An attended transfer's consultation: the target, and whether they answered (then
   *  agent and target talk while the customer holds). */
  consult?: CallGuest | null;
};
/** A code with its label per language (GET /cti/codes). */
export type Code = { code: string; label: Partial<Record<string, string>> };
export type Codes = { dispositions: Code[]; not_ready_reasons: Code[] };

/** Quality scoring (GET/POST /qa/...): a label is English text or one per language. */
export type QaLabels = string | Partial<Record<string, string>>;
export type QaItem = {
  id: string; label: QaLabels; kind?: "points" | "pass_fail"; max: number; critical?: boolean; na_allowed?: boolean;
};
export type QaForm = {
  name: string; title: QaLabels; sections: { id: string; title: QaLabels; items: QaItem[] }[];
  bands?: { grade: string; min: number }[];
};
export type QaFormSummary = {
  name: string; title: QaLabels | null; current_version: number; latest_version: number; has_draft: boolean;
};
export type QaAnswer = { score?: number; passed?: boolean; na?: boolean; comment?: string };
export type QaItemScore = { item: string; score: number; max: number; na: boolean; passed?: boolean; comment?: string };
export type QaEvaluation = {
  id: number; serial: string; cdr_id: number; call_id: string; agent: string; inspector: string; form: string;
  form_version: number; qa_type: string; business_type: string; total: number; grade: string; critical_failed: boolean;
  items: QaItemScore[]; comment: string; marks: { at_ms: number; text: string }[]; call_started_at: number;
  call_ended_at: number; call_duration_ms: number; status: "pending" | "acknowledged" | "disputed"; response: string;
  created_at: number;
};
/** An answered call of the week's sample (GET /qa/sample). */
export type QaSample = {
  cdr_id: number; agent: string; caller: string; queue: string; started_at: number; duration_ms: number; recorded: boolean;
};
export type QaSpread = { count: number; mean?: number; min?: number; max?: number; spread?: number; stddev?: number };
export type QaCalibration = {
  cdr_id: number; evaluations: { id: number; serial: string; inspector: string; total: number; grade: string }[];
  total: QaSpread; items: (QaSpread & { item: string })[];
};

/** POST /staffing/erlang (docs/api.md, Staffing). */
export type StaffingFigures = {
  agents: number; scheduled_agents: number; stable: boolean; service_level: number; asa_s: number | null;
  occupancy: number; abandonment: number | null;
};
export type StaffingAnswer = Omit<StaffingFigures, "service_level" | "occupancy"> & {
  model: "erlang_c" | "erlang_a"; load_erlangs: number; service_level_basis: string; threshold_s: number;
  shrinkage: number; service_level: number | null; occupancy: number | null; around: StaffingFigures[];
};

/** GET /staffing/forecast: an interval of the coming week, with its plan when asked. */
export type ForecastInterval = { start: number; calls: number } & Partial<Omit<StaffingFigures, "service_level" | "occupancy">>
  & { service_level?: number | null; occupancy?: number | null };
export type StaffingForecast = {
  queue: string; interval_s: number; weeks: number; from: number; to: number; weeks_used: number; trend: number;
  accuracy: { held_back_from: number; held_back_to: number; weeks_used: number; mape: number | null; intervals: number };
  plan: { model: string; service_level_basis: string; threshold_s: number; shrinkage: number } | null;
  intervals: ForecastInterval[];
};

/** GET /health/details: the health check and every series of /metrics by name. */
export type HealthDetails = {
  status: "ok" | "degraded"; version: string; database: string; uptime_s: number; metrics: Record<string, number>;
};
/** GET /trunks: a configured trunk and its registration to the carrier (null: it does not register). */
export type Trunk = {
  name: string; address: string; port: number; transport: string; outbound_prefix: string;
  registration: {
    state: string; user: string; last_code: number | null; last_response_at: number | null; expires_at: number | null;
    next_attempt_at: number | null;
  } | null;
};
/** GET /extensions: a phone's SIP account and the phones registered to it now. */
export type Extension = {
  extension: string; display_name: string; enabled: boolean; created_at: number; registered: boolean;
  registrations: { address: string; contact: string; user_agent: string; expires_at: number }[];
};
/** POST /extensions/import, /agents/import: what each line of the CSV does, or why it is refused. */
export type ImportAction = "create" | "update" | "unchanged" | "refused";
export type ImportReport = {
  dry_run: boolean; applied: boolean; summary: Record<ImportAction, number>;
  lines: { line: number; extension: string; action: ImportAction; changes: string[];
    problems: { field: string; message: string }[] }[];
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null = null,
    /** The error's "details", when the server gave some (a flow's problems). */
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

let token: string | null = sessionStorage.getItem("unicc.token");
let onUnauthorized: () => void = () => {};

export const getToken = (): string | null => token;
export function setToken(value: string | null): void {
  token = value;
  if (value) sessionStorage.setItem("unicc.token", value);
  else sessionStorage.removeItem("unicc.token");
}
/** Called when a request with a token is answered 401: the session is over. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** A body sent as this exact text (a flow document whose key order and lines matter). */
export class RawJson {
  constructor(readonly text: string) {}
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  // A Blob (an audio file uploaded) is sent as it is, with its own type.
  if (body !== undefined) headers["Content-Type"] = body instanceof Blob ? body.type || "application/octet-stream" : "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers,
      body: body === undefined ? null : body instanceof RawJson ? body.text : body instanceof Blob ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  let data: unknown = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  const retry = response.headers.get("Retry-After");
  return answer<T>(path, response.status, data, retry === null ? null : Number(retry));
}

/** A REST answer however it came (over HTTP, or as a "response" on the event stream):
 *  the body, or the error body {"error":{"code","message"}} thrown as an ApiError. */
export function answer<T>(path: string, status: number, data: unknown, retryAfter: number | null = null): T {
  if (status === 204) return undefined as T;
  if (status >= 200 && status < 300) return data as T;
  const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const failure = new ApiError(status, error?.code ?? "http_" + status, error?.message ?? `HTTP ${status}`, retryAfter,
    error?.details);
  if (status === 401 && token && path !== "/login") onUnauthorized();
  throw failure;
}

/** A binary resource (a recording) fetched with the token; a refusal as an ApiError.
 *  `body`, when given, is POSTed as JSON (a text to speak, answered as audio). */
export async function apiFetch(path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path.startsWith("/api/") ? path : `/api/v1${path}`,
      body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (!response.ok) {
    let error: { code?: string; message?: string } | undefined;
    try {
      error = ((await response.json()) as { error?: typeof error }).error;
    } catch {
      error = undefined;
    }
    throw new ApiError(response.status, error?.code ?? "http_" + response.status, error?.message ?? `HTTP ${response.status}`);
  }
  return response;
}

/** A recording fetched with the token, as an object URL for <audio>. */
export async function apiBlobUrl(path: string): Promise<string> {
  return URL.createObjectURL(await (await apiFetch(path)).blob());
}

export const query = (params: Record<string, string | number | undefined>): string => {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? "?" + parts.join("&") : "";
};
