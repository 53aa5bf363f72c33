// The Reports page's charts, hand-drawn SVG: calls by period (offered, answered and
// abandoned bars, the service level as a line on a second axis), the agents' handle
// time (talk, hold and after-call work stacked, one bar per agent), their logged-in
// time by state (stacked, not ready's reasons in the tooltip) and the abandon curve
// (calls by how long they waited, the running share of the abandons as a line).
import type { ComponentChildren } from "preact";
import { formatDuration, formatNumber, formatPercent, formatPercentTenths, formatPeriod } from "../format";
import { codeLabel } from "../desk";
import { useReasonCodes } from "../force";
import { t, tCode } from "../i18n";
import { byPeriod, type ReportAnswer, type ReportRow } from "../reports";

const W = 960;
/** A round top for a count axis whose quarter ticks are whole calls: 4, 8, 20, 40, 80, 200… at or above `max`. */
function niceMax(max: number): number {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max / 4));
  return ([1, 2, 5, 10].map((step) => 4 * step * power).find((top) => top >= max) ?? 40 * power);
}

/** The frame of a bar chart over `slots` columns: calls on the left axis, 0–100 % on the right. */
function frameOf(maxCount: number, slots: number) {
  const H = 230, left = 44, right = 48, top = 12, bottom = 30;
  const plotH = H - top - bottom;
  const top1 = niceMax(maxCount);
  return {
    H, left, right, base: top + plotH, slot: (W - left - right) / Math.max(1, slots), top1,
    y: (n: number) => top + plotH - (n / top1) * plotH,
    yShare: (fraction: number) => top + plotH - fraction * plotH,
    /** The middle of a column, where its label and line point go. */
    mid: (i: number) => left + ((W - left - right) / Math.max(1, slots)) * (i + 0.5),
  };
}
type Frame = ReturnType<typeof frameOf>;

/** The grid lines, both axes' ticks and the base line of a frame. */
function Axes({ f }: { f: Frame }) {
  return (
    <>
      {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
        <g key={tick} class="axis">
          <line class="grid-line" x1={f.left} x2={W - f.right} y1={f.yShare(tick)} y2={f.yShare(tick)} />
          <text x={f.left - 6} y={f.yShare(tick) + 4} text-anchor="end">{formatNumber(tick * f.top1)}</text>
          <text x={W - f.right + 6} y={f.yShare(tick) + 4}>{formatPercent(tick)}</text>
        </g>
      ))}
      <line class="axis-line" x1={f.left} x2={W - f.right} y1={f.base} y2={f.base} />
    </>
  );
}
const value = (row: ReportRow, column: string): number => (typeof row[column] === "number" ? (row[column] as number) : 0);

const series = ["offered", "answered", "abandoned"] as const;

/** Calls by period with the service level: for reports with an interval. */
export function CallsChart({ answer, zone }: { answer: ReportAnswer; zone: string }) {
  const periods = byPeriod(answer, zone);
  if (periods.length === 0) return null;
  const f = frameOf(Math.max(...periods.flatMap((p) => series.map((s) => value(p.figures, s)))), periods.length);
  const barW = Math.min(28, Math.max(1, (f.slot * 0.78) / series.length));
  const every = Math.max(1, Math.ceil(periods.length / 12));
  // The line breaks where a period has no service level (no calls to measure).
  let path = "";
  let pen = false;
  periods.forEach((p, i) => {
    const sl = p.figures.service_level;
    if (typeof sl !== "number") { pen = false; return; }
    path += `${pen ? "L" : "M"}${f.mid(i).toFixed(1)},${f.yShare(sl).toFixed(1)} `;
    pen = true;
  });
  return (
    <figure class="report-chart" id="calls-chart">
      <figcaption class="chart-legend small">
        <b>{t("reports.chart.calls")}</b>
        {series.map((s) => <span key={s}><i class={`key ${s}`} /> {t(`reports.col.${s}`)}</span>)}
        <span><i class="key sl-line" /> {t("reports.col.service_level")}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${f.H}`} role="img" aria-label={t("reports.chart.callsLabel")}>
        <Axes f={f} />
        {periods.map((p, i) => (
          <g key={p.start} class="period" data-start={p.start} data-period={p.period}>
            {series.map((s, k) => {
              const n = value(p.figures, s);
              return (
                <rect key={s} class={`bar ${s}`} data-series={s} data-value={n} x={f.mid(i) + barW * (k - series.length / 2)}
                  width={barW} y={f.y(n)} height={Math.max(0, f.base - f.y(n))}>
                  <title>{`${formatPeriod(p.period, answer.interval)} · ${t(`reports.col.${s}`)}: ${formatNumber(n)}`}</title>
                </rect>
              );
            })}
            {i % every === 0 && (
              <text class="axis" x={f.mid(i)} y={f.base + 16} text-anchor="middle">
                {formatPeriod(p.period, answer.interval, true)}</text>
            )}
          </g>
        ))}
        {path && <path class="sl-line" d={path} />}
        {periods.map((p, i) => typeof p.figures.service_level === "number" && (
          <circle key={p.start} class="sl-point" data-start={p.start} data-value={p.figures.service_level}
            cx={f.mid(i)} cy={f.yShare(p.figures.service_level)} r={3}>
            <title>{`${formatPeriod(p.period, answer.interval)} · ${t("reports.col.service_level")}: ${
              formatPercentTenths(p.figures.service_level)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}

type Segment = { key: string; value: number; title: string };

/** One horizontal bar per agent, its segments stacked, the total at its end (seconds). */
function StackedBars({ id, legend, label, bars }: {
  id: string; legend: ComponentChildren; label: string; bars: { agent: string; segments: Segment[] }[];
}) {
  const left = 90, right = 90, rowH = 24, top = 6;
  const H = top + bars.length * rowH + 6;
  const sum = (segments: Segment[]) => segments.reduce((total, segment) => total + segment.value, 0);
  const scale = (W - left - right) / Math.max(1, ...bars.map((bar) => sum(bar.segments)));
  return (
    <figure class="report-chart" id={id}>
      <figcaption class="chart-legend small">{legend}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {bars.map(({ agent, segments }, i) => {
          let x = left;
          const y = top + i * rowH;
          return (
            <g key={agent} class="agent-bar" data-agent={agent}>
              <text class="axis" x={left - 8} y={y + rowH / 2 + 4} text-anchor="end">{agent}</text>
              {segments.map((segment) => {
                const at = x;
                x += segment.value * scale;
                return (
                  <rect key={segment.key} class={`bar ${segment.key}`} data-series={segment.key} data-value={segment.value}
                    x={at} y={y + 3} width={segment.value * scale} height={rowH - 6}>
                    <title>{`${agent} · ${segment.title}: ${formatDuration(segment.value)}`}</title>
                  </rect>
                );
              })}
              <text class="axis" x={x + 6} y={y + rowH / 2 + 4}>{formatDuration(sum(segments))}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** `rows` summed per agent (over periods), in extension order. */
function perAgent<T>(rows: ReportRow[], empty: () => T, add: (sums: T, row: ReportRow) => void): [string, T][] {
  const agents = new Map<string, T>();
  for (const row of rows) {
    const name = String(row.agent ?? t("reports.filter.all"));
    const sums = agents.get(name) ?? empty();
    add(sums, row);
    agents.set(name, sums);
  }
  return [...agents.entries()].sort((a, b) => a[0].localeCompare(b[0], undefined, { numeric: true }));
}

const parts = ["talk_s", "hold_s", "acw_s"] as const;

/** Each agent's handle time, talk + hold + after-call work stacked: for the agents report. */
export function HandleTimeChart({ answer }: { answer: ReportAnswer }) {
  const agents = perAgent(answer.rows, () => ({ talk_s: 0, hold_s: 0, acw_s: 0 }), (sums, row) => {
    for (const part of parts) sums[part] += value(row, part);
  });
  return (
    <StackedBars id="handle-chart" label={t("reports.chart.handleLabel")}
      legend={<><b>{t("reports.chart.handle")}</b>
        {parts.map((p) => <span key={p}><i class={`key ${p}`} /> {t(`reports.col.${p}`)}</span>)}</>}
      bars={agents.map(([agent, sums]) => ({
        agent, segments: parts.map((part) => ({ key: part, value: sums[part], title: t(`reports.col.${part}`) })),
      }))} />
  );
}

const states = ["ready", "reserved", "on_call", "wrap_up", "not_ready"] as const;

/** Each agent's logged-in time by state, stacked (not ready's reasons in the tooltip): the agent-states report. */
export function StateChart({ answer }: { answer: ReportAnswer }) {
  const reasonCodes = useReasonCodes();
  const agents = perAgent(answer.rows, () => ({ time: new Map<string, number>(), reasons: new Map<string, number>() }),
    (sums, row) => {
      const state = String(row.state ?? "");
      sums.time.set(state, (sums.time.get(state) ?? 0) + value(row, "time_s"));
      if (state === "not_ready") {
        const reason = String(row.reason ?? "");
        sums.reasons.set(reason, (sums.reasons.get(reason) ?? 0) + value(row, "time_s"));
      }
    });
  const reasonsOf = (reasons: Map<string, number>) => (reasons.size === 0 ? "" : ` (${[...reasons].map(([reason, s]) =>
    `${reason ? codeLabel(reasonCodes, reason, "reason") : "—"} ${formatDuration(s)}`).join(", ")})`);
  return (
    <StackedBars id="state-chart" label={t("reports.chart.statesLabel")}
      legend={<><b>{t("reports.chart.states")}</b>
        {states.map((s) => <span key={s}><i class={`key state-${s}`} /> {tCode("state", s)}</span>)}</>}
      bars={agents.map(([agent, sums]) => ({
        agent, segments: states.map((state) => ({
          key: `state-${state}`, value: sums.time.get(state) ?? 0,
          title: tCode("state", state) + (state === "not_ready" ? reasonsOf(sums.reasons) : ""),
        })),
      }))} />
  );
}

/** Answered and abandoned calls by how long they waited, and the share of the abandons
 *  that had happened by then (a line on the right axis): the waits report. */
export function AbandonCurve({ answer }: { answer: ReportAnswer }) {
  const buckets = new Map<string, { answered: number; abandoned: number }>();
  for (const row of answer.rows) {
    const name = String(row.bucket ?? "");
    const sums = buckets.get(name) ?? { answered: 0, abandoned: 0 };
    sums.answered += value(row, "answered");
    sums.abandoned += value(row, "abandoned");
    buckets.set(name, sums);
  }
  const list = [...buckets.entries()];
  if (list.length === 0) return null;
  const abandons = list.reduce((sum, [, b]) => sum + b.abandoned, 0);
  const f = frameOf(Math.max(...list.flatMap(([, b]) => [b.answered, b.abandoned])), list.length);
  const barW = Math.min(28, f.slot * 0.36);
  let cumulative = 0;
  const points = list.map(([, b], i) => {
    cumulative += b.abandoned;
    return { x: f.mid(i), share: abandons > 0 ? cumulative / abandons : 0 };
  });
  return (
    <figure class="report-chart" id="abandon-chart">
      <figcaption class="chart-legend small">
        <b>{t("reports.chart.abandon")}</b>
        <span><i class="key answered" /> {t("reports.col.answered")}</span>
        <span><i class="key abandoned" /> {t("reports.col.abandoned")}</span>
        <span><i class="key sl-line" /> {t("reports.chart.abandonShare")}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${f.H}`} role="img" aria-label={t("reports.chart.abandonLabel")}>
        <Axes f={f} />
        {list.map(([bucket, b], i) => (
          <g key={bucket} class="bucket" data-bucket={bucket}>
            {(["answered", "abandoned"] as const).map((s, k) => (
              <rect key={s} class={`bar ${s}`} data-series={s} data-value={b[s]} x={f.mid(i) + barW * (k - 1)}
                width={barW} y={f.y(b[s])} height={Math.max(0, f.base - f.y(b[s]))}>
                <title>{`${t("reports.bucket", { bucket })} · ${t(`reports.col.${s}`)}: ${formatNumber(b[s])}`}</title>
              </rect>
            ))}
            <text class="axis" x={f.mid(i)} y={f.base + 16} text-anchor="middle">{t("reports.bucket", { bucket })}</text>
          </g>
        ))}
        {abandons > 0 && <path class="sl-line" d={points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${f.yShare(p.share).toFixed(1)}`).join(" ")} />}
      </svg>
    </figure>
  );
}
