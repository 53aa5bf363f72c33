// Who is signed in: the token (sessionStorage, per tab), the user, and signing out
// when the server ends the session (401, or the event stream closed with 1008).
import { api, ApiError, getToken, setToken, whenUnauthorized, type User } from "./api";
import { Store } from "./store";
import { events } from "./events";

export type Session = { state: "checking" } | { state: "signed_out"; notice?: "sessionEnded" } | { state: "signed_in"; user: User };

export const session = new Store<Session>({ state: getToken() ? "checking" : "signed_out" });

type LoginAnswer = { token: string; user: User };

export async function signIn(username: string, password: string): Promise<void> {
  const answer = await api<LoginAnswer>("POST", "/login", { username, password });
  setToken(answer.token);
  start(answer.user);
}

function start(user: User): void {
  session.set({ state: "signed_in", user });
  // Agents (and anyone with a phone) get their own calls and state on the stream.
  if (user.role === "admin" || user.role === "supervisor" || user.extension) events.connect(getToken() ?? "");
}

/** On load: resume the tab's session if its token still works. An answer ends it
 * (401: the token is over); while the server cannot be reached or fails (a restart, a
 * busy moment) the tab keeps its token and asks again, so a reload never signs an
 * agent out by accident. */
export async function resume(): Promise<void> {
  for (let wait = 500; getToken(); wait = Math.min(wait * 2, 10_000)) {
    try {
      start(await api<User>("GET", "/me"));
      return;
    } catch (failure) {
      const transient = failure instanceof ApiError && (failure.status === 0 || failure.status >= 500);
      if (!transient) return end();
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export async function signOut(): Promise<void> {
  const had = getToken();
  end();
  if (had) {
    try {
      await fetch("/api/v1/logout", { method: "POST", headers: { Authorization: `Bearer ${had}` } });
    } catch {
      /* signed out here either way */
    }
  }
}

function end(notice?: "sessionEnded"): void {
  events.disconnect();
  setToken(null);
  session.set(notice ? { state: "signed_out", notice } : { state: "signed_out" });
}

const ended = () => {
  if (session.get().state === "signed_in") end("sessionEnded");
};
whenUnauthorized(ended);
events.onSessionEnded(ended);
