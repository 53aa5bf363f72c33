// "Reports" (supervisors, admins): GET /api/v1/reports/{intervals|queues|agents|groups|
// agent-states|waits|fcr|dids|flows}
// (docs/api.md, formulas in docs/metrics.md) over days of the center's time zone, as a
// sortable table with totals, the calls-by-period and handle-time charts, CSV and XLSX
// downloads of the same query, and a printable page. The filters live in the hash
// (#/reports?kind=…&preset=…), so a report can be bookmarked and reloaded.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, apiFetch, query, type Agent, type Code, type Queue } from "../api";
import { codeLabel } from "../desk";
import { useReasonCodes } from "../force";
import { formatBirthday, formatDuration, formatNumber, formatPercentTenths, formatPeriod } from "../format";
import { lang, t, tCode } from "../i18n";
import {
  columnType, dayOf, defaultFilters, filtersFromHash, filtersOf, filtersToHash, fixedParams, intervals, presetDays, presets, rangeOf,
  reportKinds, shownColumns, sortRows, totalOf, usableZone, ymdText, type Cell, type FilterName, type Filters,
  type ReportAnswer, type ReportRow,
} from "../reports";
import { useStore } from "../store";
import { Empty, saveFile } from "../ui";
import { AbandonCurve, CallsChart, HandleTimeChart, StateChart } from "./ReportCharts";

const zoneKey = "unicc.reports.zone";

/** The query of the filters, or null when custom dates are missing or reversed. */
function requestOf(filters: Filters, zone: string): Record<string, string | number> | null {
  const days = presetDays(filters.preset, Date.now(), zone, filters);
  if (!days || ymdText(days.to) < ymdText(days.from)) return null;
  const range = rangeOf(days, zone);
  const params: Record<string, string | number> = { from: range.from, to: range.to };
  if (filters.interval) params.interval = filters.interval;
  for (const name of filtersOf(filters.kind)) if (filters[name].trim()) params[name] = filters[name].trim();
  return { ...params, ...fixedParams(filters) };
}

function cellText(column: string, cell: Cell, interval: string, reasons: Code[]): string {
  if (cell === null || cell === undefined) return "—";
  if (typeof cell === "string") {
    if (column === "period") return formatPeriod(cell, interval);
    if (column === "state") return tCode("state", cell);
    if (column === "reason") return cell ? codeLabel(reasons, cell, "reason") : "";
    if (column === "sl_formula") return tCode("reports.formulaName", cell);
    if (column === "bucket") return t("reports.bucket", { bucket: cell });
    return cell || "—";
  }
  switch (columnType(column)) {
    case "ratio": return formatPercentTenths(cell);
    case "duration": return formatDuration(cell);
    default: return formatNumber(cell);
  }
}

export function ReportsPage() {
  const [filters, setFiltersState] = useState<Filters>(() => filtersFromHash(location.hash));
  const [zone, setZone] = useState(() => usableZone(localStorage.getItem(zoneKey) ?? ""));
  const [answer, setAnswer] = useState<ReportAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState("");
  const [queues, setQueues] = useState<string[]>([]);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [flows, setFlows] = useState<string[]>([]);
  const latest = useRef(0);
  useStore(lang);

  const setFilters = (next: Filters) => {
    setFiltersState(next);
    history.replaceState(null, "", filtersToHash(next));
  };
  // A bookmark opened, or the browser's back and forward: the hash's filters. The hash
  // shows the filters from the start, so the address is the report's bookmark.
  useEffect(() => {
    history.replaceState(null, "", filtersToHash(filters));
    const read = () => setFiltersState(filtersFromHash(location.hash));
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);
  useEffect(() => {
    api<{ items: Queue[] }>("GET", "/queues").then((a) => setQueues(a.items.map((q) => q.name))).catch(() => setQueues([]));
    api<{ items: Agent[] }>("GET", "/agents").then((a) => setAgents(a.items)).catch(() => setAgents([]));
    api<{ items: { name: string }[] }>("GET", "/flows").then((a) => setFlows(a.items.map((f) => f.name))).catch(() => setFlows([]));
  }, []);

  const request = requestOf(filters, zone);
  const path = `/reports/${filters.kind}`;
  useEffect(() => {
    if (!request) {
      setAnswer(null);
      setError(t("reports.badRange"));
      return;
    }
    const id = ++latest.current;
    setLoading(true);
    api<ReportAnswer>("GET", path + query(request)).then((got) => {
      if (id !== latest.current) return;
      // The days are the center's: when the server counts in another zone than the one
      // this range was worked out in, ask again with the server's.
      const served = usableZone(got.time_zone);
      localStorage.setItem(zoneKey, got.time_zone);
      if (served !== zone) {
        setZone(served);
        if (JSON.stringify(requestOf(filters, served)) !== JSON.stringify(request)) return;
      }
      setAnswer(got);
      setError("");
      setLoading(false);
    }).catch((failure: unknown) => {
      if (id !== latest.current) return;
      setAnswer(null);
      setError(t("reports.failed", { message: failure instanceof Error ? failure.message : String(failure) }));
      setLoading(false);
    });
  }, [path, JSON.stringify(request)]);

  const download = async (format: "csv" | "xlsx") => {
    if (!request) return;
    try {
      const response = await apiFetch(path + query({ ...request, format }));
      saveFile(await response.blob(), `report-${filters.kind}-${ymdText(dayOf(Number(request.from), zone))}.${format}`);
    } catch (failure) {
      setError(t("reports.exportFailed", { message: failure instanceof Error ? failure.message : String(failure) }));
    }
  };

  const days = presetDays(filters.preset, Date.now(), zone, filters);
  const rangeText = days ? (ymdText(days.from) === ymdText(days.to) ? formatBirthday(ymdText(days.from))
    : t("reports.rangeText", { from: formatBirthday(ymdText(days.from)), to: formatBirthday(ymdText(days.to)) })) : "";
  const change = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });
  const choosePreset = (preset: Filters["preset"]) => {
    if (preset !== "custom" || (filters.from && filters.to)) return change({ preset });
    // Custom starts from the days on screen.
    const shown = presetDays(filters.preset, Date.now(), zone, filters);
    return change({ preset, from: shown ? ymdText(shown.from) : "", to: shown ? ymdText(shown.to) : "" });
  };
  const shownFilters = filtersOf(filters.kind);
  // The values each filter offers (the one in the hash too, should it be gone).
  const listed: Record<Exclude<FilterName, "did">, [string, string][]> = {
    queue: queues.map((name) => [name, name]),
    agent: agents.map((a) => [a.extension, `${a.extension} ${a.name}`]),
    group: [...new Set(agents.flatMap((a) => a.groups ?? []))].sort().map((name) => [name, name]),
    flow: flows.map((name) => [name, name]),
  };
  const choices = Object.fromEntries(Object.entries(listed).map(([name, list]) => {
    const current = filters[name as FilterName];
    return [name, current && !list.some(([value]) => value === current) ? [[current, current], ...list] : list];
  })) as typeof listed;

  return (
    <section class="page reports-page">
      <div class="page-head">
        <h1>{t("reports.title")}</h1>
        <span class="report-heading" id="report-heading">
          <b>{t(`reports.kind.${filters.kind}`)}</b> · <span id="report-range">{rangeText}</span>
          {filters.interval && <> · {t(`reports.interval.${filters.interval}`)}</>}
        </span>
        <span class="report-actions">
          <button type="button" id="report-csv" disabled={!answer} onClick={() => void download("csv")}>{t("reports.csv")}</button>
          <button type="button" id="report-xlsx" disabled={!answer} onClick={() => void download("xlsx")}>{t("reports.xlsx")}</button>
          <button type="button" id="report-print" disabled={!answer} onClick={() => window.print()}>{t("reports.print")}</button>
        </span>
      </div>
      <form class="filters report-filters panel" id="report-filters" onSubmit={(e) => e.preventDefault()}>
        <label><span>{t("reports.filter.kind")}</span>
          <select name="kind" value={filters.kind} onChange={(e) => change({ kind: e.currentTarget.value as Filters["kind"] })}>
            {reportKinds.map((kind) => <option key={kind} value={kind}>{t(`reports.kind.${kind}`)}</option>)}
          </select></label>
        <label><span>{t("reports.filter.range")}</span>
          <select name="preset" value={filters.preset} onChange={(e) => choosePreset(e.currentTarget.value as Filters["preset"])}>
            {presets.map((preset) => <option key={preset} value={preset}>{t(`reports.preset.${preset}`)}</option>)}
          </select></label>
        {filters.preset === "custom" && (
          <>
            <label><span>{t("reports.filter.from")}</span>
              <input type="date" name="from" value={filters.from} onChange={(e) => change({ from: e.currentTarget.value })} /></label>
            <label><span>{t("reports.filter.to")}</span>
              <input type="date" name="to" value={filters.to} onChange={(e) => change({ to: e.currentTarget.value })} /></label>
          </>
        )}
        <label><span>{t("reports.filter.interval")}</span>
          <select name="interval" value={filters.interval}
            onChange={(e) => change({ interval: e.currentTarget.value as Filters["interval"] })}>
            {intervals.map((interval) => <option key={interval} value={interval}>{t(`reports.interval.${interval || "whole"}`)}</option>)}
          </select></label>
        {shownFilters.map((name) => (
          <label key={name}><span>{t(`reports.filter.${name}`)}</span>
            {name === "did" ? (
              <input name="did" class="short" value={filters.did} placeholder={t("reports.filter.all")}
                onChange={(e) => change({ did: e.currentTarget.value })} />
            ) : (
              <select name={name} value={filters[name]} onChange={(e) => change({ [name]: e.currentTarget.value })}>
                <option value="">{t("reports.filter.all")}</option>
                {choices[name].map(([value, label]) => <option key={value} value={value}>{label}</option>)}
              </select>
            )}
          </label>
        ))}
        <button type="button" class="quiet" id="report-reset" onClick={() => setFilters({ ...defaultFilters })}>
          {t("reports.filter.reset")}</button>
      </form>
      {error && <p class="form-error" role="alert" id="report-error">{error}</p>}
      {loading && !answer && <Empty>{t("reports.loading")}</Empty>}
      {answer && <ReportView answer={answer} loading={loading} zone={zone} />}
    </section>
  );
}

function ReportView({ answer, loading, zone }: { answer: ReportAnswer; loading: boolean; zone: string }) {
  const calls = answer.interval !== "" && answer.report !== "agents" && answer.columns.includes("offered")
    && answer.rows.some((row) => typeof row.offered === "number" && row.offered > 0);
  const handle = answer.report === "agents" && answer.rows.some((row) => typeof row.contacts === "number" && row.contacts > 0);
  const states = answer.report === "agent-states" && answer.rows.length > 0;
  const waits = answer.report === "waits" && answer.rows.some((row) => row.answered || row.abandoned);
  return (
    <div class={`report${loading ? " loading" : ""}`} id="report" data-report={answer.report} aria-busy={loading}>
      <p class="muted small report-notes" id="report-notes">
        {usableZone(answer.time_zone) === answer.time_zone ? t("reports.zone", { zone: answer.time_zone }) : t("reports.serverZone")}
        {answer.sl_formula && <>{" · "}{t("reports.slFormula", { formula: tCode("reports.formula", answer.sl_formula) })}</>}
      </p>
      {answer.rows.length === 0 ? <Empty>{t("reports.empty")}</Empty> : (
        <>
          {(calls || handle || states || waits) && (
            <div class="panel report-charts">
              {calls && <CallsChart answer={answer} zone={zone} />}
              {handle && <HandleTimeChart answer={answer} />}
              {states && <StateChart answer={answer} />}
              {waits && <AbandonCurve answer={answer} />}
            </div>
          )}
          <ReportTable answer={answer} />
        </>
      )}
    </div>
  );
}

/** A column's formula: the report's own wording (an IVR flow's abandons), else the column's. */
function tip(report: string, column: string): string {
  const own = tCode(`reports.tip.${report}`, column);
  return own !== column ? own : tCode("reports.tip", column);
}

/** What a row is about: its queue, agent, group, DID, flow or wait bucket. */
const nameOf = (row: ReportRow): string =>
  String(row.queue ?? row.agent ?? row.group ?? row.did ?? row.flow ?? row.bucket ?? "");

function ReportTable({ answer }: { answer: ReportAnswer }) {
  const reasons = useReasonCodes();
  const [sort, setSort] = useState<{ column: string; descending: boolean } | null>(null);
  const columns = shownColumns(answer);
  const rows = sort ? sortRows(answer.rows, sort.column, sort.descending, lang.get()) : answer.rows;
  const total = answer.rows.length > 0 ? totalOf(answer.rows, answer.columns, answer.sl_formula) : null;
  const toggle = (column: string) => setSort(sort?.column === column
    ? (sort.descending ? null : { column, descending: true })
    : { column, descending: false });
  return (
    <div class="report-table-wrap">
      <table class="grid report-table" id="report-table">
        <thead>
          <tr>
            {columns.map((column) => {
              const numeric = columnType(column) !== "name";
              const order = sort?.column === column ? (sort.descending ? "descending" : "ascending") : undefined;
              return (
                <th key={column} class={numeric ? "num" : ""} data-column={column} aria-sort={order}
                  title={tip(answer.report, column)}>
                  <button type="button" class="sort" onClick={() => toggle(column)}>
                    {tCode("reports.col", column)}
                    <span class="sort-mark" aria-hidden="true">{order === "ascending" ? "▲" : order === "descending" ? "▼" : ""}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${row.start ?? ""}|${nameOf(row)}|${i}`} data-start={row.start ?? undefined} data-name={nameOf(row) || undefined}>
              {columns.map((column) => (
                <td key={column} class={columnType(column) === "name" ? "" : "num mono"} data-column={column}
                  data-value={row[column] ?? ""}>{cellText(column, row[column] ?? null, answer.interval, reasons)}</td>
              ))}
            </tr>
          ))}
        </tbody>
        {total && (
          <tfoot>
            <tr class="total-row" id="report-total">
              {columns.map((column, i) => (
                <td key={column} class={columnType(column) === "name" ? "" : "num mono"} data-column={column}
                  data-value={total[column] ?? ""}>
                  {i === 0 ? t("reports.total") : columnType(column) === "name" ? "" : cellText(column, total[column] ?? null, "", reasons)}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
