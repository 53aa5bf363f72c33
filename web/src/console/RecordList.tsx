// The console's record list: a search box (filtering in the browser: these lists are
// small), a dense table, paging (search.tsx's Pager) and "New". A row opens its
// record: its first cell is a link-like button (Tab, Enter), the row a click target.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { t } from "../i18n";
import { Pager } from "../search";
import { Empty } from "../ui";

export type Column<T> = { label: string; cell: (item: T) => ComponentChildren; class?: string };

type RecordListProps<T> = {
  /** The table's id ("skill-list"); the search box is `${id}-search`, New `${id}-new`. */
  id: string;
  items: readonly T[] | null;
  keyOf: (item: T) => string;
  /** The text a search looks in (lower-cased here). */
  text: (item: T) => string;
  columns: Column<T>[];
  onOpen: (item: T) => void;
  /** Absent: no New button (read-only). */
  onNew?: () => void;
  newLabel?: string;
  searchLabel: string;
  empty: string;
  error?: string;
  pageSize?: number;
  /** Beside the search (a filter of the page's own). */
  children?: ComponentChildren;
};

export function RecordList<T>({
  id, items, keyOf, text, columns, onOpen, onNew, newLabel, searchLabel, empty, error, pageSize = 25, children,
}: RecordListProps<T>) {
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const needle = search.trim().toLowerCase();
  const shown = (items ?? []).filter((item) => !needle || text(item).toLowerCase().includes(needle));
  const start = Math.min(offset, Math.max(0, shown.length - 1 - ((shown.length - 1) % pageSize)));
  const page = shown.slice(start, start + pageSize);
  const [first, ...rest] = columns;
  return (
    <div class="record-list">
      <div class="toolbar">
        <input type="search" class="filter" id={`${id}-search`} placeholder={searchLabel} aria-label={searchLabel}
          value={search} onInput={(e) => { setSearch(e.currentTarget.value); setOffset(0); }} />
        {children}
        <span class="gap" />
        {onNew && <button type="button" class="primary" id={`${id}-new`} onClick={onNew}>{newLabel ?? t("console.new")}</button>}
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {items === null && !error && <Empty>{t("console.loading")}</Empty>}
      {items !== null && shown.length === 0 && <Empty>{items.length ? t("console.noMatch") : empty}</Empty>}
      {shown.length > 0 && first && (
        <>
          <table class="grid record-table" id={id}>
            <thead><tr>{columns.map((c) => <th key={c.label} class={c.class}>{c.label}</th>)}</tr></thead>
            <tbody>
              {page.map((item) => (
                <tr key={keyOf(item)} data-key={keyOf(item)} class="record-row" onClick={() => onOpen(item)}>
                  <td class={first.class}>
                    <button type="button" class="link" data-open={keyOf(item)}
                      onClick={(e) => { e.stopPropagation(); onOpen(item); }}>{first.cell(item)}</button>
                  </td>
                  {rest.map((c) => <td key={c.label} class={c.class}>{c.cell(item)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > pageSize && (
            <Pager page={{ items: page, total: shown.length }} offset={start} limit={pageSize} loading={false} setOffset={setOffset} />
          )}
        </>
      )}
    </div>
  );
}
