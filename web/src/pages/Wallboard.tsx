// Supervisor "Wallboard": today's figures per queue as large tiles that turn red past
// the queue's thresholds, and the agent grid (state, reason, ticking time in state,
// current call, calls handled today) with forced states and listen / whisper /
// barge / intercept on each live call. Kept live by the stream (wallboard.ts); a
// full-screen toggle for a wall screen.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError, type AgentState, type Code, type User } from "../api";
import { codeLabel } from "../desk";
import { ForceError, ForceStateButtons, forceState, useReasonCodes } from "../force";
import { formatDuration, formatNumber, formatPercent } from "../format";
import { t, tCode } from "../i18n";
import { useNow, useStore } from "../store";
import { AgentStatePill, Empty } from "../ui";
import { alerting, loadWallboard, wallboard, type WallboardAgent, type WallboardQueue } from "../wallboard";

const byExtension = (a: WallboardAgent, b: WallboardAgent) =>
  a.extension.localeCompare(b.extension, undefined, { numeric: true });

const percent = (fraction: number | null) => (fraction === null ? "—" : formatPercent(fraction));

type RowStatus = { busy?: boolean; error?: string };

export function WallboardPage({ user }: { user: User }) {
  const board = useStore(wallboard);
  const now = useNow();
  const reasons = useReasonCodes();
  const [rows, setRows] = useState<Record<string, RowStatus>>({});
  const [full, setFull] = useState(false);
  const page = useRef<HTMLElement>(null);

  useEffect(() => {
    void loadWallboard();
    const left = () => setFull(document.fullscreenElement !== null);
    document.addEventListener("fullscreenchange", left);
    return () => document.removeEventListener("fullscreenchange", left);
  }, []);

  const queues = useMemo(() => [...board.queues.values()].sort((a, b) => a.name.localeCompare(b.name)), [board.queues]);
  const agents = useMemo(() => [...board.agents.values()].sort(byExtension), [board.agents]);

  const toggleFull = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void page.current?.requestFullscreen().catch(() => setFull(!full));
    // Without the Fullscreen API (or refused), the page still fills the window.
    if (!document.fullscreenEnabled) setFull(!full);
  };

  const run = async (extension: string, work: () => Promise<void>) => {
    setRows((r) => ({ ...r, [extension]: { busy: true } }));
    try {
      await work();
      setRows((r) => ({ ...r, [extension]: {} }));
    } catch (failure) {
      setRows((r) => ({ ...r, [extension]: { error: (failure as Error).message } }));
    }
  };
  const force = (agent: WallboardAgent, state: AgentState, reason?: string) =>
    run(agent.extension, async () => {
      const answer = await forceState(agent.extension, state, reason);
      const current = wallboard.get();
      const before = current.agents.get(agent.extension);
      if (before) {
        const agents = new Map(current.agents);
        agents.set(agent.extension, { ...before, state: answer.state, reason: answer.reason, since: answer.since });
        wallboard.set({ ...current, agents });
      }
    });
  const monitor = (agent: WallboardAgent, callId: string, mode: MonitorMode) =>
    run(agent.extension, async () => {
      try {
        const path = `/calls/${encodeURIComponent(callId)}/${mode === "intercept" ? "intercept" : "monitor"}`;
        await api("POST", path, mode === "intercept" ? { supervisor: user.extension } : { supervisor: user.extension, mode });
      } catch (failure) {
        if (failure instanceof ApiError) throw new Error(tCode("monitor.error", failure.code, { message: failure.message }));
        throw failure;
      }
    });

  return (
    <section class={`page wallboard-page${full ? " full" : ""}`} ref={page}>
      <div class="page-head">
        <h1>{t("wallboard.title")}</h1>
        <span class="since">{t("wallboard.today")}</span>
        <button type="button" class="small fullscreen" id="fullscreen" onClick={toggleFull}
          title={t(full ? "wallboard.exitFullScreenTitle" : "wallboard.fullScreenTitle")}>
          {t(full ? "wallboard.exitFullScreen" : "wallboard.fullScreen")}
        </button>
      </div>
      {board.error && <p class="form-error" role="alert">{t("wallboard.loadFailed", { message: board.error })}</p>}
      {board.loaded && queues.length === 0 && <Empty>{t("wallboard.noQueues")}</Empty>}
      <div class="wb-tiles" id="wallboard-queues">
        {queues.map((queue) => <QueueTile key={queue.name} queue={queue} now={now} reasons={reasons} />)}
      </div>

      {board.loaded && agents.length > 0 && (
        <table class="grid wb-agents" id="wallboard-agents">
          <thead>
            <tr>
              <th class="col-ext">{t("agents.col.extension")}</th>
              <th>{t("agents.col.name")}</th>
              <th class="col-state">{t("agents.col.state")}</th>
              <th>{t("agents.col.reason")}</th>
              <th class="num col-time">{t("agents.col.time")}</th>
              <th>{t("wallboard.col.call")}</th>
              <th class="num">{t("wallboard.col.handled")}</th>
              <th class="col-actions">{t("agents.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => {
              const status = rows[agent.extension] ?? {};
              return (
                <AgentRow key={agent.extension} agent={agent} now={now} status={status} reasons={reasons}
                  supervisorExtension={user.extension}
                  onForce={(state, reason) => void force(agent, state, reason)}
                  onMonitor={(callId, mode) => void monitor(agent, callId, mode)}
                  onDismiss={() => setRows((r) => ({ ...r, [agent.extension]: {} }))} />
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function QueueTile({ queue, now, reasons }: { queue: WallboardQueue; now: number; reasons: Code[] }) {
  const alerts = alerting(queue, now);
  const longest = queue.oldest_since === null ? 0 : now - queue.oldest_since;
  const red = (alert: string) => (alerts.includes(alert) ? " alert" : "");
  const reasonList = Object.entries(queue.agents.not_ready_reasons);
  return (
    <div class={`wb-tile${alerts.length ? " alerting" : ""}`} data-queue={queue.name} data-alerting={alerts.join(" ")}>
      <div class="wb-tile-head">
        <span class="wb-name">{queue.name}</span>
        {alerts.length > 0 && <span class="wb-alert-note">{alerts.map((alert) => tCode("wallboard.alert", alert)).join(" · ")}</span>}
      </div>
      <div class="wb-main">
        <div class={`wb-big${red("waiting")}`} data-field="waiting">
          <b>{formatNumber(queue.waiting)}</b><span>{t("wallboard.waiting")}</span>
        </div>
        <div class={`wb-big${red("longest_wait")}`} data-field="longest_wait"
          title={queue.alerts.wait_s > 0 ? t("wallboard.threshold", { s: formatNumber(queue.alerts.wait_s) }) : undefined}>
          <b class="mono">{queue.oldest_since === null ? "—" : formatDuration(longest / 1000)}</b><span>{t("wallboard.longestWait")}</span>
        </div>
        <div class={`wb-big${red("service_level")}`} data-field="service_level"
          title={t("wallboard.serviceLevelTitle", { s: formatNumber(queue.service_level_s) })}>
          <b>{percent(queue.service_level)}</b><span>{t("wallboard.serviceLevel", { s: formatNumber(queue.service_level_s) })}</span>
        </div>
      </div>
      <div class="wb-figures">
        <span data-field="answered"><b>{formatNumber(queue.answered)}</b> {t("wallboard.answered")}</span>
        <span data-field="abandoned"><b>{formatNumber(queue.abandoned)}</b> {t("wallboard.abandoned")}</span>
        <span data-field="asa" title={t("wallboard.asaTitle")}>
          {t("wallboard.asa")} <b class="mono">{queue.asa_ms === null ? "—" : formatDuration(queue.asa_ms / 1000)}</b>
        </span>
      </div>
      <div class="queue-counts">
        <span class="count state-ready" data-field="ready"><i /><b>{formatNumber(queue.agents.ready)}</b>{t("queue.ready")}</span>
        <span class="count state-on_call" data-field="on_call"><i /><b>{formatNumber(queue.agents.on_call + queue.agents.reserved)}</b>{t("queue.onCall")}</span>
        <span class="count state-wrap_up" data-field="wrap_up"><i /><b>{formatNumber(queue.agents.wrap_up)}</b>{t("queue.wrapUp")}</span>
        <span class="count state-not_ready" data-field="not_ready"><i /><b>{formatNumber(queue.agents.not_ready)}</b>{t("queue.notReady")}</span>
      </div>
      {reasonList.length > 0 && (
        <div class="wb-reasons muted small">
          {reasonList.map(([reason, n]) => `${reason ? codeLabel(reasons, reason, "reason") : t("wallboard.noReason")} ${formatNumber(n)}`).join(" · ")}
        </div>
      )}
    </div>
  );
}

type MonitorMode = "listen" | "whisper" | "barge" | "intercept";
const monitorModes: readonly MonitorMode[] = ["listen", "whisper", "barge", "intercept"];

function AgentRow({ agent, now, status, reasons, supervisorExtension, onForce, onMonitor, onDismiss }: {
  agent: WallboardAgent; now: number; status: RowStatus; reasons: Code[]; supervisorExtension: string;
  onForce: (state: AgentState, reason?: string) => void; onMonitor: (callId: string, mode: MonitorMode) => void;
  onDismiss: () => void;
}) {
  const loggedOut = agent.state === "logged_out";
  const call = agent.call;
  const autoBusy = agent.state === "not_ready" && agent.reason === "no-answer";
  return (
    <>
      <tr data-extension={agent.extension} data-state={agent.state} class={status.error ? "has-error" : ""}>
        <td class="col-ext mono">{agent.extension}</td>
        <td class="name">{agent.name}</td>
        <td class="col-state"><AgentStatePill state={agent.state} /></td>
        <td class="reason" data-field="reason">
          {agent.reason && agent.state === "not_ready" ? codeLabel(reasons, agent.reason, "reason") : ""}
          {autoBusy && <span class="tag auto" title={t("wallboard.autoBusyTitle")}>{t("wallboard.autoBusy")}</span>}
        </td>
        <td class="num mono col-time" data-field="time">{agent.since > 0 && !loggedOut ? formatDuration((now - agent.since) / 1000) : "—"}</td>
        <td class="wb-call" data-field="call">
          {call ? (
            <div class="wb-call-cell">
              <span class="wb-customer">{call.customer_name || call.caller_name || call.caller || t("desk.anonymous")}</span>
              <span class="mono muted" title={t("wallboard.callTimeTitle")}>{formatDuration((now - call.state_since) / 1000)}</span>
              <span class="actions wb-monitor">
                {monitorModes.map((mode) => (
                  <button type="button" class="small" key={mode} data-monitor={mode}
                    disabled={status.busy || !supervisorExtension}
                    title={supervisorExtension ? t(`monitor.${mode}Title` as const) : t("monitor.noExtension")}
                    onClick={() => onMonitor(call.call_id, mode)}>{t(`monitor.${mode}` as const)}</button>
                ))}
              </span>
            </div>
          ) : <span class="muted">—</span>}
        </td>
        <td class="num" data-field="handled">{formatNumber(agent.handled)}</td>
        <td class="col-actions">
          <ForceStateButtons agent={agent} busy={status.busy ?? false} reasons={reasons} onForce={onForce} />
        </td>
      </tr>
      {status.error && (
        <ForceError extension={agent.extension} message={status.error} columns={8} onDismiss={onDismiss} />
      )}
    </>
  );
}
