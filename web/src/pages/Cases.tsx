// "Typical cases" (every role): the library of calls kept as good or bad examples
// (GET /api/v1/cases), browsed by kind, category and text, each played read-only
// (GET /cases/{id}/recording, audited as case.play); admins and supervisors edit and
// delete.
import { useState } from "preact/hooks";
import { api, query, type Page, type TypicalCase, type User } from "../api";
import { formatDateTime, formatDuration, formatNumber } from "../format";
import { t } from "../i18n";
import { CaseForm } from "../caseForm";
import { RecordingPlayer, recordingError } from "../player";
import { useSearch } from "../search";
import { Empty } from "../ui";

type Filters = { kind: string; category: string; q: string };
const noFilters: Filters = { kind: "", category: "", q: "" };

export function CasesPage({ user }: { user: User }) {
  const [chosen, setChosen] = useState<TypicalCase | null>(null);
  const [editing, setEditing] = useState(false);
  const { draft, setDraft, page, error, setError, search, reload, field } = useSearch<Filters, TypicalCase>(
    noFilters,
    (filters) => api<Page<TypicalCase>>("GET", "/cases" + query({
      kind: filters.kind, category: filters.category.trim(), q: filters.q.trim(), limit: 200,
    })),
    (message) => t("cases.loadFailed", { message }),
  );
  const remove = async (typical: TypicalCase) => {
    if (!confirm(t("cases.deleteConfirm", { title: typical.title }))) return;
    try {
      await api("DELETE", `/cases/${typical.id}`);
      setChosen(null);
      reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const mayChange = user.role === "admin" || user.role === "supervisor";
  const items = page?.items ?? [];
  return (
    <section class="page cases-page">
      <div class="page-head">
        <h1>{t("cases.title")}</h1>
        {page && <span class="since" id="cases-total">{t("cases.count", { n: formatNumber(page.total) })}</span>}
      </div>
      <div class="panel">
        <form class="filters" id="case-search" onSubmit={search}>
          <label><span>{t("cases.filter.kind")}</span>
            <select name="kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value })}>
              <option value="">{t("calls.filter.any")}</option>
              <option value="good">{t("cases.kind.good")}</option>
              <option value="bad">{t("cases.kind.bad")}</option>
            </select>
          </label>
          <label><span>{t("cases.field.category")}</span>
            <input {...field("category")} /></label>
          <label><span>{t("cases.filter.text")}</span>
            <input type="search" placeholder={t("cases.filter.textHint")} {...field("q")} /></label>
          <div class="filter-buttons">
            <button type="submit" class="primary">{t("calls.filter.search")}</button>
          </div>
        </form>
      </div>
      <div class="rec-layout">
        <div class="panel rec-results">
          {error && <p class="form-error" role="alert">{error}</p>}
          {page && items.length === 0 && <Empty>{t("cases.none")}</Empty>}
          {items.length > 0 && (
            <table class="grid" id="cases">
              <thead>
                <tr>
                  <th>{t("cases.col.kind")}</th>
                  <th>{t("cases.field.title")}</th>
                  <th>{t("cases.field.category")}</th>
                  <th>{t("recordings.col.agent")}</th>
                  <th>{t("cases.col.call")}</th>
                  <th class="num">{t("calls.col.talk")}</th>
                  <th>{t("cases.col.by")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((typical) => (
                  <tr key={typical.id} data-case={typical.id} class={`selectable${chosen?.id === typical.id ? " chosen" : ""}`}
                    onClick={() => { setChosen(typical); setEditing(false); }}>
                    <td><KindPill kind={typical.kind} /></td>
                    <td class="case-title">{typical.title}</td>
                    <td>{typical.category || "—"}</td>
                    <td class="mono">{typical.call.agent || "—"}</td>
                    <td class="mono nowrap">{formatDateTime(typical.call.started_at)}</td>
                    <td class="num mono">{formatDuration(typical.call.talk_s)}</td>
                    <td>{typical.created_by}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div class="panel rec-side" id="case-side">
          {chosen ? (
            <div class="rec-chosen" data-case={chosen.id} key={chosen.id}>
              <h2><KindPill kind={chosen.kind} /> <span id="case-title">{chosen.title}</span></h2>
              <dl class="facts">
                <dt>{t("cases.field.category")}</dt><dd>{chosen.category || "—"}</dd>
                <dt>{t("calls.col.caller")}</dt><dd class="mono">{chosen.call.caller || "—"}</dd>
                <dt>{t("recordings.col.agent")}</dt><dd class="mono">{chosen.call.agent || "—"}</dd>
                <dt>{t("cases.col.call")}</dt><dd class="mono">{formatDateTime(chosen.call.started_at)}</dd>
                <dt>{t("cases.col.by")}</dt><dd>{chosen.created_by} · {formatDateTime(chosen.created_at)}</dd>
              </dl>
              {chosen.notes && <p class="case-notes" id="case-notes">{chosen.notes}</p>}
              <RecordingPlayer path={`/cases/${chosen.id}/recording`} describeError={recordingError} />
              {mayChange && !editing && (
                <div class="form-actions rec-actions">
                  <button type="button" id="btn-edit-case" onClick={() => setEditing(true)}>{t("cases.edit")}</button>
                  <button type="button" class="quiet danger-text" id="btn-delete-case" onClick={() => void remove(chosen)}>
                    {t("cases.delete")}</button>
                </div>
              )}
              {editing && (
                <CaseForm heading={t("cases.edit")} initial={chosen}
                  save={(fields) => api<TypicalCase>("PATCH", `/cases/${chosen.id}`, fields)}
                  onDone={(saved) => {
                    setEditing(false);
                    if (saved) {
                      setChosen(saved);
                      reload();
                    }
                  }} />
              )}
            </div>
          ) : <Empty>{t("cases.choose")}</Empty>}
        </div>
      </div>
    </section>
  );
}

function KindPill({ kind }: { kind: string }) {
  return <span class={`pill case-${kind}`} data-kind={kind}>{t(kind === "bad" ? "cases.kind.bad" : "cases.kind.good")}</span>;
}
