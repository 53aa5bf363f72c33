// The wallboard's figures (GET /wallboard, "wallboard" events that carry what
// changed), shared by the supervisors' Wallboard page and the strip of the agent's
// own queues on the desktop (an agent gets only the queues they serve).
import { api, type AgentState, type Customer, type User } from "./api";
import { events, type ServerEvent } from "./events";
import { session } from "./session";
import { Store } from "./store";

export type WallboardQueue = {
  name: string; waiting: number; oldest_since: number | null; answered: number; abandoned: number;
  answered_in_service_level: number; abandoned_after_service_level: number;
  service_level: number | null; asa_ms: number | null; service_level_s: number;
  alerts: { wait_s: number; waiting: number; service_level_pct: number };
  agents: { ready: number; reserved: number; on_call: number; wrap_up: number; not_ready: number;
    not_ready_reasons: Record<string, number> };
};
export type WallboardCall = {
  call_id: string; state: string; caller: string; caller_name: string; customer_id: number; queue: string;
  since: number; state_since: number;
  /** The CRM's name of the caller, from live_call events. */
  customer_name?: string;
};
export type WallboardAgent = {
  extension: string; name: string; state: AgentState; reason: string; since: number; queues: string[];
  handled: number; call?: WallboardCall | null;
};
export type Wallboard = {
  loaded: boolean; error: string; queues: Map<string, WallboardQueue>; agents: Map<string, WallboardAgent>;
};

const empty = (): Wallboard => ({ loaded: false, error: "", queues: new Map(), agents: new Map() });
export const wallboard = new Store<Wallboard>(empty());

/** The alerts that hold at `now`: the tile turns red for any of them. */
export function alerting(queue: WallboardQueue, now: number): string[] {
  const out: string[] = [];
  const { alerts } = queue;
  if (alerts.wait_s > 0 && queue.oldest_since !== null && now - queue.oldest_since > alerts.wait_s * 1000) {
    out.push("longest_wait");
  }
  if (alerts.waiting > 0 && queue.waiting > alerts.waiting) out.push("waiting");
  if (alerts.service_level_pct > 0 && queue.service_level !== null && queue.service_level * 100 < alerts.service_level_pct) {
    out.push("service_level");
  }
  return out;
}

const supervises = (user: User) => user.role === "admin" || user.role === "supervisor";

let loading: Promise<void> | null = null;

/** (Re)reads the whole board: on opening a page that shows it, and on each reconnect. */
export function loadWallboard(): Promise<void> {
  loading ??= (async () => {
    try {
      const answer = await api<{ queues: WallboardQueue[]; agents: WallboardAgent[] }>("GET", "/wallboard");
      wallboard.set({
        loaded: true, error: "", queues: new Map(answer.queues.map((queue) => [queue.name, queue])),
        agents: new Map(answer.agents.map((agent) => [agent.extension, agent])),
      });
    } catch (failure) {
      wallboard.set({ ...wallboard.get(), error: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function onWallboard(event: ServerEvent): void {
  const current = wallboard.get();
  const queues = new Map(current.queues);
  const agents = new Map(current.agents);
  for (const queue of (event.queues as WallboardQueue[] | undefined) ?? []) queues.set(queue.name, queue);
  for (const name of (event.removed_queues as string[] | undefined) ?? []) queues.delete(name);
  for (const agent of (event.agents as WallboardAgent[] | undefined) ?? []) {
    // The event leaves the call out: it is the live_call events'.
    agents.set(agent.extension, { ...agent, call: agents.get(agent.extension)?.call ?? null });
  }
  for (const extension of (event.removed_agents as string[] | undefined) ?? []) agents.delete(extension);
  wallboard.set({ ...current, queues, agents });
}

/** A live call changes the current call of the agent on it (and of the one it left). */
function onLiveCall(event: ServerEvent): void {
  const call = event.call as (WallboardCall & { agent: string; customer: Customer | null }) | undefined;
  if (!call?.call_id) return;
  const current = wallboard.get();
  const agents = new Map(current.agents);
  let changed = false;
  for (const [extension, agent] of agents) {
    if (agent.call?.call_id === call.call_id && extension !== call.agent) {
      agents.set(extension, { ...agent, call: null });
      changed = true;
    }
  }
  const agent = call.agent ? agents.get(call.agent) : undefined;
  if (agent) {
    const over = call.state === "ended";
    const { customer, ...rest } = call;
    agents.set(call.agent, {
      ...agent,
      call: over ? null : { ...rest, customer_id: customer?.id ?? 0, customer_name: customer?.name ?? "" },
    });
    changed = true;
  }
  if (changed) wallboard.set({ ...current, agents });
}

events.on("wallboard", onWallboard);
events.on("live_call", onLiveCall);
events.on("hello", () => {
  const current = session.get();
  if (current.state === "signed_in" && (supervises(current.user) || current.user.extension)) void loadWallboard();
});
session.subscribe(() => wallboard.set(empty()));
