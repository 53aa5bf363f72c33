// Bulk import and export of a console list as CSV (docs/api.md, Bulk import and
// export): Export downloads GET /<kind>/export; Import reads a chosen file, shows the
// server's dry run line by line (what would be created, changed, left, or refused and
// why) and Apply imports it — all or nothing. `buttons` go in the list's toolbar,
// `report` above the list.
import { useRef, useState } from "preact/hooks";
import { api, apiFetch, ApiError, type ImportReport } from "../../api";
import { inWords } from "../../console/problems";
import { formatNumber } from "../../format";
import { t, tCode } from "../../i18n";
import { saveFile } from "../../ui";

type Kind = "extensions" | "agents";
type Pending = { name: string; text: string; report: ImportReport };

/** The server's report of a refused import (400 invalid_import), when it sent one. */
const reportOf = (error: unknown): ImportReport | null =>
  error instanceof ApiError && error.code === "invalid_import" ? (error.details as ImportReport) : null;

export function useCsvImport(kind: Kind, canImport: boolean, onImported: () => void) {
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState<ImportReport | null>(null);

  const exportCsv = async () => {
    setError("");
    try {
      saveFile(await (await apiFetch(`/${kind}/export`)).blob(), `${kind}.csv`);
    } catch (failure) {
      setError(t("csv.exportFailed", { message: (failure as Error).message }));
    }
  };

  const check = async (file: File) => {
    setBusy(true);
    setError("");
    setDone(null);
    setPending(null);
    try {
      const text = await file.text();
      const report = await api<ImportReport>("POST", `/${kind}/import?dry_run=true`, new Blob([text], { type: "text/csv" }));
      setPending({ name: file.name, text, report });
    } catch (failure) {
      setError(t("csv.checkFailed", { message: (failure as Error).message }));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  const apply = async () => {
    if (!pending) return;
    setBusy(true);
    setError("");
    try {
      const report = await api<ImportReport>("POST", `/${kind}/import`, new Blob([pending.text], { type: "text/csv" }));
      setPending(null);
      setDone(report);
      onImported();
    } catch (failure) {
      const refused = reportOf(failure);
      if (refused) setPending({ ...pending, report: refused });
      setError(t("csv.applyFailed", { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  const buttons = (
    <span class="csv-buttons">
      <button type="button" id={`${kind}-export`} onClick={() => void exportCsv()}>{t("csv.export")}</button>
      {canImport && (
        <>
          <input ref={input} type="file" accept=".csv,text/csv" class="sr-only" id={`${kind}-import-file`} tabIndex={-1}
            aria-hidden="true" onChange={(e) => { const file = e.currentTarget.files?.[0]; if (file) void check(file); }} />
          <button type="button" id={`${kind}-import`} disabled={busy} onClick={() => input.current?.click()}>
            {t("csv.import")}
          </button>
        </>
      )}
    </span>
  );

  const report = (pending || error || done) && (
    <section class="panel csv-report" id={`${kind}-import-report`} aria-live="polite">
      {error && <p class="form-error" role="alert">{error}</p>}
      {done && (
        <p class="ok-note" role="status" id={`${kind}-import-done`}>
          {t("csv.applied", { create: formatNumber(done.summary.create), update: formatNumber(done.summary.update) })}
        </p>
      )}
      {pending && <ImportTable pending={pending} />}
      {pending && (
        <div class="form-actions">
          <button type="button" class="primary" id={`${kind}-import-apply`} onClick={() => void apply()}
            disabled={busy || pending.report.summary.refused > 0 || pending.report.summary.create + pending.report.summary.update === 0}>
            {t("csv.apply")}
          </button>
          <button type="button" id={`${kind}-import-cancel`} onClick={() => { setPending(null); setError(""); }}>
            {t("csv.cancel")}
          </button>
          {pending.report.summary.refused > 0 && <span class="muted small">{t("csv.fixFirst")}</span>}
        </div>
      )}
      {!pending && (
        <button type="button" class="small" onClick={() => { setDone(null); setError(""); }}>{t("csv.close")}</button>
      )}
    </section>
  );

  return { buttons, report };
}

function ImportTable({ pending }: { pending: Pending }) {
  const { summary, lines } = pending.report;
  return (
    <>
      <h2>{t("csv.dryRun", { file: pending.name })}</h2>
      <p class="csv-summary" id="import-summary">
        {t("csv.summary", {
          create: formatNumber(summary.create), update: formatNumber(summary.update),
          unchanged: formatNumber(summary.unchanged), refused: formatNumber(summary.refused),
        })}
      </p>
      <div class="csv-lines">
        <table class="grid" id="import-lines">
          <thead>
            <tr>
              <th class="num">{t("csv.col.line")}</th>
              <th>{t("csv.col.extension")}</th>
              <th>{t("csv.col.action")}</th>
              <th>{t("csv.col.details")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.line} data-line={line.line} data-action={line.action} class={line.action === "refused" ? "refused" : ""}>
                <td class="num mono">{formatNumber(line.line)}</td>
                <td class="mono">{line.extension || "—"}</td>
                <td><span class={`pill import-${line.action}`}>{tCode("csv.action", line.action)}</span></td>
                <td>
                  {line.problems.map((problem) => (
                    <div key={problem.field + problem.message} class="csv-problem">
                      <code>{problem.field}</code> {inWords(problem.message)}
                    </div>
                  ))}
                  {line.changes.length > 0 && (
                    <span class="muted">{t("csv.changes", { fields: line.changes.join(", ") })}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
