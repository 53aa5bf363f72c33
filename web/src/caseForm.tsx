// The form of a typical case — good or bad, title, category, notes — that marks a
// recording as a case (Recordings) and edits one (Cases).
import { useState } from "preact/hooks";
import { ApiError, type TypicalCase } from "./api";
import { t } from "./i18n";

export type CaseFields = Pick<TypicalCase, "kind" | "title" | "category" | "notes">;

type Props = {
  heading: string;
  /** The case as it is, when editing. */
  initial?: CaseFields;
  save: (fields: CaseFields) => Promise<TypicalCase>;
  /** The case saved, or null when cancelled. */
  onDone: (saved: TypicalCase | null) => void;
};

export function CaseForm({ heading, initial, save, onDone }: Props) {
  const [kind, setKind] = useState<CaseFields["kind"]>(initial?.kind ?? "good");
  const [title, setTitle] = useState(initial?.title ?? "");
  const [category, setCategory] = useState(initial?.category ?? "");
  const [notes, setNotes] = useState(initial?.notes ?? "");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!title.trim()) {
      setError(t("cases.titleMissing"));
      return;
    }
    setBusy(true);
    try {
      onDone(await save({ kind, title: title.trim(), category: category.trim(), notes }));
    } catch (failure) {
      setError(failure instanceof ApiError && failure.code === "no_recording" ? t("recordings.gone")
        : failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="case-form" id="case-form" onSubmit={(e) => void submit(e)} role="dialog" aria-label={heading}>
      <h3>{heading}</h3>
      <div class="segmented kind-choice" role="radiogroup">
        {(["good", "bad"] as const).map((k) => (
          <label key={k} class={`kind-${k}${kind === k ? " on" : ""}`}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {t(`cases.kind.${k}`)}
          </label>
        ))}
      </div>
      <label class="field"><span>{t("cases.field.title")}</span>
        <input name="title" maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
      <label class="field"><span>{t("cases.field.category")}</span>
        <input name="category" maxLength={100} value={category} onInput={(e) => setCategory(e.currentTarget.value)} /></label>
      <label class="field"><span>{t("cases.field.notes")}</span>
        <textarea name="notes" rows={3} maxLength={4000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} /></label>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>{t("cases.save")}</button>
        <button type="button" onClick={() => onDone(null)}>{t("cases.cancel")}</button>
        {error && <p class="form-error" role="alert">{error}</p>}
      </div>
    </form>
  );
}
