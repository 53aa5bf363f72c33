// "Recordings" (admin, supervisor, QA): the calls searched by date, agent, queue,
// customer, number, disposition, talk time and recording (GET /api/v1/cdrs), a
// player for the chosen call's recording, its download for the roles allowed, and
// marking it as a typical case (POST /api/v1/cases).
import { useEffect, useState } from "preact/hooks";
import { api, query, type Agent, type Cdr, type Page, type Queue, type TypicalCase, type User } from "../api";
import { formatDate, formatDateTime, formatDuration } from "../format";
import { t, tCode } from "../i18n";
import { CaseForm } from "../caseForm";
import { RecordingPlayer, recordingError } from "../player";
import { DispositionFilter, Pager, toMs, useSearch } from "../search";
import { Empty } from "../ui";

const pageSize = 25;

type Filters = {
  from: string; to: string; agent: string; queue: string; customer: string; number: string; disposition: string;
  min: string; max: string; recording: "available" | "any";
};
const noFilters: Filters = {
  from: "", to: "", agent: "", queue: "", customer: "", number: "", disposition: "", min: "", max: "", recording: "available",
};

export function RecordingsPage({ user }: { user: User }) {
  const [chosen, setChosen] = useState<Cdr | null>(null);
  const { draft, setDraft, offset, setOffset, page, loading, error, search, reset, field } = useSearch<Filters, Cdr>(
    noFilters,
    (filters, at) => {
      const number = (text: string) => (text.trim() === "" ? undefined : text.trim());
      return api<Page<Cdr>>("GET", "/cdrs" + query({
        from: toMs(filters.from), to: toMs(filters.to), agent: filters.agent.trim(), queue: filters.queue.trim(),
        // A customer by number is their ID, else by a part of their name.
        ...(/^\d+$/.test(filters.customer.trim()) ? { customer_id: filters.customer.trim() } : { customer: filters.customer.trim() }),
        number: filters.number.trim(), disposition: filters.disposition,
        min_duration: number(filters.min), max_duration: number(filters.max),
        has_recording: filters.recording === "available" ? "true" : undefined, limit: pageSize, offset: at,
      }));
    },
    (message) => t("recordings.loadFailed", { message }),
  );

  // Admins and supervisors get the agents and queues as suggestions; QA types them.
  const [agents, setAgents] = useState<Agent[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);
  useEffect(() => {
    if (user.role !== "admin" && user.role !== "supervisor") return;
    void api<{ items: Agent[] }>("GET", "/agents").then((answer) => setAgents(answer.items)).catch(() => {});
    void api<{ items: Queue[] }>("GET", "/queues").then((answer) => setQueues(answer.items)).catch(() => {});
  }, [user.role]);

  const items = page?.items ?? [];
  const mayDownload = user.role === "admin" || user.role === "supervisor";
  return (
    <section class="page recordings-page">
      <div class="page-head"><h1>{t("recordings.title")}</h1></div>
      <div class="panel">
        <form class="filters" id="rec-search" onSubmit={search}>
          <label><span>{t("calls.filter.from")}</span><input type="datetime-local" step={1} {...field("from")} /></label>
          <label><span>{t("calls.filter.to")}</span><input type="datetime-local" step={1} {...field("to")} /></label>
          <label><span>{t("recordings.filter.agent")}</span><input class="short" list="rec-agents" {...field("agent")} /></label>
          <label><span>{t("recordings.filter.queue")}</span><input class="short" list="rec-queues" {...field("queue")} /></label>
          <label><span>{t("recordings.filter.customer")}</span>
            <input {...field("customer")} /></label>
          <label><span>{t("calls.filter.number")}</span>
            <input type="search" placeholder={t("calls.filter.numberHint")} {...field("number")} /></label>
          <DispositionFilter value={draft.disposition} onChange={(disposition) => setDraft({ ...draft, disposition })} />
          <label><span>{t("recordings.filter.talk")}</span>
            <span class="range-inputs">
              <input type="number" min={0} class="tiny" {...field("min")} aria-label={t("recordings.filter.min")}
                placeholder={t("recordings.filter.min")} />
              –
              <input type="number" min={0} class="tiny" {...field("max")} aria-label={t("recordings.filter.max")}
                placeholder={t("recordings.filter.max")} />
            </span>
          </label>
          <label><span>{t("recordings.filter.recording")}</span>
            <select name="recording" value={draft.recording}
              onChange={(e) => setDraft({ ...draft, recording: e.currentTarget.value as Filters["recording"] })}>
              <option value="available">{t("recordings.filter.playable")}</option>
              <option value="any">{t("recordings.filter.allCalls")}</option>
            </select>
          </label>
          <div class="filter-buttons">
            <button type="submit" class="primary">{t("calls.filter.search")}</button>
            <button type="button" onClick={reset}>{t("calls.filter.reset")}</button>
          </div>
          <datalist id="rec-agents">
            {agents.map((agent) => <option key={agent.extension} value={agent.extension}>{agent.name}</option>)}
          </datalist>
          <datalist id="rec-queues">{queues.map((queue) => <option key={queue.name} value={queue.name} />)}</datalist>
        </form>
      </div>

      <div class="rec-layout">
        <div class="panel rec-results">
          {error && <p class="form-error" role="alert">{error}</p>}
          {page && items.length === 0 && !loading && <Empty>{t("recordings.none")}</Empty>}
          {items.length > 0 && (
            <table class={`grid${loading ? " loading" : ""}`} id="recordings">
              <thead>
                <tr>
                  <th>{t("calls.col.time")}</th>
                  <th>{t("calls.col.caller")}</th>
                  <th>{t("recordings.col.agent")}</th>
                  <th>{t("recordings.col.queue")}</th>
                  <th class="num">{t("calls.col.talk")}</th>
                  <th>{t("calls.col.disposition")}</th>
                  <th>{t("recordings.col.recording")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((cdr) => (
                  <tr key={cdr.id} data-cdr={cdr.id} class={`selectable${chosen?.id === cdr.id ? " chosen" : ""}`}
                    onClick={() => setChosen(cdr)}>
                    <td class="mono nowrap">{formatDateTime(cdr.started_at)}</td>
                    <td class="mono">{cdr.caller || "—"}</td>
                    <td class="mono">{cdr.agent || "—"}</td>
                    <td>{cdr.queue || "—"}</td>
                    <td class="num mono">{cdr.answered_at === null ? "—" : formatDuration(cdr.talk_s)}</td>
                    <td><span class={`pill disp-${cdr.disposition}`}>{tCode("disposition", cdr.disposition)}</span></td>
                    <td><RecordingState cdr={cdr} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager page={page} offset={offset} limit={pageSize} loading={loading} setOffset={setOffset} />
        </div>
        <div class="panel rec-side" id="rec-side">
          {chosen ? <Chosen key={chosen.id} cdr={chosen} user={user} mayDownload={mayDownload} />
            : <Empty>{t("recordings.choose")}</Empty>}
        </div>
      </div>
    </section>
  );
}

function RecordingState({ cdr }: { cdr: Cdr }) {
  if (cdr.recording === "deleted" && cdr.recording_deleted_at) {
    return <span class="muted small" data-recording="deleted">
      {t("recordings.deletedOn", { date: formatDate(cdr.recording_deleted_at) })}</span>;
  }
  if (cdr.recording === "available") return <span class="small" data-recording="available">{t("recordings.available")}</span>;
  return <span class="muted small" data-recording="none">{t("recordings.notRecorded")}</span>;
}

function Chosen({ cdr, user, mayDownload }: { cdr: Cdr; user: User; mayDownload: boolean }) {
  const [marking, setMarking] = useState(false);
  const [saved, setSaved] = useState<TypicalCase | null>(null);
  const mayMark = user.role === "admin" || user.role === "supervisor" || user.role === "qa";
  return (
    <div class="rec-chosen" data-cdr={cdr.id}>
      <h2>{t("recordings.callTitle", { caller: cdr.caller || "—", time: formatDateTime(cdr.started_at) })}</h2>
      <dl class="facts">
        <dt>{t("recordings.col.agent")}</dt><dd class="mono">{cdr.agent || "—"}</dd>
        <dt>{t("recordings.col.queue")}</dt><dd>{cdr.queue || "—"}</dd>
        <dt>{t("calls.col.talk")}</dt><dd class="mono">{formatDuration(cdr.talk_s)}</dd>
        {cdr.disposition_code && <><dt>{t("recordings.wrapUp")}</dt><dd>{cdr.disposition_code}{cdr.notes && ` — ${cdr.notes}`}</dd></>}
      </dl>
      {cdr.recording === "available" ? (
        <RecordingPlayer path={`/cdrs/${cdr.id}/recording`} describeError={recordingError}
          downloadName={mayDownload ? `call-${cdr.id}.wav` : undefined} />
      ) : (
        <p class="muted" id="player-error"><RecordingState cdr={cdr} /></p>
      )}
      {mayMark && cdr.recording === "available" && !marking && (
        <div class="form-actions rec-actions">
          <button type="button" id="btn-mark-case" onClick={() => { setMarking(true); setSaved(null); }}>
            {t("recordings.markCase")}</button>
          {saved && <span class="ok-note" id="case-saved">{t("recordings.caseSaved", { title: saved.title })}</span>}
        </div>
      )}
      {marking && (
        <CaseForm heading={t("recordings.markCase")}
          save={(fields) => api<TypicalCase>("POST", "/cases", { cdr_id: cdr.id, ...fields })}
          onDone={(created) => { setMarking(false); setSaved(created); }} />
      )}
    </div>
  );
}
