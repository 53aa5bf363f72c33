// A list searched with a form (call history, recordings, typical cases): the draft
// the form edits, the filters of the last search, the page of the answer at `offset`,
// loading and the failure in words. A search or reset goes back to the first page.
import { useEffect, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { Page } from "./api";
import { formatNumber } from "./format";
import { t } from "./i18n";

export function useSearch<F extends Record<string, string>, T>(
  empty: F,
  load: (filters: F, offset: number) => Promise<Page<T>>,
  failed: (message: string) => string,
  /** What else the answer depends on (a page size). */
  extra: readonly unknown[] = [],
) {
  const [draft, setDraft] = useState<F>(empty);
  const [filters, setFilters] = useState<F>(empty);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState("");
  const [serial, setSerial] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    load(filters, offset).then((answer) => {
      if (!current) return;
      setPage(answer);
      setError("");
    }).catch((failure: unknown) => {
      if (current) setError(failed(failure instanceof Error ? failure.message : String(failure)));
    }).finally(() => {
      if (current) setLoading(false);
    });
    return () => { current = false; };
  }, [filters, offset, serial, ...extra]);

  const run = (next: F) => {
    setOffset(0);
    setFilters(next);
    setSerial((n) => n + 1);
  };
  return {
    draft, setDraft, offset, setOffset, page, loading, error, setError,
    search: (event: Event) => { event.preventDefault(); run({ ...draft }); },
    reset: () => { setDraft(empty); run(empty); },
    /** Loads the same page again (after a change). */
    reload: () => setSerial((n) => n + 1),
    /** An input's value and handler for one filter. */
    field: (name: keyof F & string) => ({
      name, value: draft[name],
      onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
    }),
  };
}

/** A datetime-local input's value as ms since the epoch. */
export const toMs = (local: string): number | undefined => (local ? new Date(local).getTime() : undefined);

const dispositions = ["answered", "busy", "no_answer", "cancelled", "unavailable", "not_found", "rejected",
  "failed", "blocked", "in_progress", "interrupted"] as const;

/** The disposition filter of a call search: any, or one the server knows. */
export function DispositionFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label><span>{t("calls.filter.disposition")}</span>
      <select name="disposition" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t("calls.filter.any")}</option>
        {dispositions.map((d) => <option key={d} value={d}>{t(`disposition.${d}`)}</option>)}
      </select>
    </label>
  );
}

type PagerProps = {
  page: Page<unknown> | null; offset: number; limit: number; loading: boolean; setOffset: (offset: number) => void;
  /** Between the range and the buttons (a page size). */
  children?: ComponentChildren;
};

/** Which rows of how many are shown, and Previous / Next. */
export function Pager({ page, offset, limit, loading, setOffset, children }: PagerProps) {
  const total = page?.total ?? 0;
  const shown = page?.items.length ?? 0;
  return (
    <div class="pager" id="pager">
      <span class="muted" id="page-range">
        {loading && !page ? t("calls.loading")
          : total > 0 ? t("calls.range", {
            from: formatNumber(offset + 1), to: formatNumber(offset + shown), total: formatNumber(total) })
          : ""}
      </span>
      {children}
      <button type="button" id="page-prev" disabled={offset === 0 || loading}
        onClick={() => setOffset(Math.max(0, offset - limit))}>‹ {t("calls.prev")}</button>
      <button type="button" id="page-next" disabled={offset + shown >= total || loading}
        onClick={() => setOffset(offset + limit)}>{t("calls.next")} ›</button>
    </div>
  );
}
