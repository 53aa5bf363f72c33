// What the event stream tells about calls and queues, kept from sign-in on so that
// switching pages loses nothing: the calls in progress, and per queue the counts of
// queue_call events since `since` (the server has no history of these; pages say so).
import { events, type ServerEvent } from "./events";
import { Store } from "./store";

export type LiveCall = {
  id: string; state: string; direction: string; caller: string; caller_name: string; dialled: string; callee: string;
  startedAt: number; answeredAt: number | null;
};
export type QueueActivity = {
  entered: number; answered: number; abandoned: number; overflowed: number; completed: number; longestWaitMs: number;
};
export type Live = { since: number; calls: Map<string, LiveCall>; queues: Map<string, QueueActivity> };

export const live = new Store<Live>({ since: Date.now(), calls: new Map(), queues: new Map() });

export function resetLive(): void {
  live.set({ since: Date.now(), calls: new Map(), queues: new Map() });
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const num = (value: unknown): number => (typeof value === "number" ? value : Date.now());

function onCall(event: ServerEvent): void {
  const id = str(event.call_id);
  if (!id) return;
  live.update((current) => {
    const calls = new Map(current.calls);
    const state = str(event.state);
    if (state === "ended") {
      calls.delete(id);
    } else {
      const before = calls.get(id);
      const at = num(event.at);
      const talking = state === "answered" || state === "connected";
      calls.set(id, {
        id, state, direction: str(event.direction), caller: str(event.caller), caller_name: str(event.caller_name),
        dialled: str(event.dialled), callee: str(event.callee),
        startedAt: before?.startedAt ?? at, answeredAt: before?.answeredAt ?? (talking ? at : null),
      });
    }
    return { ...current, calls };
  });
}

type Counter = "entered" | "answered" | "abandoned" | "overflowed" | "completed";
const counters: Record<string, Counter | undefined> = {
  queued: "entered", answered: "answered", abandoned: "abandoned", overflowed: "overflowed", completed: "completed",
};

function onQueueCall(event: ServerEvent): void {
  const queue = str(event.queue);
  if (!queue) return;
  const counter = counters[str(event.event)];
  live.update((current) => {
    const queues = new Map(current.queues);
    const before = queues.get(queue) ??
      { entered: 0, answered: 0, abandoned: 0, overflowed: 0, completed: 0, longestWaitMs: 0 };
    const after = { ...before };
    if (counter) after[counter] += 1;
    if (typeof event.waited_ms === "number") after.longestWaitMs = Math.max(after.longestWaitMs, event.waited_ms);
    queues.set(queue, after);
    return { ...current, queues };
  });
}

events.on("call", onCall);
events.on("queue_call", onQueueCall);
