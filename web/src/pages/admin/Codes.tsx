// Administration › Codes: the agent desktop's two code lists — the dispositions of a
// wrap-up and the reasons for going not ready — in their order, each code with its
// English and Chinese label. Save replaces both lists at once (PUT /api/v1/cti/codes);
// the desktops pick the new lists up from the "cti_codes" event without a reload.
// Supervisors read.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, type Code, type Codes } from "../../api";
import { AuditTrail } from "../../console/AuditTrail";
import { useViewer } from "../../console/Console";
import { Field, FormSection, RecordForm, useReadOnly, useSave } from "../../console/RecordForm";
import { events } from "../../events";
import { t } from "../../i18n";

type ListName = "dispositions" | "not_ready_reasons";
type Row = { id: number; code: string; en: string; zh: string };
type Draft = Record<ListName, Row[]>;

const LISTS: readonly ListName[] = ["dispositions", "not_ready_reasons"];
let nextId = 1;

const rowsOf = (codes: Code[]): Row[] =>
  codes.map((c) => ({ id: nextId++, code: c.code, en: c.label.en ?? "", zh: c.label["zh-CN"] ?? "" }));
const draftOf = (codes: Codes): Draft => ({ dispositions: rowsOf(codes.dispositions), not_ready_reasons: rowsOf(codes.not_ready_reasons) });
// The lists as PUT takes them; an empty Chinese label is left out (the server uses the English one).
const bodyOf = (draft: Draft) => Object.fromEntries(LISTS.map((list) => [list, draft[list].map((row) => ({
  code: row.code.trim(), label: { en: row.en.trim(), ...(row.zh.trim() ? { "zh-CN": row.zh.trim() } : {}) },
}))]));
const same = (a: Draft, b: Draft) => JSON.stringify(bodyOf(a)) === JSON.stringify(bodyOf(b));

export function CodesTab() {
  const admin = useViewer().role === "admin";
  const [saved, setSaved] = useState<Draft | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState("");
  const [version, setVersion] = useState(0);
  const save = useSave();
  // The lists as the server has them; the form follows unless it has unsaved edits.
  const draftRef = useRef<Draft | null>(null);
  const savedRef = useRef<Draft | null>(null);
  draftRef.current = draft;
  savedRef.current = saved;
  const take = (codes: Codes) => {
    const next = draftOf(codes);
    const edited = draftRef.current && savedRef.current && !same(draftRef.current, savedRef.current);
    setSaved(next);
    if (!edited) setDraft(next);
  };
  useEffect(() => {
    const load = () => api<Codes>("GET", "/cti/codes").then((codes) => { take(codes); setError(""); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    load();
    const stops = [
      events.on("cti_codes", (event) => { if (event.record) { take(event.record as Codes); setVersion((v) => v + 1); } }),
      events.on("hello", load),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  if (error) return <p class="form-error" role="alert">{error}</p>;
  if (!draft) return null;
  const submit = () => void save.run(async () => {
    const answer = await api<Codes>("PUT", "/cti/codes", bodyOf(draft));
    const next = draftOf(answer);
    setSaved(next);
    setDraft(next);
    setVersion((v) => v + 1);
  });
  const setList = (list: ListName, rows: Row[]) => setDraft({ ...draft, [list]: rows });
  return (
    <div class="record-body codes-page">
      <div class="record-main panel">
        <RecordForm id="codes-form" save={save} onSubmit={submit} readOnly={!admin}>
          {LISTS.map((list) => (
            <FormSection key={list} id={`codes-${list}`} title={t(`codes.${list}`)} help={t(`codes.${list}.help`)}>
              <Field name={list} label={t(`codes.${list}`)} hideLabel wide group>
                <CodeRows list={list} rows={draft[list]} onChange={(rows) => setList(list, rows)} />
              </Field>
            </FormSection>
          ))}
        </RecordForm>
      </div>
      <aside class="record-aside">
        <AuditTrail target="cti_codes" version={version} fields="codes.audit" />
      </aside>
    </div>
  );
}

const MAX_CODES = 50;

function CodeRows({ list, rows, onChange }: { list: ListName; rows: Row[]; onChange: (rows: Row[]) => void }) {
  const readOnly = useReadOnly();
  const ref = useRef<HTMLDivElement>(null);
  // After a move or an add, the focus goes where the hands are: the moved row's same
  // button (the other one at the end of the list), or the new row's code.
  const [focus, setFocus] = useState<{ id: number; what: "up" | "down" | "code" } | null>(null);
  useLayoutEffect(() => {
    if (!focus || !ref.current) return;
    const row = ref.current.querySelector<HTMLElement>(`[data-row-id="${focus.id}"]`);
    const wanted = row?.querySelector<HTMLButtonElement | HTMLInputElement>(`.code-${focus.what}`);
    const other = row?.querySelector<HTMLButtonElement>(`.code-${focus.what === "up" ? "down" : "up"}`);
    (wanted && !(wanted as HTMLButtonElement).disabled ? wanted : other)?.focus();
    setFocus(null);
  }, [focus]);
  const change = (i: number, patch: Partial<Row>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row!);
    onChange(next);
    setFocus({ id: row!.id, what: by < 0 ? "up" : "down" });
  };
  const add = () => {
    const row = { id: nextId++, code: "", en: "", zh: "" };
    onChange([...rows, row]);
    setFocus({ id: row.id, what: "code" });
  };
  const names = { code: t("codes.code"), en: t("codes.en"), zh: t("codes.zh") };
  return (
    <div class="rows code-rows" data-rows={list} ref={ref}>
      <div class="code-row code-row-head" aria-hidden="true">
        <span>{names.code}</span><span>{names.en}</span><span>{names.zh}</span>
      </div>
      <ol class="code-list">
        {rows.map((row, i) => {
          const which = { n: String(i + 1), code: row.code || "—" };
          return (
            <li class="row-item code-row" key={row.id} data-row-id={row.id} data-code={row.code}>
              <Field name={`${list}[${i}].code`} label={`${names.code} ${i + 1}`} hideLabel>
                <input class="code-code mono" value={row.code} maxLength={32} spellcheck={false} autoComplete="off"
                  onInput={(e) => change(i, { code: e.currentTarget.value })} />
              </Field>
              <Field name={`${list}[${i}].label.en`} label={`${names.en} ${i + 1}`} hideLabel>
                <input class="code-en" value={row.en} maxLength={64} onInput={(e) => change(i, { en: e.currentTarget.value })} />
              </Field>
              <Field name={`${list}[${i}].label.zh-CN`} label={`${names.zh} ${i + 1}`} hideLabel>
                <input class="code-zh" lang="zh-CN" value={row.zh} maxLength={64} placeholder={row.en}
                  onInput={(e) => change(i, { zh: e.currentTarget.value })} />
              </Field>
              {!readOnly && <span class="code-buttons">
                <button type="button" class="small quiet code-up" disabled={i === 0} onClick={() => move(i, -1)}
                  aria-label={t("codes.up", which)} title={t("codes.up", which)}>↑</button>
                <button type="button" class="small quiet code-down" disabled={i === rows.length - 1} onClick={() => move(i, 1)}
                  aria-label={t("codes.down", which)} title={t("codes.down", which)}>↓</button>
                <button type="button" class="small quiet-remove code-remove" disabled={rows.length === 1}
                  onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  aria-label={t("codes.remove", which)} title={t("codes.remove", which)}>×</button>
              </span>}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button type="button" class="small add-row" id={`${list}-add`} disabled={rows.length >= MAX_CODES} onClick={add}>
          + {t(`codes.${list}.add`)}
        </button>
      )}
    </div>
  );
}
