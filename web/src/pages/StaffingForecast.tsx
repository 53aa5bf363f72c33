// The Staffing page's forecast: calls per interval for the coming week from the queue
// calls on record (GET /api/v1/staffing/forecast), its accuracy on a held-back week,
// and with the calculator's handle time and targets the agents each interval needs —
// as a chart, a table (day by interval) and a CSV download.
import { useState } from "preact/hooks";
import { api, query, type ForecastInterval, type StaffingForecast } from "../api";
import { formatDate, formatDateTime, formatDecimal, formatNumber, formatPercentTenths, formatTenths, formatTimeShort, formatWeekday } from "../format";
import { t } from "../i18n";
import { saveFile } from "../ui";

type Day = { start: number; intervals: ForecastInterval[] };

/** The week's intervals grouped by local day, in order. */
function byDay(intervals: ForecastInterval[]): Day[] {
  const days: Day[] = [];
  for (const interval of intervals) {
    const last = days[days.length - 1];
    if (last && formatDate(last.start) === formatDate(interval.start)) last.intervals.push(interval);
    else days.push({ start: interval.start, intervals: [interval] });
  }
  return days;
}

function csv(forecast: StaffingForecast): string {
  const header = ["start_ms", "start", "calls", "agents", "scheduled_agents", "service_level", "asa_s", "occupancy", "abandonment"];
  const cell = (value: unknown) => (value === undefined || value === null ? "" : String(value));
  const rows = forecast.intervals.map((i) => [i.start, `"${formatDateTime(i.start)}"`, i.calls, i.agents, i.scheduled_agents,
    i.service_level, i.asa_s, i.occupancy, i.abandonment].map(cell).join(","));
  return [header.join(","), ...rows].join("\r\n") + "\r\n";
}

function download(forecast: StaffingForecast) {
  saveFile(new Blob([csv(forecast)], { type: "text/csv;charset=utf-8" }), `staffing-forecast-${forecast.queue || "all"}.csv`);
}

/** Calls per interval as bars, the agents to schedule as a step line, one band per day. */
function Chart({ forecast }: { forecast: StaffingForecast }) {
  const intervals = forecast.intervals;
  const maxCalls = Math.max(1, ...intervals.map((i) => i.calls));
  const maxAgents = Math.max(1, ...intervals.map((i) => i.scheduled_agents ?? 0));
  const height = 100;
  const planned = forecast.plan !== null;
  const line = intervals.map((i, x) => `${x},${height - ((i.scheduled_agents ?? 0) / maxAgents) * (height - 4)} ${x + 1},${
    height - ((i.scheduled_agents ?? 0) / maxAgents) * (height - 4)}`).join(" ");
  const days = byDay(intervals);
  let offset = 0;
  return (
    <figure class="forecast-chart" id="forecast-chart">
      <div class="chart-scale muted small">
        <span><i class="key calls" /> {t("staffing.forecast.chartCalls", { n: formatTenths(maxCalls) })}</span>
        {planned && <span><i class="key agents" /> {t("staffing.forecast.chartAgents", { n: formatNumber(maxAgents) })}</span>}
      </div>
      <svg viewBox={`0 0 ${intervals.length} ${height}`} preserveAspectRatio="none" role="img"
        aria-label={t("staffing.forecast.chartLabel")}>
        {days.map((day) => {
          const x = offset;
          offset += day.intervals.length;
          return <line key={day.start} class="day-rule" x1={x} x2={x} y1={0} y2={height} />;
        })}
        {intervals.map((i, x) => (
          <rect key={i.start} class="bar" x={x + 0.1} width={0.8} y={height - (i.calls / maxCalls) * (height - 4)}
            height={(i.calls / maxCalls) * (height - 4)} />
        ))}
        {planned && <polyline class="agents-line" points={line} />}
      </svg>
      <div class="chart-days small muted">
        {days.map((day) => <span key={day.start} style={{ flexGrow: day.intervals.length }}>{formatWeekday(day.start)}</span>)}
      </div>
    </figure>
  );
}

function Table({ forecast }: { forecast: StaffingForecast }) {
  const days = byDay(forecast.intervals);
  const rows = Math.max(0, ...days.map((day) => day.intervals.length));
  const planned = forecast.plan !== null;
  const shown: number[] = [];
  for (let row = 0; row < rows; row++) {
    if (days.some((day) => (day.intervals[row]?.calls ?? 0) > 0)) shown.push(row);
  }
  if (shown.length === 0) return <p class="muted">{t("staffing.forecast.noCalls")}</p>;
  return (
    <>
      <table class="grid inner forecast-table" id="forecast-table">
        <thead>
          <tr>
            <th>{t("staffing.forecast.time")}</th>
            {days.map((day) => <th key={day.start} class="num">{formatWeekday(day.start)}</th>)}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row}>
              <td class="mono">{formatTimeShort(days[0]!.intervals[row]?.start ?? days[0]!.start)}</td>
              {days.map((day) => {
                const interval = day.intervals[row];
                return (
                  <td key={day.start} class="num mono" data-start={interval?.start}>
                    {interval && <span class="calls">{formatTenths(interval.calls)}</span>}
                    {interval && planned && <span class="agents">{formatNumber(interval.scheduled_agents ?? 0)}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{planned ? t("staffing.forecast.legendPlanned") : t("staffing.forecast.legend")}</p>
    </>
  );
}

export function ForecastPanel({ plan }: { plan: () => Record<string, unknown> }) {
  const [queue, setQueue] = useState("");
  const [interval, setIntervalLength] = useState("1800");
  const [weeks, setWeeks] = useState("4");
  const [withPlan, setWithPlan] = useState(true);
  const [forecast, setForecast] = useState<StaffingForecast | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const run = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const params: Record<string, string | number | undefined> = { queue: queue.trim() || undefined, interval, weeks };
      if (withPlan) {
        for (const [key, value] of Object.entries(plan())) {
          if (key !== "calls" && key !== "interval_s" && value !== undefined) params[key] = String(value);
        }
      }
      setForecast(await api<StaffingForecast>("GET", "/staffing/forecast" + query(params)));
      setError("");
    } catch (failure) {
      setError(t("staffing.forecast.failed", { message: failure instanceof Error ? failure.message : String(failure) }));
      setForecast(null);
    } finally {
      setBusy(false);
    }
  };

  const accuracy = forecast?.accuracy;
  return (
    <div class="panel forecast-panel">
      <h2>{t("staffing.forecast.title")}</h2>
      <form class="filters" id="forecast-form" onSubmit={run}>
        <label><span>{t("staffing.forecast.queue")}</span>
          <input name="queue" value={queue} placeholder={t("staffing.forecast.allQueues")}
            onInput={(e) => setQueue(e.currentTarget.value)} /></label>
        <label><span>{t("staffing.interval")}</span>
          <select name="interval" value={interval} onChange={(e) => setIntervalLength(e.currentTarget.value)}>
            {[900, 1800, 3600].map((s) => <option key={s} value={s}>{t("staffing.minutes", { n: formatNumber(s / 60) })}</option>)}
          </select></label>
        <label><span>{t("staffing.forecast.weeks")}</span>
          <input name="weeks" class="tiny" type="number" min={1} max={12} value={weeks}
            onInput={(e) => setWeeks(e.currentTarget.value)} /></label>
        <label class="check"><input type="checkbox" name="plan" checked={withPlan}
          onChange={(e) => setWithPlan(e.currentTarget.checked)} /><span>{t("staffing.forecast.withPlan")}</span></label>
        <button type="submit" class="primary" id="forecast-run" disabled={busy}>{t("staffing.forecast.run")}</button>
        {forecast && forecast.intervals.length > 0 && (
          <button type="button" id="forecast-csv" onClick={() => download(forecast)}>{t("staffing.forecast.csv")}</button>
        )}
      </form>
      {error && <p class="form-error" role="alert" id="forecast-error">{error}</p>}
      {forecast && (
        <div id="forecast-result">
          <p class="forecast-summary" id="forecast-summary">
            {forecast.weeks_used === 0 ? <span class="notice-muted">{t("staffing.forecast.noHistory")}</span> : (
              <>
                <span>{t("staffing.forecast.week", { from: formatDate(forecast.from), to: formatDate(forecast.to - 1) })}</span>
                <span>{t("staffing.forecast.basedOn", { n: formatNumber(forecast.weeks_used) })}</span>
                <span>{t("staffing.forecast.trend", { n: formatDecimal(forecast.trend) })}</span>
              </>
            )}
          </p>
          <p class="forecast-summary" id="forecast-accuracy">
            {accuracy && accuracy.weeks_used === 0 ? <span class="notice-muted">{t("staffing.forecast.noAccuracy")}</span>
              : accuracy && accuracy.mape === null ? <span class="notice-muted">{t("staffing.forecast.noHeldBackCalls")}</span>
              : accuracy && (
                <span>{t("staffing.forecast.mape", {
                  mape: formatPercentTenths(accuracy.mape ?? 0), from: formatDate(accuracy.held_back_from),
                  to: formatDate(accuracy.held_back_to - 1), n: formatNumber(accuracy.intervals), weeks: formatNumber(accuracy.weeks_used),
                })}</span>
              )}
          </p>
          {forecast.intervals.length > 0 && <Chart forecast={forecast} />}
          {forecast.intervals.length > 0 && <Table forecast={forecast} />}
        </div>
      )}
    </div>
  );
}
