// "Calls": the calls in progress (from "call" events) and the call history search
// over GET /api/v1/cdrs, with paging and the IVR trace of a call.
import { useEffect, useState } from "preact/hooks";
import { api, query, type Cdr, type IvrTrace, type Page } from "../api";
import { formatDateTime, formatDuration, formatMs, formatNumber, formatTime, formatTimeShort } from "../format";
import { t, tCode } from "../i18n";
import { live, type LiveCall } from "../live";
import { useNow, useStore } from "../store";
import { DispositionFilter, Pager, toMs, useSearch } from "../search";
import { Empty } from "../ui";

const pageSizes = [10, 25, 50, 100] as const;

type Filters = { from: string; to: string; number: string; disposition: string };
const noFilters: Filters = { from: "", to: "", number: "", disposition: "" };

export function CallsPage() {
  return (
    <section class="page calls-page">
      <div class="page-head"><h1>{t("calls.title")}</h1></div>
      <LiveCalls />
      <History />
    </section>
  );
}

function Party({ number, name }: { number: string; name?: string }) {
  return (
    <span class="party">
      <span class="mono">{number || "—"}</span>
      {name && name !== number && <span class="muted party-name">{name}</span>}
    </span>
  );
}

function LiveCalls() {
  const state = useStore(live);
  const now = useNow();
  const calls = [...state.calls.values()].sort((a, b) => a.startedAt - b.startedAt);
  return (
    <div class="panel">
      <h2>{t("calls.live")} <span class="badge" id="live-count">{formatNumber(calls.length)}</span></h2>
      {calls.length === 0 ? (
        <Empty>{t("calls.liveNone", { time: formatTimeShort(state.since) })}</Empty>
      ) : (
        <table class="grid" id="live-calls">
          <thead>
            <tr>
              <th class="col-time">{t("calls.col.started")}</th>
              <th>{t("calls.col.direction")}</th>
              <th>{t("calls.col.caller")}</th>
              <th>{t("calls.col.callee")}</th>
              <th>{t("calls.col.state")}</th>
              <th class="num">{t("calls.col.duration")}</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call: LiveCall) => (
              <tr key={call.id} data-call={call.id} data-state={call.state}>
                <td class="mono">{formatTime(call.startedAt)}</td>
                <td>{tCode("direction", call.direction)}</td>
                <td><Party number={call.caller} name={call.caller_name} /></td>
                <td><Party number={call.callee || call.dialled} /></td>
                <td><span class={`pill call-${call.state}`}>{tCode("callState", call.state)}</span></td>
                <td class="num mono">{formatDuration((now - call.startedAt) / 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function History() {
  const [limit, setLimit] = useState<number>(25);
  const [open, setOpen] = useState<number | null>(null);
  const { draft, setDraft, offset, setOffset, page, loading, error, search, reset, field } = useSearch<Filters, Cdr>(
    noFilters,
    (filters, at) => api<Page<Cdr>>("GET", "/cdrs" + query({
      from: toMs(filters.from), to: toMs(filters.to), number: filters.number.trim(),
      disposition: filters.disposition, limit, offset: at,
    })),
    (message) => t("calls.loadFailed", { message }),
    [limit],
  );
  useEffect(() => setOpen(null), [page]);

  const items = page?.items ?? [];
  return (
    <div class="panel">
      <h2>{t("calls.history")}</h2>
      <form class="filters" id="cdr-search" onSubmit={search}>
        <label><span>{t("calls.filter.from")}</span><input type="datetime-local" step={1} {...field("from")} /></label>
        <label><span>{t("calls.filter.to")}</span><input type="datetime-local" step={1} {...field("to")} /></label>
        <label><span>{t("calls.filter.number")}</span>
          <input type="search" placeholder={t("calls.filter.numberHint")} {...field("number")} /></label>
        <DispositionFilter value={draft.disposition} onChange={(disposition) => setDraft({ ...draft, disposition })} />
        <div class="filter-buttons">
          <button type="submit" class="primary">{t("calls.filter.search")}</button>
          <button type="button" onClick={reset}>{t("calls.filter.reset")}</button>
        </div>
      </form>

      {error && <p class="form-error" role="alert">{error}</p>}
      {page && items.length === 0 && !loading && <Empty>{t("calls.none")}</Empty>}
      {items.length > 0 && (
        <table class={`grid cdrs${loading ? " loading" : ""}`} id="cdrs">
          <thead>
            <tr>
              <th class="col-expand" />
              <th>{t("calls.col.time")}</th>
              <th>{t("calls.col.direction")}</th>
              <th>{t("calls.col.caller")}</th>
              <th>{t("calls.col.callee")}</th>
              <th class="num">{t("calls.col.wait")}</th>
              <th class="num">{t("calls.col.talk")}</th>
              <th>{t("calls.col.disposition")}</th>
              <th>{t("calls.col.hangup")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((cdr) => (
              <CdrRow key={cdr.id} cdr={cdr} open={open === cdr.id} onToggle={() => setOpen(open === cdr.id ? null : cdr.id)} />
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} offset={offset} limit={limit} loading={loading} setOffset={setOffset}>
        <label class="page-size"><span>{t("calls.pageSize")}</span>
          <select id="page-size" value={String(limit)} onChange={(e) => { setLimit(Number(e.currentTarget.value)); setOffset(0); }}>
            {pageSizes.map((n) => <option key={n} value={String(n)}>{n}</option>)}
          </select>
        </label>
      </Pager>
    </div>
  );
}

function CdrRow({ cdr, open, onToggle }: { cdr: Cdr; open: boolean; onToggle: () => void }) {
  const hasIvr = cdr.ivr !== null;
  return (
    <>
      <tr data-cdr={cdr.id} data-call-id={cdr.call_id} class={`${hasIvr ? "expandable" : ""}${open ? " open" : ""}`}
        onClick={hasIvr ? onToggle : undefined} title={hasIvr ? t("calls.expand") : undefined}>
        <td class="col-expand">{hasIvr && <span class="chevron">{open ? "▾" : "▸"}</span>}</td>
        <td class="mono nowrap">{formatDateTime(cdr.started_at)}</td>
        <td>
          {tCode("direction", cdr.direction)}
          {cdr.trunk && <span class="muted small"> · {t("calls.trunk", { name: cdr.trunk })}</span>}
        </td>
        <td><Party number={cdr.caller} name={cdr.caller_name} /></td>
        <td>
          <Party number={cdr.callee || cdr.dialled} />
          {cdr.dialled && cdr.callee && cdr.dialled !== cdr.callee && (
            <span class="muted small"> {t("calls.dialled", { number: cdr.dialled })}</span>
          )}
        </td>
        <td class="num mono">{formatDuration(cdr.wait_s)}</td>
        <td class="num mono">{cdr.answered_at === null ? "—" : formatDuration(cdr.talk_s)}</td>
        <td><span class={`pill disp-${cdr.disposition}`} data-disposition={cdr.disposition}>{tCode("disposition", cdr.disposition)}</span></td>
        <td>{cdr.hangup_side ? tCode("side", cdr.hangup_side) : ""}</td>
      </tr>
      {open && cdr.ivr && (
        <tr class="ivr-row">
          <td />
          <td colSpan={8}><IvrTraceView trace={cdr.ivr} /></td>
        </tr>
      )}
    </>
  );
}

function exitText(trace: IvrTrace): string {
  return tCode("ivrExit", trace.exit, { target: trace.exit_target });
}

function IvrTraceView({ trace, previous }: { trace: IvrTrace; previous?: boolean }) {
  return (
    <div class="ivr-trace">
      <div class="ivr-head">
        {t(previous ? "calls.ivrPrevious" : "calls.ivrTrace", { flow: trace.flow, version: trace.version, exit: exitText(trace) })}
      </div>
      <table class="grid inner">
        <thead>
          <tr>
            <th>{t("calls.ivr.entered")}</th>
            <th>{t("calls.ivr.node")}</th>
            <th>{t("calls.ivr.type")}</th>
            <th class="num">{t("calls.ivr.time")}</th>
            <th>{t("calls.ivr.digits")}</th>
            <th>{t("calls.ivr.exit")}</th>
            <th>{t("calls.ivr.note")}</th>
          </tr>
        </thead>
        <tbody>
          {trace.steps.map((step, i) => (
            <tr key={i}>
              <td class="mono">{formatTime(step.entered_at)}</td>
              <td class="mono">{step.node}</td>
              <td>{step.type}</td>
              <td class="num mono">{formatMs(step.ms)}</td>
              <td class="mono">{step.digits}</td>
              <td class="mono">{step.exit}</td>
              <td>{step.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {trace.previous && <IvrTraceView trace={trace.previous} previous />}
    </div>
  );
}
