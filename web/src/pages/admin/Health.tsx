// "Health": the server's figures for admins and supervisors — GET /health/details (the
// health check and every /metrics series) and the queues' waiting callers (GET
// /queues), asked again every few seconds. Figures in the user's language.
import { api, type HealthDetails, type Queue } from "../../api";
import { formatBytes, formatDateTime, formatNumber, formatUptime } from "../../format";
import { t, type MessageKey } from "../../i18n";
import { Empty } from "../../ui";
import { usePolling } from "./polling";

/** How often the page asks again. */
const refreshMs = 5000;

type Figure = { id: string; label: MessageKey; value: string; warn?: boolean; hint?: MessageKey };

function figures(health: HealthDetails): Figure[][] {
  const m = (name: string): number | undefined => health.metrics[name];
  const count = (name: string): string => {
    const value = m(name);
    return value === undefined ? "—" : formatNumber(value);
  };
  const disk = m("unicc_recordings_disk_free_bytes");
  const failures = m("unicc_store_write_failures_total") ?? 0;
  const refused = m("unicc_store_writes_refused_total") ?? 0;
  // A class of answers not given yet has no series.
  const responses = (code: string): string => formatNumber(m(`unicc_http_responses_total{code="${code}"}`) ?? 0);
  return [
    [
      { id: "status", label: "health.status", value: t(health.status === "ok" ? "health.ok" : "health.degraded"),
        warn: health.status !== "ok" },
      { id: "database", label: "health.database", value: t(health.database === "ok" ? "health.ok" : "health.unreachable"),
        warn: health.database !== "ok" },
      { id: "version", label: "health.version", value: health.version },
      { id: "uptime", label: "health.uptime", value: formatUptime(health.uptime_s) },
    ],
    [
      { id: "registrations", label: "health.registrations", value: count("unicc_sip_registrations"),
        hint: "health.everyFiveSeconds" },
      { id: "calls", label: "health.calls", value: count("unicc_calls_live"), hint: "health.everyFiveSeconds" },
      { id: "waiting", label: "health.waiting", value: count("unicc_queue_waiting") },
      { id: "websockets", label: "health.websockets", value: count("unicc_websocket_connections") },
    ],
    [
      { id: "write-queue", label: "health.writeQueue", value: count("unicc_store_write_queue"),
        warn: (m("unicc_store_write_queue") ?? 0) > 1000, hint: "health.writeQueueHint" },
      { id: "writes", label: "health.writes", value: count("unicc_store_writes_total") },
      { id: "write-failures", label: "health.writeFailures", value: count("unicc_store_write_failures_total"),
        warn: failures > 0 },
      { id: "writes-refused", label: "health.writesRefused", value: count("unicc_store_writes_refused_total"),
        warn: refused > 0, hint: "health.writesRefusedHint" },
    ],
    [
      { id: "disk", label: "health.disk", value: disk === undefined || disk < 0 ? t("health.unknown") : formatBytes(disk),
        warn: disk !== undefined && disk >= 0 && disk < 1e9, hint: "health.diskHint" },
      { id: "in-flight", label: "health.inFlight", value: count("unicc_http_requests_in_flight") },
      { id: "responses-4xx", label: "health.responses4xx", value: responses("4xx") },
      { id: "responses-5xx", label: "health.responses5xx", value: responses("5xx"),
        warn: (m('unicc_http_responses_total{code="5xx"}') ?? 0) > 0 },
    ],
  ];
}

export function HealthTab() {
  const polled = usePolling(async () => {
    const [details, queues] = await Promise.all([
      api<HealthDetails>("GET", "/health/details"), api<{ items: Queue[] }>("GET", "/queues"),
    ]);
    return { details, queues: queues.items };
  }, refreshMs);
  const health = polled.value?.details ?? null;
  const queues = polled.value?.queues ?? [];
  const { updated, error } = polled;

  return (
    <div class="health" id="health">
      <p class="since" id="health-updated" aria-live="polite">
        {updated ? t("health.updated", { time: formatDateTime(updated), s: refreshMs / 1000 }) : t("health.loading")}
      </p>
      {error && (
        <p class="form-error" role="alert">
          {health ? t("health.staleError", { message: error }) : t("health.loadFailed", { message: error })}
        </p>
      )}
      {health && figures(health).map((row, index) => (
        <div class="health-row" key={index}>
          {row.map((figure) => (
            <div class={`panel health-figure${figure.warn ? " warn" : ""}`} key={figure.id} data-figure={figure.id}
              title={figure.hint ? t(figure.hint) : undefined}>
              <span class="health-label">{t(figure.label)}</span>
              <span class="health-value mono">{figure.value}</span>
            </div>
          ))}
        </div>
      ))}
      {health && (
        <div class="panel">
          <h2>{t("health.queues")}</h2>
          {queues.length === 0 ? <Empty>{t("health.noQueues")}</Empty> : (
            <table class="grid" id="health-queues">
              <thead>
                <tr>
                  <th>{t("health.col.queue")}</th>
                  <th class="num">{t("health.col.waiting")}</th>
                  <th class="num">{t("health.col.loggedIn")}</th>
                  <th class="num">{t("health.col.ready")}</th>
                </tr>
              </thead>
              <tbody>
                {queues.map((queue) => (
                  <tr key={queue.name} data-queue={queue.name}>
                    <td>{queue.name}</td>
                    <td class="num mono">{formatNumber(queue.status?.waiting ?? 0)}</td>
                    <td class="num mono">{formatNumber(queue.status?.logged_in ?? 0)}</td>
                    <td class="num mono">{formatNumber(queue.status?.ready ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
