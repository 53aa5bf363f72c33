// "Quality": inspectors (admin, supervisor, qa) score calls with a published form
// while the recording plays — from the week's sample or by call id — and search the
// evaluations (CSV export, calibration across inspectors). Agents see their own
// evaluations here and acknowledge or dispute them. REST: /api/v1/qa (docs/api.md).
import { useEffect, useRef, useState } from "preact/hooks";
import {
  api, apiBlobUrl, apiFetch, ApiError, query, type Page, type QaAnswer, type QaCalibration, type QaEvaluation, type QaForm,
  type QaFormSummary, type QaItem, type QaLabels, type QaSample, type User,
} from "../api";
import { formatDateTime, formatDuration, formatNumber } from "../format";
import { lang, t, tCode } from "../i18n";
import { useStore } from "../store";
import { Empty, saveFile } from "../ui";

const qaTypes = ["routine", "sample", "complaint", "calibration", "coaching"] as const;
const evaluates = (user: User) => user.role !== "agent";

/** A label in the user's language, else English, else any. */
function label(labels: QaLabels): string {
  if (typeof labels === "string") return labels;
  return labels[lang.get()] ?? labels.en ?? Object.values(labels)[0] ?? "";
}

const failure = (error: unknown): string =>
  error instanceof ApiError ? (error.code === "forbidden" ? t("error.forbidden") : error.message) : String(error);

/** The server's scoring (qa/scoring.h), for the total shown while the form is filled in. */
function liveScore(form: QaForm, answers: Record<string, QaAnswer>): { total: number; grade: string; critical: boolean } {
  let given = 0;
  let possible = 0;
  let critical = false;
  for (const section of form.sections) {
    for (const item of section.items) {
      const answer = answers[item.id] ?? {};
      if (answer.na) continue;
      possible += item.max;
      given += item.kind === "pass_fail" ? (answer.passed ? item.max : 0) : (answer.score ?? 0);
      if (item.critical && answer.passed === false) critical = true;
    }
  }
  const total = critical || possible === 0 ? 0 : Math.round((1000 * given) / possible) / 10;
  const bands = form.bands ?? [{ grade: "A", min: 90 }, { grade: "B", min: 75 }, { grade: "C", min: 60 }, { grade: "D", min: 0 }];
  return { total, grade: bands.find((band) => total >= band.min)?.grade ?? "", critical };
}

/** Published form versions, fetched once each. */
const formCache = new Map<string, Promise<QaForm>>();
function formVersion(name: string, version: number): Promise<QaForm> {
  const key = `${name}:${version}`;
  let found = formCache.get(key);
  if (!found) {
    found = api<{ document: QaForm }>("GET", `/qa/forms/${encodeURIComponent(name)}/versions/${version}`).then((r) => r.document);
    formCache.set(key, found);
  }
  return found;
}

/** The ISO week ("2026-W49") of a moment, as <input type=week> and the server name it. */
function isoWeek(ms: number): string {
  const date = new Date(ms);
  const thursday = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function QualityPage({ user }: { user: User }) {
  const [serial, setSerial] = useState(0);
  const [evaluating, setEvaluating] = useState<QaSample | null>(null);
  const [saved, setSaved] = useState<QaEvaluation | null>(null);
  useStore(lang);
  return (
    <section class="page quality-page">
      <div class="page-head"><h1>{t("qa.title")}</h1>
        {!evaluates(user) && <span class="muted">{t("qa.mine")}</span>}</div>
      {saved && (
        <p class="notice" id="qa-saved" role="status">
          {t("qa.saved", { serial: saved.serial, total: formatNumber(saved.total), grade: saved.grade })}
        </p>
      )}
      {evaluates(user) && !evaluating && <SamplePanel onPick={(call) => { setSaved(null); setEvaluating(call); }} />}
      {evaluates(user) && evaluating && (
        <Scorer call={evaluating} onCancel={() => setEvaluating(null)}
          onSaved={(evaluation) => {
            setEvaluating(null);
            setSaved(evaluation);
            setSerial((n) => n + 1);
          }} />
      )}
      <Evaluations user={user} refresh={serial} />
      {evaluates(user) && <Forms />}
    </section>
  );
}

function SamplePanel({ onPick }: { onPick: (call: QaSample) => void }) {
  const [week, setWeek] = useState(isoWeek(Date.now()));
  const [perAgent, setPerAgent] = useState(5);
  const [items, setItems] = useState<QaSample[] | null>(null);
  const [error, setError] = useState("");
  const [cdr, setCdr] = useState("");
  const load = (event?: Event) => {
    event?.preventDefault();
    api<{ items: QaSample[] }>("GET", "/qa/sample" + query({ week, per_agent: perAgent }))
      .then((answer) => { setItems(answer.items); setError(""); })
      .catch((e: unknown) => setError(failure(e)));
  };
  useEffect(load, []);
  const byId = (event: Event) => {
    event.preventDefault();
    const id = Number(cdr);
    if (Number.isInteger(id) && id > 0) onPick({ cdr_id: id, agent: "", caller: "", queue: "", started_at: 0, duration_ms: 0, recorded: true });
  };
  return (
    <div class="panel" id="qa-sample">
      <h2>{t("qa.sample")}</h2>
      <div class="filters-row">
        <form class="filters" onSubmit={load}>
          <label><span>{t("qa.week")}</span><input type="week" name="week" value={week} required
            onInput={(e) => setWeek(e.currentTarget.value)} /></label>
          <label><span>{t("qa.perAgent")}</span><input type="number" name="per_agent" min={1} max={100} value={perAgent}
            class="narrow" onInput={(e) => setPerAgent(Number(e.currentTarget.value) || 1)} /></label>
          <div class="filter-buttons"><button type="submit">{t("qa.loadSample")}</button></div>
        </form>
        <form class="filters" id="qa-by-cdr" onSubmit={byId}>
          <label><span>{t("qa.callId")}</span><input type="number" name="cdr" min={1} value={cdr} class="narrow"
            onInput={(e) => setCdr(e.currentTarget.value)} /></label>
          <div class="filter-buttons"><button type="submit">{t("qa.evaluate")}</button></div>
        </form>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {items && items.length === 0 && <Empty>{t("qa.sampleNone")}</Empty>}
      {items && items.length > 0 && (
        <table class="grid" id="qa-sample-calls">
          <thead><tr>
            <th>{t("qa.col.agent")}</th><th>{t("qa.col.callStart")}</th><th>{t("qa.col.caller")}</th>
            <th>{t("qa.col.queue")}</th><th class="num">{t("qa.col.duration")}</th><th>{t("qa.col.recording")}</th><th />
          </tr></thead>
          <tbody>
            {items.map((call) => (
              <tr key={call.cdr_id} data-cdr={call.cdr_id}>
                <td class="mono">{call.agent}</td>
                <td class="mono nowrap">{formatDateTime(call.started_at)}</td>
                <td class="mono">{call.caller}</td>
                <td>{call.queue}</td>
                <td class="num mono">{formatDuration(call.duration_ms / 1000)}</td>
                <td>{call.recorded ? t("qa.recorded") : <span class="muted">{t("qa.notRecorded")}</span>}</td>
                <td class="num"><button type="button" class="small" data-evaluate={call.cdr_id} onClick={() => onPick(call)}>
                  {t("qa.evaluate")}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

type Mark = { at_ms: number; text: string };

function Scorer({ call, onCancel, onSaved }: {
  call: QaSample; onCancel: () => void; onSaved: (evaluation: QaEvaluation) => void;
}) {
  const [forms, setForms] = useState<QaFormSummary[]>([]);
  const [formName, setFormName] = useState("");
  const [form, setForm] = useState<{ doc: QaForm; version: number } | null>(null);
  const [answers, setAnswers] = useState<Record<string, QaAnswer>>({});
  const [qaType, setQaType] = useState<string>("routine");
  const [business, setBusiness] = useState("");
  const [comment, setComment] = useState("");
  const [marks, setMarks] = useState<Mark[]>([]);
  const [markText, setMarkText] = useState("");
  const [audio, setAudio] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const player = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    api<{ items: QaFormSummary[] }>("GET", "/qa/forms").then((answer) => {
      const published = answer.items.filter((f) => f.current_version > 0);
      setForms(published);
      if (published[0]) setFormName(published[0].name);
    }).catch((e: unknown) => setError(failure(e)));
  }, []);
  useEffect(() => {
    const summary = forms.find((f) => f.name === formName);
    if (!summary) return;
    formVersion(summary.name, summary.current_version).then((doc) => {
      const initial: Record<string, QaAnswer> = {};
      for (const section of doc.sections) {
        for (const item of section.items) initial[item.id] = item.kind === "pass_fail" ? { passed: true } : { score: item.max };
      }
      setAnswers(initial);
      setForm({ doc, version: summary.current_version });
    }).catch((e: unknown) => setError(failure(e)));
  }, [formName, forms]);
  useEffect(() => {
    let url: string | null = null;
    apiBlobUrl(`/cdrs/${call.cdr_id}/recording`).then((made) => { url = made; setAudio(made); })
      .catch((e: unknown) => setError(t("qa.noRecording", { message: failure(e) })));
    return () => { if (url) URL.revokeObjectURL(url); };
  }, [call.cdr_id]);

  const set = (item: string, answer: QaAnswer) => setAnswers({ ...answers, [item]: { ...answers[item], ...answer } });
  const now = () => Math.round((player.current?.currentTime ?? 0) * 1000);
  const addMark = () => {
    if (!markText.trim()) return;
    setMarks([...marks, { at_ms: now(), text: markText.trim() }].sort((a, b) => a.at_ms - b.at_ms));
    setMarkText("");
  };
  const seek = (ms: number) => { if (player.current) player.current.currentTime = ms / 1000; };
  const score = form ? liveScore(form.doc, answers) : null;

  const save = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    setBusy(true);
    try {
      const sent: Record<string, QaAnswer> = {};
      for (const [id, answer] of Object.entries(answers)) {
        sent[id] = answer.na ? { na: true, ...(answer.comment ? { comment: answer.comment } : {}) } : answer;
      }
      onSaved(await api<QaEvaluation>("POST", "/qa/evaluations", {
        cdr_id: call.cdr_id, form: form.doc.name, form_version: form.version, qa_type: qaType, business_type: business.trim(),
        answers: sent, comment: comment.trim(), marks,
      }));
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel scorer" id="qa-scorer" data-cdr={call.cdr_id} onSubmit={save}>
      <div class="scorer-head">
        <h2>{t("qa.evaluating", { id: call.cdr_id })}</h2>
        <span class="muted">
          {call.agent && t("qa.callFacts", {
            agent: call.agent, caller: call.caller || "—", start: formatDateTime(call.started_at),
            duration: formatDuration(call.duration_ms / 1000),
          })}
        </span>
        {score && (
          <span class={`qa-total${score.critical ? " critical" : ""}`} id="qa-live-total" data-total={score.total}>
            {t("qa.liveTotal", { total: formatNumber(score.total), grade: score.grade })}
            {score.critical && <span class="small"> · {t("qa.criticalFailed")}</span>}
          </span>
        )}
      </div>
      <div class="player-bar">
        {audio ? <audio controls src={audio} ref={player} id="qa-audio" class="player" /> : <span class="muted">{t("qa.loadingAudio")}</span>}
        <input type="text" id="qa-mark-text" placeholder={t("qa.markHint")} value={markText}
          onInput={(e) => setMarkText(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); addMark(); } }} />
        <button type="button" id="qa-add-mark" onClick={addMark} disabled={!markText.trim()}>{t("qa.addMark")}</button>
      </div>
      {marks.length > 0 && (
        <ul class="marks" id="qa-marks">
          {marks.map((mark, i) => (
            <li key={i}>
              <button type="button" class="quiet mono small" onClick={() => seek(mark.at_ms)} title={t("qa.seek")}>
                {formatDuration(mark.at_ms / 1000)}</button>
              <span>{mark.text}</span>
              <button type="button" class="quiet small" onClick={() => setMarks(marks.filter((_, j) => j !== i))}
                aria-label={t("qa.removeMark")}>×</button>
            </li>
          ))}
        </ul>
      )}
      <div class="filters">
        <label><span>{t("qa.form")}</span>
          <select name="form" value={formName} onChange={(e) => setFormName(e.currentTarget.value)}>
            {forms.map((f) => <option key={f.name} value={f.name}>{f.title ? label(f.title) : f.name} (v{f.current_version})</option>)}
          </select></label>
        <label><span>{t("qa.qaType")}</span>
          <select name="qa_type" value={qaType} onChange={(e) => setQaType(e.currentTarget.value)}>
            {qaTypes.map((type) => <option key={type} value={type}>{t(`qaType.${type}`)}</option>)}
          </select></label>
        <label><span>{t("qa.businessType")}</span>
          <input type="text" name="business_type" maxLength={60} value={business} onInput={(e) => setBusiness(e.currentTarget.value)} /></label>
      </div>
      {forms.length === 0 && <Empty>{t("qa.noForms")}</Empty>}
      {form && form.doc.sections.map((section) => (
        <fieldset key={section.id} class="qa-section">
          <legend>{label(section.title)}</legend>
          {section.items.map((item) => (
            <ItemRow key={item.id} item={item} answer={answers[item.id] ?? {}} onChange={(answer) => set(item.id, answer)} />
          ))}
        </fieldset>
      ))}
      <label class="stacked"><span>{t("qa.comment")}</span>
        <textarea name="comment" rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} /></label>
      {error && <p class="form-error" role="alert" id="qa-error">{error}</p>}
      <div class="actions">
        <button type="submit" class="primary" id="qa-save" disabled={!form || busy}>{t("qa.save")}</button>
        <button type="button" onClick={onCancel}>{t("qa.cancel")}</button>
      </div>
    </form>
  );
}

function ItemRow({ item, answer, onChange }: { item: QaItem; answer: QaAnswer; onChange: (answer: QaAnswer) => void }) {
  return (
    <div class="qa-item" data-item={item.id}>
      <span class="qa-item-label">
        {label(item.label)}
        {item.critical && <span class="pill critical-pill">{t("qa.critical")}</span>}
      </span>
      <span class="qa-item-score">
        {item.kind === "pass_fail" ? (
          <>
            <label><input type="radio" name={`${item.id}-result`} checked={!answer.na && answer.passed === true}
              disabled={answer.na} onChange={() => onChange({ passed: true })} /> {t("qa.pass")}</label>
            <label><input type="radio" name={`${item.id}-result`} checked={!answer.na && answer.passed === false}
              disabled={answer.na} onChange={() => onChange({ passed: false })} /> {t("qa.fail")}</label>
          </>
        ) : (
          <>
            <input type="number" name={`${item.id}-score`} min={0} max={item.max} step="any" class="narrow" value={answer.na ? "" : answer.score ?? ""}
              disabled={answer.na}
              onInput={(e) => onChange({ score: Math.min(item.max, Math.max(0, Number(e.currentTarget.value) || 0)) })} />
            <span class="muted small"> / {formatNumber(item.max)}</span>
          </>
        )}
        {item.na_allowed && (
          <label class="small"><input type="checkbox" checked={answer.na === true}
            onChange={(e) => onChange({ na: e.currentTarget.checked })} /> {t("qa.na")}</label>
        )}
      </span>
      <input type="text" class="qa-item-comment" placeholder={t("qa.itemComment")} value={answer.comment ?? ""}
        onInput={(e) => onChange({ comment: e.currentTarget.value })} />
    </div>
  );
}

type Filters = {
  agent: string; inspector: string; grade: string; qa_type: string; business_type: string; serial_from: string;
  serial_to: string; min_total: string; max_total: string; from: string; to: string;
};
const noFilters: Filters = {
  agent: "", inspector: "", grade: "", qa_type: "", business_type: "", serial_from: "", serial_to: "", min_total: "",
  max_total: "", from: "", to: "",
};
const toMs = (local: string): number | undefined => (local ? new Date(local).getTime() : undefined);

function Evaluations({ user, refresh }: { user: User; refresh: number }) {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [page, setPage] = useState<Page<QaEvaluation> | null>(null);
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState("");
  const [reload, setReload] = useState(0);
  const limit = 25;
  const params = () => ({
    agent: filters.agent.trim(), inspector: filters.inspector.trim(), grade: filters.grade.trim(), qa_type: filters.qa_type,
    business_type: filters.business_type.trim(), serial_from: filters.serial_from.trim().toUpperCase(),
    serial_to: filters.serial_to.trim().toUpperCase(), min_total: filters.min_total, max_total: filters.max_total,
    from: toMs(filters.from), to: toMs(filters.to),
  });
  useEffect(() => {
    let current = true;
    api<Page<QaEvaluation>>("GET", "/qa/evaluations" + query({ ...params(), limit, offset }))
      .then((answer) => { if (current) { setPage(answer); setError(""); } })
      .catch((e: unknown) => { if (current) setError(failure(e)); });
    return () => { current = false; };
  }, [filters, offset, refresh, reload]);
  const search = (event: Event) => {
    event.preventDefault();
    setOffset(0);
    setFilters({ ...draft });
  };
  const download = async () => {
    try {
      saveFile(await (await apiFetch("/qa/evaluations" + query({ ...params(), format: "csv" }))).blob(), "qa-evaluations.csv");
    } catch (e) {
      setError(failure(e));
    }
  };
  const field = (name: keyof Filters) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });
  const items = page?.items ?? [];
  const total = page?.total ?? 0;
  return (
    <div class="panel" id="qa-evaluations">
      <h2>{evaluates(user) ? t("qa.evaluations") : t("qa.myEvaluations")}</h2>
      <form class="filters" id="qa-search" onSubmit={search}>
        {evaluates(user) && <label><span>{t("qa.col.agent")}</span><input type="search" name="agent" class="narrow" {...field("agent")} /></label>}
        <label><span>{t("qa.col.inspector")}</span><input type="search" name="inspector" class="narrow" {...field("inspector")} /></label>
        <label><span>{t("qa.col.grade")}</span><input type="search" name="grade" class="narrow" {...field("grade")} /></label>
        <label><span>{t("qa.qaType")}</span>
          <select name="qa_type" value={draft.qa_type} onChange={(e) => setDraft({ ...draft, qa_type: e.currentTarget.value })}>
            <option value="">{t("calls.filter.any")}</option>
            {qaTypes.map((type) => <option key={type} value={type}>{t(`qaType.${type}`)}</option>)}
          </select></label>
        <label><span>{t("qa.businessType")}</span><input type="search" name="business_type" class="narrow" {...field("business_type")} /></label>
        <label><span>{t("qa.serialRange")}</span>
          <span class="range"><input type="search" name="serial_from" placeholder={`QA-${new Date().getFullYear()}-000001`} class="serial" {...field("serial_from")} />
            –<input type="search" name="serial_to" class="serial" {...field("serial_to")} /></span></label>
        <label><span>{t("qa.totalRange")}</span>
          <span class="range"><input type="number" name="min_total" min={0} max={100} class="tiny" {...field("min_total")} />
            –<input type="number" name="max_total" min={0} max={100} class="tiny" {...field("max_total")} /></span></label>
        <label><span>{t("qa.from")}</span><input type="datetime-local" name="from" step={1} {...field("from")} /></label>
        <label><span>{t("qa.to")}</span><input type="datetime-local" name="to" step={1} {...field("to")} /></label>
        <div class="filter-buttons">
          <button type="submit" class="primary">{t("calls.filter.search")}</button>
          <button type="button" onClick={() => { setDraft(noFilters); setFilters(noFilters); setOffset(0); }}>{t("calls.filter.reset")}</button>
          <button type="button" id="qa-csv" onClick={() => void download()}>{t("qa.csv")}</button>
        </div>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      {page && items.length === 0 && <Empty>{t("qa.none")}</Empty>}
      {items.length > 0 && (
        <table class="grid" id="qa-results">
          <thead><tr>
            <th>{t("qa.col.serial")}</th><th>{t("qa.col.evaluated")}</th><th>{t("qa.col.agent")}</th>
            <th>{t("qa.col.inspector")}</th><th>{t("qa.qaType")}</th><th>{t("qa.businessType")}</th>
            <th class="num">{t("qa.col.total")}</th><th>{t("qa.col.grade")}</th><th>{t("qa.col.callStart")}</th>
            <th class="num">{t("qa.col.duration")}</th><th>{t("qa.col.status")}</th>
          </tr></thead>
          <tbody>
            {items.map((e) => [
              <tr key={e.id} data-evaluation={e.id} data-serial={e.serial} class={`expandable${open === e.id ? " open" : ""}`}
                onClick={() => setOpen(open === e.id ? null : e.id)}>
                <td class="mono nowrap">{e.serial}</td>
                <td class="mono nowrap">{formatDateTime(e.created_at)}</td>
                <td class="mono">{e.agent}</td>
                <td>{e.inspector}</td>
                <td class="nowrap">{tCode("qaType", e.qa_type)}</td>
                <td>{e.business_type}</td>
                <td class="num mono">{formatNumber(e.total)}</td>
                <td><span class={`pill grade grade-${e.grade}`}>{e.grade}</span>{e.critical_failed && <span class="pill critical-pill">{t("qa.critical")}</span>}</td>
                <td class="mono nowrap">{formatDateTime(e.call_started_at)}</td>
                <td class="num mono">{formatDuration(e.call_duration_ms / 1000)}</td>
                <td><span class={`pill qa-${e.status}`} data-status={e.status}>{tCode("qaStatus", e.status)}</span></td>
              </tr>,
              open === e.id && (
                <tr key={`d${e.id}`} class="detail-row"><td colSpan={11}>
                  <Detail evaluation={e} user={user} onAnswered={() => setReload((n) => n + 1)} />
                </td></tr>
              ),
            ])}
          </tbody>
        </table>
      )}
      {total > limit && (
        <div class="pager">
          <span class="muted">{t("calls.range", { from: formatNumber(offset + 1), to: formatNumber(offset + items.length), total: formatNumber(total) })}</span>
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>‹ {t("calls.prev")}</button>
          <button type="button" disabled={offset + items.length >= total} onClick={() => setOffset(offset + limit)}>{t("calls.next")} ›</button>
        </div>
      )}
    </div>
  );
}

function Detail({ evaluation, user, onAnswered }: { evaluation: QaEvaluation; user: User; onAnswered: () => void }) {
  const [form, setForm] = useState<QaForm | null>(null);
  const [reason, setReason] = useState("");
  const [disputing, setDisputing] = useState(false);
  const [error, setError] = useState("");
  const [calibration, setCalibration] = useState<QaCalibration | null>(null);
  useEffect(() => {
    formVersion(evaluation.form, evaluation.form_version).then(setForm).catch(() => setForm(null));
  }, [evaluation.form, evaluation.form_version]);
  const labels = new Map<string, string>();
  for (const section of form?.sections ?? []) for (const item of section.items) labels.set(item.id, label(item.label));
  const mine = user.extension !== "" && user.extension === evaluation.agent;
  const respond = async (path: "acknowledge" | "dispute") => {
    try {
      await api("POST", `/qa/evaluations/${evaluation.id}/${path}`, path === "dispute" ? { reason: reason.trim() } : undefined);
      onAnswered();
    } catch (e) {
      setError(failure(e));
    }
  };
  const calibrate = () => {
    api<QaCalibration>("GET", "/qa/calibration" + query({ cdr: evaluation.cdr_id })).then(setCalibration)
      .catch((e: unknown) => setError(failure(e)));
  };
  return (
    <div class="qa-detail" onClick={(e) => e.stopPropagation()}>
      <table class="grid inner">
        <thead><tr><th>{t("qa.item")}</th><th class="num">{t("qa.col.score")}</th><th>{t("qa.itemComment")}</th></tr></thead>
        <tbody>
          {evaluation.items.map((item) => (
            <tr key={item.item}>
              <td>{labels.get(item.item) ?? item.item}</td>
              <td class="num mono">{item.na ? t("qa.na") : item.passed !== undefined ? (item.passed ? t("qa.pass") : t("qa.fail"))
                : `${formatNumber(item.score)} / ${formatNumber(item.max)}`}</td>
              <td>{item.comment ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {evaluation.comment && <p><strong>{t("qa.comment")}:</strong> {evaluation.comment}</p>}
      {evaluation.marks.length > 0 && (
        <ul class="marks">{evaluation.marks.map((mark, i) => (
          <li key={i}><span class="mono small">{formatDuration(mark.at_ms / 1000)}</span> <span>{mark.text}</span></li>
        ))}</ul>
      )}
      {evaluation.status === "disputed" && <p id="qa-dispute-reason"><strong>{t("qa.disputeReason")}:</strong> {evaluation.response}</p>}
      {mine && evaluation.status === "pending" && (
        <div class="actions" id="qa-answer">
          <button type="button" class="primary" id="qa-acknowledge" onClick={() => void respond("acknowledge")}>{t("qa.acknowledge")}</button>
          {disputing ? (
            <>
              <input type="text" id="qa-dispute-text" placeholder={t("qa.disputeHint")} value={reason}
                onInput={(e) => setReason(e.currentTarget.value)} />
              <button type="button" id="qa-dispute-send" disabled={!reason.trim()} onClick={() => void respond("dispute")}>{t("qa.disputeSend")}</button>
            </>
          ) : <button type="button" id="qa-dispute" onClick={() => setDisputing(true)}>{t("qa.dispute")}</button>}
        </div>
      )}
      {evaluates(user) && <div class="actions"><button type="button" id="qa-calibrate" class="small" onClick={calibrate}>{t("qa.calibration")}</button></div>}
      {calibration && (
        <div id="qa-calibration">
          <p>{t("qa.spread", {
            count: formatNumber(calibration.total.count), mean: formatNumber(calibration.total.mean ?? 0),
            spread: formatNumber(calibration.total.spread ?? 0), stddev: formatNumber(calibration.total.stddev ?? 0),
          })}</p>
          <table class="grid inner">
            <thead><tr><th>{t("qa.col.inspector")}</th><th class="num">{t("qa.col.total")}</th><th>{t("qa.col.grade")}</th><th>{t("qa.col.serial")}</th></tr></thead>
            <tbody>{calibration.evaluations.map((e) => (
              <tr key={e.id}><td>{e.inspector}</td><td class="num mono">{formatNumber(e.total)}</td><td>{e.grade}</td><td class="mono">{e.serial}</td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
      {error && <p class="form-error" role="alert">{error}</p>}
    </div>
  );
}

/** The evaluation forms: their versions, and a draft edited as JSON (docs/quality.md),
 *  checked by the server on save and published as the next version. */
function Forms() {
  const [items, setItems] = useState<QaFormSummary[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<{ items: QaFormSummary[] }>("GET", "/qa/forms").then((answer) => setItems(answer.items))
      .catch((e: unknown) => setMessage({ ok: false, text: failure(e) }));
  }, [reload]);
  const edit = async (name: string | null) => {
    setMessage(null);
    if (name === null) {
      setText(JSON.stringify({ name: "", title: { en: "", "zh-CN": "" }, sections: [] }, null, 2));
    } else {
      try {
        const form = await api<{ document: QaForm | null; draft: { document: QaForm } | null }>(
          "GET", `/qa/forms/${encodeURIComponent(name)}`);
        setText(JSON.stringify(form.draft?.document ?? form.document, null, 2));
      } catch (e) {
        setMessage({ ok: false, text: failure(e) });
        return;
      }
    }
    setEditing(name ?? "");
  };
  const saveDraft = async (): Promise<string | null> => {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (e) {
      setMessage({ ok: false, text: t("qa.formNotJson", { message: String(e) }) });
      return null;
    }
    try {
      const saved = await api<{ name: string; valid: boolean; problem?: { message: string } }>("POST", "/qa/forms", document);
      setMessage(saved.valid ? { ok: true, text: t("qa.draftSaved", { name: saved.name }) }
        : { ok: false, text: t("qa.draftProblem", { message: saved.problem?.message ?? "" }) });
      setReload((n) => n + 1);
      return saved.valid ? saved.name : null;
    } catch (e) {
      setMessage({ ok: false, text: failure(e) });
      return null;
    }
  };
  const publish = async () => {
    const name = await saveDraft();
    if (!name) return;
    try {
      const published = await api<{ version: number }>("POST", `/qa/forms/${encodeURIComponent(name)}/publish`);
      setMessage({ ok: true, text: t("qa.published", { name, version: published.version }) });
      setEditing(null);
      setReload((n) => n + 1);
    } catch (e) {
      setMessage({ ok: false, text: failure(e) });
    }
  };
  return (
    <div class="panel" id="qa-forms">
      <h2>{t("qa.forms")}</h2>
      <table class="grid">
        <thead><tr><th>{t("qa.formName")}</th><th>{t("qa.formTitle")}</th><th class="num">{t("qa.currentVersion")}</th>
          <th>{t("qa.draft")}</th><th /></tr></thead>
        <tbody>
          {items.map((form) => (
            <tr key={form.name} data-form={form.name}>
              <td class="mono">{form.name}</td>
              <td>{form.title ? label(form.title) : ""}</td>
              <td class="num mono">{form.current_version > 0 ? `v${form.current_version}` : "—"}</td>
              <td>{form.has_draft ? t("qa.hasDraft") : ""}</td>
              <td class="num"><button type="button" class="small" data-edit={form.name} onClick={() => void edit(form.name)}>{t("qa.edit")}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions"><button type="button" class="small" id="qa-new-form" onClick={() => void edit(null)}>{t("qa.newForm")}</button></div>
      {editing !== null && (
        <div class="form-editor">
          <textarea id="qa-form-json" rows={16} spellcheck={false} class="mono" value={text}
            onInput={(e) => setText(e.currentTarget.value)} />
          <div class="actions">
            <button type="button" id="qa-form-save" onClick={() => void saveDraft()}>{t("qa.saveDraft")}</button>
            <button type="button" class="primary" id="qa-form-publish" onClick={() => void publish()}>{t("qa.publish")}</button>
            <button type="button" onClick={() => { setEditing(null); setMessage(null); }}>{t("qa.cancel")}</button>
          </div>
        </div>
      )}
      {message && <p class={message.ok ? "notice" : "form-error"} id="qa-form-message" role="status">{message.text}</p>}
    </div>
  );
}
