// Supervisor "Agents": the grid of GET /api/v1/agents kept live by "agent" events,
// a summary per queue, queue activity from "queue_call" events, and forcing a state.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, type Agent, type AgentState, type Code, type Queue } from "../api";
import { codeLabel } from "../desk";
import { events } from "../events";
import { ForceError, ForceStateButtons, forceState, useReasonCodes } from "../force";
import { formatDuration, formatNumber, formatTimeShort } from "../format";
import { t } from "../i18n";
import { live } from "../live";
import { useNow, useStore } from "../store";
import { AgentStatePill, Empty, useDebounced } from "../ui";

const byExtension = (a: Agent, b: Agent) => a.extension.localeCompare(b.extension, undefined, { numeric: true });

/** The grid with one agent changed: by an "agent" event or the answer to a forced
 *  state, either of which may leave fields out (the answer has no queues). */
function merge(grid: Map<string, Agent> | null, change: Partial<Agent>): Map<string, Agent> | null {
  if (!grid || !change.extension || !change.state) return grid;
  const before = grid.get(change.extension);
  return new Map(grid).set(change.extension, {
    extension: change.extension, name: change.name ?? before?.name ?? "", state: change.state,
    reason: change.reason ?? "", since: change.since ?? Date.now(), queues: change.queues ?? before?.queues ?? [],
  });
}

type RowStatus = { busy?: boolean; error?: string };

export function AgentsPage() {
  const [agents, setAgents] = useState<Map<string, Agent> | null>(null);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [loadError, setLoadError] = useState("");
  const [filter, setFilter] = useState("");
  const [queueFilter, setQueueFilter] = useState("");
  const [rows, setRows] = useState<Record<string, RowStatus>>({});
  const now = useNow();
  const activity = useStore(live);
  const reasons = useReasonCodes();

  const loadAgents = async () => {
    try {
      const answer = await api<{ items: Agent[] }>("GET", "/agents");
      setAgents(new Map(answer.items.map((agent) => [agent.extension, agent])));
      setLoadError("");
    } catch (failure) {
      setLoadError(t("agents.loadFailed", { message: failure instanceof Error ? failure.message : String(failure) }));
    }
  };
  const loadQueues = async () => {
    try {
      setQueues((await api<{ items: Queue[] }>("GET", "/queues")).items);
    } catch {
      /* the grid still works without the queue figures */
    }
  };
  const reloadAgents = useDebounced(() => void loadAgents(), 300);
  const reloadQueues = useDebounced(() => void loadQueues(), 300);

  useEffect(() => {
    void loadAgents();
    void loadQueues();
    const stops = [
      events.on("hello", () => { void loadAgents(); void loadQueues(); }),
      events.on("agent", (event) => {
        setAgents((current) => merge(current, event as unknown as Partial<Agent>));
      }),
      events.on("queue", () => { reloadAgents(); reloadQueues(); }),
      events.on("queue_call", () => reloadQueues()),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  const list = useMemo(() => [...(agents?.values() ?? [])].sort(byExtension), [agents]);
  const queueNames = useMemo(() => {
    const names = new Set(queues.map((queue) => queue.name));
    for (const agent of list) agent.queues.forEach((name) => names.add(name));
    return [...names].sort();
  }, [queues, list]);

  const needle = filter.trim().toLowerCase();
  const shown = list.filter((agent) =>
    (!needle || agent.extension.includes(needle) || agent.name.toLowerCase().includes(needle)) &&
    (!queueFilter || agent.queues.includes(queueFilter)));

  const force = async (agent: Agent, state: AgentState, reason?: string) => {
    setRows((r) => ({ ...r, [agent.extension]: { busy: true } }));
    try {
      const answer = await forceState(agent.extension, state, reason);
      setAgents((current) => merge(current, answer));
      setRows((r) => ({ ...r, [agent.extension]: {} }));
    } catch (failure) {
      setRows((r) => ({ ...r, [agent.extension]: { error: (failure as Error).message } }));
    }
  };

  return (
    <section class="page agents-page">
      <div class="page-head">
        <h1>{t("agents.title")}</h1>
        <span class="since" title={t("queue.sinceTitle")}>{t("queue.sinceOpened", { time: formatTimeShort(activity.since) })}</span>
      </div>

      {queueNames.length > 0 && (
        <div class="queue-strip" id="queue-summary">
          {queueNames.map((name) => {
            const members = list.filter((agent) => agent.queues.includes(name));
            const count = (...states: AgentState[]) => members.filter((agent) => states.includes(agent.state)).length;
            const queue = queues.find((q) => q.name === name);
            const seen = activity.queues.get(name);
            const loggedIn = members.length - count("logged_out");
            return (
              <button type="button" key={name} data-queue={name}
                class={`queue-card${queueFilter === name ? " selected" : ""}`}
                onClick={() => setQueueFilter(queueFilter === name ? "" : name)}>
                <div class="queue-card-head">
                  <span>
                    <span class="queue-name">{name}</span>
                    <span class="queue-logged-in">{t("queue.loggedIn", { n: formatNumber(loggedIn) })}</span>
                  </span>
                  <span class="queue-waiting" data-field="waiting">
                    <b>{formatNumber(queue?.status?.waiting ?? 0)}</b> {t("queue.waiting")}
                  </span>
                </div>
                <div class="queue-counts">
                  <span class="count state-ready" data-field="ready"><i /><b>{formatNumber(count("ready"))}</b>{t("queue.ready")}</span>
                  <span class="count state-on_call" data-field="on_call"><i /><b>{formatNumber(count("on_call", "reserved"))}</b>{t("queue.onCall")}</span>
                  <span class="count state-wrap_up" data-field="wrap_up"><i /><b>{formatNumber(count("wrap_up"))}</b>{t("queue.wrapUp")}</span>
                  <span class="count state-not_ready" data-field="not_ready"><i /><b>{formatNumber(count("not_ready"))}</b>{t("queue.notReady")}</span>
                </div>
                <div class="queue-activity" title={t("queue.sinceTitle")}>
                  {formatNumber(seen?.entered ?? 0)} {t("queue.entered")} · {formatNumber(seen?.answered ?? 0)} {t("queue.answered")} ·{" "}
                  {formatNumber(seen?.abandoned ?? 0)} {t("queue.abandoned")} · {formatNumber(seen?.overflowed ?? 0)} {t("queue.overflowed")}
                  {seen && seen.longestWaitMs > 0 && <> · {t("queue.longestWait")} {formatDuration(seen.longestWaitMs / 1000)}</>}
                </div>
              </button>
            );
          })}
        </div>
      )}

      <div class="toolbar">
        <input type="search" class="filter" id="agent-filter" placeholder={t("agents.filter")} value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)} />
        <select id="queue-filter" value={queueFilter} onChange={(e) => setQueueFilter(e.currentTarget.value)}>
          <option value="">{t("agents.allQueues")}</option>
          {queueNames.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
        <span class="muted small">{t("agents.count", { shown: formatNumber(shown.length), total: formatNumber(list.length) })}</span>
        <span class="legend">
          {(["ready", "reserved", "on_call", "wrap_up", "not_ready", "logged_out"] as const).map((state) => (
            <AgentStatePill key={state} state={state} />
          ))}
        </span>
      </div>

      {loadError && <p class="form-error" role="alert">{loadError}</p>}
      {agents && list.length === 0 && <Empty>{t("agents.empty")}</Empty>}
      {agents && list.length > 0 && (
        <table class="grid" id="agents-grid">
          <thead>
            <tr>
              <th class="col-ext">{t("agents.col.extension")}</th>
              <th>{t("agents.col.name")}</th>
              <th class="col-state">{t("agents.col.state")}</th>
              <th>{t("agents.col.reason")}</th>
              <th class="num col-time">{t("agents.col.time")}</th>
              <th>{t("agents.col.queues")}</th>
              <th class="col-actions">{t("agents.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((agent) => (
              <AgentRow key={agent.extension} agent={agent} now={now} status={rows[agent.extension] ?? {}}
                reasons={reasons} onForce={(state, reason) => void force(agent, state, reason)}
                onDismiss={() => setRows((r) => ({ ...r, [agent.extension]: {} }))} />
            ))}
            {shown.length === 0 && <tr><td colSpan={7} class="empty-row">{t("agents.noMatch")}</td></tr>}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AgentRow({ agent, now, status, reasons, onForce, onDismiss }: {
  agent: Agent; now: number; status: RowStatus; reasons: Code[]; onForce: (state: AgentState, reason?: string) => void;
  onDismiss: () => void;
}) {
  const loggedOut = agent.state === "logged_out";
  return (
    <>
      <tr data-extension={agent.extension} data-state={agent.state} class={status.error ? "has-error" : ""}>
        <td class="col-ext mono">{agent.extension}</td>
        <td class="name">{agent.name}</td>
        <td class="col-state"><AgentStatePill state={agent.state} /></td>
        <td class="reason" data-field="reason">{agent.reason ? codeLabel(reasons, agent.reason, "reason") : ""}</td>
        <td class="num mono col-time" data-field="time">{agent.since > 0 && !loggedOut ? formatDuration((now - agent.since) / 1000) : "—"}</td>
        <td class="queues">{agent.queues.length ? agent.queues.map((q) => <span key={q} class="tag">{q}</span>) : <span class="muted">{t("agents.noQueue")}</span>}</td>
        <td class="col-actions">
          <ForceStateButtons agent={agent} busy={status.busy ?? false} reasons={reasons} onForce={onForce} />
        </td>
      </tr>
      {status.error && (
        <ForceError extension={agent.extension} message={status.error} columns={7} onDismiss={onDismiss} />
      )}
    </>
  );
}
