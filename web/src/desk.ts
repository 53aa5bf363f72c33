// The agent desktop's live state, kept from sign-in on so that switching pages loses
// nothing: the signed-in user's agent (GET /agents/{extension}, "agent" events), their
// calls (GET /calls, "live_call" events) and the CTI codes (GET /cti/codes at every
// (re)connect, and each "cti_codes" event as an admin changes them). A call that ended, or left
// the agent by a transfer, after they talked to the customer stays until it is wrapped
// up (POST /calls/{id}/wrap-up). The agent's commands (state, call controls, dial,
// wrap-up) go over the open event stream (events.request), else over HTTP.
import { api, ApiError, type Agent, type AgentState, type Code, type Codes, type CtiCall, type Customer } from "./api";
import { events, type ServerEvent } from "./events";
import { lang, tCode } from "./i18n";
import { session } from "./session";
import { Store } from "./store";

/** A call on the desktop: `talked` once the agent was connected to it. */
export type DeskCall = CtiCall & { talked: boolean };

export type Desk = {
  extension: string;
  agent: Agent | null;
  /** Why the agent could not be read: "" (fine), or the API's error code. */
  agentError: string;
  calls: Map<string, DeskCall>;
  /** Other agents' calls this agent is brought into (consulted, or a three-way guest),
   *  by call id: whose customer it is, while it lasts. */
  guestOf: Map<string, CtiCall>;
  /** Customers saved from the desktop, by call: newer than the call's own until it changes. */
  customers: Map<string, Customer>;
  codes: Codes;
  /** The server's clock minus ours (from "hello"), so durations tick from the server's times. */
  skewMs: number;
};

const empty = (extension = ""): Desk => ({
  extension, agent: null, agentError: "", calls: new Map(), guestOf: new Map(), customers: new Map(),
  codes: { dispositions: [], not_ready_reasons: [] }, skewMs: 0,
});

export const desk = new Store<Desk>(empty());

session.subscribe((current) => {
  const extension = current.state === "signed_in" ? current.user.extension : "";
  if (extension !== desk.get().extension) desk.set(empty(extension));
});

/** The ACD's built-in reasons when the server offers no list. */
const presetReasons = ["break", "lunch", "meeting", "training"];

export function reasonCodes(codes: Codes): Code[] {
  return codes.not_ready_reasons.length ? codes.not_ready_reasons : presetReasons.map((code) => ({ code, label: {} }));
}

/** A code's label in the user's language (else English, else the catalogue's, else the code). */
export function codeLabel(list: Code[], code: string, prefix: string): string {
  const found = list.find((item) => item.code === code);
  return found?.label[lang.get()] || found?.label.en || tCode(prefix, code);
}

// An outbound call is the agent's from the moment they answered their phone (dialing):
// one the customer did not answer is wrapped up too.
const talking = (state: string) =>
  state === "talking" || state === "held" || state === "transferring" || state === "dialing";

function put(calls: Map<string, DeskCall>, call: CtiCall, mine: boolean): void {
  const before = calls.get(call.call_id);
  const talked = (before?.talked ?? false) || (mine && talking(call.state));
  if (!mine || call.state === "ended") {
    // Over for this agent: kept for the wrap-up if they talked on it.
    if (!talked) {
      calls.delete(call.call_id);
      return;
    }
    const agent = mine ? call.agent : (before?.agent ?? call.agent);
    calls.set(call.call_id, { ...(before ?? {}), ...call, agent, state: "ended", talked });
    return;
  }
  calls.set(call.call_id, { ...call, talked });
}

/** Whether `extension` is the party another agent consults or added to `call`. */
const isGuest = (call: CtiCall, extension: string) =>
  call.agent !== extension && call.state !== "ended" &&
  (call.consult?.with === extension || call.conference?.with === extension);

function onLiveCall(event: ServerEvent): void {
  const call = event.call as CtiCall | undefined;
  const current = desk.get();
  if (!call?.call_id || !current.extension) return;
  const guest = isGuest(call, current.extension);
  if (guest || current.guestOf.has(call.call_id)) {
    const guestOf = new Map(current.guestOf);
    if (guest) guestOf.set(call.call_id, call);
    else guestOf.delete(call.call_id);
    desk.set({ ...desk.get(), guestOf });
  }
  const mine = call.agent === current.extension;
  if (!mine && !current.calls.has(call.call_id)) return;
  const calls = new Map(desk.get().calls);
  put(calls, call, mine);
  desk.set({ ...desk.get(), calls });
}

function onAgent(event: ServerEvent): void {
  const current = desk.get();
  const change = event as unknown as Partial<Agent>;
  if (!current.extension || change.extension !== current.extension || !change.state) return;
  desk.set({ ...current, agent: mergeAgent(current.agent, change), agentError: "" });
}

function mergeAgent(before: Agent | null, change: Partial<Agent>): Agent {
  return {
    extension: change.extension ?? before?.extension ?? "", name: change.name ?? before?.name ?? "",
    state: change.state ?? before?.state ?? "logged_out", reason: change.reason ?? "",
    since: change.since ?? Date.now(), queues: change.queues ?? before?.queues ?? [],
  };
}

events.on("live_call", onLiveCall);
events.on("agent", onAgent);
events.on("hello", (event) => {
  const current = desk.get();
  if (typeof event.server_time === "number") desk.set({ ...current, skewMs: event.server_time - Date.now() });
  if (current.extension) void loadDesk();
});

/** The lists of GET /cti/codes or of a "cti_codes" event, as the desktop keeps them. */
export function codesOf(answer: Partial<Codes>): Codes {
  return { dispositions: answer.dispositions ?? [], not_ready_reasons: answer.not_ready_reasons ?? [] };
}

// An admin changed the lists: the menus offer the new ones at once, without a reload.
events.on("cti_codes", (event) => {
  const current = desk.get();
  if (current.extension && event.record) desk.set({ ...current, codes: codesOf(event.record as Partial<Codes>) });
});

/** (Re)reads what the stream may have missed: the agent, the calls, the codes (a
 *  change of the lists while the stream was down has no event to bring it). */
export async function loadDesk(): Promise<void> {
  const extension = desk.get().extension;
  if (!extension) return;
  const [agent, calls, codes] = await Promise.allSettled([
    api<Agent>("GET", `/agents/${encodeURIComponent(extension)}`),
    api<{ items: CtiCall[] }>("GET", "/calls"),
    api<Codes>("GET", "/cti/codes"),
  ]);
  const current = desk.get();
  if (current.extension !== extension) return;
  const next: Desk = { ...current };
  if (agent.status === "fulfilled") {
    next.agent = agent.value;
    next.agentError = "";
  } else {
    next.agentError = agent.reason instanceof ApiError ? agent.reason.code : "failed";
  }
  if (calls.status === "fulfilled") {
    const map = new Map(current.calls);
    const seen = new Set<string>();
    next.guestOf = new Map(calls.value.items.filter((call) => isGuest(call, extension)).map((call) => [call.call_id, call]));
    for (const call of calls.value.items) {
      if (call.agent !== extension) continue;
      seen.add(call.call_id);
      put(map, call, true);
    }
    // Calls that ended while the stream was down.
    for (const call of current.calls.values()) {
      if (!seen.has(call.call_id) && call.state !== "ended") put(map, { ...call, state: "ended" }, true);
    }
    next.calls = map;
  }
  if (codes.status === "fulfilled") next.codes = codesOf(codes.value);
  desk.set(next);
}

/** POST /agents/{extension}/state for the signed-in agent. */
export async function setAgentState(state: AgentState, reason?: string): Promise<void> {
  const extension = desk.get().extension;
  const body = state === "not_ready" ? { state, reason: reason ?? "" } : { state };
  const answer = await events.request<Agent>("POST", `/agents/${encodeURIComponent(extension)}/state`, body);
  const current = desk.get();
  if (current.extension === extension) desk.set({ ...current, agent: mergeAgent(current.agent, answer), agentError: "" });
}

export type CallAction =
  | "hold" | "resume" | "hangup" | "transfer" | "consult" | "complete" | "cancel" | "conference" | "dtmf";

/** The path of each call command under /calls/{id}/ (consult: an attended transfer). */
const commandPaths: Record<CallAction, string> = {
  hold: "hold", resume: "resume", hangup: "hangup", transfer: "transfer", consult: "transfer",
  complete: "transfer/complete", cancel: "transfer/cancel", conference: "conference", dtmf: "dtmf",
};

/** A call control; the answer (the call) updates the desktop. */
export async function callCommand(callId: string, action: CallAction, body?: object): Promise<void> {
  const path = `/calls/${encodeURIComponent(callId)}/${commandPaths[action]}`;
  const answer = await events.request<CtiCall | undefined>("POST", path, body ?? {});
  // The answer may come after the events that followed it (the call ended meanwhile).
  const known = desk.get().calls.get(callId);
  const stale = !known || known.state === "ended" || known.state_since > (answer?.state_since ?? 0);
  if (answer?.call_id && !stale) onLiveCall({ type: "live_call", call: answer });
}

/** Click-to-dial (POST /calls): the agent's phone rings, then the number; the call
 *  (answered at once) comes onto the desktop like any other. */
export async function dial(to: string): Promise<void> {
  const extension = desk.get().extension;
  const answer = await events.request<CtiCall>("POST", "/calls", { agent: extension, to });
  if (answer?.call_id && !desk.get().calls.has(answer.call_id)) onLiveCall({ type: "live_call", call: answer });
}

/** Files the disposition of an ended call; the server then ends the agent's wrap-up
 *  time (they are ready, and say so by an "agent" event). */
export async function wrapUp(callId: string, disposition: string, notes: string): Promise<void> {
  await events.request("POST", `/calls/${encodeURIComponent(callId)}/wrap-up`, { disposition, notes });
  const current = desk.get();
  const calls = new Map(current.calls);
  calls.delete(callId);
  desk.set({ ...current, calls });
}

/** Remembers a customer saved from the desktop for the call it was popped for. */
export function savedCustomer(callId: string, customer: Customer): void {
  const current = desk.get();
  desk.set({ ...current, customers: new Map(current.customers).set(callId, customer) });
}
