// The live event stream, /api/v1/events?token=… (docs/api.md): one WebSocket for the
// whole app, reconnected with exponential back-off; a 1008 close means the session
// is over. Pages subscribe by message type; "hello" arrives on every (re)connect,
// which is when a page reloads what it may have missed. REST calls go over it too
// (request): {"type":"request","id",…} answered by {"type":"response","id","status","body"}.
import { answer, api, ApiError } from "./api";
import { t } from "./i18n";
import { Store } from "./store";

export type Connection =
  | { kind: "idle" }
  | { kind: "connecting" }
  | { kind: "live"; since: number }
  | { kind: "retry"; at: number };

export type ServerEvent = { type: string; [field: string]: unknown };
type Handler = (event: ServerEvent) => void;

const minDelayMs = 1000;
const maxDelayMs = 30000;
const pingEveryMs = 25000;
/** How long a request sent over the stream waits for its response. */
const requestTimeoutMs = 5000;
/** The server takes messages up to 64 KiB; a larger request goes over HTTP. */
const maxRequestChars = 60000;

type Pending = { path: string; resolve: (value: unknown) => void; reject: (error: Error) => void; timer: number };

class EventStream {
  readonly connection = new Store<Connection>({ kind: "idle" });
  private socket: WebSocket | null = null;
  private token = "";
  private delayMs = minDelayMs;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private handlers = new Map<string, Set<Handler>>();
  private sessionEnded: () => void = () => {};
  private nextId = 1;
  private pending = new Map<number, Pending>();

  onSessionEnded(handler: () => void): void {
    this.sessionEnded = handler;
  }

  /** Calls `handler` for each message of `type` ("*" for all); returns the unsubscribe. */
  on(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  connect(token: string): void {
    this.disconnect();
    this.token = token;
    this.delayMs = minDelayMs;
    this.open();
  }

  disconnect(): void {
    this.token = "";
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    this.failPending();
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000);
    }
    this.connection.set({ kind: "idle" });
  }

  private open(): void {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/api/v1/events?token=${encodeURIComponent(this.token)}&batch=1`);
    this.socket = socket;
    let opened = false;
    this.connection.set({ kind: "connecting" });
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (message) => {
      let parsed: ServerEvent | ServerEvent[];
      try {
        parsed = JSON.parse(String(message.data)) as ServerEvent | ServerEvent[];
      } catch {
        return;
      }
      // ?batch=1: events that queued up on the server arrive together, as an array.
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) this.dispatch(event);
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.socket = null;
      window.clearInterval(this.pingTimer);
      this.failPending();
      if (close.code === 1008) {
        this.sessionEnded();
        return;
      }
      // A refused upgrade (401) looks like any other failure here: ask the API.
      if (!opened) void api("GET", "/me").catch(() => {});
      this.scheduleRetry();
    };
  }

  private dispatch(event: ServerEvent): void {
    if ((event.type === "response" || event.type === "error") && this.settle(event)) return;
    if (event.type === "hello") {
      this.delayMs = minDelayMs;
      this.connection.set({ kind: "live", since: Date.now() });
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.send({ type: "ping" }), pingEveryMs);
    }
    for (const type of [event.type, "*"]) this.handlers.get(type)?.forEach((handler) => handler(event));
  }

  /** A REST call (docs/api.md) over the open stream, answered as over HTTP (the same
   *  body, the same ApiError); while the stream is not live it goes over HTTP (api). */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const socket = this.socket;
    const message = JSON.stringify({ type: "request", id: this.nextId, method, path: `/api/v1${path}`, body });
    if (socket?.readyState !== WebSocket.OPEN || this.connection.get().kind !== "live" || message.length > maxRequestChars) {
      return api<T>(method, path, body);
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError(0, "timeout", t("error.timeout")));
      }, requestTimeoutMs);
      this.pending.set(id, { path, resolve: resolve as (value: unknown) => void, reject, timer });
      socket.send(message);
    });
  }

  /** Settles the request a "response" (or an "error" about it) answers; false if none. */
  private settle(event: ServerEvent): boolean {
    const request = typeof event.id === "number" ? this.pending.get(event.id) : undefined;
    if (!request) return false;
    this.pending.delete(event.id as number);
    window.clearTimeout(request.timer);
    try {
      // A malformed request: {"type":"error","error":{"code","message"}}, a client fault.
      const status = event.type === "response" && typeof event.status === "number" ? event.status : 400;
      request.resolve(answer(request.path, status, event.type === "response" ? event.body : event));
    } catch (failure) {
      request.reject(failure as Error);
    }
    return true;
  }

  /** The stream went away before its requests were answered: whether they were carried
   *  out is unknown, so they fail (the user sees the call's state and may try again). */
  private failPending(): void {
    for (const request of this.pending.values()) {
      window.clearTimeout(request.timer);
      request.reject(new ApiError(0, "network", t("error.network")));
    }
    this.pending.clear();
  }

  private scheduleRetry(): void {
    if (!this.token) return;
    const delay = this.delayMs * (0.8 + Math.random() * 0.4);
    this.delayMs = Math.min(this.delayMs * 2, maxDelayMs);
    this.connection.set({ kind: "retry", at: Date.now() + delay });
    this.retryTimer = window.setTimeout(() => {
      if (this.token) this.open();
    }, delay);
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

export const events = new EventStream();
