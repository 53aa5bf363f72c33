// The Reports page's arithmetic, apart from its rendering: which days a range preset
// means in the center's time zone (reports.time_zone, which the server names in each
// answer), the filters as they stand in the URL hash, what each column of
// GET /api/v1/reports/… holds (a count, a ratio, a duration or a name), and the totals
// of a table's rows computed with docs/metrics.md's formulas.

export type ReportKind = "queues" | "agents" | "groups" | "dids" | "flows" | "intervals" | "agent-states" | "waits" | "fcr";
export const reportKinds: readonly ReportKind[] = ["intervals", "queues", "agents", "groups", "agent-states", "waits", "fcr", "dids", "flows"];
export type Preset = "today" | "yesterday" | "this_week" | "last_7" | "this_month" | "custom";
export const presets: readonly Preset[] = ["today", "yesterday", "this_week", "last_7", "this_month", "custom"];
/** The API's interval values; "" is one row for the whole range. */
export const intervals = ["", "15m", "30m", "60m", "day", "week", "month"] as const;
export type Interval = (typeof intervals)[number];

/** The filters a report may take (docs/api.md): one queue, agent, agent group, DID or IVR flow. */
export const filterNames = ["queue", "agent", "group", "did", "flow"] as const;
export type FilterName = (typeof filterNames)[number];
export type Filters = { kind: ReportKind; preset: Preset; from: string; to: string; interval: Interval } & Record<FilterName, string>;
export const defaultFilters: Filters = {
  kind: "intervals", preset: "today", from: "", to: "", interval: "60m", queue: "", agent: "", group: "", did: "", flow: "",
};

export type Cell = string | number | null;
export type ReportRow = Record<string, Cell>;
export type ReportAnswer = {
  report: ReportKind; from: number; to: number; interval: string; time_zone: string;
  /** The service-level formula, for the reports that have one. */
  sl_formula?: string;
  columns: string[]; rows: ReportRow[];
};

// ---- days in a time zone ----

/** A calendar day, "YYYY-MM-DD", as numbers. */
type Ymd = { y: number; m: number; d: number };
const pad = (n: number) => String(n).padStart(2, "0");
export const ymdText = ({ y, m, d }: Ymd): string => `${y}-${pad(m)}-${pad(d)}`;
export function parseYmd(text: string): Ymd | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const day = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  const back = new Date(Date.UTC(day.y, day.m - 1, day.d));
  return back.getUTCMonth() === day.m - 1 && back.getUTCDate() === day.d ? day : null;
}
/** `days` later (or earlier) in the calendar. */
function addDays(day: Ymd, days: number): Ymd {
  const at = new Date(Date.UTC(day.y, day.m - 1, day.d + days));
  return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate() };
}

/** The zone's name when the browser knows it, else the browser's own zone. */
export function usableZone(zone: string): string {
  try {
    if (zone) return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    // "localtime" or a name the browser does not know: the browser's own zone.
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock fields of a moment in `zone`. */
function wallClock(ms: number, zone: string): Ymd & { h: number; min: number; s: number } {
  let format = partsCache.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric",
      minute: "numeric", second: "numeric",
    });
    partsCache.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour!, min: parts.minute!, s: parts.second! };
}

/** The day a moment falls on in `zone`. */
export const dayOf = (ms: number, zone: string): Ymd => wallClock(ms, zone);

/** When `day` starts (local midnight) in `zone`, in ms since the epoch. */
export function dayStart(day: Ymd, zone: string): number {
  const naive = Date.UTC(day.y, day.m - 1, day.d);
  let guess = naive;
  // The zone's offset at the guess, corrected once more across a change of offset.
  for (let i = 0; i < 2; i++) {
    const wall = wallClock(guess, zone);
    const offset = Date.UTC(wall.y, wall.m - 1, wall.d, wall.h, wall.min, wall.s) - Math.floor(guess / 1000) * 1000;
    guess = naive - offset;
  }
  return guess;
}

/** The first and last day (inclusive) a preset means today in `zone`. */
export function presetDays(preset: Preset, now: number, zone: string, custom: { from: string; to: string }):
  { from: Ymd; to: Ymd } | null {
  const today = dayOf(now, zone);
  switch (preset) {
    case "today": return { from: today, to: today };
    case "yesterday": { const day = addDays(today, -1); return { from: day, to: day }; }
    case "this_week": {
      const weekday = new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay(); // 0 = Sunday
      return { from: addDays(today, -((weekday + 6) % 7)), to: today };
    }
    case "last_7": return { from: addDays(today, -6), to: today };
    case "this_month": return { from: { ...today, d: 1 }, to: today };
    case "custom": {
      const from = parseYmd(custom.from);
      const to = parseYmd(custom.to);
      return from && to ? { from, to } : null;
    }
  }
}

/** The range the API sums, [from, to) in ms: the first day's midnight to the one after the last day. */
export function rangeOf(days: { from: Ymd; to: Ymd }, zone: string): { from: number; to: number } {
  return { from: dayStart(days.from, zone), to: dayStart(addDays(days.to, 1), zone) };
}

// ---- the filters in the hash: #/reports?kind=queues&preset=custom&from=…&to=… ----

export function filtersFromHash(hash: string): Filters {
  const question = hash.indexOf("?");
  const params = new URLSearchParams(question < 0 ? "" : hash.slice(question + 1));
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(name);
    return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  };
  return {
    kind: pick("kind", reportKinds, defaultFilters.kind),
    preset: pick("preset", presets, defaultFilters.preset),
    from: params.get("from") ?? "", to: params.get("to") ?? "",
    interval: pick("interval", intervals, params.has("kind") ? "" : defaultFilters.interval),
    queue: params.get("queue") ?? "", agent: params.get("agent") ?? "", group: params.get("group") ?? "",
    did: params.get("did") ?? "", flow: params.get("flow") ?? "",
  };
}

export function filtersToHash(filters: Filters): string {
  const params = new URLSearchParams({ kind: filters.kind, preset: filters.preset });
  if (filters.preset === "custom") {
    params.set("from", filters.from);
    params.set("to", filters.to);
  }
  params.set("interval", filters.interval);
  for (const name of filterNames) if (filters[name]) params.set(name, filters[name]);
  return `#/reports?${params.toString()}`;
}

/** Which filters a report reads (docs/api.md). */
const filtersByKind: Record<ReportKind, readonly FilterName[]> = {
  queues: ["queue"], agents: ["agent", "group"], groups: ["group"], dids: ["did"], flows: ["flow"],
  intervals: ["queue", "agent", "did"], "agent-states": ["agent"], waits: ["queue"], fcr: ["queue", "agent"],
};
export const filtersOf = (kind: ReportKind): readonly FilterName[] => filtersByKind[kind];
/** Parameters a report always gets: the agent-state breakdown per agent; first-contact
 *  resolution per agent when one is asked for, else per queue. */
export function fixedParams(filters: Filters): Record<string, string> {
  if (filters.kind === "agent-states") return { by: "agent" };
  if (filters.kind === "fcr") return { by: filters.agent.trim() ? "agent" : "queue" };
  return {};
}

// ---- columns ----

export type ColumnType = "name" | "count" | "ratio" | "duration";
const nameColumns = new Set(["period", "queue", "agent", "did", "flow", "group", "reason", "state", "sl_formula", "bucket"]);
const ratioColumns = new Set(["service_level", "occupancy", "utilisation", "utilization", "share"]);

/** What a column holds, from its name (the API's: *_rate ratios, *_s seconds). */
export function columnType(column: string): ColumnType {
  if (nameColumns.has(column)) return "name";
  if (ratioColumns.has(column) || column.endsWith("_rate") || column.endsWith("_ratio")) return "ratio";
  if (column.endsWith("_s")) return "duration";
  return "count";
}

/** The columns the table shows: all the API's but `start` (the ms of `period`). */
export const shownColumns = (answer: ReportAnswer): string[] => answer.columns.filter((column) => column !== "start");

// ---- totals ----

const num = (row: ReportRow, column: string): number => {
  const value = row[column];
  return typeof value === "number" ? value : 0;
};
const sum = (rows: ReportRow[], column: string) => rows.reduce((total, row) => total + num(row, column), 0);
const ratio = (over: number, under: number): number | null => (under > 0 ? Math.round((over / under) * 1e4) / 1e4 : null);
/** The mean of a per-row average weighted by the rows' counts (ASA by answered calls). */
const weighted = (rows: ReportRow[], column: string, weight: (row: ReportRow) => number): number | null => {
  const under = rows.reduce((total, row) => total + weight(row), 0);
  return under > 0 ? rows.reduce((total, row) => total + num(row, column) * weight(row), 0) / under : null;
};

/** The service level of summed figures with the answer's formula (docs/metrics.md). */
export function serviceLevel(figures: (column: string) => number, formula: string): number | null {
  const answeredInSl = figures("answered_in_sl"), answered = figures("answered"), abandoned = figures("abandoned");
  const abandonedInSl = figures("abandoned_in_sl");
  switch (formula) {
    case "answered": return ratio(answeredInSl, answered);
    case "answered_abandoned": return ratio(answeredInSl, answered + abandoned);
    case "offered": return ratio(answeredInSl + abandonedInSl, figures("offered"));
    default: return ratio(answeredInSl, answered + abandoned - abandonedInSl);
  }
}

/** One row summing `rows`: counts and total times added, ratios and averages worked out
 *  again from the sums (not averaged), the longest wait the longest; a column with no
 *  meaningful total is null. */
export function totalOf(rows: ReportRow[], columns: string[], formula = ""): ReportRow {
  const total: ReportRow = {};
  const figures = (column: string) => sum(rows, column);
  const handled = columns.includes("contacts") ? figures("contacts") : figures("handled");
  const waited = (row: ReportRow) => num(row, "answered") + num(row, "abandoned");
  for (const column of columns) {
    const type = columnType(column);
    if (type === "name") total[column] = null;
    else if (column === "service_level") {
      // Rows counted with different formulas (each queue its own) have no one total.
      const formulas = new Set(rows.map((row) => row.sl_formula ?? formula));
      total[column] = formulas.size === 1 ? serviceLevel(figures, String([...formulas][0])) : null;
    } else if (column === "occupancy") {
      const busy = figures("on_call_s") + figures("wrap_up_s");
      total[column] = ratio(busy, busy + figures("ready_s") + figures("reserved_s"));
    } else if (column === "utilisation") total[column] = ratio(figures("on_call_s") + figures("wrap_up_s"), figures("logged_in_s"));
    else if (column === "answer_rate") total[column] = ratio(figures("answered"), figures("offered"));
    else if (column === "abandon_rate") {
      total[column] = ratio(figures("abandoned"), columns.includes("entered") ? figures("entered") : figures("offered"));
    } else if (column === "self_service_rate") total[column] = ratio(figures("contained"), figures("entered"));
    else if (column === "fcr_rate") total[column] = ratio(figures("resolved"), figures("handled"));
    else if (column === "busy_rate") total[column] = ratio(figures("busy"), figures("offered"));
    else if (column === "avg_ivr_s") total[column] = weighted(rows, column, (row) => num(row, "entered"));
    else if (column.endsWith("_cumulative") || column === "from_s" || column === "to_s" || column === "share") {
      total[column] = null; // a bucket's bounds and running sums, a share of each agent's own time: no total
    }
    else if (column === "transfer_rate") total[column] = ratio(figures("transferred"), handled);
    else if (column === "asa_s") total[column] = weighted(rows, column, (row) => num(row, "answered"));
    else if (column === "avg_wait_s") total[column] = weighted(rows, column, waited);
    else if (column === "max_wait_s") total[column] = rows.length ? Math.max(...rows.map((row) => num(row, column))) : null;
    else if (column === "aht_s") {
      total[column] = handled > 0 ? (figures("talk_s") + figures("hold_s") + figures("acw_s")) / handled : null;
    } else if (column.startsWith("avg_") && column.endsWith("_s")) {
      const of = column.slice(4);
      total[column] = columns.includes(of) && handled > 0 ? figures(of) / handled : null;
    } else if (type === "count" || (type === "duration" && !column.startsWith("avg_"))) total[column] = figures(column);
    else total[column] = null;
  }
  return total;
}

/** The rows of a report by period, each period's rows summed (a queues report by
 *  interval has a row per queue and period): what the calls chart draws. */
export function byPeriod(answer: ReportAnswer, zone: string): { start: number; period: string; figures: ReportRow }[] {
  const groups = new Map<number, { period: string; rows: ReportRow[] }>();
  // Every period of the range, those without calls empty (the server names only those with).
  for (const slot of periodsOf(answer.from, answer.to, answer.interval, zone) ?? []) {
    groups.set(slot.start, { period: slot.period, rows: [] });
  }
  for (const row of answer.rows) {
    if (typeof row.start !== "number") continue;
    const group = groups.get(row.start) ?? { period: String(row.period ?? ""), rows: [] };
    group.period = String(row.period ?? group.period);
    group.rows.push(row);
    groups.set(row.start, group);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0])
    .map(([start, group]) => ({ start, period: group.period, figures: totalOf(group.rows, answer.columns, answer.sl_formula) }));
}

/** The periods of [from, to) in `zone` for an interval, as the server starts and names
 *  them ("2026-11-18 09:00", "2026-11-18"): the chart's axis, so hours without calls
 *  show as empty. Null past `limit` periods (the rows alone are drawn then). */
export function periodsOf(from: number, to: number, interval: string, zone: string, limit = 400):
  { start: number; period: string }[] | null {
  const minutes = interval === "15m" ? 15 : interval === "30m" ? 30 : interval === "60m" ? 60 : 0;
  const out: { start: number; period: string }[] = [];
  if (minutes > 0) {
    if ((to - from) / (minutes * 60000) > limit) return null;
    for (let at = from; at < to; at += minutes * 60000) {
      const wall = wallClock(at, zone);
      out.push({ start: at, period: `${ymdText(wall)} ${pad(wall.h)}:${pad(wall.min)}` });
    }
    return out;
  }
  let day = dayOf(from, zone);
  if (interval === "week") {
    const weekday = new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
    day = addDays(day, -((weekday + 6) % 7));
  } else if (interval === "month") day = { ...day, d: 1 };
  else if (interval !== "day") return null;
  while (out.length <= limit) {
    const start = dayStart(day, zone);
    if (start >= to) return out;
    out.push({ start, period: ymdText(day) });
    day = interval === "day" ? addDays(day, 1) : interval === "week" ? addDays(day, 7)
      : (day.m === 12 ? { y: day.y + 1, m: 1, d: 1 } : { y: day.y, m: day.m + 1, d: 1 });
  }
  return null;
}

/** Rows sorted by a column, names by the user's collation, nulls last either way. */
export function sortRows(rows: ReportRow[], column: string, descending: boolean, locale: string): ReportRow[] {
  const collator = new Intl.Collator(locale, { numeric: true });
  return [...rows].sort((a, b) => {
    const x = a[column] ?? null, y = b[column] ?? null;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
    return descending ? -order : order;
  });
}
