// "Reports" (supervisors, admins): GET /api/v1/reports/{queues|agents|dids|intervals}
// (docs/api.md, formulas in docs/metrics.md) over days of the center's time zone, as a
// sortable table with totals, the calls-by-period and handle-time charts, CSV and XLSX
// downloads of the same query, and a printable page. The filters live in the hash
// (#/reports?kind=…&preset=…), so a report can be bookmarked and reloaded.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, apiFetch, query, type Agent, type Queue } from "../api";
import { formatBirthday, formatDuration, formatNumber, formatPercentTenths, formatPeriod } from "../format";
import { lang, t, tCode } from "../i18n";
import {
  columnType, dayOf, defaultFilters, filtersFromHash, filtersOf, filtersToHash, intervals, presetDays, presets, rangeOf,
  reportKinds, shownColumns, sortRows, totalOf, usableZone, ymdText, type Cell, type Filters, type ReportAnswer,
} from "../reports";
import { useStore } from "../store";
import { Empty, saveFile } from "../ui";
import { CallsChart, HandleTimeChart } from "./ReportCharts";

const zoneKey = "unicc.reports.zone";

/** The query of the filters, or null when custom dates are missing or reversed. */
function requestOf(filters: Filters, zone: string): Record<string, string | number> | null {
  const days = presetDays(filters.preset, Date.now(), zone, filters);
  if (!days || ymdText(days.to) < ymdText(days.from)) return null;
  const range = rangeOf(days, zone);
  const params: Record<string, string | number> = { from: range.from, to: range.to };
  if (filters.interval) params.interval = filters.interval;
  for (const name of filtersOf(filters.kind)) if (filters[name].trim()) params[name] = filters[name].trim();
  return params;
}

function cellText(column: string, cell: Cell, interval: string): string {
  if (cell === null || cell === undefined) return "—";
  if (typeof cell === "string") return column === "period" ? formatPeriod(cell, interval) : cell || "—";
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
        {shownFilters.includes("queue") && (
          <label><span>{t("reports.filter.queue")}</span>
            <select name="queue" value={filters.queue} onChange={(e) => change({ queue: e.currentTarget.value })}>
              <option value="">{t("reports.filter.allQueues")}</option>
              {[...new Set([...queues, ...(filters.queue ? [filters.queue] : [])])].map((name) => <option key={name} value={name}>{name}</option>)}
            </select></label>
        )}
        {shownFilters.includes("agent") && (
          <label><span>{t("reports.filter.agent")}</span>
            <select name="agent" value={filters.agent} onChange={(e) => change({ agent: e.currentTarget.value })}>
              <option value="">{t("reports.filter.allAgents")}</option>
              {filters.agent && !agents.some((a) => a.extension === filters.agent) && <option value={filters.agent}>{filters.agent}</option>}
              {agents.map((a) => <option key={a.extension} value={a.extension}>{`${a.extension} ${a.name}`}</option>)}
            </select></label>
        )}
        {shownFilters.includes("did") && (
          <label><span>{t("reports.filter.did")}</span>
            <input name="did" class="short" value={filters.did} placeholder={t("reports.filter.allDids")}
              onChange={(e) => change({ did: e.currentTarget.value })} /></label>
        )}
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
  const handle = answer.report === "agents" && answer.rows.length > 0;
  return (
    <div class={`report${loading ? " loading" : ""}`} id="report" data-report={answer.report} aria-busy={loading}>
      <p class="muted small report-notes" id="report-notes">
        {usableZone(answer.time_zone) === answer.time_zone ? t("reports.zone", { zone: answer.time_zone }) : t("reports.serverZone")}
        {" · "}{t("reports.slFormula", {
          formula: tCode("reports.formula", answer.sl_formula) })}
      </p>
      {answer.rows.length === 0 ? <Empty>{t("reports.empty")}</Empty> : (
        <>
          {(calls || handle) && (
            <div class="panel report-charts">
              {calls && <CallsChart answer={answer} zone={zone} />}
              {handle && <HandleTimeChart answer={answer} />}
            </div>
          )}
          <ReportTable answer={answer} />
        </>
      )}
    </div>
  );
}

function ReportTable({ answer }: { answer: ReportAnswer }) {
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
                  title={tCode("reports.tip", column)}>
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
            <tr key={`${row.start ?? ""}|${row.queue ?? row.agent ?? row.did ?? ""}|${i}`} data-start={row.start ?? undefined}
              data-name={row.queue ?? row.agent ?? row.did ?? undefined}>
              {columns.map((column) => (
                <td key={column} class={columnType(column) === "name" ? "" : "num mono"} data-column={column}
                  data-value={row[column] ?? ""}>{cellText(column, row[column] ?? null, answer.interval)}</td>
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
                  {i === 0 ? t("reports.total") : columnType(column) === "name" ? "" : cellText(column, total[column] ?? null, "")}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
