// The inputs of the node and flow forms: each edits one field of an ordered JSON
// object (json.ts) and shows the server's problems about that field under it. What
// the user types is kept as typed: a number field that does not hold a number keeps
// the text, and the check says what is wrong.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { en, type MessageKey } from "../i18n/en";
import { t, tCode } from "../i18n";
import { problemIn, type Problem } from "./graph";
import { isArray, isObject, type JObject, type JValue, str, withKey, withoutKey } from "./json";

export const fieldLabel = (field: string): string => tCode("flows.field", field);

/** The help line of a field, when the catalogue has one. */
function help(field: string): string {
  const key = `flows.help.${field}`;
  return key in en ? t(key as MessageKey) : "";
}

export type FieldProps = {
  object: JObject;
  field: string;
  problems: Problem[];
  onChange: (object: JObject) => void;
  disabled?: boolean;
};

/** The label, the input, the help and the problems of one field. `data-field` lets
 *  the problem list focus it. */
export function Field({ field, problems, children, wide, shownInside }: {
  field: string; problems: Problem[]; children: ComponentChildren; wide?: boolean;
  /** Problems the children show themselves (a rule's, under the rule), not repeated. */
  shownInside?: (problem: Problem) => boolean;
}) {
  const all = problems.filter((p) => problemIn(p, field));
  const mine = shownInside ? all.filter((p) => !shownInside(p)) : all;
  const hint = help(field);
  return (
    <div class={`flow-field${all.length ? " has-problem" : ""}${wide ? " wide" : ""}`} data-field={field}>
      <span class="flow-field-label">{fieldLabel(field)}</span>
      {children}
      {hint && <span class="flow-field-help">{hint}</span>}
      {mine.map((p, i) => <span key={i} class="flow-field-problem" role="alert">{p.field !== field ? `${p.field}: ` : ""}{p.message}</span>)}
    </div>
  );
}

const set = (object: JObject, field: string, value: JValue | undefined): JObject =>
  value === undefined ? withoutKey(object, field) : withKey(object, field, value);

export function TextField({ object, field, problems, onChange, disabled, placeholder, optional }: FieldProps & {
  placeholder?: string; optional?: boolean;
}) {
  const value = object.get(field);
  const shown = typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
  return (
    <Field field={field} problems={problems}>
      <input type="text" value={shown} disabled={disabled} placeholder={placeholder} aria-label={fieldLabel(field)}
        onInput={(e) => {
          const text = e.currentTarget.value;
          onChange(set(object, field, optional && text === "" ? undefined : text));
        }} />
    </Field>
  );
}

/** An integer field: empty leaves it out (the default); a number is stored as a
 *  number; anything else as the text typed, which the check then names. */
export function NumberField({ object, field, problems, onChange, disabled, placeholder }: FieldProps & { placeholder?: string }) {
  const value = object.get(field);
  const shown = value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return (
    <Field field={field} problems={problems}>
      <input type="text" inputMode="numeric" class="narrow" value={shown} disabled={disabled} placeholder={placeholder}
        aria-label={fieldLabel(field)}
        onInput={(e) => {
          const text = e.currentTarget.value.trim();
          onChange(set(object, field, text === "" ? undefined : /^-?\d{1,15}$/.test(text) ? Number(text) : e.currentTarget.value));
        }} />
    </Field>
  );
}

export function CheckField({ object, field, problems, onChange, disabled }: FieldProps) {
  const value = object.get(field);
  return (
    <Field field={field} problems={problems}>
      <label class="flow-check">
        <input type="checkbox" checked={value === true} disabled={disabled}
          onChange={(e) => onChange(e.currentTarget.checked ? withKey(object, field, true)
            : object.has(field) ? withKey(object, field, false) : object)} />
        {t("flows.yes")}
      </label>
    </Field>
  );
}

export function SelectField({ object, field, problems, onChange, disabled, choices, fallback }: FieldProps & {
  choices: readonly string[]; fallback: string;
}) {
  const value = object.get(field);
  const current = typeof value === "string" ? value : fallback;
  return (
    <Field field={field} problems={problems}>
      <select value={current} disabled={disabled} aria-label={fieldLabel(field)}
        onChange={(e) => onChange(withKey(object, field, e.currentTarget.value))}>
        {!choices.includes(current) && <option value={current}>{current}</option>}
        {choices.map((c) => <option key={c} value={c}>{c === "" ? t("flows.none") : c}</option>)}
      </select>
    </Field>
  );
}

/** A list of strings typed as "a, b, c". The text is kept while typing (so a
 *  trailing comma stays); an empty list leaves the field out when `optional`. */
export function ListInput({ value, onChange, disabled, label, placeholder }: {
  value: JValue | undefined; onChange: (value: string[]) => void; disabled?: boolean; label: string; placeholder?: string;
}) {
  const joined = isArray(value) ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ") : str(value);
  const [text, setText] = useState(joined);
  const parse = (s: string) => s.split(",").map((v) => v.trim()).filter((v) => v !== "");
  useEffect(() => {
    if (parse(text).join(", ") !== joined) setText(joined);
  }, [joined]);
  return (
    <input type="text" value={text} disabled={disabled} aria-label={label} placeholder={placeholder}
      onInput={(e) => {
        setText(e.currentTarget.value);
        onChange(parse(e.currentTarget.value));
      }} />
  );
}

export function ListField({ object, field, problems, onChange, disabled, placeholder }: FieldProps & { placeholder?: string }) {
  const value = object.get(field);
  return (
    <Field field={field} problems={problems}>
      <ListInput value={value} disabled={disabled} label={fieldLabel(field)} placeholder={placeholder}
        onChange={(list) => onChange(set(object, field, list.length === 0 && !isArray(value) ? undefined : list))} />
    </Field>
  );
}

/** An object of strings ({"name": "value"}) as rows of name and value; renaming a
 *  row keeps its place. */
export function MapField({ object, field, problems, onChange, disabled, keyLabel, valueLabel }: FieldProps & {
  keyLabel: string; valueLabel: string;
}) {
  const value = object.get(field);
  const entries: [string, JValue][] = isObject(value) ? [...value] : [];
  const write = (next: [string, JValue][]) => onChange(withKey(object, field, new Map(next)));
  return (
    <Field field={field} problems={problems} wide>
      {!isObject(value) && value !== undefined && <span class="flow-field-problem">{t("flows.notAnObject")}</span>}
      {entries.map(([key, item], i) => (
        <div class="flow-row" key={i}>
          <input type="text" value={key} disabled={disabled} aria-label={keyLabel} placeholder={keyLabel}
            onInput={(e) => {
              const name = e.currentTarget.value;
              if (entries.some(([k], j) => j !== i && k === name)) return; // a key given twice would drop a row
              write(entries.map((entry, j) => (j === i ? [name, entry[1]] : entry)));
            }} />
          <input type="text" value={typeof item === "string" ? item : JSON.stringify(item)} disabled={disabled}
            aria-label={valueLabel} placeholder={valueLabel}
            onInput={(e) => write(entries.map((entry, j) => (j === i ? [entry[0], e.currentTarget.value] : entry)))} />
          <button type="button" class="small quiet" disabled={disabled} title={t("flows.removeRow")} aria-label={t("flows.removeRow")}
            onClick={() => write(entries.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <div>
        <button type="button" class="small" disabled={disabled} onClick={() => {
          let name = "name";
          for (let n = 2; entries.some(([k]) => k === name); n++) name = `name${n}`;
          write([...entries, [name, ""]]);
        }}>{t("flows.addRow")}</button>
      </div>
    </Field>
  );
}

/** A select of the document's nodes for an exit, with "not connected". */
export function NodeSelect({ value, nodes, onChange, disabled, label, id }: {
  value: string; nodes: { id: string; type: string }[]; onChange: (target: string) => void; disabled?: boolean;
  label: string; id?: string;
}) {
  const known = nodes.some((n) => n.id === value);
  return (
    <select value={value} disabled={disabled} aria-label={label} id={id} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{t("flows.notConnected")}</option>
      {value && !known && <option value={value}>{t("flows.missingNode", { id: value })}</option>}
      {nodes.map((n) => <option key={n.id} value={n.id}>{n.id} ({tCode("flows.type", n.type)})</option>)}
    </select>
  );
}
