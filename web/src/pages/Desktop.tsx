// The agent desktop: the agent's state bar, the current call with its controls, the
// customer's record (screen pop) and contact history, the caller's IVR path, and the
// wrap-up of calls that ended. Everything comes from desk.ts (REST + event stream).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, apiBlobUrl, ApiError, type AgentState, type Code, type Contact, type CtiCall, type Customer, type User } from "../api";
import {
  callCommand, codeLabel, desk, dial, loadDesk, reasonCodes, savedCustomer, setAgentState, wrapUp, type CallAction,
  type DeskCall,
} from "../desk";
import { formatBirthday, formatDateTime, formatDuration, formatNumber, formatTimeShort } from "../format";
import { t, tCode } from "../i18n";
import { useNow, useStore } from "../store";
import { Empty, useDismiss } from "../ui";
import { alerting, loadWallboard, wallboard } from "../wallboard";

/** A shortcut's tooltip: "Hold (Alt+H)". */
const tip = (label: string, key: string) => `${label} (${t("desk.shortcut", { key })})`;

/** The key pressed with Alt alone, as a letter ("h"), or "". */
function altKey(event: KeyboardEvent): string {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return "";
  return event.code.startsWith("Key") ? event.code.slice(3).toLowerCase() : "";
}

function useAltKeys(keys: Record<string, () => void>): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const action = latest.current[altKey(event)];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);
}

/** What a request was for, to say why the server refused it in the user's words. */
type FailureContext =
  | { action: "transfer" | "consult" | "conference" | "dial"; to: string }
  | { action: "wrap-up" | "state" | "customer" | "recording" | "command" };

/** The server's refusal in the user's language: its code translated (for some codes
 *  in the words of what was asked), or the server's own text for a code we do not know. */
export function failureText(failure: unknown, context?: FailureContext): string {
  if (!(failure instanceof ApiError)) return failure instanceof Error ? failure.message : String(failure);
  if (failure.status === 0) return failure.message;  // network: already translated
  const { code } = failure;
  if (context?.action === "transfer" || context?.action === "consult" || context?.action === "conference") {
    const to = context.to;
    if (code === "already_on_call") return t("deskError.alreadyOnCall", { to });
    if (code === "invalid_field" && context.action !== "transfer") return t("deskError.conferenceInvalid");
    if (code === "not_found") return t("deskError.transferNotFound", { to });
    if (code === "unavailable") return t("deskError.transferUnavailable", { to });
    if (code === "refused") return t("deskError.transferRefused", { to });
    if (code === "unknown_queue") return t("deskError.unknownQueue", { queue: to.replace(/^queue:/, "") });
    if (code === "invalid_field") return t("deskError.transferInvalid");
  }
  if (context?.action === "dial") {
    const to = context.to;
    if (code === "missing_field" || code === "invalid_field") return t("deskError.dialInvalid", { to });
    if (code === "refused") return t("deskError.transferRefused", { to });
    if (code === "unknown_agent") return t("deskError.notAgent");
    if (code === "unavailable") return t("deskError.dialUnavailable", { to });
  }
  if (context?.action === "wrap-up") {
    if (code === "invalid_field") return t("deskError.dispositionInvalid");
    if (code === "not_found") return t("deskError.wrapUpNotFound");
    if (code === "forbidden") return t("deskError.wrapUpForbidden");
  }
  if (context?.action === "recording" && code === "not_found") return t("deskError.noRecording");
  if (context?.action === "recording" && code === "recording_deleted") return t("recordings.deletedError");
  if (context?.action === "state" && code === "not_found") return t("deskError.notAgent");
  if (code === "invalid_field" && context?.action === "customer") {
    // "field 'email' …": the server's message names the field.
    const field = /field '(\w+)'/.exec(failure.message)?.[1] ?? "";
    const label = tCode("desk.field", field);
    return label !== field ? t("deskError.customerField", { field: label }) : t("deskError.invalid_field");
  }
  if (code === "phone_taken") {
    const number = /phone (.+) belongs to/.exec(failure.message)?.[1];
    return number ? t("deskError.phoneTakenNumber", { number }) : t("deskError.phone_taken");
  }
  const translated = tCode("deskError", code);
  return translated !== code ? translated : failure.message;
}

export function DesktopPage({ user }: { user: User }) {
  const state = useStore(desk);
  useEffect(() => {
    void loadDesk();
    void loadWallboard();
  }, []);
  const now = useNow() + state.skewMs;
  const calls = [...state.calls.values()];
  const current = calls.filter((call) => call.state !== "ended").at(-1);
  const ended = calls.filter((call) => call.state === "ended");
  const guestOf = [...state.guestOf.values()].at(-1);
  const focus = current ?? (guestOf && { ...guestOf, talked: false }) ?? ended.at(-1);
  return (
    <section class="page desk-page" id="desktop">
      <StateBar user={user} now={now} />
      <QueueStrip now={now} />
      <div class="desk-grid">
        <div class="desk-main">
          {guestOf && !current && <GuestBanner call={guestOf} />}
          <CallPanel key={current?.call_id ?? "idle"} call={current} now={now} />
          {ended.map((call) => <WrapUpForm key={call.call_id} call={call} dispositions={state.codes.dispositions} />)}
        </div>
        <CustomerPanel key={focus?.call_id ?? "none"} call={focus} dispositions={state.codes.dispositions} />
      </div>
    </section>
  );
}

/* ---------- the agent's queues ---------- */

/** "sales: 3 waiting · longest 0:45" per queue the agent serves (the wallboard's figures). */
function QueueStrip({ now }: { now: number }) {
  const { queues } = useStore(wallboard);
  if (queues.size === 0) return null;
  return (
    <div class="desk-queues" id="desk-queues" aria-label={t("wallboard.myQueues")}>
      {[...queues.values()].map((queue) => (
        <span key={queue.name} data-queue={queue.name} data-waiting={queue.waiting}
          class={`desk-queue${alerting(queue, now).length ? " alerting" : ""}`}>
          {t("wallboard.strip", {
            queue: queue.name, waiting: formatNumber(queue.waiting),
            longest: queue.oldest_since === null ? "—" : formatDuration((now - queue.oldest_since) / 1000),
          })}
        </span>
      ))}
    </div>
  );
}

/* ---------- state bar ---------- */

function StateBar({ user, now }: { user: User; now: number }) {
  const { agent, agentError, codes } = useStore(desk);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [menu, setMenu] = useState(false);
  const anchor = useRef<HTMLSpanElement>(null);
  const reasons = reasonCodes(codes);
  const state: AgentState = agent?.state ?? "logged_out";

  useDismiss(menu, () => setMenu(false), anchor);

  const change = async (next: AgentState, reason?: string) => {
    setMenu(false);
    setBusy(true);
    setError("");
    try {
      await setAgentState(next, reason);
    } catch (failure) {
      setError(failureText(failure, { action: "state" }));
    } finally {
      setBusy(false);
    }
  };
  const inCall = state === "on_call" || state === "reserved";
  const canReady = !!agent && state !== "ready" && !inCall;
  useAltKeys({
    r: () => { if (canReady && !busy) void change("ready"); },
    n: () => { if (agent && !busy) setMenu(true); },
  });

  const loadProblem = agentError === "not_found" ? t("desk.notAgent", { ext: user.extension })
    : agentError === "forbidden" ? t("desk.agentForbidden")
    : agentError ? t("desk.agentFailed") : "";
  return (
    <div class={`statebar state-${state}`} id="state-bar" data-state={state}>
      <div class="statebar-state">
        <i class="state-dot" />
        <span class="state-name" id="agent-state">{tCode("state", state)}</span>
        {agent?.reason && (
          <span class="state-reason" id="agent-reason">{codeLabel(reasons, agent.reason, "reason")}</span>
        )}
        <span class="state-time mono" id="state-time" title={t("desk.timeInState")}>
          {agent && agent.since > 0 && state !== "logged_out" ? formatDuration((now - agent.since) / 1000) : ""}
        </span>
      </div>
      <div class="statebar-info">
        <span class="muted">{t("desk.extension", { ext: user.extension })}</span>
        {agent && agent.queues.length > 0 && (
          <span class="state-queues" title={t("desk.queuesTitle")}>
            {agent.queues.map((queue) => <span key={queue} class="tag">{queue}</span>)}
          </span>
        )}
        {loadProblem && <span class="statebar-problem" role="alert">{loadProblem}</span>}
      </div>
      <div class="statebar-actions">
        <button type="button" class="state-btn go" id="btn-ready" disabled={busy || !canReady}
          title={tip(t("desk.readyTitle"), "R")} onClick={() => void change("ready")}>{t("desk.ready")}</button>
        <span class="menu-anchor" ref={anchor}>
          <button type="button" class="state-btn" id="btn-not-ready" disabled={busy || !agent} aria-expanded={menu}
            title={tip(t("desk.notReadyTitle"), "N")} onClick={() => setMenu(!menu)}>{t("desk.notReady")} ▾</button>
          {menu && (
            <div class="menu menu-right" role="menu" id="reason-menu">
              {reasons.map((reason) => (
                <button type="button" role="menuitem" key={reason.code} data-reason={reason.code}
                  onClick={() => void change("not_ready", reason.code)}>
                  {codeLabel(reasons, reason.code, "reason")}
                </button>
              ))}
            </div>
          )}
        </span>
        <button type="button" class="state-btn" id="btn-log-out" disabled={busy || !agent || state === "logged_out" || inCall}
          title={t("desk.logOutTitle")} onClick={() => void change("logged_out")}>{t("desk.logOut")}</button>
      </div>
      {error && <p class="statebar-error form-error" role="alert" id="state-error">{error}</p>}
    </div>
  );
}

/* ---------- the call ---------- */

/** The call states in which the server takes each command (else 409 not_talking, held). */
const allowed: Record<CallAction, readonly string[]> = {
  hold: ["talking"],
  resume: ["held"],
  hangup: ["dialing", "talking", "held", "transferring"],
  transfer: ["talking", "held"],
  consult: ["talking", "held"],
  conference: ["talking"],
  complete: ["talking", "held"],
  cancel: ["talking", "held"],
  dtmf: ["talking"],
};
/** What a guest on the call rules out (the server answers in_conference or consulting). */
const notWithGuest: readonly CallAction[] = ["hold", "resume", "transfer", "consult", "conference"];

/** Whether the server would take `action` on the call now. */
function callAllows(call: DeskCall, action: CallAction): boolean {
  if (!allowed[action].includes(call.state)) return false;
  if (action === "complete") return !!call.consult?.answered;  // else 409 not_consulting
  if (action === "cancel") return !!call.consult;
  return !((call.consult || call.conference) && notWithGuest.includes(action));
}

/** Another agent's call this agent was brought into: whose customer they talk about. */
function GuestBanner({ call }: { call: CtiCall }) {
  const number = call.direction === "outbound" ? call.dialled : call.caller;
  const text = call.consult ? t("desk.consultedBy", { agent: call.agent, number })
    : t("desk.addedBy", { agent: call.agent, number });
  return (
    <div class="panel guest-banner answered" id="guest-of" data-call={call.call_id} role="status">
      <span class="guest-name" id="guest-of-text">{text}</span>
    </div>
  );
}

function CallPanel({ call, now }: { call: DeskCall | undefined; now: number }) {
  const { agent } = useStore(desk);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [target, setTarget] = useState("");
  const [keypad, setKeypad] = useState(false);
  const [sent, setSent] = useState("");
  const transferInput = useRef<HTMLInputElement>(null);

  const can = (action: CallAction) => !!call && !busy && callAllows(call, action);
  const run = async (action: CallAction, body?: object) => {
    if (!call) return;
    setBusy(true);
    setError("");
    try {
      await callCommand(call.call_id, action, body);
      if (action === "transfer" || action === "consult" || action === "conference") setTarget("");
      if (action === "dtmf") setSent((s) => (s + String((body as { digits: string }).digits)).slice(-24));
    } catch (failure) {
      setError(failureText(failure, action === "transfer" || action === "consult" || action === "conference"
        ? { action, to: (body as { to: string }).to } : { action: "command" }));
    } finally {
      setBusy(false);
    }
  };
  const holdOrResume = () => {
    if (can("hold")) void run("hold");
    else if (can("resume")) void run("resume");
  };
  const transfer = (event?: Event) => {
    event?.preventDefault();
    const to = target.trim();
    if (!to || !can("transfer")) return;
    if (to === agent?.extension) setError(t("deskError.transferSelf"));
    else if (call?.direction === "outbound" && to.startsWith("queue:")) setError(t("deskError.not_supported"));
    else void run("transfer", { to, mode: "blind" });
  };
  /** A consultation (attended transfer) or a three-way call with the target typed in. */
  const callGuest = (action: "consult" | "conference") => {
    const to = target.trim();
    if (!to || !can(action) || to.startsWith("queue:")) return;
    if (to === agent?.extension) setError(t("deskError.alreadyOnCall", { to }));
    else void run(action, action === "consult" ? { to, mode: "attended" } : { to });
  };
  useAltKeys({
    h: holdOrResume,
    x: () => { if (can("hangup")) void run("hangup"); },
    t: () => transferInput.current?.focus(),
    a: () => callGuest("consult"),
    c: () => callGuest("conference"),
    k: () => setKeypad((open) => !open),
  });

  if (!call) {
    const hint = agent?.state === "ready" ? t("desk.idleReady")
      : agent?.state === "not_ready" ? t("desk.idleNotReady")
      : agent?.state === "wrap_up" ? t("desk.idleWrapUp") : t("desk.idleLoggedOut");
    return (
      <div class="panel call-panel idle" id="call-panel" data-state="idle">
        <h2>{t("desk.call")}</h2>
        <Empty>{hint}</Empty>
        <DialForm />
      </div>
    );
  }
  const held = call.state === "held";
  const outbound = call.direction === "outbound";
  const number = outbound ? call.dialled : call.caller;
  // Consult and conference call a person: an extension or a number, not a queue.
  const person = !!target.trim() && !target.trim().startsWith("queue:");
  // The flow's variables the agent does not see elsewhere (caller and DID are above).
  const variables = Object.entries(call.ivr_variables ?? {}).filter(([name]) => name !== "caller" && name !== "did");
  const steps = call.steps ?? [];
  return (
    <div class={`panel call-panel call-${call.state}`} id="call-panel" data-state={call.state} data-call={call.call_id}>
      <div class="call-head">
        <h2>{t("desk.call")}</h2>
        <span class={`pill cti-${call.state}`} id="call-state">{tCode("ctiState", call.state)}</span>
        <span class="call-duration mono" id="call-duration" title={t("desk.durationTitle")}>
          {formatDuration((now - call.since) / 1000)}
        </span>
      </div>
      {call.state === "offered" && (
        <div class="offer-banner" role="status">{outbound ? t("desk.dialOffered", { number }) : t("desk.offered")}</div>
      )}
      {call.state === "dialing" && <div class="offer-banner dialing" role="status">{t("desk.dialing", { number })}</div>}
      <div class="call-caller">
        <span class="call-number mono" id="call-caller">{number || t("desk.anonymous")}</span>
        {!outbound && call.caller_name && call.caller_name !== call.caller && <span class="call-name">{call.caller_name}</span>}
      </div>
      {call.consult && (
        <div class={`guest-banner ${call.consult.answered ? "answered" : "ringing"}`} id="call-consult"
          data-answered={String(call.consult.answered)} role="status">
          <div class="guest-text">
            <span class="guest-name" id="consult-text">{t("desk.consulting", { to: call.consult.with })}</span>{" "}
            <span class="guest-state">{call.consult.answered ? t("desk.guestTalking") : t("desk.guestRinging")}</span>
          </div>
          <div class="guest-actions">
            <span class="muted small">{t("desk.customerHeld")}</span>
            <span class="gap" />
            <button type="button" class="primary" id="btn-complete" disabled={!can("complete")}
              title={call.consult.answered ? t("desk.completeTitle") : t("desk.completeWait")}
              onClick={() => void run("complete")}>{t("desk.complete")}</button>
            <button type="button" id="btn-cancel-consult" disabled={!can("cancel")} title={t("desk.cancelConsultTitle")}
              onClick={() => void run("cancel")}>{t("desk.cancelConsult")}</button>
          </div>
        </div>
      )}
      {call.conference && (
        <div class={`guest-banner ${call.conference.answered ? "answered" : "ringing"}`} id="call-conference"
          data-answered={String(call.conference.answered)} role="status">
          <div class="guest-text">
            <span class="guest-name" id="conference-text">{t("desk.threeWayWith", { to: call.conference.with })}</span>{" "}
            <span class="guest-state">
              {call.conference.answered ? t("desk.threeWayJoined") : t("desk.guestRinging")}
            </span>
          </div>
        </div>
      )}
      <dl class="facts">
        {outbound ? [
          <dt key="st" title={t("desk.shownNumberTitle")}>{t("desk.shownNumber")}</dt>,
          <dd key="sd" class="mono" id="call-shown">{call.caller || "—"}</dd>,
        ] : [
          <dt key="dt">{t("desk.did")}</dt>, <dd key="dd" class="mono" id="call-did">{call.dialled || "—"}</dd>,
          <dt key="qt">{t("desk.queue")}</dt>, <dd key="qd" id="call-queue">{call.queue || "—"}</dd>,
        ]}
        <dt>{t("desk.direction")}</dt><dd id="call-direction">{tCode("direction", call.direction)}</dd>
        {!outbound && [
          <dt key="wt">{t("desk.waited")}</dt>,
          <dd key="wd" class="mono" id="call-waited">{formatDuration(call.waited_ms / 1000)}</dd>,
        ]}
        <dt>{t("desk.inState")}</dt>
        <dd class="mono" id="call-in-state">{formatDuration((now - (call.state_since || call.since)) / 1000)}</dd>
        {call.ivr_path.length > 0 && [
          <dt key="pt" title={t("desk.ivrPathTitle")}>{t("desk.ivrPath")}</dt>,
          <dd key="pd" class="ivr-path" id="ivr-path">
            <ol>{call.ivr_path.map((node, i) => <li key={i} class="mono">{node}</li>)}</ol>
          </dd>,
        ]}
        {variables.length > 0 && [
          <dt key="vt" title={t("desk.ivrVariablesTitle")}>{t("desk.ivrVariables")}</dt>,
          <dd key="vd" class="ivr-vars" id="ivr-variables">
            {variables.map(([name, value]) => (
              <span key={name}><span class="muted">{name}</span> <span class="mono">{value}</span></span>
            ))}
          </dd>,
        ]}
        {steps.length > 0 && [
          <dt key="st">{t("desk.steps")}</dt>,
          <dd key="sd" class="call-steps" id="call-steps">
            {steps.map((step, i) => (
              <div key={i}>
                {step.kind === "transfer" && step.mode === "attended"
                  ? t("desk.stepTransferAttended", { from: step.from || "—", to: step.to })
                  : step.kind === "transfer" ? t("desk.stepTransfer", { from: step.from || "—", to: step.to })
                  : step.kind === "transfer_failed" && step.mode === "attended"
                  ? t("desk.stepConsultFailed", { to: step.to })
                  : step.kind === "transfer_failed" ? t("desk.stepTransferFailed", { to: step.to })
                  : step.kind === "conference" ? t("desk.stepConference", { from: step.from || "—", to: step.to })
                  : step.kind === "conference_failed" ? t("desk.stepConferenceFailed", { to: step.to })
                  : `${step.kind} ${step.to}`}
                <span class="mono muted"> {formatTimeShort(step.at)}</span>
              </div>
            ))}
          </dd>,
        ]}
      </dl>
      <div class="call-controls">
        <button type="button" id="btn-hold" disabled={!can("hold") && !can("resume")} aria-pressed={held}
          title={tip(held ? t("desk.resume") : t("desk.hold"), "H")} onClick={holdOrResume}>
          {held ? t("desk.resume") : t("desk.hold")}
        </button>
        <button type="button" id="btn-keypad" class={keypad ? "on" : ""} disabled={!can("dtmf")} aria-expanded={keypad}
          title={tip(t("desk.keypad"), "K")} onClick={() => setKeypad(!keypad)}>{t("desk.keypad")}</button>
        <span class="gap" />
        <button type="button" id="btn-hangup" class="danger" disabled={!can("hangup")}
          title={tip(t("desk.hangUp"), "X")} onClick={() => void run("hangup")}>{t("desk.hangUp")}</button>
      </div>
      {keypad && call.state === "talking" && (
        <div class="keypad" id="keypad">
          {["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"].map((digit) => (
            <button type="button" key={digit} data-digit={digit} disabled={!can("dtmf")}
              onClick={() => void run("dtmf", { digits: digit })}>{digit}</button>
          ))}
          <div class="keypad-sent mono" id="dtmf-sent" title={t("desk.dtmfSent")}>{sent}</div>
        </div>
      )}
      <form class="transfer" id="transfer" onSubmit={transfer}>
        <input ref={transferInput} id="transfer-to" value={target} disabled={!can("transfer") && !can("consult") && !can("conference")}
          placeholder={t("desk.transferPlaceholder")} title={tip(t("desk.transferTitle"), "T")}
          onInput={(e) => { setTarget(e.currentTarget.value); setError(""); }} />
        <button type="submit" id="btn-transfer" disabled={!can("transfer") || !target.trim()}
          title={tip(t("desk.transferTitle"), "T")}>{t("desk.transfer")}</button>
        <button type="button" id="btn-consult" disabled={!can("consult") || !person}
          title={tip(t("desk.consultTitle"), "A")} onClick={() => callGuest("consult")}>{t("desk.consult")}</button>
        <button type="button" id="btn-conference" disabled={!can("conference") || !person}
          title={tip(t("desk.conferenceTitle"), "C")} onClick={() => callGuest("conference")}>{t("desk.conference")}</button>
      </form>
      {error && <p class="form-error" role="alert" id="call-error">{error}</p>}
    </div>
  );
}

/** Click-to-dial from the idle call panel: the agent's phone rings first, then the number. */
function DialForm() {
  const { agent } = useStore(desk);
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const can = !!agent && agent.state !== "logged_out" && !busy;
  const submit = async (event?: Event) => {
    event?.preventDefault();
    const number = to.trim();
    if (!number || !can) return;
    setBusy(true);
    setError("");
    try {
      await dial(number);
    } catch (failure) {
      setError(failureText(failure, { action: "dial", to: number }));
    } finally {
      setBusy(false);
    }
  };
  useAltKeys({ d: () => input.current?.focus() });
  return (
    <form class="dial" id="dial" onSubmit={submit}>
      <input ref={input} id="dial-to" value={to} inputMode="tel" autoComplete="off" disabled={!can}
        placeholder={t("desk.dialPlaceholder")} title={tip(t("desk.dialTitle"), "D")}
        onInput={(e) => setTo(e.currentTarget.value)} />
      <button type="submit" class="primary" id="btn-dial" disabled={!can || !to.trim()}
        title={agent?.state === "logged_out" ? t("desk.dialLoggedOut") : t("desk.dialTitle")}>{t("desk.dial")}</button>
      {error && <p class="form-error" role="alert" id="dial-error">{error}</p>}
    </form>
  );
}

/** The customer's number: the caller's, or the one an outbound call dialled. */
const numberOf = (call: DeskCall) => (call.direction === "outbound" ? call.dialled : call.caller);

/** Why an outbound call ended without the customer, in words ("agent_busy": the agent's own phone). */
function reasonText(reason: string): string {
  return reason.startsWith("agent_")
    ? t("desk.reasonAgentPhone", { reason: tCode("callReason", reason.slice(6)) })
    : tCode("callReason", reason);
}

/* ---------- wrap-up ---------- */

function WrapUpForm({ call, dispositions }: { call: DeskCall; dispositions: Code[] }) {
  const [code, setCode] = useState("");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await wrapUp(call.call_id, code, notes);
    } catch (failure) {
      setError(failureText(failure, { action: "wrap-up" }));
      setBusy(false);
    }
  };
  return (
    <form class="panel wrap-up" id="wrap-up" data-call={call.call_id} onSubmit={submit}>
      <h2>
        {t("desk.wrapUp")} <span class="muted small mono">{call.direction === "outbound" ? call.dialled : call.caller}</span>
        {call.reason && <span class="muted small" id="wrap-up-reason"> · {reasonText(call.reason)}</span>}
      </h2>
      <label class="field">
        <span>{t("desk.disposition")}</span>
        <select name="disposition" value={code} required={dispositions.length > 0}
          onChange={(e) => setCode(e.currentTarget.value)}>
          <option value="">{dispositions.length ? t("desk.choose") : t("desk.noDispositions")}</option>
          {dispositions.map((d) => <option key={d.code} value={d.code}>{codeLabel(dispositions, d.code, "dispositionCode")}</option>)}
        </select>
      </label>
      <label class="field">
        <span>{t("desk.notes")}</span>
        <textarea name="notes" rows={3} value={notes} maxLength={4000} onInput={(e) => setNotes(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e); }} />
      </label>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy} title={t("desk.submitTitle")}>{t("desk.submit")}</button>
        {error && <span class="form-error" role="alert">{error}</span>}
      </div>
    </form>
  );
}

/* ---------- the customer ---------- */

/** Month and day of a "YYYY-MM-DD" birthday are today's (the user's calendar). */
function birthdayToday(birthday: string, now: number): boolean {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(birthday);
  if (!match) return false;
  const today = new Date(now);
  return Number(match[1]) === today.getMonth() + 1 && Number(match[2]) === today.getDate();
}

function CustomerPanel({ call, dispositions }: { call: DeskCall | undefined; dispositions: Code[] }) {
  const { customers } = useStore(desk);
  const customer = call ? (customers.get(call.call_id) ?? call.customer) : null;
  const [editing, setEditing] = useState(false);
  if (!call) {
    return (
      <div class="panel customer-panel" id="customer-panel" data-state="none">
        <h2>{t("desk.customer")}</h2>
        <Empty>{t("desk.customerIdle")}</Empty>
      </div>
    );
  }
  const saved = (record: Customer) => {
    savedCustomer(call.call_id, record);
    setEditing(false);
  };
  if (!customer) {
    return (
      <div class="panel customer-panel" id="customer-panel" data-state="unknown">
        <h2>{t("desk.unknownCaller")}</h2>
        <p class="muted small">{t("desk.unknownHint")}</p>
        <CustomerForm initial={{ phones: numberOf(call) ? [numberOf(call)] : [] }} onSaved={saved} />
      </div>
    );
  }
  return (
    <div class="panel customer-panel" id="customer-panel" data-state="known" data-customer={customer.id}>
      {editing ? (
        <>
          <h2>{t("desk.editCustomer")}</h2>
          <CustomerForm initial={customer} onSaved={saved} onCancel={() => setEditing(false)} />
        </>
      ) : (
        <CustomerView customer={customer} onEdit={() => setEditing(true)} />
      )}
      <ContactHistory customerId={customer.id} callId={call.call_id} dispositions={dispositions} />
    </div>
  );
}

function CustomerView({ customer, onEdit }: { customer: Customer; onEdit: () => void }) {
  const now = useNow();
  const fields = Object.entries(customer.fields ?? {});
  return (
    <div class="customer-view" id="customer-view">
      <div class="customer-head">
        <h2 id="customer-name">{customer.name || t("desk.noName")}</h2>
        {customer.vip && <span class="vip" id="customer-vip" title={t("desk.vipTitle")}>VIP</span>}
        <span class="gap" />
        <button type="button" class="small" id="btn-edit-customer" onClick={onEdit}>{t("desk.edit")}</button>
      </div>
      {birthdayToday(customer.birthday, now) && (
        <p class="birthday" id="birthday-greeting">{t("desk.birthdayToday", { name: customer.name || t("desk.theCustomer") })}</p>
      )}
      <dl class="facts">
        <dt>{t("desk.phones")}</dt><dd class="mono" id="customer-phones">{customer.phones.join(", ") || "—"}</dd>
        <dt>{t("desk.email")}</dt><dd>{customer.email || "—"}</dd>
        <dt>{t("desk.tags")}</dt>
        <dd>{customer.tags.length ? customer.tags.map((tag) => <span key={tag} class="tag">{tag}</span>) : "—"}</dd>
        <dt>{t("desk.birthday")}</dt><dd>{customer.birthday ? formatBirthday(customer.birthday) : "—"}</dd>
        <dt>{t("desk.address")}</dt><dd>{customer.address || "—"}</dd>
        {fields.flatMap(([key, value]) => [
          <dt key={`k${key}`} class="field-key">{key}</dt>, <dd key={`v${key}`}>{value}</dd>,
        ])}
      </dl>
      {customer.notes && <p class="customer-notes" id="customer-notes">{customer.notes}</p>}
    </div>
  );
}

type Draft = {
  name: string; vip: boolean; phones: string; email: string; tags: string; birthday: string; address: string;
  notes: string; fields: [string, string][];
};

const list = (text: string) => text.split(/[,，;\s]+/).map((s) => s.trim()).filter(Boolean);

function CustomerForm({ initial, onSaved, onCancel }: {
  initial: Partial<Customer>; onSaved: (customer: Customer) => void; onCancel?: () => void;
}) {
  const [draft, setDraft] = useState<Draft>({
    name: initial.name ?? "", vip: initial.vip ?? false, phones: (initial.phones ?? []).join(", "),
    email: initial.email ?? "", tags: (initial.tags ?? []).join(", "), birthday: initial.birthday ?? "",
    address: initial.address ?? "", notes: initial.notes ?? "", fields: Object.entries(initial.fields ?? {}),
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: "name" | "phones" | "email" | "tags" | "birthday" | "address" | "notes") => ({
    name: key, value: draft[key], onInput: (e: Event) => set(key, (e.currentTarget as HTMLInputElement).value),
  });
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    const body = {
      name: draft.name.trim(), vip: draft.vip, phones: list(draft.phones), email: draft.email.trim(),
      tags: list(draft.tags), birthday: draft.birthday, address: draft.address.trim(), notes: draft.notes,
      fields: Object.fromEntries(draft.fields.filter(([key]) => key.trim()).map(([key, value]) => [key.trim(), value])),
    };
    try {
      const answer = initial.id
        ? await api<Customer>("PATCH", `/customers/${initial.id}`, body)
        : await api<Customer>("POST", "/customers", body);
      onSaved(answer);
    } catch (failure) {
      setError(failureText(failure, { action: "customer" }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="customer-form" id="customer-form" onSubmit={submit}>
      <div class="form-grid">
        <label class="field"><span>{t("desk.name")}</span><input {...text("name")} maxLength={200} /></label>
        <label class="field check"><input type="checkbox" name="vip" checked={draft.vip}
          onChange={(e) => set("vip", e.currentTarget.checked)} /><span>VIP</span></label>
        <label class="field"><span>{t("desk.phones")}</span><input {...text("phones")} title={t("desk.listHint")} /></label>
        <label class="field"><span>{t("desk.email")}</span><input type="email" {...text("email")} /></label>
        <label class="field"><span>{t("desk.tags")}</span><input {...text("tags")} title={t("desk.listHint")} /></label>
        <label class="field"><span>{t("desk.birthday")}</span><input type="date" {...text("birthday")} /></label>
        <label class="field wide"><span>{t("desk.address")}</span><input {...text("address")} /></label>
        <label class="field wide"><span>{t("desk.notes")}</span>
          <textarea name="notes" rows={3} value={draft.notes}
            onInput={(e) => set("notes", e.currentTarget.value)} /></label>
      </div>
      <div class="kv">
        <span class="kv-title">{t("desk.fields")}</span>
        {draft.fields.map(([key, value], i) => (
          <div class="kv-row" key={i}>
            <input value={key} placeholder={t("desk.fieldName")} aria-label={t("desk.fieldName")}
              onInput={(e) => set("fields", draft.fields.map((f, j) => (j === i ? [e.currentTarget.value, f[1]] : f)))} />
            <input value={value} placeholder={t("desk.fieldValue")} aria-label={t("desk.fieldValue")}
              onInput={(e) => set("fields", draft.fields.map((f, j) => (j === i ? [f[0], e.currentTarget.value] : f)))} />
            <button type="button" class="small quiet" title={t("desk.removeField")} aria-label={t("desk.removeField")}
              onClick={() => set("fields", draft.fields.filter((_, j) => j !== i))}>×</button>
          </div>
        ))}
        <button type="button" class="small" onClick={() => set("fields", [...draft.fields, ["", ""]])}>{t("desk.addField")}</button>
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" id="btn-save-customer" disabled={busy}>{t("desk.save")}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t("desk.cancel")}</button>}
        {error && <span class="form-error" role="alert" id="customer-error">{error}</span>}
      </div>
    </form>
  );
}

/** The customer's earlier contacts (this call's own record, while it lasts, left out). */
function ContactHistory({ customerId, callId, dispositions }: { customerId: number; callId: string; dispositions: Code[] }) {
  const [items, setItems] = useState<Contact[] | null>(null);
  const [error, setError] = useState("");
  const [playing, setPlaying] = useState<{ index: number; url: string } | null>(null);
  useEffect(() => {
    let current = true;
    api<{ items: Contact[] }>("GET", `/customers/${customerId}/contacts`)
      .then((answer) => { if (current) setItems(answer.items.filter((contact) => contact.call_id !== callId)); })
      .catch((failure: unknown) => { if (current) setError(failureText(failure)); });
    return () => { current = false; };
  }, [customerId, callId]);
  useEffect(() => () => { if (playing) URL.revokeObjectURL(playing.url); }, [playing]);
  const play = async (index: number, recording: string) => {
    try {
      setPlaying({ index, url: await apiBlobUrl(recording) });
    } catch (failure) {
      setError(failureText(failure, { action: "recording" }));
    }
  };
  return (
    <div class="history" id="contact-history">
      <h3>{t("desk.history")}</h3>
      {error && <p class="form-error small">{error}</p>}
      {items && items.length === 0 && <Empty>{t("desk.historyNone")}</Empty>}
      {items && items.length > 0 && (
        <table class="grid inner">
          <thead>
            <tr>
              <th>{t("desk.col.date")}</th>
              <th>{t("desk.col.direction")}</th>
              <th>{t("desk.col.agent")}</th>
              <th>{t("desk.col.queue")}</th>
              <th>{t("desk.col.disposition")}</th>
              <th>{t("desk.col.notes")}</th>
              <th class="num">{t("desk.col.duration")}</th>
              <th>{t("desk.col.recording")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((contact, i) => [
              <tr key={contact.call_id + i} data-call={contact.call_id}>
                <td class="mono nowrap">{formatDateTime(contact.at)}</td>
                <td class="nowrap">{tCode("direction", contact.direction)}</td>
                <td class="mono">{contact.agent || "—"}</td>
                <td>{contact.queue || "—"}</td>
                <td>{contact.disposition_code ? codeLabel(dispositions, contact.disposition_code, "dispositionCode")
                  : contact.disposition ? tCode("disposition", contact.disposition) : "—"}</td>
                <td class="notes-cell">{contact.notes}</td>
                <td class="num mono">{formatDuration(contact.duration_ms / 1000)}</td>
                <td class="rec-cell">
                  {contact.recording && (
                    <button type="button" class="small" data-play={i} aria-pressed={playing?.index === i}
                      title={playing?.index === i ? t("desk.stopTitle") : t("desk.playTitle")}
                      onClick={() => (playing?.index === i ? setPlaying(null) : void play(i, contact.recording ?? ""))}>
                      {playing?.index === i ? `■ ${t("desk.stop")}` : `▶ ${t("desk.play")}`}
                    </button>
                  )}
                </td>
              </tr>,
              playing?.index === i && (
                <tr key={`play${i}`} class="player-row">
                  <td colSpan={8}><audio controls autoPlay src={playing.url} class="player" /></td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
    </div>
  );
}
