// What the designer asks of real calls (docs/api.md, Path counts; IVR call flows):
// the calls per node and exit in a period, drawn on the arrows and cards (Canvas),
// and a test call that runs the draft on a phone without publishing it.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { formatDateTime, formatNumber, formatTimeShort } from "../format";
import { t, tCode } from "../i18n";
import { session } from "../session";
import { useDismiss } from "../ui";

export type NodeCounts = { entered: number; hung_up: number; exits: Record<string, number> };
export type PathCounts = {
  flow: string; from: number; to: number; truncated: boolean; calls: number;
  nodes: Record<string, NodeCounts>; ended: Record<string, number>;
};
export const PERIODS = ["off", "today", "7d", "30d"] as const;
export type Period = (typeof PERIODS)[number];

const DAY = 24 * 3600 * 1000;
/** The period's start: today from the local midnight, else 7 or 30 days back. */
export function periodStart(period: Period, now = Date.now()): number {
  if (period === "today") {
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    return midnight.getTime();
  }
  return now - (period === "7d" ? 7 : 30) * DAY;
}

/** The counts of the flow in the chosen period, read again on demand. */
export function usePathCounts(flow: string) {
  const [period, setPeriod] = useState<Period>("off");
  const [counts, setCounts] = useState<PathCounts | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const load = async (chosen: Period) => {
    const mine = ++seq.current;
    if (chosen === "off") {
      setCounts(null);
      setError("");
      return;
    }
    setBusy(true);
    try {
      const answer = await api<PathCounts>("GET", `/flows/${encodeURIComponent(flow)}/paths?from=${periodStart(chosen)}`);
      if (mine === seq.current) {
        setCounts(answer);
        setError("");
      }
    } catch (e) {
      if (mine === seq.current) {
        setCounts(null);
        setError(e instanceof ApiError && e.code === "forbidden" ? t("error.forbidden") : e instanceof ApiError ? e.message : String(e));
      }
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };
  return {
    period, counts, error, busy,
    choose: (p: Period) => { setPeriod(p); void load(p); },
    refresh: () => void load(period),
  };
}

/** The drawing's control (top left): the period, ↻, and how many calls it counted. */
export function PathCountsControl({ paths, lower }: { paths: ReturnType<typeof usePathCounts>; lower: boolean }) {
  const { period, counts, error, busy } = paths;
  const ended = counts ? Object.entries(counts.ended).sort((a, b) => b[1] - a[1]) : [];
  return (
    <div class={`flow-counts-control${period !== "off" ? " on" : ""}${lower ? " lower" : ""}`}>
      <select id="flow-period" value={period} onChange={(e) => paths.choose(e.currentTarget.value as Period)}
        title={t("flows.counts.title")} aria-label={t("flows.counts.title")}>
        {PERIODS.map((p) => <option key={p} value={p}>{t(`flows.counts.period.${p}`)}</option>)}
      </select>
      {period !== "off" && (
        <>
          <button type="button" class="small" id="flow-counts-refresh" disabled={busy} onClick={paths.refresh}
            title={t("flows.counts.refresh")} aria-label={t("flows.counts.refresh")}>↻</button>
          <span class={`small ${error ? "flow-error-text" : "muted"}`} id="flow-counts-summary" aria-live="polite"
            title={counts ? [
              t("flows.counts.span", { from: formatDateTime(counts.from), to: formatDateTime(counts.to) }),
              ...ended.map(([how, n]) => `${tCode("flows.ended", how)}: ${formatNumber(n)}`),
            ].join("\n") : undefined}>
            {error ? error : busy && !counts ? t("flows.checking") : counts
              ? t(counts.truncated ? "flows.counts.callsTruncated" : "flows.counts.calls", { n: formatNumber(counts.calls), at: formatTimeShort(counts.to) })
              : ""}
          </span>
        </>
      )}
    </div>
  );
}

/** The words for a test call's refusal, by the server's code; its message as the detail. */
function testCallProblem(error: unknown, extension: string): { text: string; detail?: string } {
  if (!(error instanceof ApiError)) return { text: String(error) };
  const detail = error.message;
  switch (error.code) {
    case "cannot_ring": return { text: t("flows.test.cannotRing", { extension }), detail };
    case "invalid_field": return { text: t("flows.test.badExtension"), detail };
    case "invalid_flow": return { text: t("flows.test.invalid", { n: Array.isArray(error.details) ? error.details.length : 1 }) };
    case "not_found": return { text: t("flows.test.notSaved") };
    case "forbidden": return { text: t("error.forbidden") };
    case "http_node_needs_admin": return { text: t("flows.httpNeedsAdmin") };
    default: return { text: error.message };
  }
}

/** "Test call": rings a phone and runs the draft on the call once answered. Unsaved
 *  changes are saved as the draft first (`saveFirst`), so the call runs what is drawn. */
export function TestCall({ flow, dirty, blocked, saveFirst }: {
  flow: string; dirty: boolean;
  /** Why the drawing cannot be called now (problems, a JSON error), else "". */
  blocked: string;
  saveFirst: () => Promise<boolean>;
}) {
  const signedIn = session.get();
  const user = signedIn.state === "signed_in" ? signedIn.user : null;
  const [open, setOpen] = useState(false);
  const [extension, setExtension] = useState(user?.extension ?? "");
  const [result, setResult] = useState<{ ok: boolean; text: string; detail?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const anchor = useRef<HTMLSpanElement>(null);
  useDismiss(open, () => setOpen(false), anchor);
  useEffect(() => { if (open) document.getElementById("flow-test-extension")?.focus(); }, [open]);
  const call = async (e: Event) => {
    e.preventDefault();
    const target = extension.trim();
    if (!/^\d{2,16}$/.test(target)) {
      setResult({ ok: false, text: t("flows.test.badExtension") });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      if (dirty && !(await saveFirst())) {
        setResult({ ok: false, text: t("flows.test.notSavedNow") });
        return;
      }
      const answer = await api<{ call_id: string; extension: string }>("POST", `/flows/${encodeURIComponent(flow)}/test-call`, { extension: target });
      setResult({ ok: true, text: t("flows.test.ringing", { extension: answer.extension || target }) });
    } catch (error) {
      setResult({ ok: false, ...testCallProblem(error, target) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="flow-test" ref={anchor}>
      <button type="button" class="small" id="flow-test" aria-expanded={open} aria-controls="flow-test-panel"
        onClick={() => setOpen(!open)}>☎ {t("flows.test.button")}</button>
      {open && (
        <form class="flow-test-panel" id="flow-test-panel" onSubmit={(e) => void call(e)}>
          <p class="muted small">{t("flows.test.help")}</p>
          <label class="field">
            <span>{t("flows.test.extension")}</span>
            <input type="text" id="flow-test-extension" inputMode="numeric" value={extension}
              placeholder="1001" onInput={(e) => { setExtension(e.currentTarget.value); setResult(null); }} />
          </label>
          {dirty && !blocked && <p class="small muted">{t("flows.test.savesFirst")}</p>}
          {blocked && <p class="small flow-error-text">{blocked}</p>}
          <div class="toolbar">
            <button type="submit" class="primary small" id="flow-test-call" disabled={busy || blocked !== ""}>
              {busy ? t("flows.test.calling") : t("flows.test.call")}
            </button>
            <button type="button" class="small" onClick={() => setOpen(false)}>{t("flows.cancel")}</button>
          </div>
          {result && (
            <p class={result.ok ? "flow-notice" : "flow-error"} id="flow-test-result" role="status">
              <span>{result.text}{result.detail && <span class="flow-test-detail" lang="en">{result.detail}</span>}</span>
            </p>
          )}
        </form>
      )}
    </span>
  );
}
