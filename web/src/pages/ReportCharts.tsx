// The Reports page's charts, hand-drawn SVG: calls by period (offered, answered and
// abandoned bars, the service level as a line on a second axis) and the agents'
// handle time (talk, hold and after-call work stacked, one bar per agent).
import { formatDuration, formatNumber, formatPercent, formatPercentTenths, formatPeriod } from "../format";
import { t } from "../i18n";
import { byPeriod, type ReportAnswer, type ReportRow } from "../reports";

const W = 960;
/** A round top for an axis: 1, 2, 5 × 10ⁿ at or above `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((step) => step * power).find((top) => top >= max) ?? 10 * power);
}
const value = (row: ReportRow, column: string): number => (typeof row[column] === "number" ? (row[column] as number) : 0);

const series = ["offered", "answered", "abandoned"] as const;

/** Calls by period with the service level: for reports with an interval. */
export function CallsChart({ answer, zone }: { answer: ReportAnswer; zone: string }) {
  const periods = byPeriod(answer, zone);
  if (periods.length === 0) return null;
  const H = 230, left = 44, right = 48, top = 12, bottom = 30;
  const plotW = W - left - right, plotH = H - top - bottom;
  const top1 = niceMax(Math.max(...periods.flatMap((p) => series.map((s) => value(p.figures, s)))));
  const slot = plotW / periods.length;
  const barW = Math.min(28, Math.max(1, (slot * 0.78) / series.length));
  const inset = (slot - barW * series.length) / 2;
  const y = (n: number) => top + plotH - (n / top1) * plotH;
  const ySl = (fraction: number) => top + plotH - fraction * plotH;
  const every = Math.max(1, Math.ceil(periods.length / 12));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  // The line breaks where a period has no service level (no calls to measure).
  let path = "";
  let pen = false;
  periods.forEach((p, i) => {
    const sl = p.figures.service_level;
    if (typeof sl !== "number") { pen = false; return; }
    path += `${pen ? "L" : "M"}${(left + slot * (i + 0.5)).toFixed(1)},${ySl(sl).toFixed(1)} `;
    pen = true;
  });
  return (
    <figure class="report-chart" id="calls-chart">
      <figcaption class="chart-legend small">
        <b>{t("reports.chart.calls")}</b>
        {series.map((s) => <span key={s}><i class={`key ${s}`} /> {t(`reports.col.${s}`)}</span>)}
        <span><i class="key sl-line" /> {t("reports.col.service_level")}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("reports.chart.callsLabel")}>
        {ticks.map((tick) => (
          <g key={tick} class="axis">
            <line class="grid-line" x1={left} x2={W - right} y1={y(tick * top1)} y2={y(tick * top1)} />
            <text x={left - 6} y={y(tick * top1) + 4} text-anchor="end">{formatNumber(Math.round(tick * top1 * 100) / 100)}</text>
            <text x={W - right + 6} y={ySl(tick) + 4}>{formatPercent(tick)}</text>
          </g>
        ))}
        {periods.map((p, i) => (
          <g key={p.start} class="period" data-start={p.start} data-period={p.period}>
            {series.map((s, k) => {
              const n = value(p.figures, s);
              return (
                <rect key={s} class={`bar ${s}`} data-series={s} data-value={n} x={left + slot * i + inset + barW * k}
                  width={barW} y={y(n)} height={Math.max(0, top + plotH - y(n))}>
                  <title>{`${formatPeriod(p.period, answer.interval)} · ${t(`reports.col.${s}`)}: ${formatNumber(n)}`}</title>
                </rect>
              );
            })}
            {i % every === 0 && (
              <text class="axis" x={left + slot * (i + 0.5)} y={H - bottom + 16} text-anchor="middle">
                {formatPeriod(p.period, answer.interval, true)}</text>
            )}
          </g>
        ))}
        {path && <path class="sl-line" d={path} />}
        {periods.map((p, i) => typeof p.figures.service_level === "number" && (
          <circle key={p.start} class="sl-point" data-start={p.start} data-value={p.figures.service_level}
            cx={left + slot * (i + 0.5)} cy={ySl(p.figures.service_level)} r={3}>
            <title>{`${formatPeriod(p.period, answer.interval)} · ${t("reports.col.service_level")}: ${
              formatPercentTenths(p.figures.service_level)}`}</title>
          </circle>
        ))}
        <line class="axis-line" x1={left} x2={W - right} y1={top + plotH} y2={top + plotH} />
      </svg>
    </figure>
  );
}

const parts = ["talk_s", "hold_s", "acw_s"] as const;

/** Each agent's handle time, talk + hold + after-call work stacked: for the agents report. */
export function HandleTimeChart({ answer }: { answer: ReportAnswer }) {
  const agents = new Map<string, Record<(typeof parts)[number], number>>();
  for (const row of answer.rows) {
    const name = String(row.agent ?? "");
    const sums = agents.get(name) ?? { talk_s: 0, hold_s: 0, acw_s: 0 };
    for (const part of parts) sums[part] += value(row, part);
    agents.set(name, sums);
  }
  if (agents.size === 0) return null;
  const rows = [...agents.entries()].sort((a, b) => a[0].localeCompare(b[0], undefined, { numeric: true }));
  const left = 90, right = 90, rowH = 24, top = 6;
  const H = top + rows.length * rowH + 6;
  const most = Math.max(1, ...rows.map(([, s]) => s.talk_s + s.hold_s + s.acw_s));
  const scale = (W - left - right) / most;
  return (
    <figure class="report-chart" id="handle-chart">
      <figcaption class="chart-legend small">
        <b>{t("reports.chart.handle")}</b>
        {parts.map((p) => <span key={p}><i class={`key ${p}`} /> {t(`reports.col.${p}`)}</span>)}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("reports.chart.handleLabel")}>
        {rows.map(([agent, sums], i) => {
          let x = left;
          const y = top + i * rowH;
          return (
            <g key={agent} class="agent-bar" data-agent={agent}>
              <text class="axis" x={left - 8} y={y + rowH / 2 + 4} text-anchor="end">{agent}</text>
              {parts.map((part) => {
                const width = sums[part] * scale;
                const at = x;
                x += width;
                return (
                  <rect key={part} class={`bar ${part}`} data-series={part} data-value={sums[part]} x={at} y={y + 3}
                    width={width} height={rowH - 6}>
                    <title>{`${agent} · ${t(`reports.col.${part}`)}: ${formatDuration(sums[part])}`}</title>
                  </rect>
                );
              })}
              <text class="axis" x={x + 6} y={y + rowH / 2 + 4}>{formatDuration(sums.talk_s + sums.hold_s + sums.acw_s)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
